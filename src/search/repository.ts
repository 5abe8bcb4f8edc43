// All SQL of the Conversations search: filter conditions, pages, capped counts, and the lookups the filters need
// (sites, tags, speech tags, custom fields, agents). The text condition comes from the full-text engine
// (src/search/fulltext/): nothing here knows which one runs.
import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { visibleTo } from '../conversations/access.ts';
import { listRows } from '../conversations/repository.ts';
import type { DialectAdapter } from '../platform/db/adapter.ts';
import type { Executor } from '../platform/db/index.ts';
import type { ReadOptions, ReadPool } from '../platform/db/read-pool.ts';
import type { ConversationsTable, Database } from '../platform/db/schema.ts';
import type { IndicatorCondition, SearchFilter } from './filter.ts';
import {
  CONFIDENCE_THRESHOLDS,
  compileUserRegex,
  DURATION_BUCKETS,
  foldCase,
  likePattern,
  numericValue,
  parseDurationRange,
  parsePhonePrefix,
  parseTimeRange,
  relativeDateCutoff,
  type CustomDataOp,
  type ZoneBounds,
} from './filters/index.ts';
import { fullTextFor } from './fulltext/index.ts';
import type { ValuePeriod } from './fulltext/backend.ts';
import { reviewedCondition } from './filters/reviewed.ts';
import { networkQualityCondition } from './filters/network-quality.ts';
import { docKeyRange } from './index/document.ts';

type EB = ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>;
type Cond = Expression<SqlBool>;

/** The zones of a tenant's sites; conversations without a site count in UTC (as their local time does). */
export interface ZoneSites {
  timeZone: string;
  siteIds: string[];
  withoutSite: boolean;
}

/** The text condition, compiled for the deployment's full-text engine (FullTextBackend.compile). */
export type TextCondition = { kind: 'match' | 'allExcept'; query: string } | null;

export interface SearchPlan {
  actor: Actor;
  filter: SearchFilter;
  now: Date;
  /** Null: no time period. Otherwise the bounds in each zone (periodBoundsPerZone) and the sites of each zone. */
  period: { zones: Array<ZoneBounds & { siteIds: string[]; withoutSite: boolean }>; from: Date | null; to: Date | null } | null;
  text: TextCondition;
  /** Data tags among the filter's tags: their key/value as they are now. */
  dataTags: ReadonlyMap<string, { key: string; value: string }>;
  customFields: ReadonlyMap<string, { id: string; type: string }>;
  /** The zone "today" is in for relative custom-date operators. */
  timeZone: string;
  /** Contains conditions' candidate value rows, by folded needle, when already read (containsNeedles; searchReads). */
  containsRows?: ReadonlyMap<string, readonly number[]>;
}

export const COUNT_CAP = 1_000;
/** Relevance ranks the newest this-many text matches (after filters); see docs/search.md. */
export const RELEVANCE_WINDOW = 1_000;

// ---- filter conditions ---------------------------------------------------------------------------------------------

function userCondition(eb: EB, userId: string): Cond {
  return eb.or([
    eb('c.agent_user_id', '=', userId),
    eb.exists(eb.selectFrom('conversation_participants as p').select('p.id').whereRef('p.conversation_id', '=', 'c.id').where('p.user_id', '=', userId)),
  ]);
}

/** The columns a period is checked on: the conversation's, or a custom-data value row's copies of them (valueCount). */
const CONVERSATION_TIME = { startedAt: 'c.started_at', siteId: 'c.site_id' } as const;

function periodCondition<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  period: NonNullable<SearchPlan['period']>,
  cols: { startedAt: string; siteId: string } = CONVERSATION_TIME,
): Cond[] {
  const iso = (d: Date) => d.toISOString();
  const started = sql.ref(cols.startedAt);
  const site = sql.ref(cols.siteId);
  const out: Cond[] = [];
  // The hull first: a plain range the (tenant_id, started_at) index serves; the zones refine it.
  if (period.from) out.push(eb(started, '>=', iso(period.from)));
  if (period.to) out.push(eb(started, '<', iso(period.to)));
  if (period.zones.length > 1) {
    out.push(
      eb.or(
        period.zones.map((z) => {
          const parts: Cond[] = [];
          const sites: Cond[] = [];
          if (z.siteIds.length) sites.push(eb(site, 'in', z.siteIds));
          if (z.withoutSite) sites.push(eb(site, 'is', null));
          parts.push(sites.length ? eb.or(sites) : sql<SqlBool>`1 = 0`);
          if (z.from) parts.push(eb(started, '>=', iso(z.from)));
          if (z.to) parts.push(eb(started, '<', iso(z.to)));
          return eb.and(parts);
        }),
      ),
    );
  }
  return out;
}

type ValueEB = ExpressionBuilder<Database & { v: Database['conversation_field_values'] }, 'v'>;
const present = (v: ValueEB, cond: Cond): Cond => v.and([v('v.value_folded', '<>', ''), cond]);

