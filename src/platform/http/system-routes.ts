import { sql } from 'kysely';
import { Type } from 'typebox';
import { publicConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { PUBLIC } from './access.ts';
import { PublicConfig } from './schemas.ts';
import type { App } from './types.ts';
import { metricsRoute } from './metrics.ts';

export function systemRoutes(app: App, ctx: AppContext) {
  const tags = ['System'];
  app.get('/api/health', {
    config: { access: PUBLIC },
    schema: { tags, summary: 'Liveness and database reachability', response: { 200: Type.Object({ status: Type.String(), database: Type.String(), roles: Type.Array(Type.String()) }), 503: Type.Object({ status: Type.String(), database: Type.String(), roles: Type.Array(Type.String()) }) } },
  }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok', database: ctx.adapter.name, roles: ctx.config.roles };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.adapter.name, roles: ctx.config.roles });
    }
  });
  app.get('/api/config/public', {
    config: { access: PUBLIC },
    schema: { tags, summary: 'What the browser may know of the configuration', response: { 200: PublicConfig } },
  }, () => publicConfig(ctx.config));
  if (ctx.config.metrics) metricsRoute(app, ctx);
}
