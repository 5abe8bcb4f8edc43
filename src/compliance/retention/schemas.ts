// Request and response schemas of retention policies, the dry-run preview and the purge.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

/** 100 years: longer is "keep forever" (null). */
export const MAX_PERIOD_DAYS = 36_600;
export const MAX_RULES = 50;

const Period = Nullable(Type.Integer({ minimum: 1, maximum: MAX_PERIOD_DAYS, description: 'Days after the conversation started; null keeps forever' }));
const Scope = Type.Union([Type.Literal('media'), Type.Literal('conversation')], {
  description: 'media: only the recordings go, the record stays ("Deleted"); conversation: everything',
});
const Direction = Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal')]);
const Channel = Type.Union([Type.Literal('call'), Type.Literal('chat'), Type.Literal('email')]);

export const RetentionConditions = Type.Object(
  {
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 100, description: 'Any of these groups (and the groups below them)' })),
    channels: Type.Optional(Type.Array(Channel, { maxItems: 3 })),
    directions: Type.Optional(Type.Array(Direction, { maxItems: 3 })),
    tagIds: Type.Optional(Type.Array(Id, { maxItems: 100, description: 'Carrying any of these tags' })),
    categoryIds: Type.Optional(Type.Array(Id, { maxItems: 100, description: 'Filed under any of these categories' })),
  },
  { additionalProperties: false, description: 'Every kind given must hold (AND); within a kind, any value (OR)' },
);
export type RetentionConditions = Static<typeof RetentionConditions>;

export const RetentionRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    periodDays: Period,
    scope: Scope,
    conditions: RetentionConditions,
  },
  { additionalProperties: false },
);

export const RetentionPut = Type.Object(
  {
    default: Type.Object({ periodDays: Period, scope: Scope }, { additionalProperties: false }),
    rules: Type.Array(RetentionRuleInput, { maxItems: MAX_RULES, description: 'Tried in this order; the first enabled rule that matches decides' }),
    confirmDeleteAll: Type.Optional(
      Type.Boolean({ description: 'Required when the policy would delete every conversation that is not protected (409 RETENTION_DELETES_ALL otherwise)' }),
    ),
  },
  { additionalProperties: false },
);
export type RetentionPut = Static<typeof RetentionPut>;

export const RetentionPreviewRequest = Type.Object(
  {
    policy: Type.Optional(Type.Omit(RetentionPut, ['confirmDeleteAll'])),
  },
  { additionalProperties: false, description: 'Without a policy: the saved one' },
);
export type RetentionPreviewRequest = Static<typeof RetentionPreviewRequest>;

export const RetentionRule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  periodDays: Nullable(Type.Integer()),
  scope: Type.String(),
  conditions: RetentionConditions,
});

export const RetentionPolicy = Type.Object({
  default: Type.Object({ periodDays: Nullable(Type.Integer()), scope: Type.String() }),
  rules: Type.Array(RetentionRule),
  confirmedAllAt: Nullable(Timestamp),
  updatedAt: Nullable(Timestamp),
  lastRun: Nullable(
    Type.Object({ at: Timestamp, status: Type.String(), planned: Type.Integer(), skippedProtected: Type.Integer(), error: Nullable(Type.String()) }),
  ),
});
export type RetentionPolicy = Static<typeof RetentionPolicy>;

export const RetentionPreview = Type.Object({
  conversations: Type.Integer({ description: 'Conversations the next runs would delete (whole or media), protected ones left out' }),
  wholeConversations: Type.Integer(),
  mediaOnly: Type.Integer(),
  protectedSkipped: Type.Integer(),
  oldestStartedAt: Nullable(Timestamp),
  bytes: Type.Integer({ description: 'Storage freed (stored objects)' }),
  deletesEverything: Type.Boolean({ description: 'Every conversation that is not protected would go' }),
  exact: Type.Boolean({ description: 'False when the count stopped at the preview limit' }),
  sample: Type.Array(Type.Object({ id: Type.String(), title: Nullable(Type.String()), startedAt: Type.String(), scope: Type.String(), rule: Type.String() })),
});
export type RetentionPreview = Static<typeof RetentionPreview>;

export const PurgeQueued = Type.Object({ jobId: Type.String() });
