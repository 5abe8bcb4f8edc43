import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../http/access.ts';
import { actorOf } from '../http/auth.ts';
import { Nullable, Timestamp, authErrors } from '../http/schemas.ts';
import type { App } from '../http/types.ts';

const Job = Type.Object({
  id: Type.String(), type: Type.String(), tenantId: Nullable(Type.String()), status: Type.String(), progress: Type.Number(),
  progressNote: Nullable(Type.String()), attempts: Type.Integer(), maxAttempts: Type.Integer(), lastError: Nullable(Type.String()),
  runAt: Timestamp, createdAt: Timestamp, finishedAt: Nullable(Timestamp),
});

export function jobRoutes(app: App, ctx: AppContext) {
  app.get('/api/jobs', {
    config: { access: needs('jobs.view') },
    schema: {
      tags: ['Jobs'], summary: 'Background jobs of this tenant (and system jobs), newest first',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('dead')])),
        type: Type.Optional(Type.String({ maxLength: 100 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Job) }), ...authErrors },
    },
  }, async (req) => ({
    items: await ctx.jobs.list({ tenantId: actorOf(req).tenantId, status: req.query.status, type: req.query.type, limit: req.query.limit ?? 100 }),
  }));
}
