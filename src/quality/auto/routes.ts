// Thin HTTP edge of automated scoring: start the pre-fill of a saved search's open reviews (a job).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function autoRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/quality/prefill-runs',
    {
      config: { access: needs('quality.plan') },
      schema: {
        tags: ['Quality'],
        summary:
          "Pre-fill again, from the scorecards' auto rules, every review not submitted yet of the conversations a saved search finds (as you see them); a job with progress on the Jobs page; audited",
        body: schemas.PrefillRunCreate,
        response: { 202: schemas.PrefillRun, 400: ErrorResponse, 404: ErrorResponse, ...authErrors },
      },
    },
    async (req, reply) => reply.code(202).send(await service.requestPrefillRun(ctx, actorOf(req), req.body)),
  );
}