/**
 * The custom-data operators whose matching values are few and found by a range of the folded-value index (a prefix,
 * one value, a list of values) or by the engine's substring index (contains, where there is one): their condition on
 * a value row `v`, else null. A search filtered by one of them can walk those values newest first (valueWalk).
 * `known`: contains candidates already read (SearchPlan.containsRows).
 */
function selectiveValue(adapter: DialectAdapter, op: CustomDataOp, plan: Pick<SearchPlan, 'period' | 'containsRows'>): ((v: ValueEB) => Cond) | null {
  const folded = sql.ref('v.value_folded');
  switch (op.op) {
    case 'contains': {
      // The substring index proposes value rows (of the period, where it can bound its read by it); each is read by
      // its row id, and its field, value and period are checked there, so only the matching conversations are looked
      // up (34 of 36 candidates for "4233" in 90 days at 1 M; 283 before the index was read by period).
      const needle = containsNeedle(op);
      const candidates = fullTextFor(adapter).containsCandidates(needle, valuePeriod(plan), plan.containsRows?.get(needle));
      if (!candidates) return null;
      const like = sql<SqlBool>`${folded} like ${likePattern(op)} escape '\\'`;
      return (v) => v.and([v(sql.ref('v.rowid'), 'in', candidates), present(v, like)]);
    }
    case 'starts_with': {
      const prefix = foldCase(op.value.trim());
      const range = adapter.prefixRange(folded, prefix) ?? sql<SqlBool>`${folded} like ${likePattern(op)} escape '\\'`;
      return (v) => present(v, range);
    }
    case 'equals':
      return (v) => present(v, v('v.value_folded', '=', foldCase(op.value.trim())));
    case 'in':
      return (v) =>
        present(
          v,
          v(
            'v.value_folded',
            'in',
            op.values.map((x) => foldCase(x.trim())),
          ),
        );
    default:
      return null;
  }
}

/** The period a custom-data value's start is searched in (the value row's copy of its conversation's start). */
export const valuePeriod = (plan: Pick<SearchPlan, 'period'>): ValuePeriod => ({ from: plan.period?.from ?? null, to: plan.period?.to ?? null });

/** A contains condition's needle as its candidates are looked up by (folded, trimmed). */
const containsNeedle = (op: Extract<CustomDataOp, { op: 'contains' }>) => foldCase(op.value.trim());

/**
 * The needles of the plan's custom-data conditions when every one of them is a "contains" on a known field, else
 * null: a search whose only custom-data conditions are contains reads at most their candidate value rows for them.
 */
export function containsNeedles(plan: SearchPlan): string[] | null {
  const conditions = plan.filter.customData ?? [];
  if (!conditions.length) return null;
  const needles: string[] = [];
  for (const c of conditions) {
    if (c.op.op !== 'contains' || !plan.customFields.has(c.fieldKey)) return null;
    needles.push(containsNeedle(c.op));
  }
  return needles;
}

function customDataCondition(
  eb: EB,
  adapter: DialectAdapter,
  fieldId: string,
  op: CustomDataOp,
  plan: Pick<SearchPlan, 'now' | 'timeZone' | 'period' | 'containsRows'>,
): Cond {
  const { now, timeZone, period } = plan;
  // IN (values of the field that match) rather than EXISTS per conversation: the matching values come from the
  // (field_id, value_folded, started_at) index once, instead of one probe per conversation of the period, and the
  // period's bounds keep to the values of conversations in it, read from the same index entries (measured at 1 M).
  const iso = (d: Date) => d.toISOString();
  const values = (extra: (v: ValueEB) => Cond) => {
    let q = eb
      .selectFrom('conversation_field_values as v')
      .select('v.conversation_id')
      .where('v.field_id', '=', fieldId)
      .where((v) => extra(v as never));
    if (period?.from) q = q.where('v.started_at', '>=', iso(period.from));
    if (period?.to) q = q.where('v.started_at', '<', iso(period.to));
    return eb('c.id', 'in', q);
  };
  const folded = sql.ref('v.value_folded');
  const isoDate = (v: ValueEB): Cond => v.and([sql<SqlBool>`length(v.value_folded) = 10`, v('v.value_folded', 'like', '____-__-__')]);
  const selective = selectiveValue(adapter, op, plan);
  if (selective) return values(selective);
  const like = likePattern(op);
  if (like !== null) return values((v) => present(v, sql<SqlBool>`${folded} like ${like} escape '\\'`));
  switch (op.op) {
    case 'not_equals':
      return eb.not(values((v) => present(v, v('v.value_folded', '=', foldCase(op.value.trim())))));
    case 'is_empty':
      return eb.not(values((v) => v('v.value_folded', '<>', '')));
    case 'not_empty':
      return values((v) => v('v.value_folded', '<>', ''));
    case 'regex':
      return values((v) => present(v, adapter.regexMatch(sql`trim(v.value)`, compileUserRegex(op.pattern))));
    case 'lt':
    case 'lte':
    case 'gte':
    case 'gt': {
      const sqlOp = ({ lt: '<', lte: '<=', gte: '>=', gt: '>' } as const)[op.op];
      const needle = foldCase(op.value.trim());
      const n = numericValue(op.value);
      // Numbers compare as numbers when both sides are numbers; anything else compares by code point (compareCustomValues).
      return values((v) =>
        present(
          v,
          n === null
            ? adapter.codePointCompare(folded, sqlOp, needle)
            : v.or([
                v.and([v('v.value_number', 'is not', null), v('v.value_number', sqlOp, n)]),
                v.and([v('v.value_number', 'is', null), adapter.codePointCompare(folded, sqlOp, needle)]),
              ]),
        ),
      );
    }
    case 'before':
      return values((v) => v.and([isoDate(v), v('v.value_folded', '<', op.date)]));
    case 'after':
      return values((v) => v.and([isoDate(v), v('v.value_folded', '>', op.date)]));
    case 'between':
      return values((v) => v.and([isoDate(v), v('v.value_folded', '>=', op.from), v('v.value_folded', '<=', op.to)]));
    case 'older_than_days': {
      const cutoff = relativeDateCutoff(op.days, now, timeZone);
      return values((v) => v.and([isoDate(v), v('v.value_folded', '<', cutoff)]));
    }
    case 'newer_than_days': {
      const cutoff = relativeDateCutoff(op.days, now, timeZone);
      return values((v) => v.and([isoDate(v), v('v.value_folded', '>=', cutoff)]));
    }
    default:
      throw new Error(`unhandled custom data operator ${op.op}`);
  }
}

