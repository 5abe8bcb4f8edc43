// Thin HTTP edge of the compliance setup (what anonymization overwrites).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function complianceSetupRoutes(app: App, ctx: AppContext) {
  const tags = ['Compliance'];
  const config = { access: needs('lifecycle.manage') };
  app.get(
    '/api/compliance/setup',
    {
      config,
      schema: {
        tags,
        summary: 'Compliance setup: the data classes and custom fields anonymization overwrites',
        response: { 200: schemas.SetupView, ...authErrors },
      },
    },
    (req) => service.getSetup(ctx, actorOf(req)),
  );
  app.put(
    '/api/compliance/setup',
    {
      config,
      schema: {
        tags,
        summary: 'Change which data anonymization overwrites (organisation-wide accounts only); audited with old and new values',
        body: schemas.SetupInput,
        response: { 200: schemas.SetupView, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.updateSetup(ctx, actorOf(req), req.body),
  );
}
