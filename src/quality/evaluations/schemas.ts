// Request and response schemas of evaluations (reviews of one agent in one conversation with a scorecard version).
// The answer, score and pre-fill shapes are those of src/quality/model.ts; the JSON schemas here check their form,
// the scoring module (checkAnswers) checks them against the scorecard version.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const COMMENT_MAX = 2000;
export const GENERAL_COMMENT_MAX = 5000;
export const MAX_REVIEWERS = 20;
export const MAX_SUMMARY_CONVERSATIONS = 200;
export const PAGE_SIZE = 50;

const Status = Type.Union([Type.Literal('planned'), Type.Literal('draft'), Type.Literal('submitted')]);
const ResponseStatus = Type.Union([
  Type.Literal('none'),
  Type.Literal('acknowledged'),
  Type.Literal('disputed'),
  Type.Literal('reaffirmed'),
  Type.Literal('reevaluated'),
]);
const Kind = Type.Union([Type.Literal('review'), Type.Literal('calibration')]);
const Person = Type.Object({ id: Type.String(), name: Type.String() });
const ConversationRef = Type.Object({ id: Id, title: Type.String(), startedAt: Timestamp });

export const AnswerSchema = Type.Object(
  {
    // Not a JSON-schema union: the edge coerces types, and "5" vs 5 (a choice id vs a rating) must reach checkAnswers
    // as sent, which refuses what the question does not take.
    value: Type.Unsafe<string | number | null>({ description: "yes_no: 'yes' | 'no'; choice: the option id; scale: the number; null when N/A" }),
    na: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })),
    // Sent back as received; the server recomputes it from the stored pre-fill (the client cannot set "not overridden").
    auto: Type.Optional(Type.Unsafe<{ proposed: string | number | null; overridden: boolean }>({ type: 'object' })),
  },
  { additionalProperties: false },
);
export const AnswersSchema = Type.Record(Type.String({ minLength: 1, maxLength: 100 }), AnswerSchema, {
  maxProperties: 500,
  description: 'Question id → answer; a question left blank is absent',
});

export const AnswersBody = Type.Object(
  {
    answers: AnswersSchema,
    generalComment: Type.Optional(Nullable(Type.String({ maxLength: GENERAL_COMMENT_MAX }))),
  },
  { additionalProperties: false },
);
export type AnswersBody = Static<typeof AnswersBody>;

export const CreateEvaluation = Type.Union([
  Type.Object(
    { conversationId: Id, agentUserId: Id, scorecardId: Id, mode: Type.Literal('now') },
    { additionalProperties: false, description: 'Review now: a draft for the caller' },
  ),
  Type.Object(
    {
      conversationId: Id,
      agentUserId: Id,
      scorecardId: Id,
      mode: Type.Literal('plan'),
      reviewerIds: Type.Array(Id, { minItems: 1, maxItems: MAX_REVIEWERS }),
      dueAt: Timestamp,
    },
    { additionalProperties: false, description: 'Plan review: one planned evaluation per reviewer, due at dueAt' },
  ),
]);
export type CreateEvaluation = Static<typeof CreateEvaluation>;

const ScoreResultSchema = Type.Object({
  score: Type.Number(),
  maxScore: Type.Number(),
  percent: Type.Number(),
  sections: Type.Array(Type.Object({ sectionId: Type.String(), points: Type.Number(), maxPoints: Type.Number(), percent: Nullable(Type.Number()) })),
  passed: Nullable(Type.Boolean()),
  autoFailed: Type.Boolean(),
  autoFailQuestionIds: Type.Array(Type.String()),
});

const Revision = Type.Object({
  revision: Type.Integer(),
  evaluator: Person,
  answers: Type.Unknown(),
  generalComment: Nullable(Type.String()),
  score: Type.Number(),
  maxScore: Type.Number(),
  percent: Type.Number(),
  passed: Nullable(Type.Boolean()),
  autoFailed: Type.Boolean(),
  submittedAt: Timestamp,
});

