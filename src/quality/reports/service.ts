// Quality reports (issue 11): average score and pass rate per agent, group, scorecard and question over time,
// evaluations per evaluator, disputes and their outcomes, the calibration spread over time, and how often evaluators
// overrode each auto rule; a drill-down to the evaluations behind any figure; CSV of every table (audited like the
// other report exports). Needs reports.view; the group scope applies through the conversation visibility rule.
//
// Reviews count on the day they were submitted, on the calendar of their conversation's site (UTC without a site), the
// way the other reports count on the agent's site calendar; calibration evaluations are left out of score figures
// (they measure evaluators, not agents) and have their own table. Percent (score / max × 100) is what is averaged, so
// scorecards in points and in percentage mode compare.
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { auditExport, bucketOf, bucketsBetween, checkedRange, csvLine, reportAgent } from '../../analytics/reports/service.ts';
import { usersByIds } from '../../analytics/reports/repository.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { getScorecard } from '../scorecards/repository.ts';
import { answerPercent, dispersion } from '../calibrations/stats.ts';
import { questionsOf, type Answers, type AutoRule, type ScorecardDefinition } from '../model.ts';
import { isFailingAnswer } from '../scoring.ts';
import * as repo from './repository.ts';
import type { DrillQuery, QualityQuery, ReportTable } from './schemas.ts';

type Bucket = 'day' | 'week' | 'month';
const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const r2 = (x: number) => Math.round(x * 100) / 100;

const formats = new Map<string, Intl.DateTimeFormat>();
/** The calendar day of an instant in a time zone (UTC when none or unknown). */
export function localDay(iso: string, zone: string | null | undefined): string {
  const z = zone || 'UTC';
  let f = formats.get(z);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    formats.set(z, f);
  }
  return f.format(new Date(iso));
}

interface Period {
  from: string;
  to: string;
  bucket: Bucket;
  buckets: string[];
  index: Map<string, number>;
  filter: repo.QualityFilter;
  /** The bucket index of a day in the period, or undefined outside it. */
  at(day: string): number | undefined;
}

async function period(ctx: AppContext, actor: Actor, q: QualityQuery): Promise<Period> {
  const { from, to, groupIds } = await checkedRange(ctx, actor, q);
  // Every filter names something that exists (and an agent within the scope): a typo gets a 404, not an empty report.
  if (q.agentId) await reportAgent(ctx, actor, q.agentId);
  if (q.evaluatorId && (await usersByIds(ctx.db, actor.tenantId, [q.evaluatorId])).length === 0) throw notFound('User', q.evaluatorId);
  if (q.scorecardId && !(await getScorecard(ctx.db, actor.tenantId, q.scorecardId))) throw notFound('Scorecard', q.scorecardId);
  const bucket = q.bucket ?? 'week';
  const buckets = bucketsBetween(from, to, bucket);
  const index = new Map(buckets.map((b, i) => [b, i]));
  return {
    from,
    to,
    bucket,
    buckets,
    index,
    // A day of slack either side: a site's calendar day spans UTC instants from −14 h to +12 h around it.
    filter: {
      fromIso: new Date(dayMs(from) - DAY_MS).toISOString(),
      toIso: new Date(dayMs(to) + 2 * DAY_MS).toISOString(),
      groupIds,
      agentId: q.agentId ?? null,
      scorecardId: q.scorecardId ?? null,
      evaluatorId: q.evaluatorId ?? null,
    },
    at: (day) => (day < from || day > to ? undefined : index.get(bucketOf(day, bucket))),
  };
}

