// Thin HTTP edge for the agents' responses to evaluations (acknowledge, dispute) and the answers to disputes.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function responseRoutes(app: App, ctx: AppContext) {
  const tags = ['Quality'];
  const respond = { access: needs('quality.respond') };
  const handle = { access: needs('quality.review', 'quality.review_self', 'quality.view_others') };
  app.get(
    '/api/quality/results',
    {
      config: respond,
      schema: {
        tags,
        summary: "The agent's submitted reviews of their own interactions, newest first",
        querystring: schemas.ResultsQuery,
        response: { 200: schemas.Results, ...errors },
      },
    },
    (req) => service.listResults(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/evaluations/:id/acknowledge',
    {
      config: respond,
      schema: {
        tags,
        summary: 'The agent acknowledges a submitted review of their interaction (optional comment); audited, the evaluator is e-mailed',
        params: IdParams,
        body: schemas.AcknowledgeBody,
        response: { 200: schemas.Result, ...errors },
      },
    },
    (req) => service.acknowledge(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/evaluations/:id/dispute',
    {
      config: respond,
      schema: {
        tags,
        summary: 'The agent disputes a submitted review with a reason (once per revision); audited, the evaluator and managers are e-mailed',
        params: IdParams,
        body: schemas.DisputeBody,
        response: { 200: schemas.Result, ...errors },
      },
    },
    (req) => service.dispute(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/evaluations/:id/reaffirm',
    {
      config: handle,
      schema: {
        tags,
        summary: 'The evaluator or a manager keeps a disputed evaluation as it is, with a comment; audited, the agent is e-mailed',
        params: IdParams,
        body: schemas.ReaffirmBody,
        response: { 200: schemas.Dispute, ...errors },
      },
    },
    (req) => service.reaffirm(ctx, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/quality/disputes',
    {
      config: handle,
      schema: {
        tags,
        summary: 'Disputes of evaluations the caller made, or of agents in their scope (quality.view_others); open ones oldest first',
        querystring: schemas.DisputesQuery,
        response: { 200: schemas.Disputes, ...errors },
      },
    },
    (req) => service.listDisputes(ctx, actorOf(req), req.query),
  );
}
