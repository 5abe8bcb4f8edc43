// The demo seed on a fresh database, checked through the database. The suite seeds a scaled-down demo (same special
// cases, about 15 % of the volume: a few seconds) on SQLite and, when available, PostgreSQL; EARSHOT_SLOW_TESTS=1
// also runs the same checks on the full demo on SQLite (about 2,000 conversations, 25–35 s on 2 cores), which is
// what `earshot demo` creates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/helpers/context.ts';
import { ENGINES, type Engine } from '../../test/db.ts';
import { seedDemo, type SeedDemoResult } from './seed.ts';
import { DEMO_AGENTS } from './people.ts';
import { questionsOf, type Answers, type ScorecardDefinition } from '../quality/model.ts';
import { scoreEvaluation } from '../quality/scoring.ts';
import { validateDefinition } from '../quality/scorecards/definition.ts';

const DAY = 86_400_000;

interface Size {
  name: string;
  scale: number;
  conversations: number;
  days: number;
  calls: number;
  chats: number;
  emails: number;
  normal: number;
  transfers: number;
}

const SMALL: Size = { name: 'scaled-down demo', scale: 0.15, conversations: 290, days: 55, calls: 90, chats: 60, emails: 60, normal: 8, transfers: 3 };
const FULL: Size = { name: 'full demo', scale: 1, conversations: 2000, days: 80, calls: 500, chats: 300, emails: 300, normal: 30, transfers: 10 };
// The scaled-down demo on every engine of this run; the full one on SQLite.
const RUNS: Array<Size & { engine: Engine }> = [
  ...ENGINES.map((engine) => ({ ...SMALL, engine })),
  ...(process.env.EARSHOT_SLOW_TESTS === '1' ? [{ ...FULL, engine: 'sqlite' as const }] : []),
];

