// Request and response schemas of speech tag definitions and their hits on conversations.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const PHRASE_MAX = 200;
export const NAME_MAX = 100;

const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: 'Hex colour #rrggbb' });
// No maxLength on purpose: the service refuses a long name or phrase with a reason that names the limit and the length.
const Name = Type.String({ description: `1 to ${NAME_MAX} characters` });
const Phrase = Type.String({ description: `What is spotted: 1 to ${PHRASE_MAX} characters after trimming` });
const Language = Type.String({ pattern: '^[A-Za-z]{2,3}$', description: 'Primary language code, e.g. "en"' });
const Party = Type.Union([Type.Literal('agent'), Type.Literal('customer')], { description: 'Who must say it' });
export const Level = Type.Union([Type.Literal('certainly'), Type.Literal('probably'), Type.Literal('maybe')], {
  description: 'certainly ≥ 65 %, probably ≥ 50 %, maybe ≥ 40 %',
});

export const SpeechTag = Type.Object({
  id: Id,
  name: Type.String(),
  phrase: Type.String(),
  language: Nullable(Type.String({ description: 'null: any language' })),
  party: Nullable(Party),
  color: Type.String(),
  /** Conversations (of those the caller can see) whose best hit of this tag reaches each level. */
  conversations: Type.Object({ certainly: Type.Integer(), probably: Type.Integer(), maybe: Type.Integer() }),
  spotting: Nullable(
    Type.Object(
      {
        jobId: Type.String(),
        status: Type.String(),
        progress: Type.Number(),
        note: Nullable(Type.String()),
        error: Nullable(Type.String()),
      },
      { description: 'The job spotting the tag over stored transcripts, after it was created or its phrase changed' },
    ),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SpeechTag = Static<typeof SpeechTag>;

export const SpeechTagCreate = Type.Object(
  {
    name: Name,
    phrase: Phrase,
    language: Type.Optional(Nullable(Language)),
    party: Type.Optional(Nullable(Party)),
    color: Color,
  },
  { additionalProperties: false },
);
export type SpeechTagCreate = Static<typeof SpeechTagCreate>;

export const SpeechTagPatch = Type.Object(
  {
    name: Type.Optional(Name),
    phrase: Type.Optional(Phrase),
    language: Type.Optional(Nullable(Language)),
    party: Type.Optional(Nullable(Party)),
    color: Type.Optional(Color),
  },
  { additionalProperties: false },
);
export type SpeechTagPatch = Static<typeof SpeechTagPatch>;

export const SpeechTagParams = Type.Object({ id: Id });

export const SpeechTagHit = Type.Object({
  id: Id,
  tagId: Id,
  name: Type.String(),
  color: Type.String(),
  phrase: Type.String(),
  /** ms from the conversation start. */
  startMs: Type.Integer(),
  endMs: Nullable(Type.Integer()),
  confidence: Type.Number(),
  level: Level,
  utteranceId: Nullable(Type.String()),
  segmentId: Nullable(Type.String()),
  source: Type.String({ description: 'transcript (spotted on the words) or audio (acoustic spotting)' }),
});
export type SpeechTagHit = Static<typeof SpeechTagHit>;

export const ConversationSpeechTags = Type.Object({ items: Type.Array(SpeechTagHit) });

export const SummaryQuery = Type.Object(
  { conversationIds: Type.String({ minLength: 1, maxLength: 65 * 200, description: 'Comma-separated conversation ids (at most 200)' }) },
  { additionalProperties: false },
);

export const SpeechTagSummary = Type.Object({
  items: Type.Array(
    Type.Object({
      conversationId: Id,
      tags: Type.Array(Type.Object({ tagId: Id, name: Type.String(), color: Type.String(), level: Level, hits: Type.Integer() })),
    }),
  ),
});
