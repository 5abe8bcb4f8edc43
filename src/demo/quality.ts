// The demo's quality programme (issue 11), so every Quality screen shows something on first start: three scorecards
// (one with an automatic failure, one in percentage mode with weighted sections, one with auto rules), about 150
// reviews over the 90 days in every state (planned, overdue, draft, submitted, acknowledged, disputed, re-affirmed,
// re-evaluated), two calibrations (one closed, one open) and a few moments. It draws from its own random stream (the
// "quality" fork of the demo seed), so the conversations' draws are the same as without it. Rows go in through the
// quality features' repositories with the scores their scoring computes, dated when each step would have happened;
// moments through their service, which queues the clip's rendering (a moment stays "pending" until that job runs).
// Idempotent: a tenant seeded once (the settings mark) is left alone; one that already has scorecards (its own, or an
// interrupted seed's: scorecards and reviews go in one transaction) gets none, only the moments if it has none.
import type { AppContext } from '../context.ts';
import { actorFor } from '../auth/session-service.ts';
import * as authRepo from '../auth/repository.ts';
import type { Executor } from '../platform/db/index.ts';
import type { EvaluationsTable } from '../platform/db/schema.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { newId } from '../platform/ids.ts';
import { CLI_INITIATOR } from '../auth/tenants.ts';
import { questionsOf, type Answer, type Answers, type Question, type ScorecardDefinition } from '../quality/model.ts';
import { scoreEvaluation } from '../quality/scoring.ts';
import * as scorecardRepo from '../quality/scorecards/repository.ts';
import * as evaluationRepo from '../quality/evaluations/repository.ts';
import * as responseRepo from '../quality/responses/repository.ts';
import * as calibrationRepo from '../quality/calibrations/repository.ts';
import { createMoment } from '../quality/moments/service.ts';
import { DEMO_SEED } from './conversations.ts';
import { Rng } from './random.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SEEDED_MARK = 'demoQualitySeededAt';

const yesNo = (id: string, text: string, points: number, more: Partial<Question> = {}): Question =>
  ({ id, text, type: 'yes_no', points, required: true, naAllowed: false, autoFail: false, commentAllowed: true, ...more }) as Question;
const scale = (id: string, text: string, points: number, more: Partial<Question> = {}): Question =>
  ({ id, text, type: 'scale', min: 1, max: 5, points, required: true, naAllowed: false, autoFail: false, commentAllowed: true, ...more }) as Question;

