// Thin HTTP edge of the quality reports: JSON by default, a CSV download with ?format=csv (streamed, audited).
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

export function qualityReportRoutes(app: App, ctx: AppContext) {
  const tags = ['Reports'];
  const access = { access: needs('reports.view') };
  app.get(
    '/api/reports/quality',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Quality: average score and pass rate per agent, group, scorecard and question over time, evaluations per evaluator, disputes and outcomes, calibration spread, auto-rule overrides; your group scope applies; ?format=csv&table=… downloads one table (audited)',
        querystring: schemas.QualityQuery,
        response: { 200: schemas.QualityReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, `quality-${req.query.table ?? 'trend'}`, service.reportCsv(ctx, actorOf(req), req.query))
        : service.qualityReport(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/reports/quality/evaluations',
    {
      config: access,
      schema: {
        tags,
        summary: 'Drill-down: the submitted reviews behind a figure of the quality report, most recent first; ?format=csv (audited)',
        querystring: schemas.DrillQuery,
        response: { 200: schemas.DrillReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, 'quality-evaluations', service.drillCsv(ctx, actorOf(req), req.query, publicBaseUrl(ctx)))
        : service.drillEvaluations(ctx, actorOf(req), req.query),
  );
}