/** Sums for averages, kept per row and per bucket so weeks and months weigh each evaluation once. */
class Acc {
  evaluations = 0;
  percentSum = 0;
  scoreSum = 0;
  maxSum = 0;
  graded = 0;
  passed = 0;
  autoFailed = 0;
  add(e: { percent: number; score: number; maxScore: number; passed: boolean | null; autoFailed: boolean }) {
    this.evaluations++;
    this.percentSum += e.percent;
    this.scoreSum += e.score;
    this.maxSum += e.maxScore;
    if (e.passed !== null) {
      this.graded++;
      if (e.passed) this.passed++;
    }
    if (e.autoFailed) this.autoFailed++;
  }
  stats() {
    return {
      evaluations: this.evaluations,
      avgPercent: this.evaluations ? r2(this.percentSum / this.evaluations) : null,
      /** Share of evaluations with a pass mark that passed, 0–100. */
      passRate: this.graded ? r2((100 * this.passed) / this.graded) : null,
      autoFailed: this.autoFailed,
    };
  }
}

export interface Evaluation {
  id: string;
  conversationId: string;
  conversationTitle: string;
  conversationStartedAt: string;
  agentId: string;
  evaluatorId: string;
  scorecardId: string;
  versionId: string;
  groupId: string | null;
  submittedAt: string;
  day: string;
  bucket: number;
  percent: number;
  score: number;
  maxScore: number;
  passed: boolean | null;
  autoFailed: boolean;
  responseStatus: string;
  answers: Answers;
}

async function load(ctx: AppContext, actor: Actor, p: Period) {
  const rows = await repo.submitted(ctx.db, actor, p.filter);
  const evaluations: Evaluation[] = [];
  for (const r of rows) {
    const day = localDay(String(r.submitted_at), r.time_zone);
    const bucket = p.at(day);
    if (bucket === undefined) continue;
    evaluations.push({
      id: r.id,
      conversationId: r.conversation_id,
      conversationTitle: r.title,
      conversationStartedAt: String(r.started_at),
      agentId: r.agent_user_id,
      evaluatorId: r.evaluator_user_id,
      scorecardId: r.scorecard_id,
      versionId: r.scorecard_version_id,
      groupId: r.group_id,
      submittedAt: String(r.submitted_at),
      day,
      bucket,
      percent: num(r.percent),
      score: num(r.score),
      maxScore: num(r.max_score),
      passed: r.passed === null ? null : num(r.passed) === 1,
      autoFailed: num(r.auto_failed) === 1,
      responseStatus: r.response_status,
      answers: ctx.adapter.fromJson<Answers | null>(r.answers) ?? {},
    });
  }
  const defs = new Map(
    (await repo.versions(ctx.db, actor.tenantId, [...new Set(evaluations.map((e) => e.versionId))])).map((v) => [
      v.id,
      { scorecardId: v.scorecard_id, version: Number(v.version), definition: ctx.adapter.fromJson<ScorecardDefinition>(v.definition) },
    ]),
  );
  return { evaluations, defs };
}

async function names(ctx: AppContext, actor: Actor, userIds: Iterable<string>) {
  const [users, scorecards, groups] = await Promise.all([
    repo.userNames(ctx.db, actor.tenantId, [...new Set(userIds)]),
    repo.scorecardNames(ctx.db, actor.tenantId),
    repo.groupsOf(ctx.db, actor.tenantId),
  ]);
  const u = new Map(users.map((x) => [x.id, x.name]));
  const s = new Map(scorecards.map((x) => [x.id, x.name]));
  const g = new Map(groups.map((x) => [x.id, x.name]));
  return {
    user: (id: string) => u.get(id) ?? 'Former user',
    scorecard: (id: string) => s.get(id) ?? 'Deleted scorecard',
    group: (id: string | null) => (id ? (g.get(id) ?? 'Former group') : 'No group'),
  };
}