const EvaluationComment = Type.Object({
  id: Id,
  author: Person,
  positionMs: Nullable(Type.Integer()),
  body: Type.String(),
  createdAt: Timestamp,
});

const Dispute = Type.Object({
  id: Id,
  revision: Type.Integer(),
  raisedBy: Person,
  reason: Type.String(),
  raisedAt: Timestamp,
  outcome: Nullable(Type.String()),
  resolvedBy: Nullable(Person),
  resolvedAt: Nullable(Timestamp),
  resolutionComment: Nullable(Type.String()),
});

/** One evaluation as lists show it. */
export const EvaluationSummary = Type.Object({
  id: Id,
  kind: Kind,
  calibrationId: Nullable(Type.String()),
  conversation: ConversationRef,
  agent: Person,
  evaluator: Person,
  scorecard: Type.Object({ id: Id, name: Type.String(), version: Type.Integer() }),
  status: Status,
  responseStatus: ResponseStatus,
  dueAt: Nullable(Timestamp),
  overdue: Type.Boolean({ description: 'Not submitted and past its due date' }),
  plannedBy: Nullable(Person),
  submittedAt: Nullable(Timestamp),
  revision: Type.Integer(),
  score: Nullable(Type.Number()),
  maxScore: Nullable(Type.Number()),
  percent: Nullable(Type.Number()),
  passed: Nullable(Type.Boolean()),
  autoFailed: Type.Boolean(),
  autoFailReason: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EvaluationSummary = Static<typeof EvaluationSummary>;

export const EvaluationView = Type.Object({
  ...EvaluationSummary.properties,
  scorecard: Type.Object({ id: Id, name: Type.String(), version: Type.Integer(), definition: Type.Unknown() }),
  answers: Type.Unknown({ description: 'Question id → Answer (src/quality/model.ts)' }),
  generalComment: Nullable(Type.String()),
  result: Nullable(ScoreResultSchema),
  prefill: Type.Unknown({ description: 'Prefill (src/quality/model.ts) or null' }),
  startedAt: Nullable(Timestamp),
  revisions: Type.Array(Revision),
  comments: Type.Array(EvaluationComment),
  disputes: Type.Array(Dispute),
  can: Type.Object({
    edit: Type.Boolean({ description: 'The caller may save a draft and submit (their own open evaluation)' }),
    reevaluate: Type.Boolean({ description: 'The caller may submit a new revision (the evaluation is disputed)' }),
    comment: Type.Boolean(),
  }),
});
export type EvaluationView = Static<typeof EvaluationView>;

export const EvaluationList = Type.Object({ items: Type.Array(EvaluationSummary), nextCursor: Nullable(Type.String()) });
export const PlannedEvaluations = Type.Object({ evaluations: Type.Array(EvaluationView) });

export const ListQuery = Type.Object(
  {
    queue: Type.Union([Type.Literal('mine'), Type.Literal('team'), Type.Literal('own')], {
      description:
        'mine: I am the evaluator; team: evaluations of agents in my scope (quality.view_others) or that I planned; own: submitted evaluations of my conversations',
    }),
    state: Type.Optional(Type.Union([Type.Literal('todo'), Type.Literal('overdue'), Type.Literal('done'), Type.Literal('all')], { default: 'all' })),
    agentId: Type.Optional(Id),
    evaluatorId: Type.Optional(Id),
    scorecardId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const CommentBody = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: COMMENT_MAX }),
    positionMs: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  },
  { additionalProperties: false },
);
export type CommentBody = Static<typeof CommentBody>;
export const CommentView = EvaluationComment;

/** The agents a conversation may be reviewed for (users taking part as agents). */
export const ReviewableAgents = Type.Object({ items: Type.Array(Person) });

// The model's shapes, for the web client (which imports server types only from schema modules).
export type { Answer, Answers, Prefill, Proposal, Question, ScoreResult, ScorecardDefinition, Section } from '../model.ts';
