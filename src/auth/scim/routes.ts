// Thin HTTP edge for SCIM 2.0 under /scim/v2. Public to the app's own authentication: a SCIM client carries the
// tenant's SCIM token (not a user's API token), checked here; errors take the RFC 7644 §3.12 shape.
import { Type } from 'typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, ERROR_STATUS } from '../../platform/errors.ts';
import { PUBLIC } from '../../platform/http/access.ts';
import { ownOrigin } from '../../platform/http/csrf.ts';
import type { App } from '../../platform/http/types.ts';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.ts';
import * as scim from './service.ts';
import { SCHEMA, ScimError, type ScimCaller } from './service.ts';

const CONTENT_TYPE = 'application/scim+json; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest {
    scim?: ScimCaller;
  }
}

const errorBody = (status: number, scimType: string | null, detail: string) => ({
  schemas: [SCHEMA.error],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail,
});

export function scimRoutes(app: App, ctx: AppContext) {
  app.register(async (raw) => {
    const s = raw.withTypeProvider<TypeBoxTypeProvider>();
    const base = (req: FastifyRequest) => `${ctx.config.publicUrl ?? ownOrigin(req) ?? ''}/scim/v2`;
    s.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON'), undefined);
      }
    });
    s.setErrorHandler((err: FastifyError, req, reply) => {
      if (err instanceof ScimError)
        return reply
          .status(err.status)
          .type(CONTENT_TYPE)
          .send(errorBody(err.status, err.scimType, err.message));
      if (err instanceof DomainError) {
        const status = ERROR_STATUS[err.code];
        return reply
          .status(status)
          .type(CONTENT_TYPE)
          .send(errorBody(status, status === 400 ? 'invalidValue' : null, err.message));
      }
      if (err.validation)
        return reply
          .status(400)
          .type(CONTENT_TYPE)
          .send(errorBody(400, 'invalidValue', err.message));
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        return reply
          .status(err.statusCode)
          .type(CONTENT_TYPE)
          .send(errorBody(err.statusCode, err.statusCode === 400 ? 'invalidSyntax' : null, err.message));
      req.log.error({ err }, 'SCIM request failed');
      return reply
        .status(500)
        .type(CONTENT_TYPE)
        .send(errorBody(500, null, 'Something went wrong on the server; it has been logged'));
    });
    s.addHook('preHandler', async (req) => {
      const auth = req.headers.authorization;
      const caller = await scim.authenticate(ctx, auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined, req.ip ?? null);
      if (!caller) throw new ScimError(401, null, 'Send the SCIM token as "Authorization: Bearer esc_…" (Administration → Single sign-on → SCIM)');
      req.scim = caller;
    });
    s.addHook('onSend', async (_req, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.header('content-type', CONTENT_TYPE);
      return payload;
    });

    const tags = ['SCIM 2.0'];
    const cfg = { access: PUBLIC };
    const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
    const ListQuery = Type.Object({
      filter: Type.Optional(Type.String({ maxLength: 1000 })),
      startIndex: Type.Optional(Type.Integer()),
      count: Type.Optional(Type.Integer()),
      attributes: Type.Optional(Type.String()),
      excludedAttributes: Type.Optional(Type.String()),
    });
    const caller = (req: FastifyRequest) => req.scim!;
    const created = (reply: FastifyReply, body: { meta: { location: string } }) => reply.status(201).header('location', body.meta.location).send(body);
    const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

    s.get('/scim/v2/ServiceProviderConfig', { config: cfg, schema: { tags, summary: 'SCIM service provider configuration' } }, (req) =>
      serviceProviderConfig(base(req)),
    );
    s.get('/scim/v2/ResourceTypes', { config: cfg, schema: { tags, summary: 'SCIM resource types' } }, (req) => {
      const items = resourceTypes(base(req));
      return { schemas: [SCHEMA.list], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items };
    });
    s.get('/scim/v2/ResourceTypes/:id', { config: cfg, schema: { tags, summary: 'One SCIM resource type', params: Id } }, (req) => {
      const r = resourceTypes(base(req)).find((t) => t.id === req.params.id);
      if (!r) throw new ScimError(404, null, `Resource type ${req.params.id} not found`);
      return r;
    });
    s.get('/scim/v2/Schemas', { config: cfg, schema: { tags, summary: 'SCIM schemas' } }, (req) => {
      const items = schemas(base(req));
      return { schemas: [SCHEMA.list], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items };
    });
    s.get('/scim/v2/Schemas/:id', { config: cfg, schema: { tags, summary: 'One SCIM schema', params: Id } }, (req) => {
      const r = schemas(base(req)).find((t) => t.id === req.params.id);
      if (!r) throw new ScimError(404, null, `Schema ${req.params.id} not found`);
      return r;
    });

    s.get('/scim/v2/Users', { config: cfg, schema: { tags, summary: 'List users (filter userName/externalId/id eq "…")', querystring: ListQuery } }, (req) =>
      scim.listUsers(ctx, caller(req), base(req), req.query),
    );
    s.post('/scim/v2/Users', { config: cfg, schema: { tags, summary: 'Create a user' } }, async (req, reply) =>
      created(reply, await scim.createUser(ctx, caller(req), base(req), body(req))),
    );
    s.get('/scim/v2/Users/:id', { config: cfg, schema: { tags, summary: 'One user', params: Id } }, (req) =>
      scim.getUser(ctx, caller(req), base(req), req.params.id),
    );
    s.put('/scim/v2/Users/:id', { config: cfg, schema: { tags, summary: 'Replace a user', params: Id } }, (req) =>
      scim.replaceUser(ctx, caller(req), base(req), req.params.id, body(req)),
    );
    s.patch('/scim/v2/Users/:id', { config: cfg, schema: { tags, summary: 'Patch a user (active: false deactivates and signs out)', params: Id } }, (req) =>
      scim.patchUser(ctx, caller(req), base(req), req.params.id, body(req)),
    );
    s.delete('/scim/v2/Users/:id', { config: cfg, schema: { tags, summary: 'Delete a user', params: Id } }, async (req, reply) => {
      await scim.deleteUser(ctx, caller(req), req.params.id);
      return reply.status(204).send();
    });

    s.get(
      '/scim/v2/Groups',
      { config: cfg, schema: { tags, summary: 'List groups (filter displayName/externalId/id eq "…")', querystring: ListQuery } },
      (req) => scim.listGroups(ctx, caller(req), base(req), req.query),
    );
    s.post('/scim/v2/Groups', { config: cfg, schema: { tags, summary: 'Create a group' } }, async (req, reply) =>
      created(reply, await scim.createGroup(ctx, caller(req), base(req), body(req))),
    );
    s.get('/scim/v2/Groups/:id', { config: cfg, schema: { tags, summary: 'One group', params: Id } }, (req) =>
      scim.getGroup(ctx, caller(req), base(req), req.params.id),
    );
    s.put('/scim/v2/Groups/:id', { config: cfg, schema: { tags, summary: 'Replace a group', params: Id } }, (req) =>
      scim.replaceGroup(ctx, caller(req), base(req), req.params.id, body(req)),
    );
    s.patch('/scim/v2/Groups/:id', { config: cfg, schema: { tags, summary: 'Patch a group (add/remove members, rename)', params: Id } }, (req) =>
      scim.patchGroup(ctx, caller(req), base(req), req.params.id, body(req)),
    );
    s.delete('/scim/v2/Groups/:id', { config: cfg, schema: { tags, summary: 'Delete a group', params: Id } }, async (req, reply) => {
      await scim.deleteGroup(ctx, caller(req), req.params.id);
      return reply.status(204).send();
    });
  });
}
