// Request and response schemas of the insights reports (Indicator Mentions, Speaker Metrics).
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD on the agent site calendar' });
const Bucket = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
  description: 'Trend bucket: day, week (from Monday) or month; default day',
});
const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same figures as a CSV download (audited)' });

const period = {
  from: Type.Optional(Day),
  to: Type.Optional({ ...Day, description: 'Inclusive; default today, and from defaults to 89 days before it (90 days)' }),
  bucket: Type.Optional(Bucket),
  groupId: Type.Optional(Id),
  userId: Type.Optional(Id),
  format: Type.Optional(Format),
};
const target = {
  categoryId: Type.Optional(Id),
  indicatorId: Type.Optional(Id),
  keywordId: Type.Optional(Id),
};

export const MentionsQuery = Type.Object({ ...period, ...target }, { additionalProperties: false });
export type MentionsQuery = Static<typeof MentionsQuery>;

export const DrillQuery = Type.Object(
  {
    ...period,
    ...target,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Interactions per page (default 50)' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type DrillQuery = Static<typeof DrillQuery>;

export const ReportAgentParams = Type.Object({ id: Id });
export const ReportAgent = Type.Object({ id: Id, name: Type.String() });

export const MetricsQuery = Type.Object(period, { additionalProperties: false });
export type MetricsQuery = Static<typeof MetricsQuery>;

const Trend = Type.Array(Type.Integer(), { description: 'One value per bucket, in the order of buckets' });
const MentionRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  categoryId: Type.String(),
  indicatorId: Nullable(Type.String()),
  mentions: Type.Integer(),
  interactions: Type.Integer({ description: 'Interactions with at least one mention' }),
  percent: Type.Number({ description: 'Share of the interactions counted, 0–100' }),
  trend: Trend,
  mentionsTrend: Trend,
});

export const MentionsReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket: Bucket,
  buckets: Type.Array(Type.String(), { description: 'First day of each bucket' }),
  interactions: Type.Integer({ description: 'Interactions in the period that the filters and your scope keep' }),
  interactionsTrend: Trend,
  categories: Type.Array(MentionRow),
  indicators: Type.Array(MentionRow),
  keywords: Type.Array(MentionRow),
});

export const DrillReport = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      conversationId: Type.String(),
      title: Type.String(),
      startedAt: Timestamp,
      agentName: Nullable(Type.String()),
      channel: Type.String({ description: 'call, chat or email' }),
      mentions: Type.Integer(),
      snippets: Type.Array(
        Type.Object({
          indicatorId: Type.String(),
          indicator: Type.String(),
          keywordId: Type.String(),
          keyword: Type.String(),
          role: Type.String(),
          lineId: Type.String(),
          startMs: Nullable(Type.Number({ description: 'Where to play from (ms from the conversation start); null for text' })),
          text: Type.String({ description: 'The words around the mention' }),
          highlight: Type.Tuple([Type.Integer(), Type.Integer()], { description: '[start, end) of the mention in text' }),
        }),
      ),
    }),
  ),
});

const Metrics = Type.Object({
  talkListenRatio: Nullable(Type.Number()),
  wordsPerMinute: Nullable(Type.Number()),
  fillersPerMinute: Nullable(Type.Number()),
  longestMonologueMs: Nullable(Type.Number()),
  avgResponseMs: Nullable(Type.Number({ description: 'Calls: customer stops → agent starts (ms)' })),
  textResponseMs: Nullable(Type.Number({ description: 'Chats and e-mails: customer message → agent reply (ms)' })),
  sentiment: Nullable(Type.Number()),
  engagement: Nullable(Type.Number()),
  silencesPerCall: Nullable(Type.Number()),
  crosstalksPerCall: Nullable(Type.Number()),
  holdsPerCall: Nullable(Type.Number()),
});
const MetricsPoint = Type.Object({ interactions: Type.Integer(), calls: Type.Integer(), ...Metrics.properties });
const Speaker = Type.Object({ id: Nullable(Type.String()), name: Type.String(), ...MetricsPoint.properties, trend: Type.Array(MetricsPoint) });

export const MetricsReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket: Bucket,
  buckets: Type.Array(Type.String()),
  overall: Type.Object({ ...MetricsPoint.properties, trend: Type.Array(MetricsPoint) }),
  agents: Type.Array(Speaker),
  groups: Type.Array(Speaker),
});