/** A rule in words, for the overrides table. */
export function describeRule(rule: AutoRule): string {
  switch (rule.kind) {
    case 'phrase': {
      const what = rule.indicatorId ? 'indicator' : `"${rule.phrase ?? ''}"`;
      const who = rule.by === 'anyone' ? '' : ` by the ${rule.by}`;
      const when = rule.within ? ` in the ${rule.within.edge} ${rule.within.seconds} s` : '';
      return `${what} ${rule.expect === 'said' ? 'said' : 'not said'}${who}${when}`;
    }
    case 'silence_count':
      return `at most ${rule.max} silences`;
    case 'hold_count':
      return `at most ${rule.max} holds`;
    case 'talk_listen':
      return `talk-to-listen ${rule.min}–${rule.max}`;
    case 'sentiment_end':
      return `sentiment at the end ≥ ${rule.min}`;
  }
}

export async function qualityReport(ctx: AppContext, actor: Actor, q: QualityQuery) {
  const p = await period(ctx, actor, q);
  const [{ evaluations, defs }, openRows, disputeRows, calibrationRows] = await Promise.all([
    load(ctx, actor, p),
    repo.open(ctx.db, actor, p.filter),
    repo.disputes(ctx.db, actor, p.filter),
    repo.calibrationEvaluations(ctx.db, actor, p.filter),
  ]);
  const n = await names(ctx, actor, [
    ...evaluations.flatMap((e) => [e.agentId, e.evaluatorId]),
    ...openRows.map((o) => o.evaluator_user_id),
    ...disputeRows.flatMap((d) => [d.agent_user_id, d.evaluator_user_id]),
  ]);

  // Score figures per dimension, overall and per bucket.
  const overall = new Acc();
  const overallTrend = p.buckets.map(() => new Acc());
  const dims = { agent: new Map<string, Acc[]>(), group: new Map<string, Acc[]>(), scorecard: new Map<string, Acc[]>() };
  const accsOf = (m: Map<string, Acc[]>, key: string) => {
    let a = m.get(key);
    if (!a) m.set(key, (a = [new Acc(), ...p.buckets.map(() => new Acc())]));
    return a;
  };
  for (const e of evaluations) {
    overall.add(e);
    overallTrend[e.bucket]!.add(e);
    for (const [dim, key] of [
      ['agent', e.agentId],
      ['group', e.groupId ?? ''],
      ['scorecard', e.scorecardId],
    ] as const) {
      const a = accsOf(dims[dim], key);
      a[0]!.add(e);
      a[1 + e.bucket]!.add(e);
    }
  }
  const rows = (dim: keyof typeof dims, name: (id: string) => string) =>
    [...dims[dim].entries()]
      .map(([id, [all, ...trend]]) => ({
        id: id || null,
        name: name(id),
        ...all!.stats(),
        trend: trend.map((t) => t.stats().avgPercent),
        passTrend: trend.map((t) => t.stats().passRate),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const scorecardAvg = new Map<string, { score: number; max: number; n: number }>();
  for (const e of evaluations) {
    const s = scorecardAvg.get(e.scorecardId) ?? { score: 0, max: 0, n: 0 };
    s.score += e.score;
    s.max += e.maxScore;
    s.n++;
    scorecardAvg.set(e.scorecardId, s);
  }

  // Per question (followed over versions by its stable id), and the auto-rule overrides.
  type Q = {
    scorecardId: string;
    questionId: string;
    section: string;
    text: string;
    version: number;
    answered: number;
    na: number;
    sum: number;
    failing: number;
    sums: number[];
    counts: number[];
  };
  type O = { scorecardId: string; questionId: string; text: string; rule: string; kind: string; version: number; proposed: number; overridden: number };
  const questions = new Map<string, Q>();
  const overrides = new Map<string, O>();
  for (const e of evaluations) {
    const d = defs.get(e.versionId);
    if (!d) continue;
    for (const { section, question } of questionsOf(d.definition)) {
      const key = `${e.scorecardId}|${question.id}`;
      let row = questions.get(key);
      if (!row)
        questions.set(
          key,
          (row = {
            scorecardId: e.scorecardId,
            questionId: question.id,
            section: section.title,
            text: question.text,
            version: d.version,
            answered: 0,
            na: 0,
            sum: 0,
            failing: 0,
            sums: p.buckets.map(() => 0),
            counts: p.buckets.map(() => 0),
          }),
        );
      // The wording of the newest version names the row.
      if (d.version > row.version) Object.assign(row, { section: section.title, text: question.text, version: d.version });
      const a = Object.hasOwn(e.answers, question.id) ? e.answers[question.id] : undefined;
      if (a?.na) row.na++;
      const v = answerPercent(question, a);
      if (v !== null) {
        row.answered++;
        row.sum += v;
        row.sums[e.bucket] += v;
        row.counts[e.bucket]++;
      }
      if (isFailingAnswer(question, a)) row.failing++;
      if (question.autoRule && a?.auto) {
        let o = overrides.get(key);
        if (!o)
          overrides.set(
            key,
            (o = {
              scorecardId: e.scorecardId,
              questionId: question.id,
              text: question.text,
              rule: describeRule(question.autoRule),
              kind: question.autoRule.kind,
              version: d.version,
              proposed: 0,
              overridden: 0,
            }),
          );
        if (d.version > o.version)
          Object.assign(o, { text: question.text, rule: describeRule(question.autoRule), kind: question.autoRule.kind, version: d.version });
        o.proposed++;
        if (a.auto.overridden) o.overridden++;
      }
    }
  }

  // Evaluators: what they submitted, how far their average is from everyone's, and their open work.
  const now = new Date().toISOString();
  const evaluators = new Map<string, { acc: Acc; open: number; overdue: number }>();
  const evaluatorOf = (id: string) => {
    let x = evaluators.get(id);
    if (!x) evaluators.set(id, (x = { acc: new Acc(), open: 0, overdue: 0 }));
    return x;
  };
  for (const e of evaluations) evaluatorOf(e.evaluatorId).acc.add(e);
  for (const o of openRows) {
    const x = evaluatorOf(o.evaluator_user_id);
    x.open++;
    if (o.due_at && String(o.due_at) < now) x.overdue++;
  }
  const overallStats = overall.stats();

  // Disputes raised in the period and how they ended.
  const disputeTrend = p.buckets.map(() => 0);
  const disputeAgents = new Map<string, { raised: number; open: number; reaffirmed: number; reevaluated: number }>();
  const totals = { raised: 0, open: 0, reaffirmed: 0, reevaluated: 0 };
  const changes: number[] = [];
  for (const d of disputeRows) {
    const i = p.at(localDay(String(d.raised_at), d.time_zone));
    if (i === undefined) continue;
    disputeTrend[i]!++;
    const a = disputeAgents.get(d.agent_user_id) ?? { raised: 0, open: 0, reaffirmed: 0, reevaluated: 0 };
    disputeAgents.set(d.agent_user_id, a);
    const outcome = d.outcome === 'reaffirmed' || d.outcome === 'reevaluated' ? d.outcome : 'open';
    for (const t of [a, totals]) {
      t.raised++;
      t[outcome]++;
    }
    if (d.outcome === 'reevaluated' && d.before_percent !== null && d.after_percent !== null) changes.push(num(d.after_percent) - num(d.before_percent));
  }

  // Calibration sessions: the spread of the evaluators' totals, and its mean per bucket.
  const sessions = new Map<string, { name: string; scorecardId: string; status: string; last: string; day: string; values: number[] }>();
  for (const c of calibrationRows) {
    const s = sessions.get(c.id) ?? { name: c.name, scorecardId: c.scorecard_id, status: c.status, last: '', day: '', values: [] };
    s.values.push(num(c.percent));
    if (String(c.submitted_at) > s.last) {
      s.last = String(c.submitted_at);
      s.day = localDay(s.last, c.time_zone);
    }
    sessions.set(c.id, s);
  }
  const calibrations = [...sessions.entries()]
    .map(([id, s]) => ({ id, ...s, d: dispersion(s.values), bucket: p.at(s.day) }))
    .filter((s) => s.bucket !== undefined && s.values.length >= 2)
    .sort((a, b) => b.day.localeCompare(a.day));
  const calibrationTrend = p.buckets.map((_, i) => {
    const sd = calibrations.filter((c) => c.bucket === i).map((c) => c.d.stdDev!);
    return sd.length ? r2(sd.reduce((s, x) => s + x, 0) / sd.length) : null;
  });

  return {
    from: p.from,
    to: p.to,
    bucket: p.bucket,
    buckets: p.buckets,
    overall: {
      ...overallStats,
      trend: overallTrend.map((t) => t.stats()),
    },
    agents: rows('agent', n.user),
    groups: rows('group', (id) => n.group(id || null)),
    scorecards: rows('scorecard', n.scorecard).map((r) => {
      const s = scorecardAvg.get(r.id!)!;
      return { ...r, avgScore: r2(s.score / s.n), avgMaxScore: r2(s.max / s.n) };
    }),
    questions: [...questions.values()]
      .map((x) => ({
        scorecardId: x.scorecardId,
        scorecardName: n.scorecard(x.scorecardId),
        questionId: x.questionId,
        section: x.section,
        text: x.text,
        answered: x.answered,
        na: x.na,
        avgPercent: x.answered ? r2(x.sum / x.answered) : null,
        failing: x.failing,
        trend: x.sums.map((sum, i) => (x.counts[i] ? r2(sum / x.counts[i]!) : null)),
      }))
      .sort((a, b) => a.scorecardName.localeCompare(b.scorecardName)),
    evaluators: [...evaluators.entries()]
      .map(([id, x]) => {
        const s = x.acc.stats();
        return {
          id,
          name: n.user(id),
          submitted: s.evaluations,
          avgPercent: s.avgPercent,
          passRate: s.passRate,
          /** Their average minus everyone's: a lenient (+) or strict (−) evaluator. */
          deviation: s.avgPercent !== null && overallStats.avgPercent !== null ? r2(s.avgPercent - overallStats.avgPercent) : null,
          open: x.open,
          overdue: x.overdue,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    disputes: {
      ...totals,
      /** Disputes raised per 100 submitted evaluations in the period. */
      rate: overallStats.evaluations ? r2((100 * totals.raised) / overallStats.evaluations) : null,
      /** The mean change of percent a re-evaluation made. */
      avgChange: changes.length ? r2(changes.reduce((s, x) => s + x, 0) / changes.length) : null,
      trend: disputeTrend,
      agents: [...disputeAgents.entries()].map(([id, a]) => ({ id, name: n.user(id), ...a })).sort((a, b) => a.name.localeCompare(b.name)),
    },
    calibrations: calibrations.map((c) => ({
      id: c.id,
      name: c.name,
      scorecardId: c.scorecardId,
      scorecardName: n.scorecard(c.scorecardId),
      status: c.status,
      day: c.day,
      evaluators: c.values.length,
      mean: c.d.mean,
      spread: c.d.spread,
      stdDev: c.d.stdDev,
    })),
    calibrationTrend,
    overrides: [...overrides.values()]
      .map((o) => ({
        scorecardId: o.scorecardId,
        scorecardName: n.scorecard(o.scorecardId),
        questionId: o.questionId,
        text: o.text,
        rule: o.rule,
        kind: o.kind,
        proposed: o.proposed,
        overridden: o.overridden,
        rate: o.proposed ? r2((100 * o.overridden) / o.proposed) : null,
      }))
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.text.localeCompare(b.text)),
  };
}

// ---- Drill-down ----------------------------------------------------------------------------------------------------

export async function drillEvaluations(ctx: AppContext, actor: Actor, q: DrillQuery, all = false) {
  const p = await period(ctx, actor, q);
  if (q.overridden && !q.questionId) throw invalid('overridden needs a questionId', { field: 'overridden' });
  if (q.bucketStart !== undefined && !p.index.has(q.bucketStart))
    throw invalid(`bucketStart is not a ${p.bucket} of the period: "${q.bucketStart}"`, { field: 'bucketStart' });
  const { evaluations, defs } = await load(ctx, actor, p);
  const wantGroup = q.noGroup ? null : undefined;
  const kept = evaluations.filter((e) => {
    if (wantGroup === null && e.groupId !== null) return false;
    if (q.bucketStart !== undefined && e.bucket !== p.index.get(q.bucketStart)) return false;
    if (q.outcome === 'passed' && e.passed !== true) return false;
    if (q.outcome === 'failed' && e.passed !== false) return false;
    if (q.outcome === 'auto_failed' && !e.autoFailed) return false;
    if (q.outcome === 'disputed' && !['disputed', 'reaffirmed', 'reevaluated'].includes(e.responseStatus)) return false;
    if (q.questionId) {
      const def = defs.get(e.versionId);
      if (!def || !questionsOf(def.definition).some((x) => x.question.id === q.questionId)) return false;
      const a = Object.hasOwn(e.answers, q.questionId) ? e.answers[q.questionId] : undefined;
      if (q.overridden ? !a?.auto?.overridden : !a) return false;
    }
    return true;
  });
  const offset = all ? 0 : (q.offset ?? 0);
  const page = all ? kept : kept.slice(offset, offset + (q.limit ?? 50));
  const n = await names(
    ctx,
    actor,
    page.flatMap((e) => [e.agentId, e.evaluatorId]),
  );
  return {
    total: kept.length,
    items: page.map((e) => ({
      id: e.id,
      conversation: { id: e.conversationId, title: e.conversationTitle, startedAt: e.conversationStartedAt },
      agent: { id: e.agentId, name: n.user(e.agentId) },
      evaluator: { id: e.evaluatorId, name: n.user(e.evaluatorId) },
      scorecard: { id: e.scorecardId, name: n.scorecard(e.scorecardId), version: defs.get(e.versionId)?.version ?? null },
      group: e.groupId ? { id: e.groupId, name: n.group(e.groupId) } : null,
      submittedAt: e.submittedAt,
      day: e.day,
      score: e.score,
      maxScore: e.maxScore,
      percent: e.percent,
      passed: e.passed,
      autoFailed: e.autoFailed,
      responseStatus: e.responseStatus,
    })),
  };
}

// ---- CSV -----------------------------------------------------------------------------------------------------------

const filterOf = (q: QualityQuery, r: { from: string; to: string; bucket: string }) => ({
  from: r.from,
  to: r.to,
  bucket: r.bucket,
  groupId: q.groupId,
  agentId: q.agentId,
  scorecardId: q.scorecardId,
  evaluatorId: q.evaluatorId,
});

/** One table of the report as CSV rows (header first). */
export function tableRows(r: Awaited<ReturnType<typeof qualityReport>>, table: ReportTable): unknown[][] {
  const trendCols = (prefix: string) => r.buckets.map((b) => `${prefix} ${b}`);
  switch (table) {
    case 'trend':
      return [
        ['bucket', 'evaluations', 'average percent', 'pass rate', 'auto-failed', 'disputes raised', 'calibration std dev'],
        ...r.buckets.map((b, i) => {
          const t = r.overall.trend[i]!;
          return [b, t.evaluations, t.avgPercent, t.passRate, t.autoFailed, r.disputes.trend[i], r.calibrationTrend[i]];
        }),
        ['period', r.overall.evaluations, r.overall.avgPercent, r.overall.passRate, r.overall.autoFailed, r.disputes.raised, null],
      ];
    case 'agents':
    case 'groups':
      return [
        [table === 'agents' ? 'agent' : 'group', 'evaluations', 'average percent', 'pass rate', 'auto-failed', ...trendCols('average percent')],
        ...r[table].map((x) => [x.name, x.evaluations, x.avgPercent, x.passRate, x.autoFailed, ...x.trend]),
      ];
    case 'scorecards':
      return [
        ['scorecard', 'evaluations', 'average score', 'average maximum', 'average percent', 'pass rate', 'auto-failed', ...trendCols('average percent')],
        ...r.scorecards.map((x) => [x.name, x.evaluations, x.avgScore, x.avgMaxScore, x.avgPercent, x.passRate, x.autoFailed, ...x.trend]),
      ];
    case 'questions':
      return [
        ['scorecard', 'section', 'question', 'answered', 'N/A', 'average percent', 'failing answers', ...trendCols('average percent')],
        ...r.questions.map((x) => [x.scorecardName, x.section, x.text, x.answered, x.na, x.avgPercent, x.failing, ...x.trend]),
      ];
    case 'evaluators':
      return [
        ['evaluator', 'submitted', 'average percent', 'pass rate', 'deviation from everyone', 'open', 'overdue'],
        ...r.evaluators.map((x) => [x.name, x.submitted, x.avgPercent, x.passRate, x.deviation, x.open, x.overdue]),
      ];
    case 'disputes':
      return [
        ['agent', 'raised', 'open', 'reaffirmed', 're-evaluated'],
        ...r.disputes.agents.map((x) => [x.name, x.raised, x.open, x.reaffirmed, x.reevaluated]),
        ['all agents', r.disputes.raised, r.disputes.open, r.disputes.reaffirmed, r.disputes.reevaluated],
      ];
    case 'calibrations':
      return [
        ['calibration', 'scorecard', 'status', 'last submitted', 'evaluators', 'mean percent', 'spread', 'standard deviation'],
        ...r.calibrations.map((x) => [x.name, x.scorecardName, x.status, x.day, x.evaluators, x.mean, x.spread, x.stdDev]),
      ];
    case 'overrides':
      return [
        ['scorecard', 'question', 'rule', 'proposed', 'overridden', 'override rate'],
        ...r.overrides.map((x) => [x.scorecardName, x.text, x.rule, x.proposed, x.overridden, x.rate]),
      ];
  }
}

export async function* reportCsv(ctx: AppContext, actor: Actor, q: QualityQuery & { table?: ReportTable }): AsyncGenerator<string> {
  const table = q.table ?? 'trend';
  const r = await qualityReport(ctx, actor, q);
  const rows = tableRows(r, table);
  await auditExport(ctx, actor, `Quality (${table})`, filterOf(q, r), rows.length - 1);
  for (const row of rows) yield csvLine(row);
}

export async function* drillCsv(ctx: AppContext, actor: Actor, q: DrillQuery, base: string): AsyncGenerator<string> {
  const r = await drillEvaluations(ctx, actor, q, true);
  await auditExport(ctx, actor, 'Quality evaluations', { ...q, format: undefined }, r.items.length);
  yield csvLine([
    'evaluation',
    'submitted at',
    'conversation',
    'conversation started',
    'agent',
    'evaluator',
    'scorecard',
    'version',
    'score',
    'maximum',
    'percent',
    'passed',
    'auto-failed',
    'response',
    'link',
  ]);
  for (const i of r.items)
    yield csvLine([
      i.id,
      i.submittedAt,
      i.conversation.title,
      i.conversation.startedAt,
      i.agent.name,
      i.evaluator.name,
      i.scorecard.name,
      i.scorecard.version,
      i.score,
      i.maxScore,
      i.percent,
      i.passed === null ? '' : i.passed ? 'yes' : 'no',
      i.autoFailed ? 'yes' : 'no',
      i.responseStatus,
      // Opens the evaluation beside its conversation (the link e-mails use).
      `${base}/quality/evaluations/${i.id}`,
    ]);
}
