// Thin HTTP edge for topics.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function topicRoutes(app: App, ctx: AppContext) {
  const tags = ['Topics'];
  const manage = { access: needs('insights.manage') };
  app.get(
    '/api/insights/topics',
    {
      config: { access: needs('conversations.view', 'conversations.view_own', 'insights.manage') },
      schema: { tags, summary: 'Topics with their guiding sentences, hit counts and re-scoring progress', response: { 200: schemas.TopicList, ...authErrors } },
    },
    (req) => service.listTopics(ctx, actorOf(req)),
  );
  app.post(
    '/api/insights/topics',
    {
      config: manage,
      schema: {
        tags,
        summary: `Create a topic (at least ${schemas.MIN_SENTENCES} guiding sentences; at most ${schemas.MAX_CUSTOM_TOPICS} besides the defaults, 409 TOPIC_LIMIT beyond); stored conversations are scored again in the background; audited`,
        body: schemas.TopicCreate,
        response: { 200: schemas.Topic, ...errors },
      },
    },
    (req) => service.createTopic(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/insights/topics/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename a topic or change its guiding sentences (stored conversations are scored again); audited',
        params: IdParams,
        body: schemas.TopicPatch,
        response: { 200: schemas.Topic, ...errors },
      },
    },
    (req) => service.updateTopic(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/insights/topics/:id',
    {
      config: manage,
      schema: { tags, summary: 'Delete a topic and its hits (defaults too); audited', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteTopic(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
