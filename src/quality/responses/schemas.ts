// Request and response schemas of the agents' responses to evaluations and of the disputes lists.
import { Type, type Static } from 'typebox';
import { Nullable } from '../../platform/http/schemas.ts';

export const PAGE_SIZE = 50;
export const REASON_MAX = 2000;

export const AcknowledgeBody = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: REASON_MAX, description: 'Optional remark, kept as a comment on the evaluation' })) },
  { additionalProperties: false },
);
export type AcknowledgeBody = Static<typeof AcknowledgeBody>;

export const DisputeBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: REASON_MAX, description: 'Why the agent disputes the evaluation' }) },
  { additionalProperties: false },
);
export type DisputeBody = Static<typeof DisputeBody>;

export const ReaffirmBody = Type.Object(
  { comment: Type.String({ minLength: 1, maxLength: REASON_MAX, description: 'Why the evaluation stands, for the agent' }) },
  { additionalProperties: false },
);
export type ReaffirmBody = Static<typeof ReaffirmBody>;

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};

export const ResultsQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('all')], { description: 'pending: not acknowledged yet (default all)' })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type ResultsQuery = Static<typeof ResultsQuery>;

export const DisputesQuery = Type.Object(
  { state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], { description: 'Default open' })), ...Paging },
  { additionalProperties: false },
);
export type DisputesQuery = Static<typeof DisputesQuery>;

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const ConversationRef = Type.Object({ id: Type.String(), title: Type.String(), startedAt: Type.String() });
const ResponseStatus = Type.Union([
  Type.Literal('none'),
  Type.Literal('acknowledged'),
  Type.Literal('disputed'),
  Type.Literal('reaffirmed'),
  Type.Literal('reevaluated'),
]);
const Outcome = Nullable(Type.Union([Type.Literal('reaffirmed'), Type.Literal('reevaluated')]));

export const Result = Type.Object({
  id: Type.String(),
  conversation: ConversationRef,
  scorecard: Ref,
  evaluator: Ref,
  submittedAt: Nullable(Type.String()),
  revision: Type.Integer(),
  score: Nullable(Type.Number()),
  maxScore: Nullable(Type.Number()),
  percent: Nullable(Type.Number()),
  passed: Nullable(Type.Boolean()),
  autoFailed: Type.Boolean(),
  autoFailReason: Nullable(Type.String()),
  responseStatus: ResponseStatus,
  acknowledgedAt: Nullable(Type.String()),
  autoAcknowledged: Type.Boolean(),
  autoAcknowledgeAt: Nullable(Type.String({ description: 'When silence becomes acknowledgement (acknowledgement required, with a delay)' })),
  dispute: Nullable(
    Type.Object({
      revision: Type.Integer(),
      reason: Type.String(),
      raisedAt: Type.String(),
      outcome: Outcome,
      resolvedAt: Nullable(Type.String()),
      resolutionComment: Nullable(Type.String()),
    }),
  ),
  can: Type.Object({ acknowledge: Type.Boolean(), dispute: Type.Boolean() }),
});

export const Results = Type.Object({
  items: Type.Array(Result),
  nextOffset: Nullable(Type.Integer()),
  requireAcknowledgement: Type.Boolean(),
  autoAcknowledgeDays: Type.Integer(),
});

export const Dispute = Type.Object({
  id: Type.String(),
  evaluationId: Type.String(),
  conversation: ConversationRef,
  scorecard: Ref,
  agent: Ref,
  evaluator: Ref,
  revision: Type.Integer({ description: 'The revision disputed' }),
  currentRevision: Type.Integer(),
  score: Nullable(Type.Number()),
  maxScore: Nullable(Type.Number()),
  percent: Nullable(Type.Number()),
  passed: Nullable(Type.Boolean()),
  autoFailed: Type.Boolean(),
  reason: Type.String(),
  raisedAt: Type.String(),
  outcome: Outcome,
  resolvedBy: Nullable(Ref),
  resolvedAt: Nullable(Type.String()),
  resolutionComment: Nullable(Type.String()),
  can: Type.Object({ reaffirm: Type.Boolean(), reevaluate: Type.Boolean() }),
});

export const Disputes = Type.Object({ items: Type.Array(Dispute), nextOffset: Nullable(Type.Integer()) });
