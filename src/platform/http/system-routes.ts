import { Type } from 'typebox';
import { publicConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { healthReport } from '../health.ts';
import { PUBLIC } from './access.ts';
import { Nullable, PublicConfig } from './schemas.ts';
import type { App } from './types.ts';
import { metricsRoute } from './metrics.ts';

export function systemRoutes(app: App, ctx: AppContext) {
  const tags = ['System'];
  const Health = Type.Object({
    status: Type.String({ description: 'ok, degraded (answers, but searches or jobs are held up: see reasons) or unavailable' }),
    database: Type.String(),
    roles: Type.Array(Type.String()),
    reasons: Type.Array(Type.String()),
    search: Type.Optional(Type.Object({ capacity: Type.Integer(), running: Type.Integer(), waiting: Type.Integer() })),
    jobs: Type.Optional(
      Type.Object({
        oldestWaitingSeconds: Type.Integer({ description: 'The oldest due job of normal or higher priority, waiting (10 minutes or more: degraded)' }),
        expiredLeases: Type.Integer(),
        backgroundWaiting: Type.Integer({ description: 'Due background jobs (negative priority, e.g. bulk transcription): reported, never degrading' }),
      }),
    ),
    features: Type.Optional(
      Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), message: Nullable(Type.String()), details: Type.Optional(Type.Unknown()) }), {
        description: 'Feature checks, e.g. speech: ok false with "No speech engine configured"; informative, they do not make the status degraded',
      }),
    ),
  });
  app.get(
    '/api/health',
    {
      config: { access: PUBLIC },
      schema: { tags, summary: 'Liveness: 200 ok or degraded (with reasons), 503 when the database does not answer', response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      const report = await healthReport(ctx);
      return report.status === 'unavailable' ? reply.status(503).send(report) : report;
    },
  );
  app.get(
    '/api/config/public',
    {
      config: { access: PUBLIC },
      schema: { tags, summary: 'What the browser may know of the configuration', response: { 200: PublicConfig } },
    },
    () => publicConfig(ctx.config),
  );
  if (ctx.config.metrics) metricsRoute(app, ctx);
}
