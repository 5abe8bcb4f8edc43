// Thin HTTP edge for recording policies (Administration → Compliance → Recording policies).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, ...authErrors };

export function recordingPolicyRoutes(app: App, ctx: AppContext) {
  const tags = ['Compliance'];
  const config = { access: needs('lifecycle.manage') };
  const base = '/api/compliance/recording-policies';
  app.get(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'Recording rules in evaluation order (first enabled match decides; none = record), with how many calls each decided',
        response: { 200: schemas.PolicyList, ...authErrors },
      },
    },
    (req) => service.listPolicies(ctx, actorOf(req)),
  );
  app.post(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'Add a recording rule at the end of the order; audited',
        body: schemas.PolicyCreate,
        response: { 200: schemas.Policy, ...errors },
      },
    },
    (req) => service.createPolicy(ctx, actorOf(req), req.body),
  );
  app.put(
    `${base}/order`,
    {
      config,
      schema: {
        tags,
        summary: 'Reorder the recording rules (every rule once); audited',
        body: schemas.PolicyOrder,
        response: { 200: schemas.PolicyList, ...errors },
      },
    },
    (req) => service.reorderPolicies(ctx, actorOf(req), req.body.ids),
  );
  app.post(
    `${base}/test`,
    {
      config,
      schema: {
        tags,
        summary: 'What the rules decide for a described call (nothing stored)',
        body: schemas.PolicyTest,
        response: { 200: schemas.Decision, ...errors },
      },
    },
    (req) => service.testPolicies(ctx, actorOf(req), req.body),
  );
  app.patch(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        summary: 'Change a recording rule; audited with old and new values',
        params: schemas.PolicyParams,
        body: schemas.PolicyPatch,
        response: { 200: schemas.Policy, ...errors },
      },
    },
    (req) => service.updatePolicy(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        summary: 'Delete a recording rule (calls it decided keep its name and reason); audited',
        params: schemas.PolicyParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deletePolicy(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