/** Every condition of the filter except the text, as WHERE terms on `conversations c` (visibility included). */
export function filterConditions(eb: EB, adapter: DialectAdapter, plan: SearchPlan): Cond[] {
  const f = plan.filter;
  const out: Cond[] = [visibleTo(plan.actor)(eb)];
  if (plan.period) out.push(...periodCondition(eb, plan.period));
  if (f.daysOfWeek && f.daysOfWeek.length < 7) out.push(eb('c.local_weekday', 'in', f.daysOfWeek));
  if (f.timeOfDay) {
    const r = parseTimeRange(f.timeOfDay.from, f.timeOfDay.to);
    out.push(eb('c.local_minute', '>=', r.fromMinute), eb('c.local_minute', '<=', r.toMinute));
  }
  if (f.duration) {
    const r = typeof f.duration === 'string' ? DURATION_BUCKETS[f.duration] : parseDurationRange(f.duration.min, f.duration.max);
    if (r.minMs > 0) out.push(eb('c.talk_time_ms', '>=', r.minMs));
    if (r.maxMs !== null) out.push(eb('c.talk_time_ms', '<', r.maxMs));
  }
  if (f.phone) {
    // The customer's number (stored "+digits" or "digits"): a prefix is the code-point range [p, p + ":"), since
    // ":" sorts right after the digits; served by (tenant_id, customer_phone).
    const { startsWith } = parsePhonePrefix(f.phone);
    const phone = sql.ref('c.customer_phone');
    out.push(eb.or(startsWith.map((s) => eb.and([adapter.codePointCompare(phone, '>=', s), adapter.codePointCompare(phone, '<', `${s}:`)]))));
  }
  if (f.channels && f.channels.length < 3) {
    const col = { call: 'c.has_call', email: 'c.has_email', chat: 'c.has_chat' } as const;
    out.push(eb.or(f.channels.map((ch) => eb(col[ch], '=', 1))));
  }
  if (f.screen) out.push(eb('c.has_screen', '=', f.screen === 'with' ? 1 : 0));
  if (f.direction) out.push(f.direction === 'inbound_or_outbound' ? eb('c.direction', 'in', ['inbound', 'outbound']) : eb('c.direction', '=', f.direction));
  if (f.agentId) {
    const agentId = f.agentId;
    out.push(
      eb.or([
        eb('c.agent_user_id', '=', agentId),
        eb.exists(
          eb
            .selectFrom('conversation_participants as p')
            .select('p.id')
            .whereRef('p.conversation_id', '=', 'c.id')
            .where('p.user_id', '=', agentId)
            .where('p.role', '=', 'agent'),
        ),
      ]),
    );
  }
  if (f.groupId) {
    // The group and its subgroups, resolved in the statement (a saved search follows later moves in the tree); the
    // service refused a group outside the caller's scope, and visibleTo above keeps the rest of the scope.
    const tree = sql`with recursive sub(id) as (select id from groups where tenant_id = ${plan.actor.tenantId} and id = ${f.groupId} union select g.id from groups g join sub on g.parent_id = sub.id) select id from sub`;
    out.push(sql<SqlBool>`c.group_id in (${tree})`);
  }
  if (f.tags) out.push(tagsCondition(eb, adapter, f.tags, plan.dataTags));
  if (f.speechTags) {
    const hit = (tagId: string, level: keyof typeof CONFIDENCE_THRESHOLDS) =>
      eb.exists(
        eb
          .selectFrom('speech_tag_hits as h')
          .select('h.id')
          .whereRef('h.conversation_id', '=', 'c.id')
          .where('h.tag_id', '=', tagId)
          .where('h.confidence', '>=', CONFIDENCE_THRESHOLDS[level]),
      );
    for (const i of f.speechTags.include) out.push(hit(i.tagId, i.confidence));
    for (const x of f.speechTags.exclude) out.push(eb.not(hit(x.tagId, x.confidence)));
  }
  if (f.indicators) {
    const mentioned = (c: IndicatorCondition) =>
      eb.exists(
        eb
          .selectFrom('indicator_mentions as m')
          .select('m.id')
          .whereRef('m.conversation_id', '=', 'c.id')
          .where('m.indicator_id', '=', c.indicatorId)
          .$if(c.by !== 'anyone', (q) => q.where('m.role', '=', c.by)),
      );
    for (const i of f.indicators.include) out.push(mentioned(i));
    for (const x of f.indicators.exclude) out.push(eb.not(mentioned(x)));
  }
  if (f.topics) {
    const topics = f.topics;
    out.push(eb.exists(eb.selectFrom('topic_hits as th').select('th.id').whereRef('th.conversation_id', '=', 'c.id').where('th.topic_id', 'in', topics)));
  }
  for (const [range, column] of [
    [f.sentiment, 'ci.sentiment_score'],
    [f.engagement, 'ci.engagement_score'],
  ] as const) {
    if (!range) continue;
    out.push(
      eb.exists(
        eb
          .selectFrom('conversation_insights as ci')
          .select('ci.conversation_id')
          .whereRef('ci.conversation_id', '=', 'c.id')
          // The score as shown (rounded to a whole number) is in the range.
          .where(column, '>=', range.min - 0.5)
          .where(column, '<', range.max + 0.5),
      ),
    );
  }
  if (f.reviewable === 'reviewable') out.push(eb('c.reviewable', '=', 1));
  if (f.reviewed) out.push(reviewedCondition(eb, f.reviewed));
  if (f.networkQuality) out.push(networkQualityCondition(eb, f.networkQuality));
  for (const c of f.customData ?? []) {
    const field = plan.customFields.get(c.fieldKey);
    out.push(field ? customDataCondition(eb, adapter, field.id, c.op, plan) : sql<SqlBool>`1 = 0`);
  }
  const v = f.view;
  if (v === 'mine') out.push(userCondition(eb, plan.actor.userId));
  else if (v === 'unassigned') out.push(eb('c.agent_user_id', 'is', null));
  else if (typeof v === 'object' && 'userId' in v) out.push(userCondition(eb, v.userId));
  else if (typeof v === 'object' && 'tagId' in v) out.push(tagsCondition(eb, adapter, [v.tagId], plan.dataTags));
  return out;
}

