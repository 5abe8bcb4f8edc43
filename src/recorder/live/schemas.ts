// Schemas of the Live screen's API: active recorded calls, live chats, and the listen-in WebSocket's parameters.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { RecordingMode, RecordingState } from '../control/schemas.ts';

const Role = Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('unknown')]);

export const LiveParty = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  number: Nullable(Type.String()),
  role: Role,
  side: Type.Union([Type.Literal('caller'), Type.Literal('callee'), Type.Literal('unknown')]),
  /** The stream labels this party sends. */
  labels: Type.Array(Type.String()),
});

export const LiveQuality = Type.Object({
  label: Type.String(),
  mos: Nullable(Type.Number()),
  jitterMs: Type.Number(),
  /** Lost / expected, 0–100. */
  lossPercent: Type.Number(),
  packetsReceived: Type.Integer(),
});

export const LiveCall = Type.Object({
  id: Id,
  callRef: Type.String(),
  state: RecordingState,
  mode: RecordingMode,
  direction: Type.String(),
  startedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  /** Since the call started, at `now` of the response. */
  durationMs: Type.Integer(),
  /** Not recorded so far (paused or stopped), including the current stretch. */
  pausedMs: Type.Integer(),
  /** The recording client (SBC) holds the call paused (re-INVITE a=inactive): only its resume lifts that pause. */
  sourcePaused: Type.Boolean(),
  group: Nullable(Type.Object({ id: Id, name: Type.String() })),
  agent: Nullable(Type.Object({ id: Id, name: Type.String() })),
  parties: Type.Array(LiveParty),
  quality: Type.Array(LiveQuality),
  /** The recording policy's decision at call start (null for a call that started before policies applied). */
  policy: Nullable(Type.Object({ record: Type.Boolean(), ruleName: Nullable(Type.String()), reason: Nullable(Type.String()) })),
  /** Whether this server can stream its audio (the recorder holding it runs in this process, or its relay is reachable). */
  listenable: Type.Boolean(),
});
export type LiveCall = Static<typeof LiveCall>;

export const LiveChat = Type.Object({
  conversationId: Id,
  title: Type.String(),
  startedAt: Timestamp,
  lastMessageAt: Timestamp,
  agent: Nullable(Type.Object({ id: Id, name: Type.String() })),
  group: Nullable(Type.Object({ id: Id, name: Type.String() })),
});
export type LiveChat = Static<typeof LiveChat>;

export const LiveQuery = Type.Object(
  {
    direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal'), Type.Literal('unknown')])),
    state: Type.Optional(Type.Union([Type.Literal('recording'), Type.Literal('paused'), Type.Literal('not_recording')])),
    groupId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a party name or number, or the call reference' })),
  },
  { additionalProperties: false },
);
export type LiveQuery = Static<typeof LiveQuery>;

export const LiveList = Type.Object({
  now: Timestamp,
  calls: Type.Array(LiveCall),
  chats: Type.Array(LiveChat),
});

export const LiveCount = Type.Object({ calls: Type.Integer() });

export const ListenParams = Type.Object({ id: Id }, { additionalProperties: false });
export const ListenQuery = Type.Object(
  { label: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "One leg's stream label; absent = every leg" })) },
  { additionalProperties: false },
);

/** How long after its last message a chat counts as still open. */
export const LIVE_CHAT_WINDOW_MS = 5 * 60_000;
