// The dashboard and the call reports (issue 14, O1). Both read the daily counts (refresh.ts keeps them), so they cost
// the same at a thousand or a million conversations; only the per-call CSV reads conversations, streamed page by page.
// Everything needs reports.view and is narrowed to the actor's group scope: a supervisor counts their groups only,
// conversations without a group count only for organisation-wide viewers (as in the Conversations list), and someone
// who may see only their own conversations counts only those they handled. CSV exports are audited.
import type { AppContext } from '../context.ts';
import { initiatorOf, inScope, requirePermission, type Actor } from '../auth/actor.ts';
import { subtree } from '../auth/scope.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';
import { csvLine } from '../analytics/reports/service.ts';
import { channelOf } from './refresh.ts';
import * as repo from './repository.ts';
import type { CallReportQuery, CallsCsvQuery, DashboardQuery } from './schemas.ts';

const DAY_MS = 86_400_000;
/** The longest period of the per-day/group/user/enterprise reports (they read the daily counts). */
export const MAX_REPORT_DAYS = 1830;
/** The longest period of the per-call CSV (it reads every conversation of the period). */
export const MAX_DETAIL_DAYS = 366;
const DEFAULT_DAYS = 30;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Today on the calendar of the tenant's first site (the daily counts are on the sites' calendars). */
async function today(ctx: AppContext, tenantId: string, now = new Date()): Promise<string> {
  const zone = await repo.firstSiteZone(ctx.db, tenantId);
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return isoDay(now.getTime());
  }
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) out.push(isoDay(t));
  return out;
}

/** The groups the actor's counts may include (null: all, with conversations of no group) and an own-only agent. */
function scopeOf(actor: Actor): { groupIds: readonly string[] | null; ownOnly: string | null } {
  if (actor.permissions.has('conversations.view')) return { groupIds: actor.scope.all ? null : actor.scope.groupIds, ownOnly: null };
  if (actor.permissions.has('conversations.view_own')) return { groupIds: null, ownOnly: actor.userId };
  return { groupIds: [], ownOnly: null };
}

/**
 * A report's period and filters, checked: dates as YYYY-MM-DD (the last 30 days by default), a period longer than
 * `maxDays` refused with reason PERIOD_TOO_LONG, a group outside the scope refused (403) and an unknown one or an agent
 * outside the scope not found (404), so a typo never reads as an empty report.
 */
