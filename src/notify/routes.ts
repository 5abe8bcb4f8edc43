// Thin HTTP edge of outgoing e-mail: the test e-mail and the outbox, both beside the SMTP fields of /api/settings.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function notifyRoutes(app: App, ctx: AppContext) {
  const tags = ['Settings'];
  const access = needs('settings.manage');
  app.post(
    '/api/settings/email/test',
    {
      config: { access },
      schema: {
        tags,
        summary: "Send a test e-mail through the tenant's SMTP settings; the result says whether the server accepted it (or that none is configured); audited",
        body: schemas.TestEmailBody,
        response: { 200: schemas.TestEmailResult, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.sendTestEmail(ctx, actorOf(req), req.body ?? {}),
  );
  app.get(
    '/api/settings/email/outbox',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The latest e-mails sent for the tenant (subscription alerts and digests) and how their delivery went',
        querystring: schemas.OutboxQuery,
        response: { 200: Type.Object({ items: Type.Array(schemas.OutboxItem) }), ...authErrors },
      },
    },
    (req) => service.listOutbox(ctx, actorOf(req), req.query.limit),
  );
}
