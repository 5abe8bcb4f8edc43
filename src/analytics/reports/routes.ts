// Thin HTTP edge of the insights reports: JSON by default, a CSV download with ?format=csv (streamed, audited).
import type { AppContext } from '../../context.ts';
import { publicBaseUrl } from '../../notify/service.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { sendCsv } from '../../platform/http/csv.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, ...authErrors };

export function reportRoutes(app: App, ctx: AppContext) {
  const tags = ['Reports'];
  const access = { access: needs('reports.view') };
  app.get(
    '/api/reports/indicator-mentions',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Indicator Mentions: per category, indicator and keyword, mentions and interactions (share of those counted) over a period with a trend per day/week/month; your group scope applies; ?format=csv downloads it (audited)',
        querystring: schemas.MentionsQuery,
        response: { 200: schemas.MentionsReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, 'indicator-mentions', service.mentionsCsv(ctx, actorOf(req), req.query))
        : service.indicatorMentions(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/reports/indicator-mentions/interactions',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Drill-down: the interactions with a mention of a category, indicator or keyword in the period, most recent first, with the words around each mention and where to play it; ?format=csv (audited)',
        querystring: schemas.DrillQuery,
        response: { 200: schemas.DrillReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, 'indicator-mention-interactions', service.drillCsv(ctx, actorOf(req), req.query, publicBaseUrl(ctx)))
        : service.mentionInteractions(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/reports/agents/:id',
    {
      config: access,
      schema: {
        tags,
        summary: "The name of the agent a report is filtered on (the reports' address keeps only the id); 404 outside your group scope",
        params: schemas.ReportAgentParams,
        response: { 200: schemas.ReportAgent, ...errors },
      },
    },
    async (req) => service.reportAgent(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/reports/speaker-metrics',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Speaker Metrics: per agent and group over time, talk-to-listen, words and fillers per minute, longest monologue, response time, sentiment, engagement and speech events per call; ?format=csv (audited)',
        querystring: schemas.MetricsQuery,
        response: { 200: schemas.MetricsReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, 'speaker-metrics', service.metricsCsv(ctx, actorOf(req), req.query))
        : service.speakerMetrics(ctx, actorOf(req), req.query),
  );
}
