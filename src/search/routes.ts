// Thin HTTP edge of the Conversations search: the list (query string), the search (JSON filter), highlights and the
// filter pane's options.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { ErrorResponse, Id, authErrors } from '../platform/http/schemas.ts';
import { signalOfClose, type App } from '../platform/http/types.ts';
import { SearchFilterBody } from './filter.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const viewers = needs('conversations.view', 'conversations.view_own');

export function searchRoutes(app: App, ctx: AppContext) {
  const tags = ['Conversations'];
  const errors = { 400: ErrorResponse, ...authErrors };
  app.get(
    '/api/conversations',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary: 'Search conversations with a query string: q (query language) and filter (JSON); newest first, or by relevance with text',
        querystring: schemas.ListQuery,
        response: { 200: schemas.SearchResult, ...errors },
      },
    },
    (req) => service.searchConversations(ctx, actorOf(req), service.filterFromQueryString(req.query), req.query),
  );

  app.post(
    '/api/conversations/search',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary: 'Search conversations with a JSON filter (the object a saved search stores); keyset paging with cursor',
        querystring: schemas.PageQuery,
        body: SearchFilterBody,
        response: { 200: schemas.SearchResult, ...errors },
      },
    },
    (req) => service.searchConversations(ctx, actorOf(req), req.body, req.query),
  );

  app.post(
    '/api/conversations/search/count',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary:
          'The exact number of conversations a search finds (the search itself stops counting at 1,000); cached a minute per user and filter; cancelled when the request is aborted',
        body: SearchFilterBody,
        response: { 200: schemas.SearchCount, ...errors },
      },
    },
    (req, reply) => service.countConversations(ctx, actorOf(req), req.body, { signal: signalOfClose(reply) }),
  );

  app.get(
    '/api/conversations/search/options',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary: 'What the filter pane offers: tags, speech tags, custom fields, and whether the "not assigned" view is allowed',
        response: { 200: schemas.SearchOptions, ...authErrors },
      },
    },
    (req) => service.searchOptions(ctx, actorOf(req)),
  );

  app.get(
    '/api/conversations/search/agents',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary: 'Agent suggestions for the Agent filter: name, extension or email containing q (2 characters or more)',
        querystring: schemas.AgentQuery,
        response: { 200: schemas.AgentSuggestions, ...errors },
      },
    },
    (req) => service.agentSuggestions(ctx, actorOf(req), req.query.q),
  );

  app.get(
    '/api/conversations/:id/highlights',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary:
          'Where the words of a query are in one conversation (chat messages, email subject and body, tag comments, transcript utterances with the time to seek to), to mark them',
        params: Type.Object({ id: Id }),
        querystring: schemas.HighlightQuery,
        response: { 200: schemas.ConversationHighlights, 404: ErrorResponse, ...errors },
      },
    },
    (req) =>
      service.conversationHighlights(
        ctx,
        actorOf(req),
        req.params.id,
        req.query.q,
        req.query.saidBy && req.query.saidBy !== 'anyone' ? req.query.saidBy : null,
      ),
  );
}