/** The three demo scorecards; the auto-rule card's indicator rule is filled in with the tenant's "Escalation" indicator. */
export function demoScorecards(
  escalationIndicatorId: string | null,
): Array<{ key: string; name: string; description: string; definition: ScorecardDefinition }> {
  return [
    {
      key: 'essentials',
      name: 'Customer care essentials',
      description: 'Every contact: greeting, identity check, understanding, resolution and closing. Missing the identity check fails the review.',
      definition: {
        scoring: 'points',
        passMark: 75,
        sections: [
          {
            id: 'ess-opening',
            title: 'Opening',
            weight: 1,
            questions: [
              yesNo('ess-greet', 'Greeted the customer and gave their name', 10, { helpText: 'Company name and own first name within the first sentences.' }),
              yesNo('ess-identity', "Verified the customer's identity before discussing the account", 15, {
                autoFail: true,
                helpText: 'Two of: date of birth, postcode, last payment amount. Not doing it fails the review.',
              }),
            ],
          },
          {
            id: 'ess-resolution',
            title: 'Understanding and resolution',
            weight: 1,
            questions: [
              scale('ess-need', 'Understood the need (asked questions, reformulated)', 20),
              {
                id: 'ess-resolved',
                text: 'Resolution',
                type: 'choice',
                required: true,
                naAllowed: false,
                autoFail: false,
                commentAllowed: true,
                options: [
                  { id: 'ess-resolved-full', label: 'Resolved in this contact', points: 25 },
                  { id: 'ess-resolved-part', label: 'Partly resolved, next step agreed', points: 15 },
                  { id: 'ess-resolved-none', label: 'Not resolved', points: 0 },
                ],
              },
              yesNo('ess-accurate', 'Gave accurate information', 15),
            ],
          },
          {
            id: 'ess-closing',
            title: 'Closing',
            weight: 1,
            questions: [yesNo('ess-more', 'Offered further help', 5, { required: false, naAllowed: true }), scale('ess-tone', 'Tone and courtesy', 10)],
          },
        ],
      },
    },
    {
      key: 'tech',
      name: 'Technical support quality',
      description: 'Percentage scoring: diagnosis weighs twice as much as communication and follow-up.',
      definition: {
        scoring: 'percentage',
        passMark: 80,
        sections: [
          {
            id: 'tech-diagnosis',
            title: 'Diagnosis',
            weight: 2,
            questions: [
              scale('tech-questions', 'Asked open questions to find the cause', 10),
              {
                id: 'tech-cause',
                text: 'Root cause',
                type: 'choice',
                required: true,
                naAllowed: false,
                autoFail: false,
                commentAllowed: true,
                options: [
                  { id: 'tech-cause-found', label: 'Found and confirmed', points: 10 },
                  { id: 'tech-cause-guess', label: 'Likely cause, not confirmed', points: 5 },
                  { id: 'tech-cause-none', label: 'Not found', points: 0 },
                ],
              },
              yesNo('tech-kb', 'Used the knowledge base article', 5, { required: false, naAllowed: true }),
            ],
          },
          {
            id: 'tech-communication',
            title: 'Communication',
            weight: 1,
            questions: [scale('tech-clear', 'Explained the steps clearly', 10), yesNo('tech-jargon', 'Avoided jargon', 5)],
          },
          {
            id: 'tech-follow-up',
            title: 'Follow-up',
            weight: 1,
            questions: [
              yesNo('tech-ticket', 'Documented the ticket', 5),
              yesNo('tech-expect', 'Set expectations for what happens next', 5, { required: false, naAllowed: true }),
            ],
          },
        ],
      },
    },
    {
      key: 'auto',
      name: 'Automated call checks',
      description: 'Calls: each question carries an auto rule, so the review opens with proposals and their evidence.',
      definition: {
        scoring: 'points',
        passMark: 6,
        sections: [
          {
            id: 'auto-checks',
            title: 'Call checks',
            weight: 1,
            questions: [
              yesNo('auto-greeting', 'Thanked the customer for calling in the first 30 seconds', 2, {
                autoRule: { kind: 'phrase', phrase: 'thank you for calling', expect: 'said', by: 'agent', within: { edge: 'first', seconds: 30 } },
              }),
              yesNo('auto-escalation', 'No request for a manager', 1, {
                autoRule: escalationIndicatorId
                  ? { kind: 'phrase', indicatorId: escalationIndicatorId, expect: 'not_said', by: 'customer' }
                  : { kind: 'phrase', phrase: 'manager', expect: 'not_said', by: 'customer' },
              }),
              yesNo('auto-silence', 'At most 2 long silences', 1, { autoRule: { kind: 'silence_count', max: 2 } }),
              yesNo('auto-hold', 'At most 1 hold', 1, { autoRule: { kind: 'hold_count', max: 1 } }),
              yesNo('auto-talk', 'Balanced conversation (talk-to-listen 0.6–1.8)', 1, { autoRule: { kind: 'talk_listen', min: 0.6, max: 1.8 } }),
              yesNo('auto-ending', 'The customer ended in a good mood (sentiment at the end ≥ 55)', 2, { autoRule: { kind: 'sentiment_end', min: 55 } }),
            ],
          },
        ],
      },
    },
  ];
}

const GENERAL_COMMENTS = [
  'Good contact overall; keep the same structure.',
  'Friendly and efficient. Remember to confirm the next step at the end.',
  'The identity check came late: do it before opening the account.',
  'Clear explanation of the charges; the customer understood.',
  'Long silence while searching the account: tell the customer what you are doing.',
  'Excellent de-escalation after a difficult start.',
  'Check the knowledge base before transferring.',
  'Too much jargon for this customer; rephrase in plain words.',
];
const TIMED_COMMENTS = [
  'Here: the customer asked twice for the same thing.',
  'Nice reformulation of the problem.',
  'This is where the identity check should have been.',
  'Good empathy statement.',
  'Hold without explaining why.',
];
const DISPUTE_REASONS = [
  'I did verify the identity: the customer gave their postcode at the start.',
  'The issue was resolved; the follow-up email was sent the same day.',
  'The silence was the system being slow, not me.',
  'I offered further help at the end, just before the customer hung up.',
];
const REAFFIRM_COMMENTS = ['Listened again: the check was incomplete (one item only). The score stands.', 'The resolution was only partial; the score stands.'];

