// Thin HTTP edge of recording control: POST /api/recordings/{callRef}/start|stop|pause|resume and the recording modes.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

const ACTION_SUMMARY: Record<schemas.ControlAction, string> = {
  start: 'Start recording a live call (on-demand mode; refused when a recording policy says no)',
  stop: 'Stop recording a live call (on-demand mode only)',
  pause: 'Pause the recording of a live call (PCI): nothing received while paused is kept; the gap is marked',
  resume: 'Resume a paused recording',
};

export function recordingControlRoutes(app: App, ctx: AppContext) {
  const tags = ['Recorder'];
  for (const action of schemas.CONTROL_ACTIONS) {
    app.post(
      `/api/recordings/:callRef/${action}`,
      {
        config: { access: needs('recording.control') },
        schema: {
          tags,
          summary: `${ACTION_SUMMARY[action]}. Idempotent (changed=false when already so); audited`,
          params: schemas.CallRefParams,
          response: { 200: schemas.ControlResult, ...errors },
        },
      },
      (req) => service.controlRecording(ctx, actorOf(req), req.params.callRef, action),
    );
  }

  app.get(
    '/api/recorder/recording-modes',
    {
      config: { access: needs('recorder.manage', 'recording.control') },
      schema: {
        tags,
        summary: 'Recording modes per agent, number prefix and the default (always, always with pause/resume, on demand)',
        response: { 200: Type.Object({ items: Type.Array(schemas.RecordingModeEntry) }), ...authErrors },
      },
    },
    (req) => service.listModes(ctx, actorOf(req)),
  );
  app.post(
    '/api/recorder/recording-modes',
    {
      config: { access: needs('recorder.manage') },
      schema: {
        tags,
        summary: 'Set the recording mode of an agent, a number prefix or the default; audited',
        body: schemas.RecordingModeInput,
        response: { 200: schemas.RecordingModeEntry, ...errors },
      },
    },
    (req) => service.createMode(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/recorder/recording-modes/:id',
    {
      config: { access: needs('recorder.manage') },
      schema: {
        tags,
        summary: 'Change a recording mode or its note; audited',
        params: IdParams,
        body: schemas.RecordingModePatch,
        response: { 200: schemas.RecordingModeEntry, ...errors },
      },
    },
    (req) => service.updateMode(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/recorder/recording-modes/:id',
    {
      config: { access: needs('recorder.manage') },
      schema: {
        tags,
        summary: 'Remove a recording mode (its calls follow the next match); audited',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deleteMode(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
