// Request and response schemas of the search API.
import { Type, type Static } from 'typebox';
import { ConversationSummary } from '../conversations/schemas.ts';
import { Id, Nullable } from '../platform/http/schemas.ts';
import { SearchFilter } from './filter.ts';
import { FIELD_KINDS } from './index/document.ts';

const Range = Type.Tuple([Type.Integer(), Type.Integer()], { description: '[start, end) in UTF-16 code units' });

/**
 * A search hit in what was said: the utterance to seek the player to (times in ms from the conversation's start, as
 * the transcript's) and, when the utterance's text lines up with its words, the words of the first match. The
 * transcript panel (web/src/screens/conversations/player/transcript/) reads it from a result row's `highlight.speech`
 * and from each `transcript` item of /api/conversations/:id/highlights.
 */
export const SpeechHit = Type.Object(
  {
    utteranceId: Type.String(),
    startMs: Type.Integer({ minimum: 0 }),
    endMs: Type.Integer({ minimum: 0 }),
    role: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('unknown')]),
    wordRange: Type.Optional(
      Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], {
        description: "[first, end) indices into the utterance's words of the first match",
      }),
    ),
  },
  { description: 'Where in the call a match was said' },
);
export type SpeechHit = Static<typeof SpeechHit>;

const SaidBy = Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('anyone')], {
  description: 'Only what agents / customers said or wrote (default anyone)',
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Rows per page (default 50)' })),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page' })),
});

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000, description: 'Full-text query; overrides filter.q' })),
  filter: Type.Optional(Type.String({ maxLength: 20_000, description: 'A search filter as JSON (the body of POST /api/conversations/search)' })),
  limit: PageQuery.properties.limit,
  cursor: PageQuery.properties.cursor,
});

export const SearchResult = Type.Object({
  total: Type.Integer({ description: 'Exact when totalExact; otherwise "more than total"' }),
  totalExact: Type.Boolean(),
  items: Type.Array(
    Type.Intersect([
      ConversationSummary,
      Type.Object({
        highlight: Nullable(
          Type.Object({
            field: Type.Union(
              FIELD_KINDS.map((k) => Type.Literal(k)),
              {
                description: 'Which field the shown line is from; an id field (contact id, conversation id) only when nothing else matched',
              },
            ),
            text: Type.String({ description: 'The line with the first match' }),
            ranges: Type.Array(Range, { description: 'The matches inside text' }),
            count: Type.Integer({ description: 'Matches in the whole conversation' }),
            speech: Type.Optional(SpeechHit),
          }),
        ),
      }),
    ]),
  ),
  nextCursor: Nullable(Type.String()),
  filter: SearchFilter,
  chips: Type.Array(Type.Object({ field: Type.String(), index: Type.Optional(Type.Integer()), label: Type.String() })),
  ignored: Type.Array(Type.String(), { description: 'Query words left out (stop words)' }),
});

export const SearchCount = Type.Object({
  total: Type.Integer({ minimum: 0, description: 'The exact number of conversations the search finds' }),
  totalExact: Type.Literal(true),
});

export const SearchOptions = Type.Object({
  tags: Type.Array(Type.Object({ id: Id, name: Type.String(), color: Type.String(), dataKey: Nullable(Type.String()), dataValue: Nullable(Type.String()) })),
  speechTags: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  customFields: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), type: Type.String(), options: Type.Array(Type.String()) })),
  views: Type.Object({ unassigned: Type.Boolean() }),
});

export const AgentQuery = Type.Object({ q: Type.String({ maxLength: 200, description: 'At least 2 characters of a name, extension or email' }) });
export const AgentSuggestions = Type.Object({
  items: Type.Array(Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()), extension: Nullable(Type.String()) })),
});

export const HighlightQuery = Type.Object({ q: Type.String({ maxLength: 2000 }), saidBy: Type.Optional(SaidBy) });
export const ConversationHighlights = Type.Object({
  items: Type.Array(
    Type.Object({
      where: Type.String({ description: 'room_name, chat_message, email_subject, email_body, tag_comment or transcript' }),
      segmentId: Nullable(Type.String()),
      seq: Nullable(Type.Integer()),
      tagId: Nullable(Type.String()),
      ranges: Type.Array(Range),
      speech: Type.Optional(SpeechHit),
    }),
  ),
});
