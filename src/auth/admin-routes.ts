// Thin HTTP edge for administration: users, roles, the permission catalogue, groups and sites.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { AUTHENTICATED, needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { IdParams, NoContent, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import * as org from './org-service.ts';
import * as roles from './roles-service.ts';
import * as schemas from './schemas.ts';
import * as users from './users-service.ts';

const list = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });

export function adminRoutes(app: App, ctx: AppContext) {
  const u = { tags: ['Users'] };
  const manageUsers = { access: needs('users.manage') };
  app.get(
    '/api/users',
    {
      config: manageUsers,
      schema: {
        ...u,
        summary: 'List users in scope',
        querystring: schemas.UserQuery,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(schemas.User) }), ...authErrors },
      },
    },
    (req) => users.listUsers(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/users',
    { config: manageUsers, schema: { ...u, summary: 'Create a user', body: schemas.UserCreate, response: { 200: schemas.User, ...authErrors } } },
    (req) => users.createUser(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/users/:id',
    { config: manageUsers, schema: { ...u, summary: 'One user', params: IdParams, response: { 200: schemas.User, ...authErrors } } },
    (req) => users.getUser(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/users/:id',
    {
      config: manageUsers,
      schema: {
        ...u,
        summary: 'Edit a user (roles, group, site, disabled…)',
        params: IdParams,
        body: schemas.UserPatch,
        response: { 200: schemas.User, ...authErrors },
      },
    },
    (req) => users.updateUser(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/users/:id',
    { config: manageUsers, schema: { ...u, summary: 'Delete a user', params: IdParams, response: { 204: NoContent, ...authErrors } } },
    async (req, reply) => {
      await users.deleteUser(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/users/:id/unlock',
    { config: manageUsers, schema: { ...u, summary: 'Unlock a locked account now', params: IdParams, response: { 200: schemas.User, ...authErrors } } },
    (req) => users.unlockUser(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/users/:id/password',
    {
      config: manageUsers,
      schema: {
        ...u,
        summary:
          'Set a new password for another user (ends their sessions and revokes their API tokens; your own password changes through POST /api/me/password)',
        params: IdParams,
        body: schemas.NewPassword,
        response: { 204: NoContent, ...authErrors },
      },
    },
    async (req, reply) => {
      await users.resetPassword(ctx, actorOf(req), req.params.id, req.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  const r = { tags: ['Roles'] };
  app.get(
    '/api/permissions',
    {
      config: { access: needs('roles.manage', 'users.manage') },
      schema: { ...r, summary: 'The permission catalogue', response: { 200: list(schemas.Permission), ...authErrors } },
    },
    () => roles.permissionCatalogue(),
  );
  app.get(
    '/api/roles',
    {
      config: { access: needs('roles.manage', 'users.manage') },
      schema: { ...r, summary: 'Built-in and custom roles', response: { 200: list(schemas.Role), ...authErrors } },
    },
    (req) => roles.listRoles(ctx, actorOf(req)),
  );
  app.post(
    '/api/roles',
    {
      config: { access: needs('roles.manage') },
      schema: { ...r, summary: 'Create a custom role', body: schemas.RoleCreate, response: { 200: schemas.Role, ...authErrors } },
    },
    (req) => roles.createRole(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/roles/:id',
    {
      config: { access: needs('roles.manage') },
      schema: { ...r, summary: 'Edit a custom role', params: IdParams, body: schemas.RolePatch, response: { 200: schemas.Role, ...authErrors } },
    },
    (req) => roles.updateRole(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/roles/:id',
    {
      config: { access: needs('roles.manage') },
      schema: { ...r, summary: 'Delete a custom role no one holds', params: IdParams, response: { 204: NoContent, ...authErrors } },
    },
    async (req, reply) => {
      await roles.deleteRole(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  const g = { tags: ['Groups and sites'] };
  app.get(
    '/api/groups',
    { config: { access: AUTHENTICATED }, schema: { ...g, summary: "Groups in the caller's scope", response: { 200: list(schemas.Group), ...authErrors } } },
    (req) => org.listGroups(ctx, actorOf(req)),
  );
  app.post(
    '/api/groups',
    {
      config: { access: needs('groups.manage') },
      schema: { ...g, summary: 'Create a group', body: schemas.GroupCreate, response: { 200: schemas.Group, ...authErrors } },
    },
    (req) => org.createGroup(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/groups/:id',
    {
      config: { access: needs('groups.manage') },
      schema: { ...g, summary: 'Rename or move a group', params: IdParams, body: schemas.GroupPatch, response: { 200: schemas.Group, ...authErrors } },
    },
    (req) => org.updateGroup(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/groups/:id',
    {
      config: { access: needs('groups.manage') },
      schema: { ...g, summary: 'Delete an empty group', params: IdParams, response: { 204: NoContent, ...authErrors } },
    },
    async (req, reply) => {
      await org.deleteGroup(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/sites',
    { config: { access: AUTHENTICATED }, schema: { ...g, summary: 'Sites and their time zones', response: { 200: list(schemas.Site), ...authErrors } } },
    (req) => org.listSites(ctx, actorOf(req)),
  );
  app.post(
    '/api/sites',
    {
      config: { access: needs('groups.manage') },
      schema: { ...g, summary: 'Create a site', body: schemas.SiteCreate, response: { 200: schemas.Site, ...authErrors } },
    },
    (req) => org.createSite(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/sites/:id',
    {
      config: { access: needs('groups.manage') },
      schema: {
        ...g,
        summary: 'Rename a site or change its time zone',
        params: IdParams,
        body: schemas.SitePatch,
        response: { 200: schemas.Site, ...authErrors },
      },
    },
    (req) => org.updateSite(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/sites/:id',
    {
      config: { access: needs('groups.manage') },
      schema: { ...g, summary: 'Delete an unused site', params: IdParams, response: { 204: NoContent, ...authErrors } },
    },
    async (req, reply) => {
      await org.deleteSite(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
