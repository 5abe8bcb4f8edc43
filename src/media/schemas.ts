// Response schemas of call media (the web's player types the manifest from these; the peaks bodies are binary, see
// peaks-format.ts).
import { Type } from 'typebox';
import { Id, Nullable } from '../platform/http/schemas.ts';

/** The levels of a stream's peaks pyramid, finest first (see peaks.ts). */
export const PeaksInfo = Type.Object({
  sampleRate: Type.Integer(),
  totalSamples: Type.Integer(),
  levels: Type.Array(Type.Object({ samplesPerBucket: Type.Integer(), bucketCount: Type.Integer() })),
});
export const MediaStream = Type.Object({
  id: Id,
  party: Type.String(),
  /** The conversation participant this stream is (one party key can be two people across the legs of a transfer). */
  participantId: Nullable(Type.String()),
  role: Type.String(),
  side: Nullable(Type.String()),
  name: Nullable(Type.String()),
  status: Type.String(),
  reason: Nullable(Type.String()),
  sampleRate: Type.Integer(),
  durationMs: Type.Integer(),
  talkMs: Type.Integer(),
  soloUrl: Nullable(Type.String()),
  peaksUrl: Nullable(Type.String()),
  peaks: Nullable(PeaksInfo),
});
export const MediaSegment = Type.Object({
  id: Id,
  kind: Type.String(),
  contactId: Type.String(),
  startMs: Type.Integer(),
  endMs: Type.Integer(),
  recordedAt: Type.String(),
  monitor: Nullable(Type.Integer()),
  mixUrl: Nullable(Type.String()),
  downloadWavUrl: Nullable(Type.String()),
  videoUrl: Nullable(Type.String()),
  streams: Type.Array(MediaStream),
});
export const SpeechEvent = Type.Object({
  type: Type.String(),
  startMs: Type.Integer(),
  endMs: Type.Integer(),
  parties: Type.Array(Type.String()),
  source: Type.String(),
});
export const Manifest = Type.Object({
  conversationId: Id,
  startedAt: Type.String(),
  durationMs: Type.Integer(),
  status: Nullable(Type.String()),
  holdCount: Type.Integer(),
  segments: Type.Array(MediaSegment),
  events: Type.Array(SpeechEvent),
  /** A single-channel (mono mix) recording cannot show crosstalk: `measurable` false with the reason, not an empty list. Always sent. */
  crosstalk: Type.Optional(Type.Object({ measurable: Type.Boolean(), reason: Nullable(Type.String()), message: Nullable(Type.String()) })),
  /** Transfers and consultations, in conversation ms. */
  marks: Type.Array(
    Type.Object({ type: Type.Union([Type.Literal('transfer'), Type.Literal('consult')]), atMs: Type.Integer(), segmentId: Id, to: Nullable(Type.String()) }),
  ),
  wrapUp: Nullable(Type.Object({ startMs: Type.Integer(), endMs: Type.Integer() })),
  exportMp3Url: Type.String(),
});

export const ConversationAudit = Type.Object({
  items: Type.Array(Type.Object({ id: Id, at: Type.String(), action: Type.String(), label: Type.String(), initiator: Type.String(), details: Type.String() })),
});
