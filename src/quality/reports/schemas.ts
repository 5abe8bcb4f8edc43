// Request and response schemas of the quality reports.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD on the calendar of the conversation site' });
const Bucket = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
  description: 'Trend bucket: day, week (from Monday) or month; default week',
});
const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: a CSV download (audited)' });

export const REPORT_TABLES = ['trend', 'agents', 'groups', 'scorecards', 'questions', 'evaluators', 'disputes', 'calibrations', 'overrides'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];
const Table = Type.Union(
  REPORT_TABLES.map((t) => Type.Literal(t)),
  { description: 'With format=csv: which table to download (default trend)' },
);

const filters = {
  from: Type.Optional(Day),
  to: Type.Optional({ ...Day, description: 'Inclusive; default today, and from defaults to 89 days before it (90 days)' }),
  bucket: Type.Optional(Bucket),
  groupId: Type.Optional(Id),
  agentId: Type.Optional(Id),
  scorecardId: Type.Optional(Id),
  evaluatorId: Type.Optional(Id),
  format: Type.Optional(Format),
};

export const QualityQuery = Type.Object({ ...filters, table: Type.Optional(Table) }, { additionalProperties: false });
export type QualityQuery = Static<typeof QualityQuery>;

export const DrillQuery = Type.Object(
  {
    ...filters,
    bucketStart: Type.Optional({ ...Day, description: 'Only the evaluations of this bucket (its first day, as in `buckets`)' }),
    noGroup: Type.Optional(Type.Boolean({ description: 'Only conversations without a group' })),
    questionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only evaluations that answered this question' })),
    overridden: Type.Optional(Type.Boolean({ description: 'With questionId: only those where the evaluator overrode the auto rule' })),
    outcome: Type.Optional(
      Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('auto_failed'), Type.Literal('disputed')], {
        description: 'Only passed, failed, auto-failed or disputed (whatever the outcome) evaluations',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Evaluations per page (default 50)' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type DrillQuery = Static<typeof DrillQuery>;

const N = Nullable(Type.Number());
const Stats = {
  evaluations: Type.Integer(),
  avgPercent: Type.Union([Type.Number(), Type.Null()], { description: 'Mean of score / maximum × 100' }),
  passRate: Type.Union([Type.Number(), Type.Null()], { description: 'Share (0–100) of evaluations with a pass mark that passed' }),
  autoFailed: Type.Integer(),
};
const Row = Type.Object({
  id: Nullable(Type.String()),
  name: Type.String(),
  ...Stats,
  trend: Type.Array(N, { description: 'Average percent per bucket (null: no evaluation)' }),
  passTrend: Type.Array(N, { description: 'Pass rate per bucket' }),
});

export const QualityReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket: Bucket,
  buckets: Type.Array(Type.String(), { description: 'First day of each bucket' }),
  overall: Type.Object({ ...Stats, trend: Type.Array(Type.Object(Stats)) }),
  agents: Type.Array(Row),
  groups: Type.Array(Row, { description: 'By the group of the conversation; id null: conversations without a group' }),
  scorecards: Type.Array(Type.Object({ ...Row.properties, avgScore: Type.Number(), avgMaxScore: Type.Number() })),
  questions: Type.Array(
    Type.Object({
      scorecardId: Type.String(),
      scorecardName: Type.String(),
      questionId: Type.String(),
      section: Type.String(),
      text: Type.String(),
      answered: Type.Integer(),
      na: Type.Integer(),
      avgPercent: Type.Union([Type.Number(), Type.Null()], { description: "Mean share of the question's points earned" }),
      failing: Type.Integer({ description: 'Answers that failed the evaluation (auto-fail questions)' }),
      trend: Type.Array(N, { description: 'Average share of its points per bucket' }),
    }),
  ),
  evaluators: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      submitted: Type.Integer(),
      avgPercent: N,
      passRate: N,
      deviation: Type.Union([Type.Number(), Type.Null()], { description: "Their average percent minus everyone's" }),
      open: Type.Integer({ description: 'Planned or draft reviews due in the period or undated' }),
      overdue: Type.Integer(),
    }),
  ),
  disputes: Type.Object({
    raised: Type.Integer(),
    open: Type.Integer(),
    reaffirmed: Type.Integer(),
    reevaluated: Type.Integer(),
    rate: Type.Union([Type.Number(), Type.Null()], { description: 'Disputes per 100 submitted evaluations' }),
    avgChange: Type.Union([Type.Number(), Type.Null()], { description: 'Mean change of percent made by a re-evaluation' }),
    trend: Type.Array(Type.Integer()),
    agents: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        raised: Type.Integer(),
        open: Type.Integer(),
        reaffirmed: Type.Integer(),
        reevaluated: Type.Integer(),
      }),
    ),
  }),
  calibrations: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      scorecardId: Type.String(),
      scorecardName: Type.String(),
      status: Type.String(),
      day: Type.String({ description: 'When its last evaluation was submitted' }),
      evaluators: Type.Integer(),
      mean: N,
      spread: N,
      stdDev: N,
    }),
  ),
  calibrationTrend: Type.Array(N, { description: 'Mean standard deviation of the sessions per bucket' }),
  overrides: Type.Array(
    Type.Object({
      scorecardId: Type.String(),
      scorecardName: Type.String(),
      questionId: Type.String(),
      text: Type.String(),
      rule: Type.String(),
      kind: Type.String(),
      proposed: Type.Integer({ description: 'Submitted answers that started from an auto proposal' }),
      overridden: Type.Integer(),
      rate: N,
    }),
  ),
});

const Named = Type.Object({ id: Type.String(), name: Type.String() });
export const DrillReport = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      conversation: Type.Object({ id: Type.String(), title: Type.String(), startedAt: Timestamp }),
      agent: Named,
      evaluator: Named,
      scorecard: Type.Object({ id: Type.String(), name: Type.String(), version: Nullable(Type.Integer()) }),
      group: Nullable(Named),
      submittedAt: Timestamp,
      day: Type.String(),
      score: Type.Number(),
      maxScore: Type.Number(),
      percent: Type.Number(),
      passed: Nullable(Type.Boolean()),
      autoFailed: Type.Boolean(),
      responseStatus: Type.String(),
    }),
  ),
});
