// Request and response schemas of recording control: the start/stop/pause/resume API and the recording modes.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const CONTROL_ACTIONS = ['start', 'stop', 'pause', 'resume'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export const MODES = ['always', 'always_pause', 'on_demand'] as const;
export const RecordingMode = Type.Union([Type.Literal('always'), Type.Literal('always_pause'), Type.Literal('on_demand')], {
  description:
    'always: recorded whole, no control; always_pause: recorded from the start, may be paused and resumed (PCI); on_demand: recorded only once started, may be stopped, paused and resumed',
});
export type RecordingMode = Static<typeof RecordingMode>;

export const RecordingState = Type.Union([
  Type.Literal('recording'),
  Type.Literal('paused'),
  Type.Literal('not_recording'),
  Type.Literal('ended'),
  Type.Literal('failed'),
]);

export const CallRefParams = Type.Object(
  { callRef: Type.String({ minLength: 1, maxLength: 256, description: "The recorded call's reference (the SRC's Call-ID / UCID), URL-encoded" }) },
  { additionalProperties: false },
);

export const ControlResult = Type.Object({
  callRef: Type.String(),
  callId: Id,
  action: Type.Union([Type.Literal('start'), Type.Literal('stop'), Type.Literal('pause'), Type.Literal('resume')]),
  state: RecordingState,
  /** False when the call was already in the asked state (the request is idempotent). */
  changed: Type.Boolean(),
  mode: RecordingMode,
  requestId: Nullable(Id),
});
export type ControlResult = Static<typeof ControlResult>;

export const ModeKind = Type.Union([Type.Literal('default'), Type.Literal('agent'), Type.Literal('number')], {
  description: 'default: every call no other entry matches; agent: calls of that user; number: calls with a party number starting with the value',
});

export const RecordingModeEntry = Type.Object({
  id: Id,
  kind: ModeKind,
  value: Type.String({ description: "The user id (agent), the number prefix (number) or '' (default)" }),
  /** The agent's name for kind agent (null when the user is gone). */
  label: Nullable(Type.String()),
  mode: RecordingMode,
  note: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RecordingModeEntry = Static<typeof RecordingModeEntry>;

export const RecordingModeInput = Type.Object(
  {
    kind: ModeKind,
    value: Type.String({ maxLength: 64, description: "User id, number prefix (digits, leading +; spaces and dashes ignored) or '' for default" }),
    mode: RecordingMode,
    note: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type RecordingModeInput = Static<typeof RecordingModeInput>;

export const RecordingModePatch = Type.Object(
  { mode: Type.Optional(RecordingMode), note: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) },
  { additionalProperties: false },
);
export type RecordingModePatch = Static<typeof RecordingModePatch>;
