// Request and response schemas of indicator subscriptions.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const FREQUENCIES = ['continuous', 'daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const Frequency = Type.Union([Type.Literal('continuous'), Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')], {
  description: 'continuous: one e-mail per new interaction that mentions it; daily/weekly/monthly: a digest per period (UTC)',
});
const KeywordIds = Nullable(
  Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true, description: 'A subset of the indicator keywords; null or absent: all of them' }),
);

export const Subscription = Type.Object({
  id: Id,
  indicatorId: Id,
  indicatorName: Type.String(),
  categoryName: Type.String(),
  keywordIds: Nullable(Type.Array(Type.String())),
  /** The keywords followed (all of the indicator's when keywordIds is null). */
  keywords: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
  frequency: Frequency,
  /** Digests: when the next one is sent (null when continuous). */
  nextDueAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Subscription = Static<typeof Subscription>;

export const SubscriptionCreate = Type.Object(
  { indicatorId: Id, keywordIds: Type.Optional(KeywordIds), frequency: Frequency },
  { additionalProperties: false },
);
export type SubscriptionCreate = Static<typeof SubscriptionCreate>;

export const SubscriptionPatch = Type.Object({ keywordIds: Type.Optional(KeywordIds), frequency: Type.Optional(Frequency) }, { additionalProperties: false });
export type SubscriptionPatch = Static<typeof SubscriptionPatch>;

export const UnsubscribeQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
