// Thin HTTP edge of webhooks (Administration → Webhooks): endpoints, their secret, test events, the delivery log and
// redelivery. settings.manage, organisation-wide (the service checks the scope).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function webhookRoutes(app: App, ctx: AppContext) {
  const tags = ['Webhooks'];
  const access = needs('settings.manage');
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

  app.get(
    '/api/webhooks',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The webhook endpoints of the organisation and the events they may choose',
        response: { 200: schemas.EndpointList, ...authErrors },
      },
    },
    (req) => service.listEndpoints(ctx, actorOf(req)),
  );
  app.post(
    '/api/webhooks',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Add an endpoint; the answer holds its signing secret, shown this once; audited',
        body: schemas.EndpointCreate,
        response: { 200: schemas.EndpointWithSecret, ...errors },
      },
    },
    (req) => service.createEndpoint(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/webhooks/:id',
    { config: { access }, schema: { tags, summary: 'One webhook endpoint', params: IdParams, response: { 200: schemas.Endpoint, ...errors } } },
    (req) => service.getEndpoint(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/webhooks/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Change, enable or disable an endpoint; audited',
        params: IdParams,
        body: schemas.EndpointPatch,
        response: { 200: schemas.Endpoint, ...errors },
      },
    },
    (req) => service.updateEndpoint(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/webhooks/:id',
    {
      config: { access },
      schema: { tags, summary: 'Delete an endpoint and its delivery log; audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteEndpoint(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/webhooks/:id/rotate-secret',
    {
      config: { access },
      schema: {
        tags,
        summary: 'A new signing secret, shown this once; the old one keeps signing beside it for 24 hours unless expirePrevious; audited',
        params: IdParams,
        body: schemas.RotateBody,
        response: { 200: schemas.EndpointWithSecret, ...errors },
      },
    },
    (req) => service.rotateSecret(ctx, actorOf(req), req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/webhooks/:id/test',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Send a webhook.test event to the endpoint once; the delivery log shows the answer',
        params: IdParams,
        response: { 200: schemas.Queued, ...errors },
      },
    },
    (req) => service.sendTest(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/webhooks/:id/deliveries',
    {
      config: { access },
      schema: {
        tags,
        summary: "The endpoint's deliveries, newest first, with the last attempt's answer",
        params: IdParams,
        querystring: schemas.DeliveryQuery,
        response: { 200: schemas.DeliveryList, ...errors },
      },
    },
    (req) => service.listDeliveries(ctx, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/webhooks/:id/deliveries/:deliveryId',
    {
      config: { access },
      schema: {
        tags,
        summary: 'One delivery: the body sent and every attempt',
        params: schemas.DeliveryParams,
        response: { 200: schemas.DeliveryDetail, ...errors },
      },
    },
    (req) => service.getDelivery(ctx, actorOf(req), req.params.id, req.params.deliveryId),
  );
  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Send a finished delivery again, once, with the same event id and body; audited',
        params: schemas.DeliveryParams,
        response: { 200: schemas.Queued, ...errors },
      },
    },
    (req) => service.redeliver(ctx, actorOf(req), req.params.id, req.params.deliveryId),
  );
}
