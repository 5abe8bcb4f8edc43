// Thin HTTP edge for saved searches. Access: any conversation viewer keeps their own; protection needs lifecycle.manage.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function savedSearchRoutes(app: App, ctx: AppContext) {
  const tags = ['Saved searches'];
  const viewer = { access: needs('conversations.view', 'conversations.view_own') };
  app.get(
    '/api/saved-searches',
    {
      config: viewer,
      schema: {
        tags,
        summary:
          "The caller's saved searches by name, then (for lifecycle.manage) every protected search of the tenant; scope=tenant (lifecycle.manage only): every search of the tenant",
        querystring: schemas.SavedSearchListQuery,
        response: { 200: schemas.SavedSearchList, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.listSavedSearches(ctx, actorOf(req), req.query.scope),
  );
  app.get(
    '/api/saved-searches/:id',
    {
      config: viewer,
      schema: { tags, summary: 'One saved search', params: schemas.SavedSearchParams, response: { 200: schemas.SavedSearch, ...errors } },
    },
    (req) => service.getSavedSearch(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/saved-searches',
    {
      config: viewer,
      schema: {
        tags,
        summary:
          "Save a search filter under a name unique among the caller's saved searches (409 NAME_TAKEN otherwise); the filter is stored in canonical form; audited",
        body: schemas.SavedSearchCreate,
        response: { 200: schemas.SavedSearch, ...errors },
      },
    },
    (req) => service.createSavedSearch(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/saved-searches/:id',
    {
      config: viewer,
      schema: {
        tags,
        summary: 'Rename a saved search and/or replace its filter; a protected one only with lifecycle.manage (403 PROTECTED); audited',
        params: schemas.SavedSearchParams,
        body: schemas.SavedSearchPatch,
        response: { 200: schemas.SavedSearch, ...errors },
      },
    },
    (req) => service.updateSavedSearch(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/saved-searches/:id',
    {
      config: viewer,
      schema: {
        tags,
        summary: 'Delete a saved search; answers an undo token valid for 10 minutes; a protected one only with lifecycle.manage (403 PROTECTED); audited',
        params: schemas.SavedSearchParams,
        response: { 200: schemas.SavedSearchDeleted, ...errors },
      },
    },
    (req) => service.deleteSavedSearch(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/saved-searches/:id/restore',
    {
      config: viewer,
      schema: {
        tags,
        summary:
          'Undo a delete with its token, optionally under a new name (409 NAME_TAKEN when the name was taken meanwhile; 404 UNDO_EXPIRED after 10 minutes); audited',
        params: schemas.SavedSearchParams,
        body: schemas.SavedSearchRestore,
        response: { 200: schemas.SavedSearch, ...errors },
      },
    },
    (req) => service.restoreSavedSearch(ctx, actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/saved-searches/:id/protected',
    {
      config: { access: needs('lifecycle.manage') },
      schema: {
        tags,
        summary: 'Protect a saved search or lift its protection (anonymization and retention keep what protected searches find); audited',
        params: schemas.SavedSearchParams,
        body: schemas.SavedSearchProtect,
        response: { 200: schemas.SavedSearch, ...errors },
      },
    },
    (req) => service.setSavedSearchProtected(ctx, actorOf(req), req.params.id, req.body.protected),
  );
}
