// Thin HTTP edge of call media: the player's manifest, peaks, the stereo mix and solo playback (ranged), the merged
// MP3 and the segment WAV, reprocessing and the conversation's audit list.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { ErrorResponse, Id, Nullable, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import { ConversationAudit, Manifest } from './schemas.ts';
import * as service from './service.ts';

const players = needs('media.play_redacted', 'media.play_unredacted');
const REDACTION_NOTE =
  'Users without media.play_unredacted get the redacted audio (PII spans replaced by a tone); while a call has PII and its redacted copy is being written: 409 with details.reason MEDIA_REDACTION_PENDING. Listens and downloads by holders of media.play_unredacted are audited as unredacted.';
const ConvParams = Type.Object({ id: Id });
const StreamParams = Type.Object({ id: Id, streamId: Id });
const SegmentParams = Type.Object({ id: Id, segmentId: Id });
const errors = { 404: ErrorResponse, ...authErrors };

export function mediaRoutes(app: App, ctx: AppContext) {
  const tags = ['Media'];
  app.get(
    '/api/conversations/:id/media',
    {
      config: { access: players },
      schema: {
        tags,
        summary: 'What the player needs: segments on the conversation timeline, streams per party with their side and peaks levels, speech events, hold count',
        params: ConvParams,
        response: { 200: Manifest, ...errors },
      },
    },
    (req) => service.mediaManifest(ctx, actorOf(req), req.params.id),
  );

  app.get(
    '/api/conversations/:id/streams/:streamId/peaks',
    {
      config: { access: players },
      schema: {
        tags,
        summary:
          'Waveform peaks of a stream: one level (0 = finest) over a time window, as a binary slice (src/media/peaks.ts); the coarsest level of the whole stream by default',
        params: StreamParams,
        querystring: Type.Object({
          level: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
          startMs: Type.Optional(Type.Integer({ minimum: 0 })),
          endMs: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 400: ErrorResponse, ...errors },
      },
    },
    async (req, reply) => {
      const body = await service.streamPeaks(ctx, actorOf(req), req.params.id, req.params.streamId, req.query);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('cache-control', 'private, max-age=300')
        .send(body as never);
    },
  );

  app.get(
    '/api/conversations/:id/segments/:segmentId/mix.wav',
    {
      config: { access: players },
      schema: {
        tags,
        summary: 'Play a call segment as a stereo mix (calling party 100 % left / 60 % right, called party the mirror); HTTP Range; audited as Playback',
        description: REDACTION_NOTE,
        params: SegmentParams,
        response: { 409: ErrorResponse, 416: ErrorResponse, ...errors },
      },
    },
    (req, reply) => service.playMix(ctx, actorOf(req), req.params.id, req.params.segmentId, req.headers.range, reply),
  );

  app.get(
    '/api/conversations/:id/streams/:streamId/solo.wav',
    {
      config: { access: players },
      schema: {
        tags,
        summary: 'Play one party alone (mono, on the segment timeline); HTTP Range; audited as Playback',
        description: REDACTION_NOTE,
        params: StreamParams,
        response: { 409: ErrorResponse, 416: ErrorResponse, ...errors },
      },
    },
    (req, reply) => service.playSolo(ctx, actorOf(req), req.params.id, req.params.streamId, req.headers.range, reply),
  );

  app.get(
    '/api/conversations/:id/segments/:segmentId/download.wav',
    {
      config: { access: needs('media.download') },
      schema: {
        tags,
        summary: 'Download a call segment as <contactId>.wav (stereo mix); audited as Recording downloaded',
        description: REDACTION_NOTE,
        params: SegmentParams,
        response: { 409: ErrorResponse, 416: ErrorResponse, ...errors },
      },
    },
    (req, reply) => service.downloadSegmentWav(ctx, actorOf(req), req.params.id, req.params.segmentId, req.headers.range, reply),
  );

  app.get(
    '/api/conversations/:id/export.mp3',
    {
      config: { access: needs('media.download') },
      schema: {
        tags,
        summary:
          'Download every call segment merged as <conversationId>_<timestamp>.mp3; 409 naming the segment when one has no usable media (no file is produced); audited as Recording downloaded',
        description: REDACTION_NOTE,
        params: ConvParams,
        response: { 409: ErrorResponse, 503: ErrorResponse, ...errors },
      },
    },
    (req, reply) => service.exportMp3(ctx, actorOf(req), req.params.id, reply),
  );

  app.post(
    '/api/conversations/:id/media/reprocess',
    {
      config: { access: needs('media.reprocess') },
      schema: {
        tags,
        summary: 'Run the media analysis of a conversation again (job media.analyze); audited',
        params: ConvParams,
        response: { 200: Type.Object({ jobId: Id }), ...errors },
      },
    },
    (req) => service.requestReprocess(ctx, actorOf(req), req.params.id),
  );

  app.post(
    '/api/media/reprocess',
    {
      config: { access: needs('media.reprocess') },
      schema: {
        tags,
        summary:
          'Run the media analysis again for what a saved search finds, or for every call (tenant-wide scope only); a job queues the conversations in batches; audited',
        body: Type.Object({ savedSearchId: Type.Optional(Nullable(Id)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ jobId: Id }), 400: ErrorResponse, ...errors },
      },
    },
    (req) => service.requestBulkReprocess(ctx, actorOf(req), req.body.savedSearchId ?? null),
  );

  app.get(
    '/api/conversations/:id/audit',
    {
      config: { access: needs('audit.view') },
      schema: {
        tags,
        summary: 'The audit events of one conversation (playback, downloads, exports, tags, ...), newest first',
        params: ConvParams,
        response: { 200: ConversationAudit, ...errors },
      },
    },
    (req) => service.conversationAudit(ctx, actorOf(req), req.params.id),
  );
}
