// Thin HTTP edge for legal holds.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function holdRoutes(app: App, ctx: AppContext) {
  const tags = ['Legal holds'];
  const config = { access: needs('legal_holds.manage') };
  app.get(
    '/api/compliance/holds',
    {
      config,
      schema: {
        tags,
        summary: 'Legal holds of the tenant, active first, with how many conversations each keeps',
        response: { 200: schemas.HoldList, ...authErrors },
      },
    },
    (req) => service.listHolds(ctx, actorOf(req)),
  );
  app.post(
    '/api/compliance/holds',
    {
      config,
      schema: {
        tags,
        summary:
          'Place a legal hold: by rule (a filter or saved search with a fixed period; conversations matching now and later) or by list (no cap); audited',
        body: schemas.HoldCreate,
        response: { 200: schemas.Hold, ...errors },
      },
    },
    (req) => service.createHold(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/compliance/holds/:id',
    { config, schema: { tags, summary: 'One legal hold', params: IdParams, response: { 200: schemas.Hold, ...errors } } },
    (req) => service.getHold(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/compliance/holds/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an active hold (name, reason, owner, a rule’s filter); audited with old and new values',
        params: IdParams,
        body: schemas.HoldPatch,
        response: { 200: schemas.Hold, ...errors },
      },
    },
    (req) => service.updateHold(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/compliance/holds/:id/release',
    {
      config,
      schema: {
        tags,
        summary: 'Release a hold (its conversations become subject to retention again); the reason is audited',
        params: IdParams,
        body: schemas.HoldRelease,
        response: { 200: schemas.Hold, ...errors },
      },
    },
    (req) => service.releaseHold(ctx, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/compliance/holds/:id/conversations',
    {
      config,
      schema: {
        tags,
        summary: 'The conversations a hold keeps (a rule: its matches now), a page at a time',
        params: IdParams,
        querystring: schemas.MembersQuery,
        response: { 200: schemas.HoldMemberPage, ...errors },
      },
    },
    (req) => service.holdConversations(ctx, actorOf(req), req.params.id, req.query),
  );
  app.post(
    '/api/compliance/holds/:id/conversations',
    {
      config,
      schema: {
        tags,
        summary: 'Add conversations to a hold by list; audited',
        params: IdParams,
        body: schemas.HoldMembers,
        response: { 200: schemas.MembersChanged, ...errors },
      },
    },
    (req) => service.addToHold(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/compliance/holds/:id/conversations/remove',
    {
      config,
      schema: {
        tags,
        summary: 'Remove conversations from a hold by list; audited',
        params: IdParams,
        body: schemas.HoldMembers,
        response: { 200: schemas.MembersChanged, ...errors },
      },
    },
    (req) => service.removeFromHold(ctx, actorOf(req), req.params.id, req.body),
  );
}
