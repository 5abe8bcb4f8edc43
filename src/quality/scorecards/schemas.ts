// Request and response schemas of scorecards. The definition's JSON shape is checked here (types, lengths); what makes
// it usable (unique ids, at least one question, sensible figures) is definition.ts's validateDefinition.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 2000;
const TEXT_MAX = 500;
const HELP_MAX = 2000;

const Points = Type.Number({ minimum: 0, description: 'Points (≥ 0)' });

const AutoRule = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('phrase'),
        indicatorId: Type.Optional(Id),
        phrase: Type.Optional(Type.String({ maxLength: 200 })),
        expect: Type.Union([Type.Literal('said'), Type.Literal('not_said')]),
        by: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('anyone')]),
        within: Type.Optional(
          Type.Object(
            { edge: Type.Union([Type.Literal('first'), Type.Literal('last')]), seconds: Type.Number({ exclusiveMinimum: 0 }) },
            { additionalProperties: false },
          ),
        ),
      },
      {
        additionalProperties: false,
        description: 'An indicator or a phrase said / not said, optionally by one side, optionally within the first / last N seconds',
      },
    ),
    Type.Object({ kind: Type.Literal('silence_count'), max: Type.Integer({ minimum: 0 }) }, { additionalProperties: false, description: 'At most N silences' }),
    Type.Object({ kind: Type.Literal('hold_count'), max: Type.Integer({ minimum: 0 }) }, { additionalProperties: false, description: 'At most N holds' }),
    Type.Object(
      { kind: Type.Literal('talk_listen'), min: Type.Number({ minimum: 0 }), max: Type.Number({ minimum: 0 }) },
      { additionalProperties: false, description: "The agent's talk-to-listen ratio within [min, max]" },
    ),
    Type.Object(
      { kind: Type.Literal('sentiment_end'), min: Type.Number({ minimum: 0, maximum: 100 }) },
      { additionalProperties: false, description: 'Sentiment at the end of the conversation ≥ min (0–100)' },
    ),
  ],
  { description: 'Automated-scoring rule: the pre-fill proposes the best answer when it holds, the worst when not; the evaluator decides' },
);

const questionBase = {
  id: Id,
  text: Type.String({ maxLength: TEXT_MAX }),
  helpText: Type.Optional(Type.String({ maxLength: HELP_MAX })),
  required: Type.Boolean(),
  naAllowed: Type.Boolean({ description: 'N/A may be answered; it leaves the maximum' }),
  autoFail: Type.Boolean({ description: 'A failing answer fails the whole evaluation' }),
  commentAllowed: Type.Boolean(),
  autoRule: Type.Optional(AutoRule),
};

const Question = Type.Union([
  Type.Object({ ...questionBase, type: Type.Literal('yes_no'), points: Points }, { additionalProperties: false, description: 'Yes earns the points, No 0' }),
  Type.Object(
    {
      ...questionBase,
      type: Type.Literal('choice'),
      options: Type.Array(
        Type.Object({ id: Id, label: Type.String({ maxLength: 200 }), points: Points, fails: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        { maxItems: 20 },
      ),
    },
    { additionalProperties: false, description: 'One option chosen, each with its own points' },
  ),
  Type.Object(
    {
      ...questionBase,
      type: Type.Literal('scale'),
      min: Type.Integer(),
      max: Type.Integer(),
      points: Points,
      failAtOrBelow: Type.Optional(Type.Integer()),
    },
    { additionalProperties: false, description: 'A rating from min to max worth the points at max, proportionally less below' },
  ),
]);

const Section = Type.Object(
  {
    id: Id,
    title: Type.String({ maxLength: 200 }),
    weight: Type.Number({ exclusiveMinimum: 0, description: 'Relative weight in percentage mode' }),
    questions: Type.Array(Question, { maxItems: 300 }),
  },
  { additionalProperties: false },
);

export const Definition = Type.Object(
  {
    scoring: Type.Union([Type.Literal('points'), Type.Literal('percentage')]),
    // Null first: the HTTP edge coerces types, and with the number tried first a null became 0 (a pass mark of 0).
    passMark: Type.Union([Type.Null(), Type.Number({ minimum: 0 })], { description: 'Points in points mode, 0–100 in percentage mode; null: no pass mark' }),
    sections: Type.Array(Section, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

const VersionInfo = Type.Object({
  id: Id,
  version: Type.Integer(),
  createdAt: Timestamp,
  createdBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  evaluations: Type.Integer({ description: 'Evaluations scored with this version (any state)' }),
});

export const ScorecardSummary = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  version: Type.Integer({ description: 'The latest version: what new evaluations are scored with' }),
  versionId: Id,
  scoring: Type.Union([Type.Literal('points'), Type.Literal('percentage')]),
  passMark: Nullable(Type.Number()),
  maxScore: Type.Number({ description: 'Points mode: the maximum points; percentage mode: 100' }),
  sections: Type.Integer(),
  questions: Type.Integer(),
  archived: Type.Boolean(),
  archivedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ScorecardSummary = Static<typeof ScorecardSummary>;

export const Scorecard = Type.Intersect([
  ScorecardSummary,
  Type.Object({
    definition: Definition,
    versions: Type.Array(VersionInfo, { description: 'Newest first' }),
  }),
]);
export type Scorecard = Static<typeof Scorecard>;

export const ScorecardVersion = Type.Object({
  scorecardId: Id,
  name: Type.String(),
  id: Id,
  version: Type.Integer(),
  latest: Type.Boolean(),
  definition: Definition,
  createdAt: Timestamp,
});

export const ScorecardList = Type.Object({ items: Type.Array(ScorecardSummary) });
export const ListQuery = Type.Object(
  { archived: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived'), Type.Literal('all')], { description: 'Default: active' })) },
  { additionalProperties: false },
);

// No maxLength on names: the service refuses a long one with a reason naming the limit.
export const ScorecardCreate = Type.Object(
  { name: Type.String(), description: Type.Optional(Type.String()), definition: Definition },
  { additionalProperties: false },
);
export type ScorecardCreate = Static<typeof ScorecardCreate>;

export const ScorecardUpdate = Type.Object(
  {
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    definition: Type.Optional(Definition),
    expectedUpdatedAt: Type.Optional(
      Type.String({ description: "The scorecard's updatedAt when the editor opened it: 409 CHANGED_MEANWHILE if someone saved it since" }),
    ),
  },
  { additionalProperties: false },
);
export type ScorecardUpdate = Static<typeof ScorecardUpdate>;

export const ScorecardDuplicate = Type.Object({ name: Type.Optional(Type.String()) }, { additionalProperties: false });
export type ScorecardDuplicate = Static<typeof ScorecardDuplicate>;

export const VersionParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) });
