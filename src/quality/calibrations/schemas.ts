// Request and response schemas of calibration sessions.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const MAX_EVALUATORS = 20;

export const CalibrationCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    conversationId: Id,
    agentUserId: Id,
    scorecardId: Id,
    evaluatorIds: Type.Array(Id, {
      minItems: 2,
      maxItems: MAX_EVALUATORS,
      description: 'Who scores, at least two; each needs "Review" and must see the conversation',
    }),
    referenceUserId: Type.Optional(Nullable(Id)),
    dueAt: Type.Optional(Nullable(Timestamp)),
  },
  { additionalProperties: false },
);
export type CalibrationCreate = Static<typeof CalibrationCreate>;

export const CalibrationListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], { default: 'all' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CalibrationListQuery = Static<typeof CalibrationListQuery>;

const Person = Type.Object({ id: Type.String(), name: Nullable(Type.String()) });

export const Participant = Type.Object({
  userId: Type.String(),
  name: Nullable(Type.String()),
  evaluationId: Type.String(),
  status: Type.String({ description: 'planned | draft | submitted' }),
  submittedAt: Nullable(Timestamp),
  reference: Type.Boolean(),
  /** Only once results are visible to the caller. */
  percent: Nullable(Type.Number()),
});

export const CalibrationSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.String({ description: 'open | closed' }),
  conversation: Type.Object({ id: Type.String(), title: Nullable(Type.String()), startedAt: Nullable(Type.String()) }),
  agent: Person,
  scorecard: Type.Object({ id: Type.String(), name: Type.String() }),
  createdBy: Person,
  createdAt: Timestamp,
  dueAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  evaluators: Type.Integer(),
  submitted: Type.Integer(),
  /** The caller's own evaluation in it, when they are an evaluator. */
  myEvaluationId: Nullable(Type.String()),
  myStatus: Nullable(Type.String()),
});

const Dispersion = {
  n: Type.Integer(),
  mean: Nullable(Type.Number()),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  spread: Nullable(Type.Number()),
  variance: Nullable(Type.Number()),
  stdDev: Nullable(Type.Number()),
};
const EvaluatorValue = {
  userId: Type.String(),
  answer: Nullable(Type.Union([Type.String(), Type.Number()])),
  value: Nullable(Type.Number()),
  deviation: Nullable(Type.Number()),
};

export const CalibrationResults = Type.Object({
  baseline: Type.Union([Type.Literal('reference'), Type.Literal('mean')]),
  referenceUserId: Nullable(Type.String()),
  total: Type.Object({
    ...Dispersion,
    evaluators: Type.Array(Type.Object({ ...EvaluatorValue, score: Type.Number(), passed: Nullable(Type.Boolean()), autoFailed: Type.Boolean() })),
  }),
  questions: Type.Array(
    Type.Object({
      questionId: Type.String(),
      sectionId: Type.String(),
      text: Type.String(),
      ...Dispersion,
      agreement: Nullable(Type.Number()),
      evaluators: Type.Array(Type.Object(EvaluatorValue)),
    }),
  ),
  evaluators: Type.Array(
    Type.Object({ userId: Type.String(), name: Type.String(), meanAbsDeviation: Nullable(Type.Number()), totalDeviation: Nullable(Type.Number()) }),
  ),
});

export const CalibrationDetail = Type.Object({
  ...CalibrationSummary.properties,
  scorecard: Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer(), versionId: Type.String(), definition: Type.Unknown() }),
  reference: Nullable(Person),
  participants: Type.Array(Participant),
  /** Whether the caller may see the others' scores: the creator and managers always, an evaluator once submitted or closed. */
  resultsVisible: Type.Boolean(),
  /** Why not, when they are hidden. */
  resultsHiddenReason: Nullable(Type.String()),
  results: Nullable(CalibrationResults),
  canManage: Type.Boolean(),
});

export const CalibrationList = Type.Object({ items: Type.Array(CalibrationSummary), nextCursor: Nullable(Type.String()) });