describe.each(RUNS)('demo seed: $name on $engine', (size) => {
  let ctx: TestContext;
  let first: SeedDemoResult;
  let tenantId: string;
  const now = Date.now();

  beforeAll(async () => {
    ctx = await createTestContext(size.engine);
    first = await seedDemo(ctx, { scale: size.scale, onProgress: () => {} });
    tenantId = first.tenantId;
  }, 240_000);
  afterAll(() => ctx?.cleanup());

  const conversations = () => ctx.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).execute();

  it(`creates at least ${size.conversations} conversations over at least ${size.days} days of the last 90`, async () => {
    expect(first.created).toBe(true);
    const rows = await conversations();
    expect(rows.length).toBeGreaterThanOrEqual(size.conversations);
    expect(first.conversations!.conversations).toBe(rows.length);
    for (const r of rows) {
      const t = Date.parse(r.started_at);
      expect(t).toBeLessThanOrEqual(now);
      expect(t).toBeGreaterThan(now - 90 * DAY);
    }
    expect(new Set(rows.map((r) => r.started_at.slice(0, 10))).size).toBeGreaterThanOrEqual(size.days);
    // Weekdays are busier than weekends.
    const weekend = rows.filter((r) => [0, 6].includes(new Date(r.started_at).getUTCDay())).length;
    expect(weekend / rows.length).toBeLessThan(0.15);
  });

  it('has every channel: calls, chats, email threads and screen recordings', async () => {
    const rows = await conversations();
    const count = (f: (r: (typeof rows)[number]) => unknown) => rows.filter(f).length;
    expect(count((r) => r.has_call)).toBeGreaterThanOrEqual(size.calls);
    expect(count((r) => r.has_chat)).toBeGreaterThanOrEqual(size.chats);
    expect(count((r) => r.has_email)).toBeGreaterThanOrEqual(size.emails);
    expect(count((r) => r.has_screen)).toBeGreaterThanOrEqual(size.scale < 0.5 ? 2 : 5);
    const kinds = await ctx.db
      .selectFrom('segments')
      .select(['kind', sql<number>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('kind')
      .execute();
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(byKind.screen).toBeGreaterThanOrEqual(size.scale < 0.5 ? 3 : 5);
    expect(byKind.screen).toBeLessThanOrEqual(10);
    // Email threads of several messages, some with a link to the source message.
    expect(byKind.email).toBeGreaterThan(count((r) => r.has_email));
    const linked = await ctx.db
      .selectFrom('segments')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'email')
      .where('source_url', 'is not', null)
      .execute();
    expect(linked.length).toBeGreaterThan(0);
    // One call has several monitors.
    const monitors = await ctx.db
      .selectFrom('segments')
      .select(['conversation_id', sql<number>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'screen')
      .groupBy('conversation_id')
      .execute();
    expect(Math.max(...monitors.map((m) => Number(m.n)))).toBeGreaterThanOrEqual(2);
  });

  it('stores calls as stereo G.711 mu-law with one stream per party', async () => {
    const streams = await ctx.db
      .selectFrom('streams as st')
      .innerJoin('segments as s', 's.id', 'st.segment_id')
      .select(['st.codec', 'st.channels', 'st.sample_rate', 'st.channel_index'])
      .where('s.tenant_id', '=', tenantId)
      .where('s.kind', '=', 'call')
      .execute();
    expect(streams.length).toBeGreaterThan(size.calls * 2);
    expect(new Set(streams.map((s) => `${s.codec}/${s.channels}/${s.sample_rate}`))).toEqual(new Set(['pcm_mulaw/2/8000']));
    expect(new Set(streams.map((s) => s.channel_index))).toEqual(new Set([0, 1]));
    // Under the ~500 MB media budget.
    expect(first.conversations!.mediaBytes).toBeLessThan(500_000_000);
  });

  it('joins the two legs of a transfer, and a consultation, into one conversation', async () => {
    const legs = await ctx.db
      .selectFrom('segments')
      .select(['conversation_id', 'external_id', 'metadata'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'call')
      .where((eb) => eb.or([eb('external_id', 'like', '%-2'), eb('external_id', 'like', '%-consult')]))
      .execute();
    const transfers = legs.filter((l) => l.external_id.endsWith('-2'));
    expect(transfers.length).toBeGreaterThanOrEqual(size.transfers);
    expect(legs.some((l) => l.external_id.endsWith('-consult'))).toBe(true);
    for (const leg of legs) {
      const first = await ctx.db
        .selectFrom('segments')
        .select('conversation_id')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'call')
        .where('external_id', '=', leg.external_id.replace(/-(2|consult)$/, ''))
        .executeTakeFirstOrThrow();
      expect(first.conversation_id).toBe(leg.conversation_id);
    }
    const events = await ctx.db
      .selectFrom('segment_events as e')
      .innerJoin('segments as s', 's.id', 'e.segment_id')
      .select(['e.type', sql<number>`count(*)`.as('n')])
      .where('s.tenant_id', '=', tenantId)
      .groupBy('e.type')
      .execute();
    const byType = Object.fromEntries(events.map((e) => [e.type, Number(e.n)]));
    expect(byType.hold).toBeGreaterThan(size.transfers);
    expect(byType.hold).toBe(byType.resume);
    expect(byType.transfer).toBe(transfers.length);
    expect(byType.consult).toBeGreaterThan(0);
  });

  it('covers every call duration bucket', async () => {
    const calls = (await conversations()).filter((r) => r.has_call).map((r) => Number(r.talk_time_ms));
    const bucket = (lo: number, hi: number) => calls.filter((ms) => ms >= lo * 1000 && ms < hi * 1000).length;
    expect(bucket(0, 30)).toBeGreaterThan(size.normal * 2);
    expect(bucket(30, 60)).toBeGreaterThan(size.normal * 2);
    expect(bucket(60, 180)).toBeGreaterThanOrEqual(size.normal);
    expect(bucket(180, 600)).toBeGreaterThanOrEqual(2);
  });

  it('spreads the conversations over the agents of both sites, with some of an unknown agent', async () => {
    const rows = await ctx.db
      .selectFrom('conversations as c')
      .leftJoin('sites as s', 's.id', 'c.site_id')
      .leftJoin('users as u', 'u.id', 'c.agent_user_id')
      .select(['s.name as site', 'u.email as agent', 'c.direction'])
      .where('c.tenant_id', '=', tenantId)
      .execute();
    expect(new Set(rows.map((r) => r.site))).toEqual(new Set(['Paris', 'New York', null]));
    const agents = new Set(rows.map((r) => r.agent).filter(Boolean));
    expect(agents.size).toBe(DEMO_AGENTS.length);
    expect(agents.has('agent@demo.earshot.local')).toBe(true);
    expect(agents.has('agent2@demo.earshot.local')).toBe(true);
    expect(rows.filter((r) => r.agent === null).length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.direction))).toEqual(new Set(['inbound', 'outbound', 'internal']));
    const users = await ctx.db.selectFrom('users').select(['extension']).where('tenant_id', '=', tenantId).where('extension', 'is not', null).execute();
    expect(users.length).toBeGreaterThanOrEqual(12);
  });

  it('tags, comments and custom fields are there', async () => {
    const tags = await ctx.db
      .selectFrom('conversation_tags as ct')
      .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
      .select(['t.name', 't.data_key'])
      .where('t.tenant_id', '=', tenantId)
      .execute();
    const names = new Set(tags.map((t) => t.name));
    for (const n of ['Angry customer', 'Bad audio', 'Calibration', 'Excellent', 'Flag', 'Comment']) expect(names).toContain(n);
    expect(tags.some((t) => t.data_key)).toBe(true);
    const comments = await ctx.db
      .selectFrom('comments as c')
      .innerJoin('conversations as v', 'v.id', 'c.conversation_id')
      .selectAll('c')
      .where('v.tenant_id', '=', tenantId)
      .execute();
    expect(comments.length).toBeGreaterThan(size.conversations / 40);
    expect(comments.some((c) => c.pinned)).toBe(true);
    expect(comments.some((c) => c.visibility === 'private')).toBe(true);
    expect(comments.some((c) => c.offset_ms !== null)).toBe(true);
    expect(comments.some((c) => /@\[[^\]]+\]\([^)]+\)/.test(c.text))).toBe(true);
    const fields = await ctx.db
      .selectFrom('conversation_field_values as v')
      .innerJoin('custom_field_definitions as d', 'd.id', 'v.field_id')
      .select(['d.key', 'v.value'])
      .where('d.tenant_id', '=', tenantId)
      .execute();
    const keys = new Set(fields.map((f) => f.key));
    expect(keys).toEqual(new Set(['cisco_id', 'case_type', 'follow_up']));
  });

  it('has a quality programme: three valid scorecards, reviews in every state with consistent scores, calibrations, moments', async () => {
    const q = first.quality!;
    expect(q).toMatchObject({ skipped: false, scorecards: 3, calibrations: 2 });
    expect(q.moments).toBeGreaterThanOrEqual(3);
    const cards = await ctx.db.selectFrom('scorecard_versions').select(['scorecard_id', 'definition']).where('tenant_id', '=', tenantId).execute();
    expect(cards).toHaveLength(3);
    const defs = new Map(cards.map((c) => [c.scorecard_id, ctx.adapter.fromJson<ScorecardDefinition>(c.definition)]));
    for (const d of defs.values()) expect(validateDefinition(d)).toEqual([]);
    const modes = [...defs.values()];
    expect(modes.some((d) => questionsOf(d).some((x) => x.question.autoFail))).toBe(true);
    expect(modes.some((d) => d.scoring === 'percentage' && d.sections.length > 1)).toBe(true);
    expect(modes.some((d) => questionsOf(d).filter((x) => x.question.autoRule).length >= 5)).toBe(true);

    const all = await ctx.db.selectFrom('evaluations').selectAll().where('tenant_id', '=', tenantId).execute();
    const reviews = all.filter((e) => e.kind === 'review');
    expect(reviews.length).toBe(Math.max(40, Math.round(150 * size.scale)));
    const now = Date.now();
    const state = (e: (typeof reviews)[number]) =>
      e.status === 'planned' ? (Date.parse(String(e.due_at)) < now ? 'overdue' : 'planned') : e.status === 'draft' ? 'draft' : e.response_status;
    const states = new Set(reviews.map(state));
    for (const s of ['planned', 'overdue', 'draft', 'none', 'acknowledged', 'disputed', 'reaffirmed', 'reevaluated']) expect(states, s).toContain(s);
    // Scores are what scoring computes from the stored answers, and every step happened in the past, in order.
    const submitted = reviews.filter((e) => e.status === 'submitted');
    for (const e of submitted) {
      const r = scoreEvaluation(defs.get(e.scorecard_id)!, ctx.adapter.fromJson<Answers>(e.answers));
      expect([Number(e.score), Number(e.percent), e.passed === null ? null : Number(e.passed) === 1]).toEqual([r.score, r.percent, r.passed]);
      expect(Date.parse(String(e.submitted_at))).toBeLessThanOrEqual(now);
      expect(Date.parse(String(e.submitted_at))).toBeGreaterThan(Date.parse(String(e.planned_at)));
    }
    const revisions = await ctx.db.selectFrom('evaluation_revisions').select(['evaluation_id']).where('tenant_id', '=', tenantId).execute();
    const perEvaluation = new Map<string, number>();
    for (const r of revisions) perEvaluation.set(r.evaluation_id, (perEvaluation.get(r.evaluation_id) ?? 0) + 1);
    for (const e of submitted) expect(perEvaluation.get(e.id)).toBe(Number(e.revision));
    // Spread over the period, and the reviewed conversations marked as such.
    expect(new Set(submitted.map((e) => String(e.submitted_at).slice(0, 7))).size).toBeGreaterThanOrEqual(3);
    const reviewed = await ctx.db
      .selectFrom('conversations')
      .select(['id', 'reviewed_at'])
      .where(
        'id',
        'in',
        submitted.map((e) => e.conversation_id),
      )
      .execute();
    expect(reviewed.every((c) => c.reviewed_at)).toBe(true);
    const disputes = await ctx.db.selectFrom('evaluation_disputes').select(['outcome']).where('tenant_id', '=', tenantId).execute();
    expect(new Set(disputes.map((d) => d.outcome))).toEqual(new Set([null, 'reaffirmed', 'reevaluated']));
    // The agent who can log in has results to acknowledge or dispute.
    const alex = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('email', '=', 'agent@demo.earshot.local')
      .executeTakeFirstOrThrow();
    expect(submitted.some((e) => e.agent_user_id === alex.id)).toBe(true);

    const calibrations = await ctx.db.selectFrom('calibrations').select(['id', 'status']).where('tenant_id', '=', tenantId).execute();
    expect(calibrations.map((c) => c.status).sort()).toEqual(['closed', 'open']);
    for (const c of calibrations) {
      const scored = all.filter((e) => e.calibration_id === c.id && e.status === 'submitted');
      expect(scored.length).toBe(c.status === 'closed' ? 3 : 2);
    }
    const moments = await ctx.db.selectFrom('moments').select(['status']).where('tenant_id', '=', tenantId).execute();
    expect(moments.length).toBe(q.moments);
  });

  it('has recording policies that decided none of the seeded calls (issue 12)', async () => {
    const rules = await ctx.db.selectFrom('recording_policies').select(['name', 'action']).where('tenant_id', '=', tenantId).orderBy('position').execute();
    expect(rules.map((r) => r.action)).toEqual(['skip', 'skip', 'sample']);
    const decided = await ctx.db.selectFrom('segments').select('id').where('tenant_id', '=', tenantId).where('recording_rule_id', 'is not', null).execute();
    expect(decided).toEqual([]);
  });

  it('has a retention policy, one legal hold and calls whose media was deleted (issue 12)', async () => {
    const policies = await ctx.db.selectFrom('retention_policies').select(['kind', 'period_days', 'scope']).where('tenant_id', '=', tenantId).execute();
    expect(policies.find((p) => p.kind === 'default')).toMatchObject({ period_days: 730, scope: 'conversation' });
    expect(policies.filter((p) => p.kind === 'rule').length).toBeGreaterThanOrEqual(1);
    const holds = await ctx.db.selectFrom('legal_holds').select(['id', 'status']).where('tenant_id', '=', tenantId).execute();
    expect(holds).toEqual([{ id: expect.any(String), status: 'active' }]);
    const members = await ctx.db.selectFrom('legal_hold_conversations').select('conversation_id').where('hold_id', '=', holds[0]!.id).execute();
    expect(members.length).toBe(4);
    const deleted = await ctx.db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).where('media_state', '=', 'deleted').execute();
    const deletions = await ctx.db
      .selectFrom('deletions')
      .select(['conversation_id', 'status', 'origin'])
      .where('tenant_id', '=', tenantId)
      .where('origin', '=', 'person')
      .execute();
    expect(deletions.length).toBe(3);
    expect(deletions.every((d) => d.status === 'done')).toBe(true);
    for (const d of deletions) expect(deleted.map((c) => c.id)).toContain(d.conversation_id);
    // Held and deleted are different conversations.
    expect(members.some((m) => deletions.some((d) => d.conversation_id === m.conversation_id))).toBe(false);
  });

  it('a second seed adds nothing', async () => {
    const before = (await conversations()).length;
    const again = await seedDemo(ctx);
    expect(again).toEqual({ created: false, tenantId, conversations: null });
    expect((await conversations()).length).toBe(before);
  });

  it('an interrupted seed resumes without duplicating anything', async () => {
    const counts = async () =>
      Promise.all(
        ['conversations', 'segments', 'conversation_tags', 'comments', 'blobs'].map(async (table) =>
          Number(
            (
              await ctx.db
                .selectFrom(table as 'segments')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      );
    const before = await counts();
    // As if the first start had been stopped before the seed finished: the end mark is missing.
    const row = await ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const { demoConversationsSeededAt: _mark, ...rest } = ctx.adapter.fromJson<Record<string, unknown>>(row.settings);
    await ctx.db
      .updateTable('tenants')
      .set({ settings: ctx.adapter.json(rest) })
      .where('id', '=', tenantId)
      .execute();
    const resumed = await seedDemo(ctx, { scale: size.scale, onProgress: () => {} });
    expect(resumed.conversations?.skipped).toBe(false);
    expect(await counts()).toEqual(before);
    expect((await seedDemo(ctx)).conversations).toBeNull();
  });
});