export async function checkedFilter(
  ctx: AppContext,
  actor: Actor,
  q: { from?: string; to?: string; groupId?: string; userId?: string },
  maxDays: number,
): Promise<repo.DailyFilter> {
  requirePermission(actor, 'reports.view');
  const to = q.to ?? (await today(ctx, actor.tenantId));
  const from = q.from ?? isoDay(dayMs(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(dayMs(v)) || isoDay(dayMs(v)) !== v)
      throw invalid(`${field} is not a date: "${v}"`, { field, reason: 'INVALID_DATE' });
  if (from > to) throw invalid('The period ends before it starts', { field: 'from', reason: 'PERIOD_REVERSED' });
  const days = (dayMs(to) - dayMs(from)) / DAY_MS + 1;
  if (days > maxDays)
    throw invalid(`This report covers at most ${maxDays} days; the period asked for has ${days}`, { field: 'from', reason: 'PERIOD_TOO_LONG', maxDays });
  const scope = scopeOf(actor);
  let groupIds = scope.groupIds;
  if (q.groupId) {
    const groups = await repo.groupsOf(ctx.db, actor.tenantId);
    if (!groups.some((g) => g.id === q.groupId)) throw notFound('Group', q.groupId);
    if (scope.groupIds !== null && !scope.groupIds.includes(q.groupId)) throw forbidden('This group is outside your scope');
    groupIds = subtree(groups, q.groupId);
  }
  let agentId = scope.ownOnly;
  if (q.userId) {
    const [user] = await repo.usersByIds(ctx.db, actor.tenantId, [q.userId]);
    if (!user || (scope.groupIds !== null && !inScope(actor, user.group_id)) || (scope.ownOnly && scope.ownOnly !== user.id)) throw notFound('User', q.userId);
    agentId = user.id;
  }
  return { tenantId: actor.tenantId, from, to, groupIds, agentId };
}

// ---- dashboard -----------------------------------------------------------------------------------------------------

export async function dashboard(ctx: AppContext, actor: Actor, q: DashboardQuery) {
  const days = q.days ?? 30;
  const to = await today(ctx, actor.tenantId);
  const f = await checkedFilter(ctx, actor, { from: isoDay(dayMs(to) - (days - 1) * DAY_MS), to, groupId: q.groupId }, 366);
  const list = daysBetween(f.from, f.to);
  const index = new Map(list.map((d, i) => [d, i]));
  // The evaluations of the period: submitted from the first day's start (UTC, a day early for the zones east of it).
  const bounds = { from: new Date(dayMs(f.from) - DAY_MS).toISOString(), to: new Date(dayMs(f.to) + 2 * DAY_MS).toISOString() };
  const [sums, tags, evaluation, activeCalls, groups] = await Promise.all([
    repo.dailySums(ctx.db, f, { keys: ['day', 'channel', 'direction', 'group_key'], agents: false }),
    repo.topTags(ctx.db, f, 10),
    repo.evaluationScore(ctx.db, f, bounds),
    repo.activeCalls(ctx.db, f),
    repo.groupsOf(ctx.db, actor.tenantId),
  ]);
  const perDay = { call: list.map(() => 0), chat: list.map(() => 0), email: list.map(() => 0), other: list.map(() => 0) };
  const callDurationPerDay = list.map(() => 0);
  const direction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  const totals = { conversations: 0, calls: 0, callDurationMs: 0, longestCallMs: 0, talkMs: 0, sentimentSum: 0, sentimentN: 0 };
  for (const r of sums) {
    const n = num(r.conversations);
    const i = index.get(r.day);
    if (i === undefined) continue;
    perDay[r.channel as keyof typeof perDay][i]! += n;
    totals.conversations += n;
    direction.set(r.direction, (direction.get(r.direction) ?? 0) + n);
    byGroup.set(r.group_key, (byGroup.get(r.group_key) ?? 0) + n);
    totals.sentimentSum += num(r.sentiment_sum);
    totals.sentimentN += num(r.sentiment_n);
    if (r.channel === 'call') {
      totals.calls += n;
      totals.callDurationMs += num(r.duration_ms);
      totals.talkMs += num(r.talk_ms);
      totals.longestCallMs = Math.max(totals.longestCallMs, num(r.longest_ms));
      callDurationPerDay[i]! += num(r.duration_ms);
    }
  }
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return {
    from: f.from,
    to: f.to,
    days: list,
    activeCalls,
    conversations: totals.conversations,
    calls: totals.calls,
    averageCallMs: totals.calls ? Math.round(totals.callDurationMs / totals.calls) : null,
    longestCallMs: totals.calls ? totals.longestCallMs : null,
    talkMs: totals.talkMs,
    averageTalkMs: totals.calls ? Math.round(totals.talkMs / totals.calls) : null,
    perDay,
    averageCallMsPerDay: list.map((_, i) => (perDay.call[i] ? Math.round(callDurationPerDay[i]! / perDay.call[i]!) : null)),
    byDirection: [...direction].map(([d, n]) => ({ direction: d, conversations: n })).sort((a, b) => b.conversations - a.conversations),
    byGroup: [...byGroup]
      .map(([id, n]) => ({ groupId: id || null, name: id ? (groupName.get(id) ?? id) : null, conversations: n }))
      .sort((a, b) => b.conversations - a.conversations),
    topTags: tags.map((t) => ({ tagId: t.tag_id, name: t.name, color: t.color, conversations: num(t.n) })),
    sentiment: totals.sentimentN ? { average: Math.round((10 * totals.sentimentSum) / totals.sentimentN) / 10, analysed: totals.sentimentN } : null,
    evaluations: num(evaluation?.n) ? { averagePercent: Math.round(10 * num(evaluation?.avg)) / 10, count: num(evaluation?.n) } : null,
  };
}

// ---- call reports --------------------------------------------------------------------------------------------------

export interface CallRow {
  key: string | null;
  name: string | null;
  conversations: number;
  durationMs: number;
  averageMs: number | null;
  longestMs: number;
  talkMs: number;
  inbound: number;
  outbound: number;
  internal: number;
}

const emptyRow = (key: string | null, name: string | null): CallRow => ({
  key,
  name,
  conversations: 0,
  durationMs: 0,
  averageMs: null,
  longestMs: 0,
  talkMs: 0,
  inbound: 0,
  outbound: 0,
  internal: 0,
});

export async function callReport(ctx: AppContext, actor: Actor, q: CallReportQuery) {
  const f = await checkedFilter(ctx, actor, q, MAX_REPORT_DAYS);
  const by = q.by ?? 'day';
  const channel = q.channel ?? 'call';
  const key: repo.DailyKey | null = by === 'day' ? 'day' : by === 'group' ? 'group_key' : by === 'user' ? 'agent_key' : null;
  const sums = await repo.dailySums(ctx.db, f, {
    keys: key ? [key, 'direction'] : ['direction'],
    agents: by === 'user',
    channel: channel === 'all' ? null : channel,
  });
  const rows = new Map<string, CallRow>();
  if (by === 'day') for (const d of daysBetween(f.from, f.to)) rows.set(d, emptyRow(d, d));
  const total = emptyRow(null, null);
  for (const r of sums) {
    const k = key ? (r[key] ?? '') : 'tenant';
    let row = rows.get(k);
    if (!row) rows.set(k, (row = emptyRow(k || null, null)));
    for (const target of [row, total]) {
      const n = num(r.conversations);
      target.conversations += n;
      target.durationMs += num(r.duration_ms);
      target.talkMs += num(r.talk_ms);
      target.longestMs = Math.max(target.longestMs, num(r.longest_ms));
      if (r.direction === 'inbound' || r.direction === 'outbound' || r.direction === 'internal') target[r.direction] += n;
    }
  }
  // Names: groups and users by id, the organisation by its name; "no group" / "unknown agent" stay null.
  if (by === 'group') {
    const names = new Map((await repo.groupsOf(ctx.db, actor.tenantId)).map((g) => [g.id, g.name]));
    for (const r of rows.values()) r.name = r.key ? (names.get(r.key) ?? r.key) : null;
  } else if (by === 'user') {
    const users = await repo.usersByIds(
      ctx.db,
      actor.tenantId,
      [...rows.keys()].filter((k) => k),
    );
    const names = new Map(users.map((u) => [u.id, u.name]));
    for (const r of rows.values()) r.name = r.key ? (names.get(r.key) ?? r.key) : null;
  } else if (by === 'tenant') {
    const name = await repo.tenantName(ctx.db, actor.tenantId);
    if (!rows.size) rows.set('tenant', emptyRow('tenant', name));
    for (const r of rows.values()) r.name = name;
  }
  const list = [...rows.values()];
  for (const r of [...list, total]) r.averageMs = r.conversations ? Math.round(r.durationMs / r.conversations) : null;
  if (by !== 'day') list.sort((a, b) => b.conversations - a.conversations || (a.name ?? '').localeCompare(b.name ?? ''));
  return { from: f.from, to: f.to, by, channel, rows: list, total };
}

export async function auditExport(ctx: AppContext, actor: Actor, report: string, filter: unknown, rows: number | null) {
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'report',
    resourceId: null,
    action: 'REPORT_EXPORT',
    details: `Exported the ${report} report as CSV${rows === null ? '' : ` (${rows} rows)`}: ${JSON.stringify(filter)}`,
  });
}

