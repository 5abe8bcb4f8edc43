import type { AppContext } from '../../context.ts';
import { needsOrganisationWide } from '../http/access.ts';
import { actorOf } from '../http/auth.ts';
import { authErrors } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { JobList, JobQuery } from './schemas.ts';

export function jobRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/jobs',
    {
      config: { access: needsOrganisationWide('jobs.view') },
      schema: {
        tags: ['Jobs'],
        summary: 'Background jobs of this tenant (and system jobs), newest first',
        querystring: JobQuery,
        response: { 200: JobList, ...authErrors },
      },
    },
    async (req) => ({
      items: await ctx.jobs.list({ tenantId: actorOf(req).tenantId, status: req.query.status, type: req.query.type, limit: req.query.limit ?? 100 }),
    }),
  );
}
