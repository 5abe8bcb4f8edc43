// Thin HTTP edge of calibration sessions. Scoring itself goes through the evaluation API (each evaluator's row).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function calibrationRoutes(app: App, ctx: AppContext) {
  const tags = ['Quality'];
  const read = { access: needs('quality.calibrate', 'quality.review') };
  const manage = { access: needs('quality.calibrate') };
  app.get(
    '/api/calibrations',
    {
      config: read,
      schema: {
        tags,
        summary: 'Calibration sessions I created or score in, and (with "Run calibrations") every session on a conversation I see; newest first',
        querystring: schemas.CalibrationListQuery,
        response: { 200: schemas.CalibrationList, ...errors },
      },
    },
    (req) => service.listCalibrations(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/calibrations',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Create a session: one conversation and agent, one scorecard (its latest version), two or more evaluators, optional reference evaluator and due date; each evaluator gets an evaluation to fill in and an e-mail; audited',
        body: schemas.CalibrationCreate,
        response: { 201: schemas.CalibrationDetail, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createCalibration(ctx, actorOf(req), req.body)),
  );
  app.get(
    '/api/calibrations/:id',
    {
      config: read,
      schema: {
        tags,
        summary:
          "A session with its evaluators' progress and, once the caller may see them, the results per question and in total (spread, variance, standard deviation, deviation from the mean or the reference)",
        params: IdParams,
        response: { 200: schemas.CalibrationDetail, ...errors },
      },
    },
    (req) => service.getCalibration(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/calibrations/:id/close',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Close a session: every evaluator then sees the results; audited',
        params: IdParams,
        response: { 200: schemas.CalibrationDetail, ...errors },
      },
    },
    (req) => service.setCalibrationStatus(ctx, actorOf(req), req.params.id, 'closed'),
  );
  app.post(
    '/api/calibrations/:id/reopen',
    {
      config: manage,
      schema: { tags, summary: 'Reopen a closed session; audited', params: IdParams, response: { 200: schemas.CalibrationDetail, ...errors } },
    },
    (req) => service.setCalibrationStatus(ctx, actorOf(req), req.params.id, 'open'),
  );
}
