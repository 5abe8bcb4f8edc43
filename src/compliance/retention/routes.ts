// Thin HTTP edge for retention policies, their dry-run preview and an on-demand purge.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function retentionRoutes(app: App, ctx: AppContext) {
  const tags = ['Retention'];
  const config = { access: needs('lifecycle.manage') };
  app.get(
    '/api/compliance/retention',
    {
      config,
      schema: {
        tags,
        summary: 'The retention policy: the default, the rules in order, the last purge',
        response: { 200: schemas.RetentionPolicy, ...authErrors },
      },
    },
    (req) => service.getRetention(ctx, actorOf(req)),
  );
  app.put(
    '/api/compliance/retention',
    {
      config,
      schema: {
        tags,
        summary:
          'Replace the retention policy (organisation-wide administrators); 409 RETENTION_DELETES_ALL unless confirmDeleteAll when it would delete every conversation; audited with old and new values',
        body: schemas.RetentionPut,
        response: { 200: schemas.RetentionPolicy, ...errors },
      },
    },
    (req) => service.putRetention(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/compliance/retention/preview',
    {
      config,
      schema: {
        tags,
        summary:
          'Dry run: what the purge would delete under the saved policy or the one given (count, oldest, storage freed, protected ones skipped); changes nothing',
        body: schemas.RetentionPreviewRequest,
        response: { 200: schemas.RetentionPreview, ...errors },
      },
    },
    (req) => service.previewRetention(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/compliance/retention/run',
    {
      config,
      schema: { tags, summary: 'Run the purge now for this organisation (a job on the Jobs page); audited', response: { 202: schemas.PurgeQueued, ...errors } },
    },
    async (req, reply) => reply.status(202).send(await service.queuePurge(ctx, actorOf(req))),
  );
}
