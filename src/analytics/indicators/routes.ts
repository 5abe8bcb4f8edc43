// Thin HTTP edge for indicator categories, indicators, and the mentions and topic hits on a conversation.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function indicatorRoutes(app: App, ctx: AppContext) {
  const tags = ['Indicators'];
  const manage = { access: needs('insights.manage') };
  const list = { access: needs('conversations.view', 'conversations.view_own', 'insights.manage') };

  app.get(
    '/api/insights/categories',
    {
      config: list,
      schema: {
        tags,
        summary: 'Indicator categories in their order, each with its indicators, keywords, mention counts and re-analysis progress',
        response: { 200: schemas.CategoryList, ...authErrors },
      },
    },
    (req) => service.listCategories(ctx, actorOf(req)),
  );
  app.post(
    '/api/insights/categories',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create an indicator category (name unique regardless of case); audited',
        body: schemas.CategoryCreate,
        response: { 200: schemas.Category, ...errors },
      },
    },
    (req) => service.createCategory(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/insights/categories/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename or move an indicator category; audited',
        params: IdParams,
        body: schemas.CategoryPatch,
        response: { 200: schemas.Category, ...errors },
      },
    },
    (req) => service.updateCategory(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/insights/categories/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete an empty indicator category (409 IN_USE while it has indicators); audited',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deleteCategory(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/insights/indicators',
    {
      config: list,
      schema: {
        tags,
        summary: 'Every indicator of the organisation with its keywords, mention counts and re-analysis progress',
        response: { 200: schemas.IndicatorList, ...authErrors },
      },
    },
    (req) => service.listIndicators(ctx, actorOf(req)),
  );
  app.post(
    '/api/insights/indicators',
    {
      config: manage,
      schema: {
        tags,
        summary: `Create an indicator (at least one keyword; at most ${schemas.MAX_INDICATORS} per organisation, 409 INDICATOR_LIMIT beyond); stored conversations are analysed for it in the background; audited`,
        body: schemas.IndicatorCreate,
        response: { 200: schemas.Indicator, ...errors },
      },
    },
    (req) => service.createIndicator(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/insights/indicators/:id',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Edit an indicator; new keywords or another speaker are found again over stored conversations in the background, removed keywords lose their mentions at once; audited',
        params: IdParams,
        body: schemas.IndicatorPatch,
        response: { 200: schemas.Indicator, ...errors },
      },
    },
    (req) => service.updateIndicator(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/insights/indicators/:id',
    {
      config: manage,
      schema: { tags, summary: 'Delete an indicator with its keywords and mentions; audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteIndicator(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/conversations/:id/mentions',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags,
        summary: 'The indicator mentions and topic hits on a conversation, with their line ids, character ranges and times',
        params: IdParams,
        response: { 200: schemas.ConversationMentions, ...errors },
      },
    },
    (req) => service.conversationMentions(ctx, actorOf(req), req.params.id),
  );
}
