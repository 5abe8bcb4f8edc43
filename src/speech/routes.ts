// Thin HTTP edge of transcripts: read one (redacted unless allowed the original), transcribe one or many again, and
// the engines the Settings screen offers.
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { ErrorResponse, Id, authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import { JobStarted, RetranscribeBody, SpeechEngines, Transcript, TranscriptQuery } from './schemas.ts';
import * as service from './service.ts';

const ConvParams = Type.Object({ id: Id });
const errors = { 404: ErrorResponse, ...authErrors };

export function speechRoutes(app: App, ctx: AppContext) {
  const tags = ['Speech'];
  app.get(
    '/api/conversations/:id/transcript',
    {
      config: { access: needs('media.play_redacted', 'media.play_unredacted') },
      schema: {
        tags,
        summary:
          'The current transcript with its status; PII replaced by [CARD], [PHONE]… unless the reader holds media.play_unredacted (an unredacted read is audited)',
        params: ConvParams,
        querystring: TranscriptQuery,
        response: { 200: Transcript, 400: ErrorResponse, ...errors },
      },
    },
    (req) => service.getTranscript(ctx, actorOf(req), req.params.id, { redacted: req.query.redacted }),
  );

  app.post(
    '/api/conversations/:id/transcribe',
    {
      config: { access: needs('media.reprocess') },
      schema: {
        tags,
        summary: 'Transcribe a call again (its pipeline from speech.transcribe, then indexing); audited',
        params: ConvParams,
        response: { 200: JobStarted, ...errors },
      },
    },
    (req) => service.requestTranscription(ctx, actorOf(req), req.params.id),
  );

  app.post(
    '/api/speech/retranscribe',
    {
      config: { access: needs('media.reprocess') },
      schema: {
        tags,
        summary:
          'Transcribe again what a saved search finds, or every call (tenant-wide scope only): a job queues the conversations in batches, with progress; audited',
        body: RetranscribeBody,
        response: { 200: JobStarted, 400: ErrorResponse, ...errors },
      },
    },
    (req) => service.requestRetranscription(ctx, actorOf(req), req.body.savedSearchId ?? null),
  );

  app.get(
    '/api/speech/engines',
    {
      config: { access: needs('settings.manage') },
      schema: {
        tags,
        summary: 'The speech engines, whether each can run on this server (and why not), and the one the settings choose',
        response: { 200: SpeechEngines, ...authErrors },
      },
    },
    (req) => service.speechEngines(ctx, actorOf(req)),
  );
}
