// Thin HTTP edge for the recorder's sources (SRC allow-list) and party rules: Administration → Recorder.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function recorderSourceRoutes(app: App, ctx: AppContext) {
  const tags = ['Recorder'];
  const manage = { access: needs('recorder.manage') };
  app.get(
    '/api/recorder/sources',
    {
      config: manage,
      schema: {
        tags,
        summary: 'SIPREC sources (SBCs/PBXs) allowed to record into this tenant, and the requests refused recently',
        response: { 200: schemas.SourceList, ...authErrors },
      },
    },
    (req) => service.listSources(ctx, actorOf(req)),
  );
  app.post(
    '/api/recorder/sources',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Allow a source by IP address/CIDR and/or TLS identity (one address feeds one tenant); audited',
        body: schemas.SourceCreate,
        response: { 200: schemas.Source, ...errors },
      },
    },
    (req) => service.createSource(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/recorder/sources/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change, enable or disable a source; audited',
        params: IdParams,
        body: schemas.SourcePatch,
        response: { 200: schemas.Source, ...errors },
      },
    },
    (req) => service.updateSource(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/recorder/sources/:id',
    {
      config: manage,
      schema: { tags, summary: 'Remove a source: its calls are refused (403) from now on; audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteSource(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/recorder/party-rules',
    {
      config: manage,
      schema: {
        tags,
        summary: 'How recorded participants become agents or customers, in the order they are tried',
        response: { 200: Type.Object({ items: Type.Array(schemas.PartyRule) }), ...authErrors },
      },
    },
    (req) => service.listPartyRules(ctx, actorOf(req)),
  );
  app.post(
    '/api/recorder/party-rules',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a party rule (tried after the existing ones); audited',
        body: schemas.PartyRuleCreate,
        response: { 200: schemas.PartyRule, ...errors },
      },
    },
    (req) => service.createPartyRule(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/recorder/party-rules/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a party rule or its position; audited',
        params: IdParams,
        body: schemas.PartyRulePatch,
        response: { 200: schemas.PartyRule, ...errors },
      },
    },
    (req) => service.updatePartyRule(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/recorder/party-rules/:id',
    { config: manage, schema: { tags, summary: 'Remove a party rule; audited', params: IdParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await service.deletePartyRule(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/recorder/party-rules/test',
    {
      config: manage,
      schema: {
        tags,
        summary: 'What the recorder would make of a participant (number or SIP address) with the rules as they are',
        body: schemas.PartyTest,
        response: { 200: schemas.PartyTestResult, ...errors },
      },
    },
    (req) => service.testParty(ctx, actorOf(req), req.body.aor),
  );
}
