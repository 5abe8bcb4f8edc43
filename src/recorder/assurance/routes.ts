// Thin HTTP edge of recording assurance: Recording health and a conversation's recording details (the quality lane).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function assuranceRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/recorder/health',
    {
      config: { access: needs('recorder.manage') },
      schema: {
        tags: ['Recorder'],
        summary:
          'Recording health: calls recorded, assurance flags per kind (not recorded, one-sided, empty, clipped, long gaps…), poor quality, SRCs that stopped answering OPTIONS',
        querystring: schemas.HealthQuery,
        response: { 200: schemas.RecordingHealth, 400: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.recordingHealth(ctx, actorOf(req), req.query.days),
  );
  app.get(
    '/api/conversations/:id/recording',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags: ['Recorder'],
        summary: "A recorded conversation's assurance flags, per-leg network quality (packets, jitter, MOS, per 5 s) and paused stretches",
        params: IdParams,
        response: { 200: schemas.ConversationRecording, 404: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.conversationRecording(ctx, actorOf(req), req.params.id),
  );
}
