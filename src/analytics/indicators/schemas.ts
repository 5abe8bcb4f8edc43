// Request and response schemas of indicator categories, indicators and the mentions and topic hits on a conversation.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const NAME_MAX = 100;
export const KEYWORD_MAX = 100;
export const KEYWORDS_MAX = 100;
/** Indicators per tenant (issue 10): one more is refused with 409 INDICATOR_LIMIT. */
export const MAX_INDICATORS = 250;

// No maxLength on names and keywords on purpose: the service refuses a long one with a reason naming the limit.
const Name = Type.String({ description: `1 to ${NAME_MAX} characters` });
export const Speaker = Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('both')], {
  description: 'Whose lines the keywords are looked for in',
});
const Keywords = Type.Array(Type.String({ description: `A word or phrase, 1 to ${KEYWORD_MAX} characters` }), {
  description: `1 to ${KEYWORDS_MAX} words or phrases: words match by their stem in the tenant's search language, phrases word for word in order`,
});

export const AnalysisJob = Nullable(
  Type.Object(
    {
      jobId: Type.String(),
      status: Type.String(),
      progress: Type.Number(),
      note: Nullable(Type.String()),
      error: Nullable(Type.String()),
    },
    { description: 'The job re-analysing stored conversations after the last change (progress 0–1)' },
  ),
);

export const Keyword = Type.Object({ id: Id, text: Type.String() });

export const Indicator = Type.Object({
  id: Id,
  categoryId: Id,
  name: Type.String(),
  speaker: Speaker,
  builtinKey: Nullable(Type.String({ description: 'The default this indicator was seeded from, if any' })),
  keywords: Type.Array(Keyword),
  /** Conversations of the tenant with at least one mention, and the mentions. */
  conversations: Type.Integer(),
  mentions: Type.Integer(),
  analysis: AnalysisJob,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Indicator = Static<typeof Indicator>;

export const Category = Type.Object({
  id: Id,
  name: Type.String(),
  position: Type.Integer(),
  builtinKey: Nullable(Type.String()),
  indicators: Type.Array(Indicator),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Category = Static<typeof Category>;

export const CategoryList = Type.Object({ items: Type.Array(Category), limit: Type.Integer({ description: 'Most indicators a tenant may have' }) });
export const IndicatorList = Type.Object({ items: Type.Array(Indicator), limit: Type.Integer() });

export const CategoryCreate = Type.Object({ name: Name, position: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
export type CategoryCreate = Static<typeof CategoryCreate>;
export const CategoryPatch = Type.Object({ name: Type.Optional(Name), position: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
export type CategoryPatch = Static<typeof CategoryPatch>;

export const IndicatorCreate = Type.Object(
  { categoryId: Id, name: Name, speaker: Type.Optional(Speaker), keywords: Keywords },
  { additionalProperties: false },
);
export type IndicatorCreate = Static<typeof IndicatorCreate>;
export const IndicatorPatch = Type.Object(
  { categoryId: Type.Optional(Id), name: Type.Optional(Name), speaker: Type.Optional(Speaker), keywords: Type.Optional(Keywords) },
  { additionalProperties: false },
);
export type IndicatorPatch = Static<typeof IndicatorPatch>;

export const Mention = Type.Object({
  id: Id,
  indicatorId: Id,
  indicatorName: Type.String(),
  categoryId: Id,
  categoryName: Type.String(),
  keywordId: Id,
  keyword: Type.String(),
  lineId: Type.String({ description: 'The utterance (calls) or message (chats, e-mails) id' }),
  role: Type.String({ description: 'agent | customer | unknown' }),
  startMs: Nullable(Type.Integer({ description: 'ms from the conversation start' })),
  range: Type.Tuple([Type.Integer(), Type.Integer()], { description: "[start, end) into the line's text (UTF-16 offsets)" }),
});
export type Mention = Static<typeof Mention>;

export const TopicHitView = Type.Object({
  id: Id,
  topicId: Id,
  topicName: Type.String(),
  lineId: Type.String(),
  role: Type.String(),
  startMs: Nullable(Type.Integer()),
  score: Type.Number({ description: 'Similarity to the closest guiding sentence, 0–1' }),
});
export type TopicHitView = Static<typeof TopicHitView>;

export const ConversationMentions = Type.Object({
  mentions: Type.Array(Mention),
  topics: Type.Array(TopicHitView),
});
