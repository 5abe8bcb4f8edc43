// Thin HTTP edge for speech tag definitions and their hits on conversations.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function speechTagRoutes(app: App, ctx: AppContext) {
  const tags = ['Speech tags'];
  const manage = { access: needs('tags.manage') };
  const view = { access: needs('conversations.view', 'conversations.view_own') };
  app.get(
    '/api/speech-tags',
    {
      config: { access: needs('conversations.view', 'conversations.view_own', 'tags.manage') },
      schema: {
        tags,
        summary: 'Speech tag definitions by name, with how many visible conversations have hits at each confidence level and the spotting progress',
        response: { 200: Type.Object({ items: Type.Array(schemas.SpeechTag) }), ...authErrors },
      },
    },
    (req) => service.listSpeechTags(ctx, actorOf(req)),
  );
  app.post(
    '/api/speech-tags',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a speech tag (name unique regardless of case, phrase 1–200 characters); spots it over stored transcripts; audited',
        body: schemas.SpeechTagCreate,
        response: { 200: schemas.SpeechTag, ...errors },
      },
    },
    (req) => service.createSpeechTag(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/speech-tags/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Edit a speech tag; a new phrase, language or party is spotted again over stored transcripts; audited',
        params: schemas.SpeechTagParams,
        body: schemas.SpeechTagPatch,
        response: { 200: schemas.SpeechTag, ...errors },
      },
    },
    (req) => service.updateSpeechTag(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/speech-tags/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a speech tag and its hits; audited',
        params: schemas.SpeechTagParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deleteSpeechTag(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/speech-tags/summary',
    {
      config: view,
      schema: {
        tags,
        summary: 'For a page of conversations (at most 200), the speech tags each has hits of, at the best level (the list icons)',
        querystring: schemas.SummaryQuery,
        response: { 200: schemas.SpeechTagSummary, ...errors },
      },
    },
    (req) => service.speechTagSummary(ctx, actorOf(req), req.query.conversationIds.split(',')),
  );
  app.get(
    '/api/conversations/:id/speech-tags',
    {
      config: view,
      schema: {
        tags,
        summary: 'The speech tag hits on a conversation, in time order, with tag name, colour and confidence level',
        params: IdParams,
        response: { 200: schemas.ConversationSpeechTags, ...errors },
      },
    },
    (req) => service.conversationSpeechTags(ctx, actorOf(req), req.params.id),
  );
}
