// Thin HTTP edge for tag definitions, tags on conversations and per-segment metadata (system data tags).
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function tagRoutes(app: App, ctx: AppContext) {
  const tags = ['Tags'];
  const manage = { access: needs('tags.manage') };
  app.get(
    '/api/tags',
    {
      config: { access: needs('conversations.view', 'conversations.view_own', 'tags.manage', 'tags.apply') },
      schema: {
        tags,
        summary: 'Tag definitions of the tenant (presets, plain tags and data tags, archived ones flagged), by name, with how many conversations carry each',
        response: { 200: Type.Object({ items: Type.Array(schemas.TagDefinitionWithUsage) }), ...authErrors },
      },
    },
    (req) => service.listTags(ctx, actorOf(req)),
  );
  app.post(
    '/api/tags',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a tag (name unique regardless of case; a data tag has both dataKey and dataValue); audited',
        body: schemas.TagCreate,
        response: { 200: schemas.TagDefinition, ...errors },
      },
    },
    (req) => service.createTag(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/tags/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Edit, archive or restore a tag (a preset keeps its rules; a data tag in use keeps its key/value); audited',
        params: schemas.TagParams,
        body: schemas.TagPatch,
        response: { 200: schemas.TagDefinition, ...errors },
      },
    },
    (req) => service.updateTag(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/tags/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a tag (not a preset); it leaves every conversation; audited',
        params: schemas.TagParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deleteTag(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  const apply = { access: needs('tags.apply') };
  app.post(
    '/api/conversations/:id/tags',
    {
      config: apply,
      schema: {
        tags,
        summary: 'Tag a conversation (comment at most 1000 characters, required by some tags); a data tag writes its key/value into every segment; audited',
        params: schemas.TagParams,
        body: schemas.ApplyTag,
        response: { 200: schemas.ConversationTags, ...errors },
      },
    },
    (req) => service.applyTag(ctx, actorOf(req), req.params.id, req.body),
  );
  app.patch(
    '/api/conversations/:id/tags/:tagId',
    {
      config: apply,
      schema: {
        tags,
        summary: 'Change the comment of a tag on a conversation; audited',
        params: schemas.ConversationTagParams,
        body: schemas.EditTagComment,
        response: { 200: schemas.ConversationTags, ...errors },
      },
    },
    (req) => service.editTagComment(ctx, actorOf(req), req.params.id, req.params.tagId, req.body.comment),
  );
  app.delete(
    '/api/conversations/:id/tags/:tagId',
    {
      config: apply,
      schema: {
        tags,
        summary: "Remove a tag from a conversation; a data tag's pair leaves the segments still holding exactly its value; audited",
        params: schemas.ConversationTagParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.removeTag(ctx, actorOf(req), req.params.id, req.params.tagId);
      return reply.status(204).send(null);
    },
  );
  app.patch(
    '/api/conversations/:id/segments/:segmentId/metadata',
    {
      config: apply,
      schema: {
        tags,
        summary: "Set or remove metadata keys of one segment alone (how a segment's system data tag is changed or removed); audited",
        params: schemas.SegmentParams,
        body: schemas.MetadataPatch,
        response: { 200: schemas.SegmentMetadata, ...errors },
      },
    },
    (req) => service.patchSegmentMetadata(ctx, actorOf(req), req.params.id, req.params.segmentId, req.body),
  );
}
