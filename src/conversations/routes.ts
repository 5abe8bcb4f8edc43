// Thin HTTP edge for reading conversations, exporting them, plain playback, and the ingest API.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { ErrorResponse, Id, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import { invalid } from '../platform/errors.ts';
import { attachmentDisposition } from '../platform/http/content-disposition.ts';
import { ingestCall } from './ingest/calls.ts';
import { assertCanIngest } from './ingest/common.ts';
import { ingestChat } from './ingest/chats.ts';
import { ingestEmail } from './ingest/emails.ts';
import { ingestScreen } from './ingest/screens.ts';
import { MAX_EMAIL_BYTES } from './email/parse.ts';
import { readMediaUpload, readMultipart, withUploadSlot } from './multipart.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import { streamMedia } from './playback.ts';

const ConvParams = Type.Object({ id: Id });
const viewers = needs('conversations.view', 'conversations.view_own');

export function conversationRoutes(app: App, ctx: AppContext) {
  const tags = ['Conversations'];
  app.get(
    '/api/conversations/:id',
    {
      config: { access: viewers },
      schema: {
        tags,
        summary: 'One conversation: participants, segments (streams, chat messages, emails, events), tags, comments, custom fields',
        params: ConvParams,
        response: { 200: schemas.ConversationDetail, 404: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.getConversation(ctx, actorOf(req), req.params.id),
  );

  app.get(
    '/api/conversations/:id/export',
    {
      config: { access: needs('conversations.export') },
      schema: {
        tags,
        summary: 'Download one conversation as JSON (never media); audited',
        params: ConvParams,
        response: { 200: schemas.ConversationExport, 404: ErrorResponse, ...authErrors },
      },
    },
    async (req, reply) => {
      const { fileName, body } = await service.exportConversation(ctx, actorOf(req), req.params.id);
      reply.header('content-disposition', attachmentDisposition(fileName));
      return body;
    },
  );

  app.get(
    '/api/conversations/:id/streams/:streamId/media',
    {
      config: { access: needs('media.play_redacted', 'media.play_unredacted') },
      schema: {
        tags,
        summary: 'Play a stream (the stored file, decrypted on the fly; HTTP ranges supported); audited',
        params: Type.Object({ id: Id, streamId: Id }),
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
        response: { 404: ErrorResponse, 416: ErrorResponse, ...authErrors },
      },
    },
    (req, reply) =>
      streamMedia(ctx, actorOf(req), req.params.id, req.params.streamId, { range: req.headers.range, download: req.query.download ?? false }, reply),
  );

  const ingestTags = ['Ingest'];
  /** The caller, refused before its upload is read when it may not ingest (organisation-wide accounts only). */
  const ingestActorOf = (req: FastifyRequest) => {
    const actor = actorOf(req);
    assertCanIngest(actor);
    return actor;
  };
  app.post(
    '/api/ingest/calls',
    {
      config: { access: needs('ingest.write') },
      schema: {
        tags: ingestTags,
        summary:
          'Ingest a call: multipart/form-data with a "metadata" JSON field (see CallMetadata) and one or more audio files (WAV PCM/G.711, MP3), streamed into the media store. At most EARSHOT_UPLOAD_MAX_FILES files (413 TOO_MANY_FILES) of EARSHOT_UPLOAD_LIMIT_MB each (413); 503 UPLOADS_BUSY when the server is already receiving EARSHOT_UPLOAD_CONCURRENCY uploads. Idempotent by callId.',
        consumes: ['multipart/form-data'],
        response: { 200: schemas.IngestResult, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 503: ErrorResponse, ...authErrors },
      } as never,
    },
    (req) =>
      withUploadSlot(ctx, async () => {
        const actor = ingestActorOf(req);
        const { meta, files } = await readMediaUpload(ctx, actor.tenantId, req, schemas.CallMetadata, 'call metadata');
        return ingestCall(ctx, actor, meta, files);
      }),
  );

  app.post(
    '/api/ingest/chats',
    {
      config: { access: needs('ingest.write') },
      schema: {
        tags: ingestTags,
        summary: 'Ingest a chat thread (JSON). Idempotent by chatId.',
        body: schemas.ChatInput,
        response: { 200: schemas.IngestResult, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => ingestChat(ctx, ingestActorOf(req), req.body),
  );

  // Raw RFC 822 bodies arrive as bytes; JSON stays the default everywhere else.
  app.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: MAX_EMAIL_BYTES }, (_req, body, done) => done(null, body));
  app.post(
    '/api/ingest/emails',
    {
      config: { access: needs('ingest.write') },
      schema: {
        tags: ingestTags,
        summary:
          'Ingest emails: one raw RFC 822 message (Content-Type: message/rfc822) or several .eml files as multipart/form-data. Threaded by Message-ID / In-Reply-To / References; idempotent by Message-ID.',
        querystring: Type.Object({ sourceUrl: Type.Optional(schemas.HttpUrl) }),
        consumes: ['message/rfc822', 'multipart/form-data'],
        response: { 200: Type.Object({ items: Type.Array(schemas.IngestResult) }), 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, ...authErrors },
      } as never,
    },
    async (req) => {
      const actor = ingestActorOf(req);
      const { sourceUrl } = req.query as { sourceUrl?: string };
      if (Buffer.isBuffer(req.body)) return { items: [await ingestEmail(ctx, actor, req.body, { sourceUrl })] };
      return withUploadSlot(ctx, async () => {
        const { files } = await readMultipart(req, { maxFileBytes: MAX_EMAIL_BYTES, maxFiles: ctx.config.uploadMaxFiles });
        if (files.length === 0) throw invalid('No .eml file was uploaded', { reason: 'MISSING_FILE' });
        const items = [];
        for (const f of files) items.push(await ingestEmail(ctx, actor, f.data, { sourceUrl }));
        return { items };
      });
    },
  );

  app.post(
    '/api/ingest/screens',
    {
      config: { access: needs('ingest.write') },
      schema: {
        tags: ingestTags,
        summary:
          'Ingest a screen recording (MP4 or WebM) for a call: multipart with a "metadata" JSON field (callId, startTime?, monitor?, recordingId?) and one video file.',
        consumes: ['multipart/form-data'],
        response: { 200: schemas.IngestResult, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, ...authErrors },
      } as never,
    },
    (req) =>
      withUploadSlot(ctx, async () => {
        const actor = ingestActorOf(req);
        const { meta, files } = await readMediaUpload(ctx, actor.tenantId, req, schemas.ScreenMetadata, 'screen metadata');
        return ingestScreen(ctx, actor, meta, files);
      }),
  );
}