/** Any of the tags (OR); a data tag also matches a segment whose metadata holds its key/value now. */
function tagsCondition(eb: EB, adapter: DialectAdapter, tagIds: string[], dataTags: SearchPlan['dataTags']): Cond {
  const ors: Cond[] = [
    eb.exists(eb.selectFrom('conversation_tags as t').select('t.id').whereRef('t.conversation_id', '=', 'c.id').where('t.tag_id', 'in', tagIds)),
  ];
  for (const id of tagIds) {
    const pair = dataTags.get(id);
    if (!pair) continue;
    ors.push(
      eb.exists(
        eb
          .selectFrom('segments as s')
          .select('s.id')
          .whereRef('s.conversation_id', '=', 'c.id')
          .where(adapter.jsonField('s.metadata', pair.key), '=', pair.value),
      ),
    );
  }
  return eb.or(ors);
}

// ---- pages -----------------------------------------------------------------------------------------------------------

export type Cursor =
  | { m: 't'; s: string; id: string } // newest first, without a text match: (started_at, id)
  | { m: 'k'; k: number } // newest first, with a text match: the document key
  | { m: 'r'; h: number; o: number }; // relevance: the window's top key and the offset in it

export interface PageResult {
  ids: string[];
  next: Cursor | null;
}

/** The FROM + WHERE of a search with a positive text match, driven by the full-text index in key order. */
async function matchQuery(db: Executor, adapter: DialectAdapter, plan: SearchPlan, query: string) {
  const eb = expressionBuilder<Database & { c: ConversationsTable }, 'c'>();
  const conditions = filterConditions(eb, adapter, plan);
  const { lo, hi } = docKeyRange(plan.period?.from ?? null, plan.period?.to ?? null);
  const { from, key, score, readOptions } = await fullTextFor(adapter).match(db, query, plan.actor.tenantId, {
    lo,
    hi,
    // The user's own filters: conditions beyond who may see what (the first) and the period's.
    filtered: conditions.length > 1 + (plan.period ? periodCondition(eb, plan.period).length : 0),
  });
  return { q: from.where(eb.and(conditions)), key, score, readOptions };
}

function plainQuery(db: Executor, adapter: DialectAdapter, plan: SearchPlan) {
  let q = db.selectFrom('conversations as c').where((eb) => eb.and(filterConditions(eb, adapter, plan)));
  if (plan.text?.kind === 'allExcept') {
    const query = plan.text.query;
    q = q.where((eb) => eb.not(fullTextFor(adapter).matchesConversation(eb, query)));
  }
  return q;
}

