// Running indicators and topics over conversations: the two LineAnalysers that analytics.insights calls with a
// conversation's lines, and the batch form the re-analysis job uses after a definition changed. Both read the tenant's
// definitions, analyse each line once with the tenant's search analyzer (shared by indicators and topics) and replace
// what is stored for the conversation in the caller's transaction, so a re-run is idempotent.
import type { AppContext } from '../../context.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { IndicatorMentionsTable, TopicHitsTable } from '../../platform/db/schema.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../search/analyzer/index.ts';
import { readSettings } from '../../settings/model.ts';
import type { InsightLine } from '../insights/model.ts';
import { TopicMatcher, type TopicDefinition } from '../topics/matching.ts';
import * as topicRepo from '../topics/repository.ts';
import { IndicatorMatcher, lineTokens, type IndicatorDefinition, type IndicatorSpeaker, type LineToken } from './matching.ts';
import * as repo from './repository.ts';

/** The language the tenant's search analyses text in: keywords mean here what they mean in a search. */
export async function tenantLanguage(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string): Promise<Language> {
  const t = await repo.tenantSettings(exec, tenantId);
  const lang = readSettings(ctx.adapter.fromJson(t?.settings ?? null)).searchLanguage;
  return isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

export async function indicatorDefinitions(exec: Executor, tenantId: string, indicatorIds?: readonly string[]): Promise<IndicatorDefinition[]> {
  const indicators = indicatorIds ? await repo.indicatorsByIds(exec, tenantId, indicatorIds) : await repo.listIndicators(exec, tenantId);
  const keywords = await repo.keywordsOf(
    exec,
    tenantId,
    indicators.map((i) => i.id),
  );
  const byIndicator = new Map<string, Array<{ id: string; text: string }>>();
  for (const k of keywords) {
    const list = byIndicator.get(k.indicator_id) ?? [];
    list.push({ id: k.id, text: k.text });
    byIndicator.set(k.indicator_id, list);
  }
  return indicators.map((i) => ({ id: i.id, speaker: i.speaker as IndicatorSpeaker, keywords: byIndicator.get(i.id) ?? [] }));
}

export async function topicDefinitions(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string): Promise<TopicDefinition[]> {
  return (await topicRepo.listTopics(exec, tenantId)).map((t) => ({ id: t.id, sentences: ctx.adapter.fromJson<string[]>(t.sentences) ?? [] }));
}

// One analysis per line and language, shared by the indicator and the topic analyser of one run (the same line objects).
const analysed = new WeakMap<InsightLine, { lang: Language; tokens: LineToken[]; content: string[] }>();
function analysedLine(line: InsightLine, lang: Language) {
  let a = analysed.get(line);
  if (!a || a.lang !== lang) {
    const tokens = lineTokens(line.text, lang);
    // Topics read the content words (what contentTerms gives) from the same analysis: one analyzer pass per line.
    a = { lang, tokens, content: tokens.filter((t) => !t.stop).map((t) => t.term) };
    analysed.set(line, a);
  }
  return a;
}

/** Which conversation lines belong to (the shape of LineAnalyserSubject, not imported: analysers.ts imports this file). */
export interface AnalyserSubject {
  tenantId: string;
  conversationId: string;
  startedAt: string;
}

export interface Subject {
  conversationId: string;
  startedAt: string;
  lines: readonly InsightLine[];
}

export function mentionRows(tenantId: string, matcher: IndicatorMatcher, subjects: readonly Subject[]): IndicatorMentionsTable[] {
  const now = nowIso();
  const rows: IndicatorMentionsTable[] = [];
  for (const s of subjects)
    for (const m of matcher.match(s.lines, (l) => analysedLine(l, matcher.language).tokens))
      rows.push({
        id: newId(),
        tenant_id: tenantId,
        conversation_id: s.conversationId,
        indicator_id: m.indicatorId,
        keyword_id: m.keywordId,
        line_id: m.lineId,
        role: m.role,
        start_ms: m.startMs === null ? null : Math.round(m.startMs),
        range_start: m.range[0],
        range_end: m.range[1],
        started_at: s.startedAt,
        created_at: now,
      });
  return rows;
}

export function topicRows(tenantId: string, matcher: TopicMatcher, subjects: readonly Subject[]): TopicHitsTable[] {
  const now = nowIso();
  const rows: TopicHitsTable[] = [];
  for (const s of subjects)
    for (const h of matcher.match(s.lines, (l) => analysedLine(l, matcher.language).content))
      rows.push({
        id: newId(),
        tenant_id: tenantId,
        conversation_id: s.conversationId,
        topic_id: h.topicId,
        line_id: h.lineId,
        role: h.role,
        start_ms: h.startMs === null ? null : Math.round(h.startMs),
        score: h.score,
        started_at: s.startedAt,
        created_at: now,
      });
  return rows;
}

// Compiled matchers per tenant, reused while the definitions read in the transaction are the same (the analysers run
// once per conversation; compiling analyses every keyword, sentence and synonym). Bounded: a process serving many
// tenants starts over rather than grow.
const indicatorMatchers = new Map<string, { key: string; matcher: IndicatorMatcher }>();
const topicMatchers = new Map<string, { key: string; matcher: TopicMatcher }>();
const MATCHER_CACHE_TENANTS = 200;

function compiled<D, M>(cache: Map<string, { key: string; matcher: M }>, tenantId: string, lang: Language, defs: D, build: (d: D) => M): M {
  const key = `${lang}|${JSON.stringify(defs)}`;
  const hit = cache.get(tenantId);
  if (hit && hit.key === key) return hit.matcher;
  if (cache.size >= MATCHER_CACHE_TENANTS) cache.clear();
  const matcher = build(defs);
  cache.set(tenantId, { key, matcher });
  return matcher;
}

/** Finds every indicator of the tenant on one conversation and replaces its mentions (analytics.insights). */
export const indicatorAnalyser = {
  name: 'indicators',
  async run(ctx: AppContext, exec: Executor, subject: AnalyserSubject, lines: readonly InsightLine[]) {
    const lang = await tenantLanguage(ctx, exec, subject.tenantId);
    const matcher = compiled(
      indicatorMatchers,
      subject.tenantId,
      lang,
      await indicatorDefinitions(exec, subject.tenantId),
      (d) => new IndicatorMatcher(d, lang),
    );
    const rows = mentionRows(subject.tenantId, matcher, [{ conversationId: subject.conversationId, startedAt: subject.startedAt, lines }]);
    await repo.replaceMentions(exec, [subject.conversationId], null, rows);
  },
};

/** Matches the tenant's topics on one conversation and replaces its topic hits (analytics.insights). */
export const topicAnalyser = {
  name: 'topics',
  async run(ctx: AppContext, exec: Executor, subject: AnalyserSubject, lines: readonly InsightLine[]) {
    const lang = await tenantLanguage(ctx, exec, subject.tenantId);
    const matcher = compiled(topicMatchers, subject.tenantId, lang, await topicDefinitions(ctx, exec, subject.tenantId), (d) => new TopicMatcher(d, lang));
    const rows = topicRows(subject.tenantId, matcher, [{ conversationId: subject.conversationId, startedAt: subject.startedAt, lines }]);
    await topicRepo.replaceTopicHits(exec, [subject.conversationId], rows);
  },
};
