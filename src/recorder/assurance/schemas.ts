// Schemas of Recording health and of a conversation's recording details (flags, per-leg quality, pauses).
import { Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const HealthQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false });

export const RecordingHealth = Type.Object({
  since: Timestamp,
  days: Type.Integer(),
  calls: Type.Integer({ description: 'Recording sessions started in the period' }),
  recorded: Type.Integer({ description: 'Of which became a conversation' }),
  active: Type.Integer(),
  poorQuality: Type.Integer({ description: 'Conversations with at least one leg of poor network quality' }),
  refusals: Nullable(Type.Integer({ description: 'SIP requests refused from unknown sources (organisation-wide administrators only)' })),
  flags: Type.Array(Type.Object({ flag: Type.String(), count: Type.Integer() })),
  recent: Type.Array(
    Type.Object({
      id: Id,
      flag: Type.String(),
      detail: Type.String(),
      callRef: Type.String(),
      conversationId: Nullable(Id),
      callStartedAt: Timestamp,
      createdAt: Timestamp,
    }),
  ),
  sources: Type.Array(
    Type.Object({
      target: Type.String(),
      name: Nullable(Type.String()),
      lastProbeAt: Nullable(Timestamp),
      lastOkAt: Nullable(Timestamp),
      status: Type.Union([Type.Literal('ok'), Type.Literal('stopped'), Type.Literal('unknown')]),
      lastError: Nullable(Type.String()),
      failingSince: Nullable(Timestamp),
    }),
  ),
});

export const QualityInterval = Type.Object({
  offsetMs: Type.Integer(),
  mos: Nullable(Type.Number()),
  lossPercent: Type.Number(),
  jitterMs: Type.Number(),
  poor: Type.Boolean(),
});

export const ConversationRecording = Type.Object({
  flags: Type.Array(Type.Object({ flag: Type.String(), detail: Type.String(), callRef: Type.String() })),
  legs: Type.Array(
    Type.Object({
      callId: Type.String(),
      label: Type.String(),
      participant: Nullable(Type.String()),
      role: Nullable(Type.String()),
      side: Nullable(Type.String()),
      startedAt: Nullable(Timestamp),
      packetsExpected: Type.Integer(),
      packetsReceived: Type.Integer(),
      packetsLost: Type.Integer(),
      packetsLate: Type.Integer(),
      packetsDuplicate: Type.Integer(),
      jitterMs: Type.Number(),
      mos: Nullable(Type.Number()),
      longestGapMs: Type.Integer(),
      poor: Type.Boolean(),
      /** Per 5 s from the call's start; empty when the recorder measured the whole call only. */
      intervals: Type.Array(QualityInterval),
    }),
  ),
  /** Paused (PCI) stretches: nothing was kept; offset from the segment's start. */
  pauses: Type.Array(Type.Object({ segmentId: Id, at: Timestamp, offsetMs: Type.Integer(), durationMs: Type.Integer(), by: Nullable(Type.String()) })),
});