/**
 * SQLite, a search without text filtered by a selective custom-data condition (selectiveValue: "cisco_id starts with
 * CX-10"): the statement walks that condition's values newest first and looks up each one's conversation for the
 * other conditions, stopping at its LIMIT. The values of the period come from the folded-value index
 * `(field_id, value_folded, started_at, conversation_id)` alone and are sorted by their start (the value row's copy
 * of the conversation's, kept by the conversations repository); the conversations are then visited in the page's
 * order, so the page is the head of the count's rows and arrives before the count is done (ReadOptions.early), and
 * the count stops at its cap instead of looking up every value of the period (1,250 for "CX-10" in 90 days at 1 M).
 * Before, every matching conversation was looked up and the matches were sorted last. A contains condition's values
 * are its candidate value rows read by row id (the walk's CROSS JOIN keeps that order: planned freely, with the
 * statistics job's sampled statistics, SQLite read the period's 122,000 conversations and probed the candidates for
 * each, 180 ms for "4233" at 1 M). Null when another plan applies.
 */
function valueWalk(adapter: DialectAdapter, plan: SearchPlan): { index: number; fieldId: string; where: (v: ValueEB) => Cond } | null {
  if (adapter.name !== 'sqlite' || plan.text) return null;
  const conditions = plan.filter.customData ?? [];
  for (let index = 0; index < conditions.length; index++) {
    const field = plan.customFields.get(conditions[index]!.fieldKey);
    const where = field ? selectiveValue(adapter, conditions[index]!.op, plan) : null;
    if (field && where) return { index, fieldId: field.id, where };
  }
  return null;
}

function walkQuery(
  db: Executor,
  adapter: DialectAdapter,
  plan: SearchPlan,
  walk: NonNullable<ReturnType<typeof valueWalk>>,
  after: { s: string; id: string } | null,
) {
  const iso = (d: Date) => d.toISOString();
  let values = db
    .selectFrom('conversation_field_values as v')
    .select(['v.conversation_id as id', 'v.started_at as s'])
    .where('v.field_id', '=', walk.fieldId)
    .where((v) => walk.where(v as never));
  if (plan.period?.from) values = values.where('v.started_at', '>=', iso(plan.period.from));
  if (plan.period?.to) values = values.where('v.started_at', '<', iso(plan.period.to));
  if (after)
    values = values.where((v) => v.or([v('v.started_at', '<', after.s), v.and([v('v.started_at', '=', after.s), v('v.conversation_id', '<', after.id)])]));
  // The LIMIT (none: -1) keeps the sorted values a subquery of their own (SQLite does not flatten one with a LIMIT), so
  // the outer ORDER BY is theirs and needs no second sort.
  const sorted = values.orderBy('v.started_at', 'desc').orderBy('v.conversation_id', 'desc').limit(-1);
  const rest: SearchPlan = Object.assign({}, plan, {
    filter: Object.assign({}, plan.filter, { customData: plan.filter.customData!.filter((_, i) => i !== walk.index) }),
  });
  return db
    .selectFrom(sorted.as('x'))
    .crossJoin('conversations as c')
    .where(sql<SqlBool>`c.id = x.id`)
    .where((eb) => eb.and(filterConditions(eb as unknown as EB, adapter, rest)))
    .select(['c.id', 'c.started_at'])
    .orderBy(sql`x.s`, 'desc')
    .orderBy(sql`x.id`, 'desc');
}

/** A custom-data value row's copies of its conversation's start, site and reviewable flag (migrations 0019, 0058). */
const VALUE_TIME = { startedAt: 'v.started_at', siteId: 'v.site_id' } as const;

/**
 * SQLite: the capped count of a walked search (valueWalk) read from the folded-value index alone, when nothing else of
 * the filter needs the conversation row: the caller may see every conversation of the tenant (the field is the
 * tenant's, so its values are on the tenant's conversations) and the rest of the filter is the period and
 * "reviewable", whose columns the value row copies (migration 0058, kept by triggers). "cisco_id starts with CX-10" in
 * 90 days at 1 M: 10,100 index entries instead of ~1,000 conversation lookups. Null when the conversations must be
 * looked up. `cap` = Infinity: the exact count.
 */
function valueCountQuery(db: Executor, adapter: DialectAdapter, plan: SearchPlan, walk: NonNullable<ReturnType<typeof valueWalk>>, cap: number) {
  const { actor, period } = plan;
  if (!actor.permissions.has('conversations.view') || !actor.scope.all) return null;
  // Contains candidates already read are few (service.ts, IN_PROCESS_CANDIDATES): looking their conversations up in
  // the one statement costs less than a second statement (contains "4233" at 1 M: p50 1.58 against 1.79 ms).
  if (plan.containsRows) return null;
  // Any condition beyond who may see what and the period (a new filter too) sends the count to the conversations.
  const rest: SearchPlan = Object.assign({}, plan, {
    filter: Object.assign({}, plan.filter, { reviewable: 'all', customData: plan.filter.customData!.filter((_, i) => i !== walk.index) }),
  });
  const eb = expressionBuilder<Database & { c: ConversationsTable }, 'c'>();
  if (filterConditions(eb, adapter, rest).length !== 1 + (period ? periodCondition(eb, period).length : 0)) return null;
  let values = db
    .selectFrom('conversation_field_values as v')
    .select(sql<number>`1`.as('one'))
    .where('v.field_id', '=', walk.fieldId)
    .where((v) => walk.where(v as never));
  if (period) values = values.where((v) => v.and(periodCondition(v, period, VALUE_TIME)));
  if (plan.filter.reviewable === 'reviewable') values = values.where(sql.ref('v.reviewable'), '=', 1);
  const inner = Number.isFinite(cap) ? values.limit(cap + 1) : values;
  return db.selectFrom(inner.as('x')).select(sql<number>`count(*)`.as('n'));
}

