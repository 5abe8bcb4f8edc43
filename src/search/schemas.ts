// Request and response schemas of the search API.
import { Type } from 'typebox';
import { ConversationSummary } from '../conversations/schemas.ts';
import { Id, Nullable } from '../platform/http/schemas.ts';
import { SearchFilter } from './filter.ts';

const Range = Type.Tuple([Type.Integer(), Type.Integer()], { description: '[start, end) in UTF-16 code units' });

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
            text: Type.String({ description: 'The line with the first match' }),
            ranges: Type.Array(Range, { description: 'The matches inside text' }),
            count: Type.Integer({ description: 'Matches in the whole conversation' }),
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

export const HighlightQuery = Type.Object({ q: Type.String({ maxLength: 2000 }) });
export const ConversationHighlights = Type.Object({
  items: Type.Array(
    Type.Object({
      where: Type.String({ description: 'room_name, chat_message, email_subject, email_body, tag_comment or transcript' }),
      segmentId: Nullable(Type.String()),
      seq: Nullable(Type.Integer()),
      tagId: Nullable(Type.String()),
      ranges: Type.Array(Range),
    }),
  ),
});
