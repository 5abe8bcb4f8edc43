// Thin HTTP edge of the dashboard and the call reports: JSON by default, CSV downloads streamed and audited.
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { sendCsv } from '../platform/http/csv.ts';
import { ErrorResponse, NoContent, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as schedules from './schedules.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, ...authErrors };

export function callReportRoutes(app: App, ctx: AppContext) {
  const tags = ['Reports'];
  const access = { access: needs('reports.view') };
  app.get(
    '/api/dashboard',
    {
      config: access,
      schema: {
        tags,
        summary:
          'The dashboard: conversations per day by channel, average call duration, talk time, active calls, by direction and group, top tags, average sentiment and evaluation score over the last N days, in your group scope (from the daily counts)',
        querystring: schemas.DashboardQuery,
        response: { 200: schemas.Dashboard, ...errors },
      },
    },
    async (req) => service.dashboard(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/reports/calls',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Calls per day, per group, per agent or for the whole organisation: count, total/average/longest duration, talk time and the inbound/outbound/internal split over a period (at most 1,830 days; longer: 400 with reason PERIOD_TOO_LONG); ?format=csv downloads it (audited)',
        querystring: schemas.CallReportQuery,
        response: { 200: schemas.CallReport, ...errors },
      },
    },
    async (req, reply) =>
      req.query.format === 'csv'
        ? sendCsv(reply, `calls-by-${req.query.by ?? 'day'}`, service.callReportCsv(ctx, actorOf(req), req.query))
        : service.callReport(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/reports/calls/all.csv',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Every conversation of a period you may see, one CSV line each, streamed (a million rows in constant memory; stops when the client goes away); at most 366 days, longer: 400 with reason PERIOD_TOO_LONG; audited',
        querystring: schemas.CallsCsvQuery,
        response: errors,
      },
    },
    async (req, reply) => {
      const stop = new AbortController();
      reply.raw.on('close', () => stop.abort());
      return sendCsv(reply, 'all-calls', service.callsCsv(ctx, actorOf(req), req.query, stop.signal));
    },
  );
  app.get(
    '/api/reports/schedules',
    { config: access, schema: { tags, summary: 'Your scheduled report e-mails', response: { 200: schemas.ScheduleList, ...errors } } },
    async (req) => schedules.listSchedules(ctx, actorOf(req)),
  );
  app.post(
    '/api/reports/schedules',
    {
      config: access,
      schema: {
        tags,
        summary: 'E-mail yourself a call report daily (yesterday), weekly (the previous week) or monthly (the previous month)',
        body: schemas.ScheduleCreate,
        response: { 201: schemas.Schedule, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await schedules.createSchedule(ctx, actorOf(req), req.body)),
  );
  app.delete(
    '/api/reports/schedules/:id',
    {
      config: access,
      schema: { tags, summary: 'Stop a scheduled report e-mail', params: schemas.ScheduleParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await schedules.deleteSchedule(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
