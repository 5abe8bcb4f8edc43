// Request and response schemas of topics.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { AnalysisJob } from '../indicators/schemas.ts';

export const TOPIC_NAME_MAX = 100;
export const SENTENCE_MAX = 300;
export const MIN_SENTENCES = 3;
export const MAX_SENTENCES = 30;
/** Custom topics per tenant besides the defaults (issue 10): one more is refused with 409 TOPIC_LIMIT. */
export const MAX_CUSTOM_TOPICS = 10;

const Name = Type.String({ description: `1 to ${TOPIC_NAME_MAX} characters` });
const Sentences = Type.Array(Type.String({ description: `1 to ${SENTENCE_MAX} characters` }), {
  description: `${MIN_SENTENCES} to ${MAX_SENTENCES} guiding sentences: examples of what is said when the topic comes up`,
});

export const Topic = Type.Object({
  id: Id,
  name: Type.String(),
  builtinKey: Nullable(Type.String({ description: 'The default this topic was seeded from; null for a custom topic' })),
  sentences: Type.Array(Type.String()),
  conversations: Type.Integer(),
  hits: Type.Integer(),
  analysis: AnalysisJob,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Topic = Static<typeof Topic>;

export const TopicList = Type.Object({ items: Type.Array(Topic), customLimit: Type.Integer() });

export const TopicCreate = Type.Object({ name: Name, sentences: Sentences }, { additionalProperties: false });
export type TopicCreate = Static<typeof TopicCreate>;
export const TopicPatch = Type.Object({ name: Type.Optional(Name), sentences: Type.Optional(Sentences) }, { additionalProperties: false });
export type TopicPatch = Static<typeof TopicPatch>;
