// Thin HTTP edge for categories: definitions (Administration → Tags) and the categories of conversations.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function categoryRoutes(app: App, ctx: AppContext) {
  const tags = ['Categories'];
  const manage = { access: needs('tags.manage') };
  const apply = { access: needs('tags.apply') };
  app.get(
    '/api/categories',
    {
      config: { access: needs('conversations.view', 'conversations.view_own', 'tags.manage', 'tags.apply') },
      schema: {
        tags,
        summary: 'Categories of the tenant (archived ones flagged), by name, with how many conversations each holds',
        response: { 200: schemas.CategoryList, ...authErrors },
      },
    },
    (req) => service.listCategories(ctx, actorOf(req)),
  );
  app.post(
    '/api/categories',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a category (name unique among tags and categories regardless of case); audited',
        body: schemas.CategoryCreate,
        response: { 200: schemas.Category, ...errors },
      },
    },
    (req) => service.createCategory(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/categories/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename, recolour, archive or restore a category; audited',
        params: schemas.CategoryParams,
        body: schemas.CategoryPatch,
        response: { 200: schemas.Category, ...errors },
      },
    },
    (req) => service.updateCategory(ctx, actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/conversations/:id/categories',
    {
      config: apply,
      schema: {
        tags,
        summary: 'File a conversation under exactly these categories (an archived one may stay, not be added); audited',
        params: schemas.CategoryParams,
        body: schemas.CategoriesPut,
        response: { 200: schemas.ConversationCategories, ...errors },
      },
    },
    (req) => service.setCategories(ctx, actorOf(req), req.params.id, req.body.categoryIds),
  );
  app.post(
    '/api/conversations/categories',
    {
      config: apply,
      schema: {
        tags,
        summary: `Add and remove categories on up to ${schemas.BULK_MAX} selected conversations at once, all or nothing; audited per conversation`,
        body: schemas.BulkCategories,
        response: { 200: schemas.BulkResult, ...errors },
      },
    },
    (req) => service.bulkCategories(ctx, actorOf(req), req.body),
  );
}
