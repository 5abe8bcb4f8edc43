// The insights reports: Indicator Mentions (frequency and share of interactions per category, indicator and keyword,
// with trends and a drill-down to the interactions and the words around each mention) and Speaker Metrics (per agent
// and group over time, from conversation_insights). Needs reports.view; the group scope applies through the
// conversation visibility rule, so a supervisor counts only their groups' interactions. CSV exports are audited.
import type { AppContext } from '../../context.ts';
import { initiatorOf, inScope, requirePermission, type Actor } from '../../auth/actor.ts';
import { subtree } from '../../auth/scope.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { loadLines } from '../insights/service.ts';
import type { InsightLine } from '../insights/model.ts';
import * as repo from './repository.ts';
import type { DrillQuery, MentionsQuery, MetricsQuery } from './schemas.ts';

type Bucket = 'day' | 'week' | 'month';
const DAY_MS = 86_400_000;
const MAX_DAYS = 731;
const DEFAULT_DAYS = 90;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function bucketOf(day: string, bucket: Bucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  const d = new Date(dayMs(day));
  return isoDay(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS));
}

export function bucketsBetween(from: string, to: string, bucket: Bucket): string[] {
  const out: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) {
    const b = bucketOf(isoDay(new Date(t)), bucket);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

interface Period {
  filter: repo.ReportFilter;
  bucket: Bucket;
  buckets: string[];
  index: Map<string, number>;
}

/**
 * A report's days and group, checked (every report's filter bar has them): dates as YYYY-MM-DD, the last 90 days by
 * default, at most two years; a group outside the actor's scope is refused, not emptied, and stands for its subtree.
 */
export async function checkedRange(ctx: AppContext, actor: Actor, q: { from?: string; to?: string; groupId?: string }) {
  requirePermission(actor, 'reports.view');
  const to = q.to ?? isoDay(new Date());
  const from = q.from ?? isoDay(new Date(dayMs(to) - (DEFAULT_DAYS - 1) * DAY_MS));
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (Number.isNaN(dayMs(v)) || isoDay(new Date(dayMs(v))) !== v) throw invalid(`${field} is not a date: "${v}"`, { field });
  if (from > to) throw invalid('The period ends before it starts', { field: 'from' });
  if ((dayMs(to) - dayMs(from)) / DAY_MS + 1 > MAX_DAYS) throw invalid(`A report covers at most ${MAX_DAYS} days`, { field: 'from' });
  let groupIds: string[] | null = null;
  if (q.groupId) {
    const groups = await repo.groupsOf(ctx.db, actor.tenantId);
    if (!groups.some((g) => g.id === q.groupId)) throw notFound('Group', q.groupId);
    if (!actor.scope.all && !actor.scope.groupIds.includes(q.groupId)) throw forbidden('This group is outside your scope');
    groupIds = subtree(groups, q.groupId);
  }
  return { from, to, groupIds };
}

/** The period, bucket and group/agent filters, checked. */
async function period(ctx: AppContext, actor: Actor, q: { from?: string; to?: string; bucket?: Bucket; groupId?: string; userId?: string }): Promise<Period> {
  const { from, to, groupIds } = await checkedRange(ctx, actor, q);
  // An agent who does not exist or is outside the scope is not found, as a group is: an empty report would hide the typo.
  if (q.userId) await reportAgent(ctx, actor, q.userId);
  const bucket = q.bucket ?? 'day';
  const buckets = bucketsBetween(from, to, bucket);
  return { filter: { from, to, groupIds, userId: q.userId ?? null }, bucket, buckets, index: new Map(buckets.map((b, i) => [b, i])) };
}

/**
 * The agent a report is filtered on, by name: the address keeps only the id, so the filter bar asks for the name
 * after a reload. Someone outside the actor's group scope is not found, as in the reports themselves.
 */
export async function reportAgent(ctx: AppContext, actor: Actor, id: string): Promise<{ id: string; name: string }> {
  requirePermission(actor, 'reports.view');
  const [user] = await repo.usersByIds(ctx.db, actor.tenantId, [id]);
  if (!user || !inScope(actor, user.group_id)) throw notFound('User', id);
  return { id: user.id, name: user.name };
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const pct = (n: number, of: number) => (of ? Math.round((10_000 * n) / of) / 100 : 0);

// ---- Indicator Mentions --------------------------------------------------------------------------------------------

export async function indicatorMentions(ctx: AppContext, actor: Actor, q: MentionsQuery) {
  const p = await period(ctx, actor, q);
  const target = { categoryId: q.categoryId, indicatorId: q.indicatorId, keywordId: q.keywordId };
  const [defs, perDay, pairs] = await Promise.all([
    repo.definitions(ctx.db, actor.tenantId),
    repo.interactionsByDay(ctx.db, actor, p.filter),
    repo.mentionRows(ctx.db, actor, p.filter, target),
  ]);
  const interactionsTrend = p.buckets.map(() => 0);
  for (const r of perDay) interactionsTrend[p.index.get(bucketOf(r.day, p.bucket))!] += num(r.n);
  const interactions = interactionsTrend.reduce((a, b) => a + b, 0);

  type Row = {
    id: string;
    name: string;
    categoryId: string;
    indicatorId: string | null;
    mentions: number;
    interactions: number;
    percent: number;
    trend: number[];
    mentionsTrend: number[];
  };
  const levels = { category: new Map<string, Row>(), indicator: new Map<string, Row>(), keyword: new Map<string, Row>() };
  // Every definition the filters keep gets a row, mentioned or not, in the tenant's order.
  for (const d of defs) {
    if (
      (q.categoryId && d.category_id !== q.categoryId) ||
      (q.indicatorId && d.indicator_id !== q.indicatorId) ||
      (q.keywordId && d.keyword_id !== q.keywordId)
    )
      continue;
    for (const [level, id, name] of [
      ['category', d.category_id, d.category],
      ['indicator', d.indicator_id, d.indicator],
      ['keyword', d.keyword_id, d.keyword],
    ] as const) {
      if (levels[level].has(id)) continue;
      levels[level].set(id, {
        id,
        name,
        categoryId: d.category_id,
        indicatorId: level === 'category' ? null : d.indicator_id,
        mentions: 0,
        interactions: 0,
        percent: 0,
        trend: p.buckets.map(() => 0),
        mentionsTrend: p.buckets.map(() => 0),
      });
    }
  }
  // One row per mention: an interaction counts once per keyword, indicator and category.
  const counted = new Set<string>();
  const bucketIndex = new Map<string, number>();
  for (const m of pairs) {
    let i = bucketIndex.get(m.day);
    if (i === undefined) bucketIndex.set(m.day, (i = p.index.get(bucketOf(m.day, p.bucket))!));
    for (const [level, id] of [
      ['category', m.category_id],
      ['indicator', m.indicator_id],
      ['keyword', m.keyword_id],
    ] as const) {
      const row = levels[level].get(id);
      if (!row) continue;
      row.mentions++;
      row.mentionsTrend[i]!++;
      const key = `${level}|${id}|${m.conversation_id}`;
      if (counted.has(key)) continue;
      counted.add(key);
      row.interactions++;
      row.trend[i]!++;
    }
  }
  const list = (level: keyof typeof levels) => [...levels[level].values()].map((r) => ({ ...r, percent: pct(r.interactions, interactions) }));
  return {
    from: p.filter.from,
    to: p.filter.to,
    bucket: p.bucket,
    buckets: p.buckets,
    interactions,
    interactionsTrend,
    categories: list('category'),
    indicators: list('indicator'),
    keywords: list('keyword'),
  };
}

const SNIPPET_CONTEXT = 60;
const SNIPPETS_PER_INTERACTION = 5;

/** The words around [start, end) of a line, cut at word boundaries, with the mention's place in the cut text. */
export function snippet(text: string, start: number, end: number): { text: string; highlight: [number, number] } {
  let a = Math.max(0, start - SNIPPET_CONTEXT);
  let b = Math.min(text.length, end + SNIPPET_CONTEXT);
  if (a > 0) a = text.indexOf(' ', a) + 1 || a;
  if (b < text.length) b = text.lastIndexOf(' ', b) > end ? text.lastIndexOf(' ', b) : b;
  const pre = a > 0 ? '… ' : '';
  const post = b < text.length ? ' …' : '';
  return { text: `${pre}${text.slice(a, b)}${post}`, highlight: [pre.length + start - a, pre.length + end - a] };
}

export async function mentionInteractions(ctx: AppContext, actor: Actor, q: DrillQuery, all = false) {
  const p = await period(ctx, actor, q);
  const target = { categoryId: q.categoryId, indicatorId: q.indicatorId, keywordId: q.keywordId };
  const limit = all ? 100_000 : (q.limit ?? 50);
  const { rows, total } = await repo.mentioningInteractions(ctx.db, actor, p.filter, target, limit, all ? 0 : (q.offset ?? 0));
  const mentions = await repo.mentionsIn(
    ctx.db,
    actor.tenantId,
    rows.map((r) => r.id),
    target,
  );
  const byConversation = new Map<string, typeof mentions>();
  for (const m of mentions) byConversation.set(m.conversation_id, [...(byConversation.get(m.conversation_id) ?? []), m]);
  const items = [];
  for (const r of rows) {
    const ms = (byConversation.get(r.id) ?? []).slice(0, SNIPPETS_PER_INTERACTION);
    // The lines as insights read them (redacted), so the ranges stored with the mentions point into this text.
    const lines = all ? new Map<string, InsightLine>() : new Map(((await loadLines(ctx, ctx.db, r.id))?.lines ?? []).map((l) => [l.id, l]));
    items.push({
      conversationId: r.id,
      title: r.title,
      startedAt: r.started_at,
      agentName: r.agent_name,
      channel: num(r.has_call) ? 'call' : num(r.has_chat) ? 'chat' : num(r.has_email) ? 'email' : 'call',
      mentions: num(r.mentions),
      snippets: ms.map((m) => {
        const line = lines.get(m.line_id);
        const s = line
          ? snippet(line.text, Number(m.range_start), Number(m.range_end))
          : { text: m.keyword, highlight: [0, m.keyword.length] as [number, number] };
        return {
          indicatorId: m.indicator_id,
          indicator: m.indicator,
          keywordId: m.keyword_id,
          keyword: m.keyword,
          role: m.role,
          lineId: m.line_id,
          startMs: m.start_ms === null ? null : Number(m.start_ms),
          ...s,
        };
      }),
    });
  }
  return { total, items };
}

// ---- Speaker Metrics -----------------------------------------------------------------------------------------------

type Point = {
  interactions: number;
  calls: number;
  talkListenRatio: number | null;
  wordsPerMinute: number | null;
  fillersPerMinute: number | null;
  longestMonologueMs: number | null;
  avgResponseMs: number | null;
  textResponseMs: number | null;
  sentiment: number | null;
  engagement: number | null;
  silencesPerCall: number | null;
  crosstalksPerCall: number | null;
  holdsPerCall: number | null;
};

/** Sums and counts per metric; averaged at the end so weeks and months weigh each interaction once. */
class Acc {
  interactions = 0;
  calls = 0;
  sums = new Map<string, number>();
  counts = new Map<string, number>();
  events = { silence: 0, crosstalk: 0, hold: 0 };
  add(r: Record<string, unknown>) {
    this.interactions += num(r.interactions);
    this.calls += num(r.calls);
    for (const k of repo.METRIC_KEYS) {
      this.sums.set(k, (this.sums.get(k) ?? 0) + num(r[`${k}_sum`]));
      this.counts.set(k, (this.counts.get(k) ?? 0) + num(r[`${k}_n`]));
    }
  }
  point(): Point {
    const avg = (k: string, digits: number) => {
      const n = this.counts.get(k) ?? 0;
      return n ? Number(((this.sums.get(k) ?? 0) / n).toFixed(digits)) : null;
    };
    const perCall = (n: number) => (this.calls ? Number((n / this.calls).toFixed(2)) : null);
    return {
      interactions: this.interactions,
      calls: this.calls,
      talkListenRatio: avg('talkListenRatio', 2),
      wordsPerMinute: avg('wordsPerMinute', 1),
      fillersPerMinute: avg('fillersPerMinute', 2),
      longestMonologueMs: avg('longestMonologueMs', 0),
      avgResponseMs: avg('avgResponseMs', 0),
      textResponseMs: avg('textResponseMs', 0),
      sentiment: avg('sentiment', 1),
      engagement: avg('engagement', 1),
      silencesPerCall: perCall(this.events.silence),
      crosstalksPerCall: perCall(this.events.crosstalk),
      holdsPerCall: perCall(this.events.hold),
    };
  }
}

export async function speakerMetrics(ctx: AppContext, actor: Actor, q: MetricsQuery) {
  const p = await period(ctx, actor, q);
  const [agentRows, groupRows, agentEvents, groupEvents, groups] = await Promise.all([
    repo.metricSumsByDay(ctx.db, actor, p.filter, 'agent'),
    repo.metricSumsByDay(ctx.db, actor, p.filter, 'group'),
    repo.speechEventsByDay(ctx.db, actor, p.filter, 'agent'),
    repo.speechEventsByDay(ctx.db, actor, p.filter, 'group'),
    repo.groupsOf(ctx.db, actor.tenantId),
  ]);
  const fold = (rows: typeof agentRows, events: typeof agentEvents) => {
    const total = new Map<string | null, Acc>();
    const perBucket = new Map<string | null, Acc[]>();
    const accs = (id: string | null) => {
      if (!total.has(id)) {
        total.set(id, new Acc());
        perBucket.set(
          id,
          p.buckets.map(() => new Acc()),
        );
      }
      return { all: total.get(id)!, buckets: perBucket.get(id)! };
    };
    for (const r of rows) {
      const a = accs(r.id);
      a.all.add(r);
      a.buckets[p.index.get(bucketOf(r.day, p.bucket))!]!.add(r);
    }
    for (const e of events) {
      const a = accs(e.id);
      const type = e.type as keyof Acc['events'];
      a.all.events[type] += num(e.n);
      a.buckets[p.index.get(bucketOf(e.day, p.bucket))!]!.events[type] += num(e.n);
    }
    return [...total.keys()].map((id) => ({ id, ...total.get(id)!.point(), trend: perBucket.get(id)!.map((b) => b.point()) }));
  };
  const agents = fold(agentRows, agentEvents);
  const users = new Map(
    (
      await repo.usersByIds(
        ctx.db,
        actor.tenantId,
        agents.map((a) => a.id).filter((x): x is string => x !== null),
      )
    ).map((u) => [u.id, u.name]),
  );
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  const overallAcc = new Acc();
  const overallBuckets = p.buckets.map(() => new Acc());
  for (const r of groupRows) {
    overallAcc.add(r);
    overallBuckets[p.index.get(bucketOf(r.day, p.bucket))!]!.add(r);
  }
  for (const e of groupEvents) {
    const type = e.type as keyof Acc['events'];
    overallAcc.events[type] += num(e.n);
    overallBuckets[p.index.get(bucketOf(e.day, p.bucket))!]!.events[type] += num(e.n);
  }
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    from: p.filter.from,
    to: p.filter.to,
    bucket: p.bucket,
    buckets: p.buckets,
    overall: { ...overallAcc.point(), trend: overallBuckets.map((b) => b.point()) },
    agents: agents.map((a) => ({ ...a, name: a.id ? (users.get(a.id) ?? 'Former user') : 'Unknown agent' })).sort(byName),
    groups: fold(groupRows, groupEvents)
      .map((g) => ({ ...g, name: g.id ? (groupNames.get(g.id) ?? 'Former group') : 'No group' }))
      .sort(byName),
  };
}

// ---- CSV -----------------------------------------------------------------------------------------------------------

/** One CSV field: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (values: readonly unknown[]) => `${values.map(csvField).join(',')}\r\n`;

export async function auditExport(ctx: AppContext, actor: Actor, report: string, filter: unknown, rows: number) {
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'report',
    resourceId: null,
    action: 'REPORT_EXPORT',
    details: `Exported the ${report} report as CSV (${rows} rows): ${JSON.stringify(filter)}`,
  });
}

export async function* mentionsCsv(ctx: AppContext, actor: Actor, q: MentionsQuery): AsyncGenerator<string> {
  const r = await indicatorMentions(ctx, actor, q);
  const rows: unknown[][] = [];
  const put = (level: string, list: typeof r.keywords, name: (x: (typeof r.keywords)[number]) => unknown[]) => {
    for (const x of list) rows.push([level, ...name(x), x.mentions, x.interactions, x.percent, ...x.trend]);
  };
  const cat = new Map(r.categories.map((c) => [c.id, c.name]));
  const ind = new Map(r.indicators.map((c) => [c.id, c.name]));
  put('category', r.categories, (x) => [x.name, '', '']);
  put('indicator', r.indicators, (x) => [cat.get(x.categoryId) ?? '', x.name, '']);
  put('keyword', r.keywords, (x) => [cat.get(x.categoryId) ?? '', ind.get(x.indicatorId ?? '') ?? '', x.name]);
  rows.push(['all interactions', '', '', '', '', r.interactions, 100, ...r.interactionsTrend]);
  await auditExport(ctx, actor, 'Indicator Mentions', { from: r.from, to: r.to, bucket: r.bucket, groupId: q.groupId, userId: q.userId }, rows.length);
  yield csvLine([
    'level',
    'category',
    'indicator',
    'keyword',
    'mentions',
    'interactions',
    'percent of interactions',
    ...r.buckets.map((b) => `interactions ${b}`),
  ]);
  for (const row of rows) yield csvLine(row);
}

export async function* drillCsv(ctx: AppContext, actor: Actor, q: DrillQuery, base: string): AsyncGenerator<string> {
  const r = await mentionInteractions(ctx, actor, q, true);
  await auditExport(ctx, actor, 'Indicator Mentions interactions', { ...q, format: undefined }, r.items.length);
  yield csvLine(['conversation', 'started at', 'title', 'agent', 'channel', 'mentions', 'keywords', 'link']);
  for (const i of r.items)
    yield csvLine([
      i.conversationId,
      i.startedAt,
      i.title,
      i.agentName ?? '',
      i.channel,
      i.mentions,
      [...new Set(i.snippets.map((s) => s.keyword))].join('; '),
      `${base}/conversations/${i.conversationId}?tab=analytics`,
    ]);
}

export async function* metricsCsv(ctx: AppContext, actor: Actor, q: MetricsQuery): AsyncGenerator<string> {
  const r = await speakerMetrics(ctx, actor, q);
  const cols = [
    'interactions',
    'calls',
    'talkListenRatio',
    'wordsPerMinute',
    'fillersPerMinute',
    'longestMonologueMs',
    'avgResponseMs',
    'textResponseMs',
    'sentiment',
    'engagement',
    'silencesPerCall',
    'crosstalksPerCall',
    'holdsPerCall',
  ] as const;
  const rows: unknown[][] = [];
  const put = (level: string, name: string, x: Point & { trend: Point[] }) => {
    rows.push([level, name, 'period', ...cols.map((c) => x[c])]);
    x.trend.forEach((t, i) => t.interactions && rows.push([level, name, r.buckets[i], ...cols.map((c) => t[c])]));
  };
  put('all', 'All interactions', r.overall);
  for (const g of r.groups) put('group', g.name, g);
  for (const a of r.agents) put('agent', a.name, a);
  await auditExport(ctx, actor, 'Speaker Metrics', { from: r.from, to: r.to, bucket: r.bucket, groupId: q.groupId, userId: q.userId }, rows.length);
  yield csvLine(['level', 'name', 'bucket', ...cols]);
  for (const row of rows) yield csvLine(row);
}
