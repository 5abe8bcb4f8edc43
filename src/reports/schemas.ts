// Request and response schemas of the dashboard and the call reports.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../platform/http/schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "YYYY-MM-DD on the agent site's calendar" });
const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same rows as a CSV download (audited)' });
const Channel = Type.Union([Type.Literal('call'), Type.Literal('chat'), Type.Literal('email'), Type.Literal('all')], {
  description: 'Which conversations count: calls (default for the reports), chats, e-mails or all',
});
const By = Type.Union([Type.Literal('day'), Type.Literal('group'), Type.Literal('user'), Type.Literal('tenant')], {
  description: 'One row per day, per group, per agent, or one for the whole organisation',
});

const filters = {
  from: Type.Optional(Day),
  to: Type.Optional({ ...Day, description: 'Inclusive; default today, and from defaults to 29 days before it (30 days)' }),
  groupId: Type.Optional({ ...Id, description: 'A group and the groups below it (must be in your scope)' }),
  userId: Type.Optional({ ...Id, description: 'One agent (must be in your scope)' }),
  channel: Type.Optional(Channel),
};

export const DashboardQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: 'The last N days, today included (default 30; the screen offers 7, 30 and 90)' }),
    ),
    groupId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

const Series = Type.Array(Type.Integer(), { description: 'One value per day, in the order of days' });
export const Dashboard = Type.Object({
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(Type.String()),
  activeCalls: Nullable(Type.Integer({ description: 'Calls being recorded now in your scope; null when no recorder records for this organisation' })),
  conversations: Type.Integer(),
  calls: Type.Integer(),
  averageCallMs: Nullable(Type.Integer()),
  longestCallMs: Nullable(Type.Integer()),
  talkMs: Type.Integer(),
  averageTalkMs: Nullable(Type.Integer()),
  perDay: Type.Object({ call: Series, chat: Series, email: Series, other: Series }),
  averageCallMsPerDay: Type.Array(Nullable(Type.Integer())),
  byDirection: Type.Array(Type.Object({ direction: Type.String(), conversations: Type.Integer() })),
  byGroup: Type.Array(Type.Object({ groupId: Nullable(Type.String()), name: Nullable(Type.String()), conversations: Type.Integer() })),
  topTags: Type.Array(Type.Object({ tagId: Type.String(), name: Type.String(), color: Type.String(), conversations: Type.Integer() })),
  sentiment: Nullable(Type.Object({ average: Type.Number({ description: '0–100, 50 neutral' }), analysed: Type.Integer() })),
  evaluations: Nullable(Type.Object({ averagePercent: Type.Number(), count: Type.Integer() })),
});

export const CallReportQuery = Type.Object({ ...filters, by: Type.Optional(By), format: Type.Optional(Format) }, { additionalProperties: false });
export type CallReportQuery = Static<typeof CallReportQuery>;

const CallRow = Type.Object({
  key: Nullable(Type.String({ description: 'The day, group id or user id; null: no group / unknown agent' })),
  name: Nullable(Type.String()),
  conversations: Type.Integer(),
  durationMs: Type.Integer(),
  averageMs: Nullable(Type.Integer()),
  longestMs: Type.Integer(),
  talkMs: Type.Integer(),
  inbound: Type.Integer(),
  outbound: Type.Integer(),
  internal: Type.Integer(),
});
export const CallReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  by: By,
  channel: Channel,
  rows: Type.Array(CallRow),
  total: CallRow,
});

export const CallsCsvQuery = Type.Object(filters, { additionalProperties: false });
export type CallsCsvQuery = Static<typeof CallsCsvQuery>;

const ReportName = Type.Union([Type.Literal('calls_by_day'), Type.Literal('calls_by_group'), Type.Literal('calls_by_user'), Type.Literal('calls_enterprise')], {
  description: 'Which call report the e-mail carries',
});
const Frequency = Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')], {
  description: 'daily: yesterday; weekly: the previous week (Monday–Sunday); monthly: the previous month',
});
export const ScheduleCreate = Type.Object({ report: ReportName, frequency: Frequency, groupId: Type.Optional(Nullable(Id)) }, { additionalProperties: false });
export type ScheduleCreate = Static<typeof ScheduleCreate>;
export const Schedule = Type.Object({
  id: Type.String(),
  report: ReportName,
  frequency: Frequency,
  groupId: Nullable(Type.String()),
  lastPeriod: Nullable(Type.String({ description: 'The first day of the last period sent' })),
  createdAt: Timestamp,
});
export const ScheduleList = Type.Object({ items: Type.Array(Schedule) });
export const ScheduleParams = Type.Object({ id: Id });