/** Runs a built query: on the read pool when given (worker threads on SQLite), else on `db`. */
type Runner = Pick<ReadPool, 'all'> | undefined;
const run = <R>(reads: Runner, q: { execute(): Promise<R[]> } & Parameters<ReadPool['all']>[0], options: ReadOptions = {}): Promise<R[]> =>
  reads ? reads.all<R>(q as never, options) : q.execute();

export async function searchPage(
  db: Executor,
  adapter: DialectAdapter,
  plan: SearchPlan,
  limit: number,
  cursor: Cursor | null,
  reads?: Runner,
): Promise<PageResult> {
  const text = plan.text;
  if (text?.kind === 'match') {
    const { q, key, score, readOptions } = await matchQuery(db, adapter, plan, text.query);
    if (plan.filter.sort === 'relevance') {
      const top = cursor?.m === 'r' ? cursor.h : null;
      const offset = cursor?.m === 'r' ? cursor.o : 0;
      let windowQ = q.select([sql<string>`c.id`.as('id'), key.as('key'), score.as('score')]);
      if (top !== null) windowQ = windowQ.where(sql<SqlBool>`${key} <= ${top}`);
      const window = (await run(reads, windowQ.orderBy(key, 'desc').limit(RELEVANCE_WINDOW), readOptions)) as Array<{ id: string; key: number; score: number }>;
      return rankWindow(window, top, offset, limit);
    }
    let pageQ = q.select([sql<string>`c.id`.as('id'), key.as('key')]);
    if (cursor?.m === 'k') pageQ = pageQ.where(sql<SqlBool>`${key} < ${cursor.k}`);
    return keyPage((await run(reads, pageQ.orderBy(key, 'desc').limit(limit + 1), readOptions)) as Array<{ id: string; key: number }>, limit);
  }
  const walk = valueWalk(adapter, plan);
  if (walk) {
    const rows = await run(reads, walkQuery(db, adapter, plan, walk, cursor?.m === 't' ? cursor : null).limit(limit + 1));
    return timePage(rows as Array<{ id: string; started_at: string }>, limit);
  }
  let pageQ = plainQuery(db, adapter, plan).select(['c.id', 'c.started_at']);
  if (cursor?.m === 't') {
    const { s, id } = cursor;
    pageQ = pageQ.where((eb) => eb.or([eb('c.started_at', '<', s), eb.and([eb('c.started_at', '=', s), eb('c.id', '<', id)])]));
  }
  const rows = await run(
    reads,
    pageQ
      .orderBy('c.started_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit + 1),
  );
  return timePage(rows as Array<{ id: string; started_at: string }>, limit);
}

export interface FirstPage {
  /** Resolves as soon as the page's rows are read (ReadOptions.early), before the count. */
  page: Promise<PageResult>;
  count: Promise<{ n: number; exact: boolean }>;
}

/**
 * The first page and the capped count from one statement: the page is the head of the COUNT_CAP + 1 rows the count
 * reads in the page's order anyway (newest first; for relevance, the window), so the matches are walked once instead
 * of twice. Later pages (a cursor) use searchPage and countCapped.
 */
export function searchFirstPage(db: Executor, adapter: DialectAdapter, plan: SearchPlan, limit: number, reads?: Runner, cap = COUNT_CAP): FirstPage {
  const counted = (n: number) => (n > cap ? { n: cap, exact: false } : { n, exact: true });
  const text = plan.text;
  if (text?.kind === 'match' && plan.filter.sort === 'relevance') {
    // The window is the newest RELEVANCE_WINDOW matches; one row more tells the count whether there are more.
    const all = matchQuery(db, adapter, plan, text.query).then(({ q, key, score, readOptions }) => {
      const windowQ = q
        .select([sql<string>`c.id`.as('id'), key.as('key'), score.as('score')])
        .orderBy(key, 'desc')
        .limit(Math.max(RELEVANCE_WINDOW, cap) + 1);
      return run(reads, windowQ, readOptions) as Promise<Array<{ id: string; key: number; score: number }>>;
    });
    return {
      page: all.then((rows) => rankWindow(rows.slice(0, RELEVANCE_WINDOW), null, 0, limit)),
      count: all.then((rows) => counted(rows.length)),
    };
  }
  let early: (rows: unknown[]) => void = () => {};
  const head = new Promise<unknown[]>((resolve) => (early = resolve));
  const options = (o: ReadOptions = {}): ReadOptions => Object.assign({}, o, { early: { rows: limit + 1, receive: early } });
  let all: Promise<unknown[]>;
  let toPage: (rows: unknown[]) => PageResult;
  if (text?.kind === 'match') {
    all = matchQuery(db, adapter, plan, text.query).then(({ q, key, readOptions }) =>
      run(
        reads,
        q
          .select([sql<string>`c.id`.as('id'), key.as('key')])
          .orderBy(key, 'desc')
          .limit(cap + 1),
        options(readOptions),
      ),
    );
    toPage = (rows) => keyPage(rows as Array<{ id: string; key: number }>, limit);
  } else {
    const walk = valueWalk(adapter, plan);
    const countQ = walk && valueCountQuery(db, adapter, plan, walk, cap);
    if (walk && countQ) {
      // The count needs no conversation: the page (51 rows) and the count are two statements on the read pool.
      const pageRows = run(reads, walkQuery(db, adapter, plan, walk, null).limit(limit + 1));
      return {
        page: pageRows.then((rows) => timePage(rows as Array<{ id: string; started_at: string }>, limit)),
        count: run(reads, countQ).then(([r]) => counted(Number((r as { n: number }).n))),
      };
    }
    const pageQ = walk
      ? walkQuery(db, adapter, plan, walk, null).limit(cap + 1)
      : plainQuery(db, adapter, plan)
          .select(['c.id', 'c.started_at'])
          .orderBy('c.started_at', 'desc')
          .orderBy('c.id', 'desc')
          .limit(cap + 1);
    all = run(reads, pageQ, options());
    toPage = (rows) => timePage(rows as Array<{ id: string; started_at: string }>, limit);
  }
  // Without a runner (or when the statement fails first) the head comes from the whole result.
  const page = Promise.race([head, all]).then(toPage);
  return { page, count: all.then((rows) => counted(rows.length)) };
}

const keyPage = (rows: Array<{ id: string; key: number }>, limit: number): PageResult => {
  const page = rows.slice(0, limit);
  return { ids: page.map((r) => r.id), next: rows.length > limit ? { m: 'k', k: Number(page[page.length - 1]!.key) } : null };
};

const timePage = (rows: Array<{ id: string; started_at: string }>, limit: number): PageResult => {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { ids: page.map((r) => r.id), next: rows.length > limit && last ? { m: 't', s: String(last.started_at), id: last.id } : null };
};

/** A relevance page: the window ranked by score (ties: newer first), `limit` from `offset`; `top` is the window's top key. */
function rankWindow(window: Array<{ id: string; key: number; score: number }>, top: number | null, offset: number, limit: number): PageResult {
  if (window.length === 0) return { ids: [], next: null };
  const ranked = window.sort((a, b) => a.score - b.score || Number(b.key) - Number(a.key));
  const h = top ?? Number(window.reduce((m, r) => (Number(r.key) > m ? Number(r.key) : m), 0));
  const slice = ranked.slice(offset, offset + limit);
  return { ids: slice.map((r) => r.id), next: offset + limit < ranked.length ? { m: 'r', h, o: offset + limit } : null };
}

/** The number of results, exact up to COUNT_CAP; above it { n: COUNT_CAP, exact: false } ("more than 1,000"). */
export async function countCapped(
  db: Executor,
  adapter: DialectAdapter,
  plan: SearchPlan,
  cap = COUNT_CAP,
  reads?: Runner,
): Promise<{ n: number; exact: boolean }> {
  const walk = valueWalk(adapter, plan);
  const values = walk && valueCountQuery(db, adapter, plan, walk, cap);
  if (values) {
    const n = Number(((await run(reads, values)) as Array<{ n: number }>)[0]!.n);
    return n > cap ? { n: cap, exact: false } : { n, exact: true };
  }
  const match = plan.text?.kind === 'match' ? await matchQuery(db, adapter, plan, plan.text.query) : null;
  const rows = match ? match.q.select(sql<number>`1`.as('one')) : plainQuery(db, adapter, plan).select(sql<number>`1`.as('one'));
  // cap = Infinity: the exact count.
  const inner = Number.isFinite(cap) ? rows.limit(cap + 1) : rows;
  const [r] = await run(reads, db.selectFrom(inner.as('x')).select(sql<number>`count(*)`.as('n')), match?.readOptions);
  const n = Number(r!.n);
  return n > cap ? { n: cap, exact: false } : { n, exact: true };
}

/**
 * The ids the plan matches, in id order: among `ids` when given (is this conversation under a legal hold by rule?),
 * else the next `limit` after `afterId` (walking every match of a filter in batches, e.g. a bulk action). Not capped.
 */
export async function matchingIds(
  db: Executor,
  adapter: DialectAdapter,
  plan: SearchPlan,
  opts: { ids?: readonly string[]; afterId?: string | null; limit?: number },
): Promise<string[]> {
  if (opts.ids && opts.ids.length === 0) return [];
  const base = plan.text?.kind === 'match' ? (await matchQuery(db, adapter, plan, plan.text.query)).q : plainQuery(db, adapter, plan);
  let q = base.select(sql<string>`c.id`.as('id'));
  if (opts.ids) q = q.where(sql.ref('c.id'), 'in', [...opts.ids]);
  if (opts.afterId) q = q.where(sql.ref('c.id'), '>', opts.afterId);
  q = q.orderBy(sql.ref('c.id'));
  if (opts.limit) q = q.limit(opts.limit);
  const rows = (await q.execute()) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

// ---- lookups -----------------------------------------------------------------------------------------------------------

export async function siteZones(db: Executor, tenantId: string): Promise<ZoneSites[]> {
  return zonesOf(await db.selectFrom('sites').select(['id', 'time_zone']).where('tenant_id', '=', tenantId).execute());
}

/**
 * What every search reads of its tenant, in one statement: the settings (the search language) and the sites' zones
 * (for a period), as siteZones gives them.
 */
export async function tenantForSearch(db: Executor, tenantId: string): Promise<{ settings: unknown; zones: ZoneSites[] }> {
  const rows = await db
    .selectFrom('tenants as t')
    .leftJoin('sites as s', 's.tenant_id', 't.id')
    .select(['t.settings', 's.id', 's.time_zone'])
    .where('t.id', '=', tenantId)
    .execute();
  const sites = rows.flatMap((r) => (r.id !== null && r.time_zone !== null ? [{ id: r.id, time_zone: r.time_zone }] : []));
  return { settings: rows[0]?.settings ?? null, zones: zonesOf(sites) };
}

function zonesOf(sites: ReadonlyArray<{ id: string; time_zone: string }>): ZoneSites[] {
  const byZone = new Map<string, ZoneSites>();
  const zone = (tz: string) => {
    let z = byZone.get(tz);
    if (!z) byZone.set(tz, (z = { timeZone: tz, siteIds: [], withoutSite: false }));
    return z;
  };
  for (const s of sites) zone(s.time_zone).siteIds.push(s.id);
  zone('UTC').withoutSite = true;
  return [...byZone.values()];
}

export const tagDefinitions = (db: Executor, tenantId: string) =>
  db.selectFrom('tag_definitions').select(['id', 'name', 'color', 'data_key', 'data_value']).where('tenant_id', '=', tenantId).orderBy('name').execute();

export const speechTagDefinitions = (db: Executor, tenantId: string) =>
  db.selectFrom('speech_tag_definitions').select(['id', 'name', 'color']).where('tenant_id', '=', tenantId).orderBy('name').execute();

export const customFieldDefinitions = (db: Executor, tenantId: string) =>
  db
    .selectFrom('custom_field_definitions')
    .select(['id', 'key', 'label', 'type', 'options'])
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy('label')
    .execute();

export const usersNamed = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

/**
 * Whose names the Agent filter may suggest: the whole tenant, or the caller, the users of some groups and the users who
 * share a conversation with one user (the caller, for view_own).
 */
export type DirectoryScope = { all: true } | { all: false; selfId: string; groupIds: readonly string[]; sharingWith: string | null };

/** Agents (users) within `scope` whose name, email or extension contains the text; case-insensitive. */
export function agentSuggestions(db: Executor, adapter: DialectAdapter, tenantId: string, text: string, limit: number, scope: DirectoryScope) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.extension'])
    .where('u.tenant_id', '=', tenantId)
    .where((eb) => {
      if (scope.all) return sql<SqlBool>`1 = 1`;
      const ors: Cond[] = [eb('u.id', '=', scope.selfId)];
      if (scope.groupIds.length) ors.push(eb('u.group_id', 'in', scope.groupIds));
      if (scope.sharingWith) {
        ors.push(
          eb.exists(
            eb
              .selectFrom('conversation_participants as theirs')
              .innerJoin('conversation_participants as mine', 'mine.conversation_id', 'theirs.conversation_id')
              .select('theirs.id')
              .whereRef('theirs.user_id', '=', 'u.id')
              .where('mine.user_id', '=', scope.sharingWith),
          ),
        );
      }
      return eb.or(ors);
    })
    .where((eb) =>
      eb.or([
        adapter.containsInsensitive(sql.ref('u.name'), text) as RawBuilder<SqlBool>,
        adapter.containsInsensitive(sql.ref('u.email'), text) as RawBuilder<SqlBool>,
        adapter.containsInsensitive(sql.ref('u.extension'), text) as RawBuilder<SqlBool>,
      ]),
    )
    .orderBy('u.name')
    .limit(limit)
    .execute();
}

/** A conversation's searched texts (index/document.ts packFields) and the language they were analysed in. */
export interface SearchTexts {
  conversation_id: string;
  texts: Buffer;
  language: string;
}

export const searchTexts = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([] as SearchTexts[])
    : db.selectFrom('search_docs').select(['conversation_id', 'texts', 'language']).where('conversation_id', 'in', conversationIds).execute();

/** A page's list rows, each with its searched texts (null when not indexed), in one statement, in the order of `ids`. */
export const listRowsWithTexts = (db: Executor, adapter: DialectAdapter, ids: string[]) => listRows(db, adapter, ids, { texts: true });