const CALL_COLUMNS = ['conversations', 'total duration (s)', 'average duration (s)', 'longest (s)', 'talk time (s)', 'inbound', 'outbound', 'internal'];
const secs = (ms: number | null) => (ms === null ? '' : Math.round(ms / 1000));

export async function* callReportCsv(ctx: AppContext, actor: Actor, q: CallReportQuery): AsyncGenerator<string> {
  const r = await callReport(ctx, actor, q);
  const label = { day: 'day', group: 'group', user: 'agent', tenant: 'organisation' }[r.by];
  await auditExport(ctx, actor, `Calls per ${label}`, { from: r.from, to: r.to, channel: r.channel, groupId: q.groupId, userId: q.userId }, r.rows.length);
  yield csvLine([label, ...CALL_COLUMNS]);
  for (const x of [...r.rows, { ...r.total, name: 'Total', key: 'total' }])
    yield csvLine([
      x.name ?? (r.by === 'group' ? '(no group)' : r.by === 'user' ? '(unknown agent)' : ''),
      x.conversations,
      secs(x.durationMs),
      secs(x.averageMs),
      secs(x.longestMs),
      secs(x.talkMs),
      x.inbound,
      x.outbound,
      x.internal,
    ]);
}

const PAGE = 2000;

/**
 * Every conversation of the period the actor may see, one CSV line each, read page by page on (started_at, id):
 * memory stays flat at a million rows, and a client that goes away stops the reading (the stream stops pulling).
 */
export async function* callsCsv(ctx: AppContext, actor: Actor, q: CallsCsvQuery, signal?: AbortSignal): AsyncGenerator<string> {
  const f = await checkedFilter(ctx, actor, q, MAX_DETAIL_DAYS);
  const channel = q.channel ?? 'all';
  const groups = new Map((await repo.groupsOf(ctx.db, actor.tenantId)).map((g) => [g.id, g.name]));
  await auditExport(ctx, actor, 'All calls', { from: f.from, to: f.to, channel, groupId: q.groupId, userId: q.userId }, null);
  yield csvLine(['conversation', 'started at', 'ended at', 'day', 'channel', 'direction', 'duration (s)', 'talk time (s)', 'agent', 'group']);
  let after: { startedAt: string; id: string } | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page: repo.CallPage[] = await repo.callsPage(ctx.db, actor, f, after, PAGE);
    const lines: string[] = [];
    for (const c of page) {
      const ch = channelOf(c);
      if (channel !== 'all' && ch !== channel) continue;
      lines.push(
        csvLine([
          c.id,
          c.started_at,
          c.ended_at,
          c.local_date ?? '',
          ch,
          c.direction,
          secs(Math.max(0, Date.parse(c.ended_at) - Date.parse(c.started_at))),
          secs(Number(c.talk_time_ms)),
          c.agent_name ?? '',
          c.group_id ? (groups.get(c.group_id) ?? '') : '',
        ]),
      );
    }
    if (lines.length) yield lines.join('');
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = { startedAt: last.started_at, id: last.id };
  }
}
