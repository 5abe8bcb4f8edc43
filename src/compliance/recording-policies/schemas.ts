// Request and response schemas of recording policies (Administration → Compliance → Recording policies).
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

const Scope = Type.Union([Type.Literal('call'), Type.Literal('screen'), Type.Literal('all')], {
  description: 'call: call audio; screen: screen recordings; all: both',
});
const Action = Type.Union([Type.Literal('record'), Type.Literal('sample'), Type.Literal('skip')], {
  description: 'record; sample (keep samplePercent % of the matching calls, the same calls every time); skip (do not record: metadata kept, media not stored)',
});
const DirectionValue = Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal')]);
// Checked by the service (reason INVALID_NUMBER names the bad one): digits with + ( ) - . spaces, optionally ending with *.
const NumberPattern = Type.String({ minLength: 1, maxLength: 40, description: 'A number or extension; a trailing * matches every number that starts so' });

export const MAX_LIST = 500;

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  enabled: Type.Boolean(),
  appliesTo: Scope,
  action: Action,
  samplePercent: Nullable(Type.Integer({ minimum: 0, maximum: 100, description: 'For action sample: the share of matching calls recorded' })),
  numbers: Type.Array(NumberPattern, { maxItems: MAX_LIST, description: 'Matches when any party has one of these numbers (empty = any)' }),
  agentUserIds: Type.Array(Id, { maxItems: MAX_LIST, description: 'Matches when one of these users is an agent of the call (empty = any)' }),
  queues: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: MAX_LIST, description: 'Queue names, case-insensitive (empty = any)' }),
  directions: Type.Array(DirectionValue, { maxItems: 3, description: 'empty = any' }),
  shorterThanSeconds: Nullable(
    Type.Integer({ minimum: 1, maximum: 86_400, description: 'Matches only calls shorter than this (known at the end of the call); null = any length' }),
  ),
};

export const PolicyCreate = Type.Object(
  {
    name: Fields.name,
    enabled: Type.Optional(Fields.enabled),
    appliesTo: Type.Optional(Fields.appliesTo),
    action: Fields.action,
    samplePercent: Type.Optional(Fields.samplePercent),
    numbers: Type.Optional(Fields.numbers),
    agentUserIds: Type.Optional(Fields.agentUserIds),
    queues: Type.Optional(Fields.queues),
    directions: Type.Optional(Fields.directions),
    shorterThanSeconds: Type.Optional(Fields.shorterThanSeconds),
  },
  { additionalProperties: false },
);
export type PolicyCreate = Static<typeof PolicyCreate>;

export const PolicyPatch = Type.Partial(Type.Object(Fields), { additionalProperties: false });
export type PolicyPatch = Static<typeof PolicyPatch>;

export const Policy = Type.Object({
  id: Id,
  position: Type.Integer(),
  ...Fields,
  directions: Type.Array(Type.String()),
  decided: Type.Object({ recorded: Type.Integer(), notRecorded: Type.Integer() }, { description: 'Segments this rule has decided so far' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Policy = Static<typeof Policy>;

export const PolicyList = Type.Object({ items: Type.Array(Policy) });

export const PolicyOrder = Type.Object(
  { ids: Type.Array(Id, { maxItems: 1000, description: 'Every rule of the tenant, in the new order' }) },
  { additionalProperties: false },
);

export const PolicyTest = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('call'), Type.Literal('screen')])),
    callRef: Type.String({ minLength: 1, maxLength: 300 }),
    numbers: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })),
    agentUserIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    queue: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    direction: DirectionValue,
    durationSeconds: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
  },
  { additionalProperties: false },
);
export type PolicyTest = Static<typeof PolicyTest>;

export const Decision = Type.Object({ record: Type.Boolean(), ruleId: Nullable(Id), ruleName: Type.String(), reason: Type.String() });

export const PolicyParams = Type.Object({ id: Id });
