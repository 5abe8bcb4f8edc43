// Thin HTTP edge for comments (notes) on conversations.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, ...authErrors };

export function commentRoutes(app: App, ctx: AppContext) {
  const tags = ['Comments'];
  const write = { access: needs('comments.write') };
  app.get(
    '/api/conversations/:id/comments',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags,
        summary: 'Comments on a conversation the caller may see: pinned first, then oldest first; private ones only to their author',
        params: schemas.ConversationParams,
        response: { 200: schemas.CommentList, ...errors },
      },
    },
    (req) => service.listComments(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/conversations/:id/mentionable',
    {
      config: write,
      schema: {
        tags,
        summary: 'Who the @mention picker offers: enabled users who may see the conversation, matching q (name or e-mail), by name, at most 20',
        params: schemas.ConversationParams,
        querystring: schemas.MentionableQuery,
        response: { 200: schemas.MentionableList, ...errors },
      },
    },
    (req) => service.mentionable(ctx, actorOf(req), req.params.id, req.query.q),
  );
  app.post(
    '/api/conversations/:id/comments',
    {
      config: write,
      schema: {
        tags,
        summary: 'Comment on a conversation (text, optional offset into the recording, pinned, public or private, @mentions); audited',
        params: schemas.ConversationParams,
        body: schemas.CommentCreate,
        response: { 200: schemas.Comment, ...errors },
      },
    },
    (req) => service.createComment(ctx, actorOf(req), req.params.id, req.body),
  );
  app.patch(
    '/api/conversations/:id/comments/:commentId',
    {
      config: write,
      schema: {
        tags,
        summary: "Edit one's own comment, or pin/unpin any visible comment; audited",
        params: schemas.CommentParams,
        body: schemas.CommentPatch,
        response: { 200: schemas.Comment, ...errors },
      },
    },
    (req) => service.updateComment(ctx, actorOf(req), req.params.id, req.params.commentId, req.body),
  );
  app.delete(
    '/api/conversations/:id/comments/:commentId',
    {
      config: write,
      schema: { tags, summary: "Delete one's own comment; audited", params: schemas.CommentParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteComment(ctx, actorOf(req), req.params.id, req.params.commentId);
      return reply.status(204).send(null);
    },
  );
}
