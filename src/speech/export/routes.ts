// Thin HTTP edge of transcript downloads: one route per format (transcript.txt|srt|vtt|json), so each is its own
// entry in the OpenAPI document and the permissions test.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, Id, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { TRANSCRIPT_FORMATS } from './formats.ts';
import { downloadTranscript } from './service.ts';

const NAMES = {
  txt: 'plain text ("[00:01:02] Agent: …")',
  srt: 'SubRip subtitles',
  vtt: 'WebVTT (speaker as a voice tag)',
  json: 'JSON (the transcript API shape)',
};

export function transcriptExportRoutes(app: App, ctx: AppContext) {
  for (const format of TRANSCRIPT_FORMATS) {
    app.get(
      `/api/conversations/:id/transcript.${format}`,
      {
        // The same access as reading the transcript: who may listen may read (redacted unless "play unredacted").
        config: { access: needs('media.play_redacted', 'media.play_unredacted') },
        schema: {
          tags: ['Speech'],
          summary: `Download the transcript as ${NAMES[format]}; redacted for users without "play unredacted"; audited as Transcript downloaded`,
          params: Type.Object({ id: Id }),
          response: { 404: ErrorResponse, ...authErrors },
        },
      },
      async (req, reply) => {
        const out = await downloadTranscript(ctx, actorOf(req), req.params.id, format);
        return reply
          .header('content-type', out.contentType)
          .header('cache-control', 'private, no-store')
          .header('content-disposition', out.disposition)
          .send(out.body as never);
      },
    );
  }
}
