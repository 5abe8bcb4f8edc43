// Request and response schemas of the transcript API (the web's transcript panel and Settings screen type from these).
import { Type } from 'typebox';
import { Id, Nullable } from '../platform/http/schemas.ts';

export const SpeechStatus = Type.Union(
  [Type.Literal('none'), Type.Literal('pending'), Type.Literal('ready'), Type.Literal('no_speech'), Type.Literal('no_engine'), Type.Literal('failed')],
  {
    description:
      'none: never queued (chats, emails, calls from before transcription); pending: queued or retrying (reason says why); ready; no_speech; no_engine (reason: "No speech engine configured" or why the chosen one cannot run); failed (reason)',
  },
);

export const TranscriptWord = Type.Object({
  w: Type.String(),
  s: Type.Integer({ description: 'Start, ms from the conversation start' }),
  e: Type.Integer(),
  c: Nullable(Type.Number({ description: 'Confidence 0–1; null where the engine gives none' })),
  a: Type.Optional(Type.Boolean({ description: 'The time is spread over a segment by us, not given per word by the engine' })),
});

export const TranscriptUtterance = Type.Object({
  id: Id,
  role: Type.String({ description: 'agent, customer, or unknown (a mono mix: the speaker is not guessed)' }),
  partyKey: Nullable(Type.String()),
  segmentId: Nullable(Type.String()),
  startMs: Type.Integer(),
  endMs: Type.Integer(),
  text: Type.String({ description: 'Display form (numbers and entities normalised); redacted ("[CARD]") unless the reader may play unredacted' }),
  confidence: Nullable(Type.Number()),
  words: Type.Array(TranscriptWord, { description: 'As recognised; in a redacted view each PII span is one placeholder word' }),
  redacted: Type.Boolean({ description: 'True when PII was replaced in this utterance for this reader' }),
  pii: Type.Array(Type.Object({ type: Type.String(), firstWord: Type.Integer(), lastWord: Type.Integer() }), {
    description: 'The PII spans by word index; only in the unredacted view',
  }),
});

export const Transcript = Type.Object({
  conversationId: Id,
  status: SpeechStatus,
  reason: Nullable(Type.String()),
  engine: Nullable(Type.String()),
  language: Nullable(Type.String()),
  createdAt: Nullable(Type.String()),
  redacted: Type.Boolean({ description: 'True when this reader gets the redacted view' }),
  utterances: Type.Array(TranscriptUtterance),
});

export const TranscriptQuery = Type.Object(
  { redacted: Type.Optional(Type.Boolean({ description: 'Ask for the redacted view even when allowed the original (not audited)' })) },
  { additionalProperties: false },
);

export const JobStarted = Type.Object({ jobId: Id });

export const RetranscribeBody = Type.Object(
  { savedSearchId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false, description: 'A saved search to transcribe again what it finds; none: every call (tenant-wide scope only)' },
);

export const SpeechEngines = Type.Object({
  engines: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), available: Type.Boolean(), reason: Nullable(Type.String()) })),
  selected: Type.String(),
  anyAvailable: Type.Boolean(),
});