export interface SeedQualityResult {
  skipped: boolean;
  scorecards: number;
  evaluations: number;
  submitted: number;
  disputes: number;
  calibrations: number;
  moments: number;
}

export async function demoQualitySeeded(ctx: AppContext, tenantId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return Boolean(row && ctx.adapter.fromJson<Record<string, unknown>>(row.settings)?.[SEEDED_MARK]);
}

async function markSeeded(ctx: AppContext, tenantId: string) {
  const row = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = { ...ctx.adapter.fromJson<Record<string, unknown>>(row.settings), [SEEDED_MARK]: new Date().toISOString() };
  await ctx.db
    .updateTable('tenants')
    .set({ settings: ctx.adapter.json(settings) })
    .where('id', '=', tenantId)
    .execute();
}

/** The conversations a demo review may be about: of a known agent (so in a group the evaluators see). */
const candidates = (db: Executor, tenantId: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'agent_user_id', 'group_id', 'started_at', 'ended_at', 'has_call', 'talk_time_ms'])
    .where('tenant_id', '=', tenantId)
    .where('agent_user_id', 'is not', null)
    .where('group_id', 'is not', null)
    .orderBy('started_at')
    .orderBy('id')
    .execute();

/** An answer drawn for an agent of this skill (0–1): better agents earn more, with some noise. */
function drawAnswer(rng: Rng, q: Question, skill: number): Answer {
  if (q.naAllowed && rng.chance(0.15)) return { value: null, na: true };
  const good = Math.max(0.05, Math.min(0.98, skill + rng.between(-0.15, 0.15)));
  switch (q.type) {
    case 'yes_no':
      // Auto-fail questions are rarely missed: a failing review is the exception, not a third of them.
      return { value: rng.chance(q.autoFail ? Math.max(good, 0.9) : good) ? 'yes' : 'no' };
    case 'choice': {
      const sorted = [...q.options].sort((a, b) => b.points - a.points);
      const i = rng.chance(good) ? 0 : rng.chance(0.7) ? 1 : sorted.length - 1;
      return { value: sorted[Math.min(i, sorted.length - 1)]!.id };
    }
    case 'scale':
      return { value: Math.max(q.min, Math.min(q.max, Math.round(q.min + good * (q.max - q.min) + rng.between(-1, 1)))) };
  }
}

function drawAnswers(rng: Rng, def: ScorecardDefinition, skill: number, auto: boolean): Answers {
  const answers: Answers = {};
  for (const { question } of questionsOf(def)) {
    const a = drawAnswer(rng, question, skill);
    // The auto-rule card: the evaluator started from the proposal and changed about one in eight.
    if (auto && question.autoRule && !a.na) {
      const overridden = rng.chance(0.12);
      a.auto = { proposed: overridden ? (a.value === 'yes' ? 'no' : 'yes') : a.value, overridden };
    }
    answers[question.id] = a;
  }
  return answers;
}

/** Another answer than `a` to the same question (a calibration evaluator who saw it differently). */
function differently(rng: Rng, q: Question, a: Answer | undefined): Answer {
  switch (q.type) {
    case 'yes_no':
      return { value: a?.value === 'yes' ? 'no' : 'yes' };
    case 'choice': {
      const others = q.options.filter((o) => o.id !== a?.value);
      return { value: others.length ? rng.pick(others).id : (a?.value ?? null) };
    }
    case 'scale': {
      const v = typeof a?.value === 'number' ? a.value : q.max;
      return { value: v - 1 >= q.min && (v + 1 > q.max || rng.chance(0.5)) ? v - 1 : Math.min(q.max, v + 1) };
    }
  }
}

