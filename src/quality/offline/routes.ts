// Thin HTTP edge of offline interactions. Creating one is a multipart upload (a "metadata" JSON field and an optional
// "file"), streamed into the media store like every upload.
import type { AppContext } from '../../context.ts';
import { discardUploads, readMediaUpload, withUploadSlot } from '../../conversations/multipart.ts';
import { DomainError } from '../../platform/errors.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };
const view = { access: needs('conversations.view', 'conversations.view_own') };

export function offlineRoutes(app: App, ctx: AppContext) {
  const tags = ['Quality'];
  app.post(
    '/api/offline-interactions',
    {
      config: { access: needs('quality.review', 'quality.plan') },
      schema: {
        tags,
        summary:
          'Add an interaction that was not recorded here, to evaluate it like any other: multipart/form-data with a "metadata" JSON field (see OfflineMetadata) and an optional "file" (stored encrypted); it becomes a conversation of the agent; audited',
        consumes: ['multipart/form-data'],
        response: { 201: schemas.OfflineInteraction, 413: ErrorResponse, 415: ErrorResponse, 503: ErrorResponse, ...errors },
      } as never,
    },
    (req, reply) =>
      withUploadSlot(ctx, async () => {
        const actor = actorOf(req);
        const { meta, files } = await readMediaUpload(ctx, actor.tenantId, req, schemas.OfflineMetadata, 'offline interaction');
        try {
          if (files.length > 1 || files.some((f) => f.fieldName !== 'file'))
            throw new DomainError('VALIDATION_FAILED', 'Attach at most one file, in the "file" field', { reason: 'ONE_FILE' });
          const created = await service.createOffline(ctx, actor, meta, files[0] ?? null);
          // The schema is cast (multipart has no body schema), so the reply is untyped here.
          return reply.status(201).send(created as never);
        } catch (err) {
          await discardUploads(ctx, actor.tenantId, files);
          throw err;
        }
      }),
  );
  app.get(
    '/api/offline-interactions',
    {
      config: view,
      schema: {
        tags,
        summary: 'Offline interactions on conversations I may see, newest first',
        querystring: schemas.OfflineListQuery,
        response: { 200: schemas.OfflineList, ...errors },
      },
    },
    (req) => service.listOffline(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/offline-interactions/:id',
    {
      config: view,
      schema: {
        tags,
        summary: 'The offline details of a conversation (channel, notes, file)',
        params: IdParams,
        response: { 200: schemas.OfflineInteraction, ...errors },
      },
    },
    (req) => service.getOffline(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/offline-interactions/:id',
    {
      config: { access: needs('quality.review', 'quality.plan') },
      schema: {
        tags,
        summary: 'Edit the notes; audited with the old and new text',
        params: IdParams,
        body: schemas.OfflinePatch,
        response: { 200: schemas.OfflineInteraction, ...errors },
      },
    },
    (req) => service.updateNotes(ctx, actorOf(req), req.params.id, req.body.notes),
  );
  app.get(
    '/api/offline-interactions/:id/file',
    {
      config: { access: needs('media.download', 'media.play_redacted', 'media.play_unredacted') },
      schema: { tags, summary: 'Download the attached file; audited', params: IdParams },
    },
    (req, reply) => service.downloadFile(ctx, actorOf(req), req.params.id, reply),
  );
}