/** The same answers with the failing ones put right (a re-evaluation after a fair dispute). */
function corrected(def: ScorecardDefinition, answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const { question } of questionsOf(def)) {
    const a = out[question.id];
    if (question.type === 'yes_no' && a?.value === 'no') {
      out[question.id] = { ...a, value: 'yes' };
      break;
    }
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function seedDemoQuality(
  ctx: AppContext,
  tenantId: string,
  staffEmails: { manager: string; evaluator: string; admin: string },
  opts: { scale?: number; now?: Date } = {},
): Promise<SeedQualityResult> {
  const result: SeedQualityResult = { skipped: false, scorecards: 0, evaluations: 0, submitted: 0, disputes: 0, calibrations: 0, moments: 0 };
  if (await demoQualitySeeded(ctx, tenantId)) return { ...result, skipped: true };
  const now = (opts.now ?? new Date()).getTime();
  const rng = new Rng(DEMO_SEED).fork('quality');
  const user = async (email: string) => {
    const u = await authRepo.findUserByEmail(ctx.db, tenantId, email);
    if (!u) throw new Error(`The demo user ${email} is missing`);
    return u.id;
  };
  const manager = await user(staffEmails.manager);
  const evaluator = await user(staffEmails.evaluator);
  const admin = await user(staffEmails.admin);
  const agentLogin = await authRepo.findUserByEmail(ctx.db, tenantId, 'agent@demo.earshot.local');

  const existing = await scorecardRepo.listScorecards(ctx.db, tenantId, 'all');
  if (existing.length === 0) {
    const escalation = await ctx.db
      .selectFrom('indicators')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('builtin_key', '=', 'escalation')
      .executeTakeFirst();
    const cards = demoScorecards(escalation?.id ?? null);
    const convs = await candidates(ctx.db, tenantId);
    const skills = new Map<string, number>();
    const skillOf = (agentId: string) => {
      if (!skills.has(agentId)) skills.set(agentId, rng.between(0.6, 0.92));
      return skills.get(agentId)!;
    };

    await inTransaction(ctx.db, async ({ tx }) => {
      const created = now - 95 * DAY;
      const versions = new Map<string, { scorecardId: string; versionId: string; def: ScorecardDefinition }>();
      for (const c of cards) {
        const scorecardId = newId();
        const versionId = newId();
        await scorecardRepo.insertScorecard(tx, {
          id: scorecardId,
          tenant_id: tenantId,
          name: c.name,
          description: c.description,
          latest_version: 1,
          archived_at: null,
          created_by: admin,
          created_at: iso(created),
          updated_at: iso(created),
        });
        await scorecardRepo.insertVersion(tx, {
          id: versionId,
          tenant_id: tenantId,
          scorecard_id: scorecardId,
          version: 1,
          definition: c.definition,
          created_by: admin,
          created_at: iso(created),
        });
        versions.set(c.key, { scorecardId, versionId, def: c.definition });
        result.scorecards++;
      }

      // Which reviews: about 150 over the period, a fifth of them of the agent who can log in (so "My results" has
      // something to acknowledge and dispute), the rest spread over everyone.
      const total = Math.max(40, Math.round(150 * (opts.scale ?? 1)));
      const login = agentLogin ? convs.filter((c) => c.agent_user_id === agentLogin.id) : [];
      const others = convs.filter((c) => c.agent_user_id !== agentLogin?.id);
      const picked = [...rng.sample(login, Math.round(total * 0.2)), ...rng.sample(others, total)].slice(0, total);
      // The closed session two months ago, the open one a fortnight ago: the calibration trend has two points, and
      // each session's steps lie in the past.
      const calls = convs.filter((c) => Number(c.has_call) && !picked.includes(c));
      const endedBetween = (fromDays: number, toDays: number) =>
        calls.filter((c) => {
          const age = now - Date.parse(String(c.ended_at));
          return age >= fromDays * DAY && age < toDays * DAY;
        });
      const calibrationConvs = [...rng.sample(endedBetween(40, 75), 1), ...rng.sample(endedBetween(10, 25), 1)];

      const forcedRecent: Array<'planned' | 'draft'> = ['planned', 'draft'];
      const forcedOverdue: Array<'overdue'> = ['overdue', 'overdue'];
      const forcedResponses: Array<'acknowledged' | 'disputed' | 'reaffirmed' | 'reevaluated'> = ['acknowledged', 'disputed', 'reaffirmed', 'reevaluated'];
      const rows: EvaluationsTable[] = [];
      const after: Array<(tx: Executor) => Promise<void>> = [];
      for (const c of picked) {
        const ended = Date.parse(String(c.ended_at));
        const age = now - ended;
        const cardKey = Number(c.has_call) && rng.chance(0.35) ? 'auto' : rng.chance(0.35) ? 'tech' : 'essentials';
        const card = versions.get(cardKey)!;
        const who = rng.weighted([
          [evaluator, 70],
          [manager, 25],
          [admin, 5],
        ] as const);
        // Every step in the past, in order, however recent the conversation.
        const plannedAt = Math.max(ended, Math.min(ended + rng.between(2, 20) * HOUR, now - 30 * 60_000));
        const dueAt = plannedAt + rng.int(3, 7) * DAY;
        const base: EvaluationsTable = {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: c.id,
          agent_user_id: c.agent_user_id!,
          scorecard_id: card.scorecardId,
          scorecard_version_id: card.versionId,
          evaluator_user_id: who,
          kind: 'review',
          calibration_id: null,
          status: 'planned',
          response_status: 'none',
          planned_by: manager,
          planned_at: iso(plannedAt),
          due_at: iso(dueAt),
          reminded_at: null,
          started_at: null,
          submitted_at: null,
          revision: 0,
          answers: ctx.adapter.json({}),
          general_comment: null,
          score: null,
          max_score: null,
          percent: null,
          passed: null,
          auto_failed: 0,
          auto_fail_reason: null,
          prefill: null,
          acknowledged_at: null,
          auto_acknowledged: 0,
          created_at: iso(plannedAt),
          updated_at: iso(plannedAt),
        };
        // Recent conversations are still being worked on; older ones were reviewed, a few left overdue. Each state
        // comes up at least once whatever the scale (the first draws are forced).
        const recent = age < 7 * DAY;
        const open = recent
          ? (forcedRecent.shift() ??
            rng.weighted([
              ['planned', 5],
              ['draft', 2],
              ['done', 3],
            ] as const))
          : age < 20 * DAY
            ? (forcedOverdue.shift() ?? (rng.chance(0.25) ? 'overdue' : 'done'))
            : 'done';
        if (open === 'planned') {
          rows.push({ ...base, due_at: iso(Math.max(dueAt, now + rng.int(1, 5) * DAY)) });
          continue;
        }
        if (open === 'overdue') {
          rows.push({ ...base, due_at: iso(Math.min(now - rng.int(1, 4) * DAY, Math.max(plannedAt + DAY, dueAt))) });
          continue;
        }
        const answers = drawAnswers(rng, card.def, skillOf(c.agent_user_id!), cardKey === 'auto');
        if (open === 'draft') {
          const partial = Object.fromEntries(Object.entries(answers).slice(0, 2));
          const startedAt = Math.min(plannedAt + HOUR, now - 10 * 60_000);
          rows.push({ ...base, status: 'draft', started_at: iso(startedAt), answers: ctx.adapter.json(partial), updated_at: iso(startedAt) });
          continue;
        }
        const submittedAt = Math.max(plannedAt + 10 * 60_000, Math.min(now - 20 * 60_000, plannedAt + rng.between(4, 72) * HOUR));
        const score = (a: Answers) => {
          const r = scoreEvaluation(card.def, a);
          const text = new Map(questionsOf(card.def).map((q) => [q.question.id, q.question.text]));
          return {
            r,
            cols: {
              score: r.score,
              max_score: r.maxScore,
              percent: r.percent,
              passed: r.passed === null ? null : r.passed ? 1 : 0,
              auto_failed: r.autoFailed ? 1 : 0,
              auto_fail_reason: r.autoFailed ? `Failed on: ${r.autoFailQuestionIds.map((q) => text.get(q) ?? q).join('; ')}` : null,
            },
          };
        };
        const first = score(answers);
        const comment = rng.chance(0.7) ? rng.pick(GENERAL_COMMENTS) : null;
        const response =
          submittedAt > now - 2 * DAY
            ? 'none'
            : (forcedResponses.shift() ??
              rng.weighted([
                ['none', 32],
                ['acknowledged', 50],
                ['disputed', 5],
                ['reaffirmed', 5],
                ['reevaluated', 8],
              ] as const));
        const respondedAt = Math.min(now - HOUR / 2, submittedAt + rng.between(6, 60) * HOUR);
        const resolvedAt = Math.min(now - HOUR / 4, respondedAt + rng.between(4, 48) * HOUR);
        let row: EvaluationsTable = {
          ...base,
          status: 'submitted',
          started_at: iso(Math.max(plannedAt, submittedAt - rng.between(0.2, 1) * HOUR)),
          submitted_at: iso(submittedAt),
          revision: 1,
          answers: ctx.adapter.json(answers),
          general_comment: comment,
          ...first.cols,
          response_status: response,
          acknowledged_at: response === 'acknowledged' || response === 'reaffirmed' ? iso(response === 'acknowledged' ? respondedAt : resolvedAt) : null,
          updated_at: iso(response === 'none' ? submittedAt : response === 'acknowledged' || response === 'disputed' ? respondedAt : resolvedAt),
        };
        const revision = (rev: number, a: Answers, cols: typeof first.cols, at: number, by: string, text: string | null) => ({
          id: newId(),
          tenant_id: tenantId,
          evaluation_id: row.id,
          revision: rev,
          evaluator_user_id: by,
          answers: ctx.adapter.json(a),
          general_comment: text,
          score: cols.score,
          max_score: cols.max_score,
          percent: cols.percent,
          passed: cols.passed,
          auto_failed: cols.auto_failed,
          submitted_at: iso(at),
        });
        const revisions = [revision(1, answers, first.cols, submittedAt, who, comment)];
        if (response === 'reevaluated') {
          const fixed = corrected(card.def, answers);
          const second = score(fixed);
          revisions.push(revision(2, fixed, second.cols, resolvedAt, who, comment));
          row = { ...row, revision: 2, answers: ctx.adapter.json(fixed), ...second.cols, submitted_at: iso(resolvedAt) };
        }
        rows.push(row);
        result.submitted++;
        const evaluationId = row.id;
        const disputed = response === 'disputed' || response === 'reaffirmed' || response === 'reevaluated';
        const timed = rng.chance(0.3) && Number(c.talk_time_ms) > 10_000;
        const position = Math.round(rng.between(0.1, 0.8) * Number(c.talk_time_ms));
        const timedText = rng.pick(TIMED_COMMENTS);
        const reason = rng.pick(DISPUTE_REASONS);
        const reaffirm = rng.pick(REAFFIRM_COMMENTS);
        after.push(async (db) => {
          for (const r of revisions) await evaluationRepo.insertRevision(db, r);
          await evaluationRepo.markReviewed(db, c.id, iso(submittedAt));
          if (timed)
            await evaluationRepo.insertComment(db, {
              id: newId(),
              tenant_id: tenantId,
              evaluation_id: evaluationId,
              author_user_id: who,
              position_ms: position,
              body: timedText,
              created_at: iso(submittedAt - 10 * 60_000),
            });
          if (disputed) {
            await responseRepo.insertDispute(db, {
              id: newId(),
              tenant_id: tenantId,
              evaluation_id: evaluationId,
              revision: 1,
              raised_by: c.agent_user_id!,
              reason,
              raised_at: iso(respondedAt),
              outcome: response === 'disputed' ? null : response,
              resolved_by: response === 'disputed' ? null : who,
              resolved_at: response === 'disputed' ? null : iso(resolvedAt),
              resolution_comment: response === 'reaffirmed' ? reaffirm : null,
            });
            result.disputes++;
          }
        });
      }
      // A few rows per statement: 33 columns each stay far below SQLite's bound-parameter limit.
      for (let i = 0; i < rows.length; i += 20) await evaluationRepo.insertEvaluations(tx, rows.slice(i, i + 20));
      for (const step of after) await step(tx);
      result.evaluations += rows.length;

      // Two calibrations of the essentials card: one closed with all three scores, one still open with two.
      const card = versions.get('essentials')!;
      for (const [i, c] of calibrationConvs.entries()) {
        const closed = i === 0;
        const created = Math.min(now - 2 * DAY, Date.parse(String(c.ended_at)) + DAY);
        const calibrationId = newId();
        await calibrationRepo.insertCalibration(tx, {
          id: calibrationId,
          tenant_id: tenantId,
          name: closed ? 'Calibration: identity checks' : 'Calibration: resolution quality',
          conversation_id: c.id,
          agent_user_id: c.agent_user_id!,
          scorecard_id: card.scorecardId,
          scorecard_version_id: card.versionId,
          reference_user_id: manager,
          status: closed ? 'closed' : 'open',
          due_at: iso(created + 5 * DAY),
          created_by: manager,
          created_at: iso(created),
          closed_at: closed ? iso(Math.min(now - DAY, created + 4 * DAY)) : null,
        });
        const shared = drawAnswers(rng, card.def, skillOf(c.agent_user_id!), false);
        const calRows: EvaluationsTable[] = [];
        for (const [k, who] of [manager, evaluator, admin].entries()) {
          const submitted = closed || k < 2;
          // Evaluators mostly agree; each of the others differs on a question or two (more in the first session:
          // calibration is converging).
          const answers: Answers = { ...shared };
          for (const { question } of rng.sample(questionsOf(card.def), k === 0 ? 0 : closed ? rng.int(2, 3) : 1))
            answers[question.id] = differently(rng, question, answers[question.id]);
          const r = scoreEvaluation(card.def, answers);
          const at = created + (k + 1) * 6 * HOUR;
          calRows.push({
            id: newId(),
            tenant_id: tenantId,
            conversation_id: c.id,
            agent_user_id: c.agent_user_id!,
            scorecard_id: card.scorecardId,
            scorecard_version_id: card.versionId,
            evaluator_user_id: who,
            kind: 'calibration',
            calibration_id: calibrationId,
            status: submitted ? 'submitted' : 'planned',
            response_status: 'none',
            planned_by: manager,
            planned_at: iso(created),
            due_at: iso(created + 5 * DAY),
            reminded_at: null,
            started_at: submitted ? iso(at - HOUR) : null,
            submitted_at: submitted ? iso(at) : null,
            revision: submitted ? 1 : 0,
            answers: ctx.adapter.json(submitted ? answers : {}),
            general_comment: null,
            score: submitted ? r.score : null,
            max_score: submitted ? r.maxScore : null,
            percent: submitted ? r.percent : null,
            passed: submitted && r.passed !== null ? (r.passed ? 1 : 0) : null,
            auto_failed: submitted && r.autoFailed ? 1 : 0,
            auto_fail_reason: null,
            prefill: null,
            acknowledged_at: null,
            auto_acknowledged: 0,
            created_at: iso(created),
            updated_at: iso(submitted ? at : created),
          });
        }
        await evaluationRepo.insertEvaluations(tx, calRows);
        for (const r of calRows)
          if (r.status === 'submitted')
            await evaluationRepo.insertRevision(tx, {
              id: newId(),
              tenant_id: tenantId,
              evaluation_id: r.id,
              revision: 1,
              evaluator_user_id: r.evaluator_user_id,
              answers: r.answers,
              general_comment: null,
              score: r.score!,
              max_score: r.max_score!,
              percent: r.percent!,
              passed: r.passed,
              auto_failed: r.auto_failed,
              submitted_at: r.submitted_at!,
            });
        result.calibrations++;
        result.evaluations += calRows.length;
      }
      await ctx.audit.append(
        {
          tenantId,
          initiator: CLI_INITIATOR,
          resourceType: 'tenant',
          resourceId: tenantId,
          action: 'DEMO_SEED',
          details: `Seeded the quality programme: ${result.scorecards} scorecards, ${result.evaluations} evaluations (${result.submitted} reviews submitted, ${result.disputes} disputed), ${result.calibrations} calibrations`,
        },
        tx,
      );
    });
  }

  // A few moments on calls, saved by the manager (their clips render when the job runs).
  const hasMoments = await ctx.db.selectFrom('moments').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  const managerActor = await actorFor(ctx, manager, { ip: null, application: 'cli' });
  if (!hasMoments && managerActor) {
    const calls = (await candidates(ctx.db, tenantId)).filter((c) => Number(c.has_call) && Number(c.talk_time_ms) >= 60_000);
    const names = ['Great de-escalation', 'Clear explanation of the bill', 'Missed identity check', 'Warm closing'];
    for (const [i, c] of rng.sample(calls, names.length).entries()) {
      const start = Math.round((rng.between(0.1, 0.5) * Number(c.talk_time_ms)) / 1000) * 1000;
      const length = rng.int(15, 40) * 1000;
      try {
        await createMoment(ctx, managerActor, c.id, {
          name: names[i]!,
          startMs: start,
          endMs: start + length,
          note: i === 2 ? 'For the next team training.' : undefined,
        });
        result.moments++;
      } catch (err) {
        // A conversation too short or without audio is skipped, not fatal for the demo.
        ctx.log.debug({ err, conversationId: c.id }, 'demo moment skipped');
      }
    }
  }
  await markSeeded(ctx, tenantId);
  return result;
}
