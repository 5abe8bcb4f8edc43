// The insights reports through HTTP on both engines: Indicator Mentions (counts, shares, trends by day and week,
// drill-down with snippets, CSV), Speaker Metrics (averages per agent and group over time), the group scope of a
// supervisor, bad filters, and the audit of exports. Mentions and insight rows are written as the analysers store
// them (the pinned columns), after the ingest pipeline has run, so the figures are known exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { bucketOf, bucketsBetween, csvField, snippet } from './service.ts';

describe('report helpers', () => {
  it('buckets days into ISO weeks and months', () => {
    expect(bucketOf('2026-12-06', 'week')).toBe('2026-11-30'); // a Sunday → its Monday
    expect(bucketOf('2026-11-30', 'week')).toBe('2026-11-30');
    expect(bucketOf('2026-12-06', 'month')).toBe('2026-12-01');
    expect(bucketsBetween('2026-11-28', '2026-12-08', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(bucketsBetween('2026-11-28', '2026-12-01', 'day')).toEqual(['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
  });
  it('defuses spreadsheet formulas and quotes CSV fields', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField(-2)).toBe('-2');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
  });
  it('cuts a snippet at word boundaries and keeps the highlight on the mention', () => {
    const text = `${'word '.repeat(30)}I want to cancel my account right now ${'more '.repeat(30)}`;
    const start = text.indexOf('cancel');
    const s = snippet(text, start, start + 'cancel my account'.length);
    expect(s.text.slice(s.highlight[0], s.highlight[1])).toBe('cancel my account');
    expect(s.text.startsWith('… ')).toBe(true);
    expect(s.text.endsWith(' …')).toBe(true);
  });
});

describe.each(ENGINES)('insights reports on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let supervisor: Client;
  let groupA: string;
  let groupB: string;
  let agentA: string;
  let agentB: string;
  let ind: { categoryId: string; id: string; k1: string; k2: string };
  const conv: Record<string, string> = {};
  const today = new Date();
  const day = (ago: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ago, 10)).toISOString().slice(0, 10);
  const at = (ago: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ago, 10));

  async function mention(conversationId: string, keywordId: string, range: [number, number] = [10, 17]) {
    const c = await t.db.selectFrom('conversations').select(['started_at']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    const seg = await t.db.selectFrom('segments').select('id').where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const msg = await t.db.selectFrom('chat_messages').select('id').where('segment_id', '=', seg.id).orderBy('seq').executeTakeFirstOrThrow();
    await t.db
      .insertInto('indicator_mentions')
      .values({
        id: newId(),
        tenant_id: tenantId,
        conversation_id: conversationId,
        indicator_id: ind.id,
        keyword_id: keywordId,
        line_id: msg.id,
        role: 'customer',
        start_ms: null,
        range_start: range[0],
        range_end: range[1],
        started_at: c.started_at,
        created_at: nowIso(),
      })
      .execute();
  }

  async function insights(conversationId: string, m: { ratio: number | null; wpm: number | null; responseMs?: number }) {
    await t.db.deleteFrom('conversation_insights').where('conversation_id', '=', conversationId).execute();
    await t.db
      .insertInto('conversation_insights')
      .values({
        conversation_id: conversationId,
        tenant_id: tenantId,
        status: 'done',
        error: null,
        language: 'en',
        sentiment_score: 40,
        sentiment_label: 'negative',
        engagement_score: 70,
        talk_listen_ratio: m.ratio,
        words_per_minute: m.wpm,
        fillers_per_minute: 1,
        longest_monologue_ms: 20_000,
        avg_response_ms: m.responseMs ?? 800,
        details: t.adapter.json({}),
        computed_at: nowIso(),
        analyser_version: 1,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    let ingest;
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    groupA = await makeGroup(t, tenantId, 'Team A');
    groupB = await makeGroup(t, tenantId, 'Team B');
    agentA = (await makeUser(t, tenantId, { roles: ['agent'], extension: '4001', groupId: groupA, name: 'Alice Agent' })).id;
    agentB = (await makeUser(t, tenantId, { roles: ['agent'], extension: '4002', groupId: groupB, name: 'Bob Agent' })).id;
    supervisor = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupA }));

    const now = nowIso();
    ind = { categoryId: newId(), id: newId(), k1: newId(), k2: newId() };
    await t.db
      .insertInto('indicator_categories')
      .values({ id: ind.categoryId, tenant_id: tenantId, name: 'Billing', position: 0, created_at: now, updated_at: now })
      .execute();
    await t.db
      .insertInto('indicators')
      .values({
        id: ind.id,
        tenant_id: tenantId,
        category_id: ind.categoryId,
        name: 'Invoice dispute',
        speaker: 'both',
        builtin_key: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // Phrases the chats never say: whatever the pipeline finds, these keywords' mentions are the ones written below.
    await t.db
      .insertInto('indicator_keywords')
      .values([
        { id: ind.k1, tenant_id: tenantId, indicator_id: ind.id, text: 'zebra invoice' },
        { id: ind.k2, tenant_id: tenantId, indicator_id: ind.id, text: '=quantum refund' },
      ])
      .execute();

    conv.a1 = (await makeChat(t, ingest, { agentExtension: '4001', at: at(2) })).conversationId;
    conv.a2 = (await makeChat(t, ingest, { agentExtension: '4001', at: at(1) })).conversationId;
    conv.a3 = (await makeChat(t, ingest, { agentExtension: '4001', at: at(1) })).conversationId;
    conv.b1 = (await makeChat(t, ingest, { agentExtension: '4002', at: at(1) })).conversationId;
    conv.old = (await makeChat(t, ingest, { agentExtension: '4001', at: at(200) })).conversationId;
    await runJobs(t);
    // Only the insight rows below count (where the pipeline analyses chats, it has written its own).
    await t.db.deleteFrom('conversation_insights').where('tenant_id', '=', tenantId).execute();
    await mention(conv.a1, ind.k1);
    await mention(conv.a1, ind.k1);
    await mention(conv.a2, ind.k2);
    await mention(conv.b1, ind.k1);
    await mention(conv.old, ind.k1);
    await insights(conv.a1, { ratio: 1, wpm: 100 });
    await insights(conv.a2, { ratio: 2, wpm: 140 });
    await insights(conv.b1, { ratio: 4, wpm: 160 });
  });
  afterAll(() => t?.cleanup());

  const find = (list: Json[], id: string) => list.find((x) => x.id === id);

  describe('indicator mentions', () => {
    it('counts mentions and interactions per category, indicator and keyword, with shares and daily trends', async () => {
      const r = ok(await admin.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}`));
      expect(r.buckets).toHaveLength(7);
      expect(r.interactions).toBe(4);
      expect(r.interactionsTrend.slice(-3)).toEqual([1, 3, 0]);
      expect(find(r.categories, ind.categoryId)).toMatchObject({ name: 'Billing', mentions: 4, interactions: 3, percent: 75 });
      expect(find(r.indicators, ind.id)).toMatchObject({ name: 'Invoice dispute', categoryId: ind.categoryId, mentions: 4, interactions: 3 });
      const k1 = find(r.keywords, ind.k1);
      expect(k1).toMatchObject({ name: 'zebra invoice', indicatorId: ind.id, mentions: 3, interactions: 2, percent: 50 });
      expect(k1.trend.slice(-3)).toEqual([1, 1, 0]);
      expect(k1.mentionsTrend.slice(-3)).toEqual([2, 1, 0]);
      expect(find(r.keywords, ind.k2)).toMatchObject({ mentions: 1, interactions: 1, percent: 25 });
    });

    it('folds days into weeks, and filters by indicator, group and agent', async () => {
      const weekly = ok(await admin.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}&bucket=week&indicatorId=${ind.id}`));
      expect(weekly.buckets.length).toBeLessThanOrEqual(2);
      expect(weekly.indicators.map((x: Json) => x.id)).toEqual([ind.id]);
      expect(find(weekly.indicators, ind.id).trend.reduce((a: number, b: number) => a + b, 0)).toBe(3);
      const b = ok(await admin.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}&groupId=${groupB}`));
      expect(b.interactions).toBe(1);
      expect(find(b.keywords, ind.k1)).toMatchObject({ mentions: 1, interactions: 1, percent: 100 });
      const alice = ok(await admin.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}&userId=${agentA}`));
      expect(alice.interactions).toBe(3);
      expect(find(alice.indicators, ind.id)).toMatchObject({ interactions: 2 });
    });

    it("keeps a supervisor to their groups' interactions", async () => {
      const r = ok(await supervisor.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}`));
      expect(r.interactions).toBe(3);
      expect(find(r.keywords, ind.k1)).toMatchObject({ mentions: 2, interactions: 1 });
      fails(await supervisor.get(`/api/reports/indicator-mentions?groupId=${groupB}`), 403, 'FORBIDDEN');
      fails(await admin.get(`/api/reports/indicator-mentions?groupId=${newId()}`), 404, 'NOT_FOUND');
      // An agent filter is checked like a group: unknown, or outside the scope, is not found (not an empty report).
      fails(await admin.get(`/api/reports/indicator-mentions?userId=${newId()}`), 404, 'NOT_FOUND');
      fails(await supervisor.get(`/api/reports/speaker-metrics?userId=${agentB}`), 404, 'NOT_FOUND');
      ok(await supervisor.get(`/api/reports/speaker-metrics?userId=${agentA}`));
    });

    it('defaults to the last 90 days and refuses bad periods', async () => {
      const r = ok(await admin.get('/api/reports/indicator-mentions'));
      expect(r.buckets).toHaveLength(90);
      expect(r.to).toBe(day(0));
      expect(find(r.keywords, ind.k1).mentions).toBe(3); // the 200-day-old mention is outside
      fails(await admin.get('/api/reports/indicator-mentions?from=2026-02-30'), 400, 'VALIDATION_FAILED');
      fails(await admin.get(`/api/reports/indicator-mentions?from=${day(0)}&to=${day(3)}`), 400, 'VALIDATION_FAILED');
      fails(await admin.get('/api/reports/indicator-mentions?from=2020-01-01&to=2026-01-01'), 400, 'VALIDATION_FAILED');
      fails(await admin.get('/api/reports/indicator-mentions?bucket=year'), 400, 'VALIDATION_FAILED');
    });

    it('drills down to the interactions with snippets around each mention', async () => {
      const r = ok(await admin.get(`/api/reports/indicator-mentions/interactions?from=${day(6)}&to=${day(0)}&keywordId=${ind.k1}`));
      expect(r.total).toBe(2);
      expect(r.items.map((i: Json) => i.conversationId).sort()).toEqual([conv.a1, conv.b1].sort());
      const a1 = r.items.find((i: Json) => i.conversationId === conv.a1);
      expect(a1).toMatchObject({ mentions: 2, channel: 'chat', agentName: 'Alice Agent' });
      expect(a1.snippets).toHaveLength(2);
      const s = a1.snippets[0];
      expect(s).toMatchObject({ keywordId: ind.k1, keyword: 'zebra invoice', indicatorId: ind.id, role: 'customer' });
      expect(s.text.slice(s.highlight[0], s.highlight[1])).toBe('invoice');
      const page = ok(await admin.get(`/api/reports/indicator-mentions/interactions?from=${day(6)}&to=${day(0)}&indicatorId=${ind.id}&limit=1&offset=1`));
      expect(page.total).toBe(3);
      expect(page.items).toHaveLength(1);
      const scoped = ok(await supervisor.get(`/api/reports/indicator-mentions/interactions?from=${day(6)}&to=${day(0)}&keywordId=${ind.k1}`));
      expect(scoped.items.map((i: Json) => i.conversationId)).toEqual([conv.a1]);
    });

    it('exports CSV, defused and audited', async () => {
      const res = await admin.get(`/api/reports/indicator-mentions?from=${day(6)}&to=${day(0)}&format=csv`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="indicator-mentions-/);
      const lines = res.body.trim().split('\r\n');
      expect(lines[0]).toMatch(/^level,category,indicator,keyword,mentions,interactions,percent of interactions,interactions \d{4}-/);
      expect(lines).toContain(`keyword,Billing,Invoice dispute,zebra invoice,3,2,50,0,0,0,0,1,1,0`);
      expect(lines.some((l) => l.startsWith("keyword,Billing,Invoice dispute,'=quantum refund,1,1,25"))).toBe(true);
      const drill = await admin.get(`/api/reports/indicator-mentions/interactions?from=${day(6)}&to=${day(0)}&indicatorId=${ind.id}&format=csv`);
      expect(drill.body.trim().split('\r\n')).toHaveLength(4);
      const audit = ok(await admin.get('/api/audit?action=REPORT_EXPORT&limit=10')).items as Json[];
      expect(audit.map((e) => e.details)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('Indicator Mentions report as CSV'),
          expect.stringContaining('Indicator Mentions interactions report as CSV'),
        ]),
      );
      // A refused filter is a JSON 400, not a broken download.
      fails(await admin.get('/api/reports/indicator-mentions?from=bad&format=csv'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('speaker metrics', () => {
    it('averages per agent, group and overall, with a trend per bucket', async () => {
      const r = ok(await admin.get(`/api/reports/speaker-metrics?from=${day(6)}&to=${day(0)}`));
      expect(r.overall).toMatchObject({ interactions: 3, talkListenRatio: 2.33, sentiment: 40, engagement: 70 });
      const alice = r.agents.find((a: Json) => a.id === agentA);
      expect(alice).toMatchObject({ name: 'Alice Agent', interactions: 2, talkListenRatio: 1.5, wordsPerMinute: 120, avgResponseMs: 800 });
      expect(alice.trend.slice(-3).map((p: Json) => p.talkListenRatio)).toEqual([1, 2, null]);
      expect(r.groups.map((g: Json) => [g.name, g.interactions, g.talkListenRatio])).toEqual([
        ['Team A', 2, 1.5],
        ['Team B', 1, 4],
      ]);
      const scoped = ok(await supervisor.get(`/api/reports/speaker-metrics?from=${day(6)}&to=${day(0)}`));
      expect(scoped.groups.map((g: Json) => g.name)).toEqual(['Team A']);
      expect(scoped.overall.interactions).toBe(2);
      const csv = await admin.get(`/api/reports/speaker-metrics?from=${day(6)}&to=${day(0)}&format=csv`);
      expect(csv.body.split('\r\n')[0]).toBe(
        'level,name,bucket,interactions,calls,talkListenRatio,wordsPerMinute,fillersPerMinute,longestMonologueMs,avgResponseMs,textResponseMs,sentiment,engagement,silencesPerCall,crosstalksPerCall,holdsPerCall',
      );
      expect(csv.body).toContain('agent,Alice Agent,period,2,0,1.5,120,1,20000,800,,40,70,,,');
    });

    it('keeps chat and e-mail response times (minutes, hours) apart from call response times (seconds)', async () => {
      // A chat's summary has no talk-to-listen ratio; its agent answered after an hour.
      await insights(conv.a3, { ratio: null, wpm: null, responseMs: 3_600_000 });
      try {
        const r = ok(await admin.get(`/api/reports/speaker-metrics?from=${day(6)}&to=${day(0)}`));
        const alice = r.agents.find((a: Json) => a.id === agentA);
        expect(alice).toMatchObject({ interactions: 3, avgResponseMs: 800, textResponseMs: 3_600_000, talkListenRatio: 1.5 });
        expect(r.overall).toMatchObject({ avgResponseMs: 800, textResponseMs: 3_600_000 });
        expect(r.agents.find((a: Json) => a.name === 'Bob Agent')).toMatchObject({ avgResponseMs: 800, textResponseMs: null });
        const csv = await admin.get(`/api/reports/speaker-metrics?from=${day(6)}&to=${day(0)}&format=csv`);
        expect(csv.body).toContain('agent,Alice Agent,period,3,0,1.5,120,1,20000,800,3600000,40,70,,,');
      } finally {
        await t.db.deleteFrom('conversation_insights').where('conversation_id', '=', conv.a3).execute();
      }
    });

    it('names the agent a report is filtered on, within the group scope', async () => {
      // The reports' address keeps only the agent's id: the filter bar shows the name after a reload.
      expect(ok(await admin.get(`/api/reports/agents/${agentB}`))).toEqual({ id: agentB, name: 'Bob Agent' });
      expect(ok(await supervisor.get(`/api/reports/agents/${agentA}`))).toEqual({ id: agentA, name: 'Alice Agent' });
      fails(await supervisor.get(`/api/reports/agents/${agentB}`), 404, 'NOT_FOUND');
      fails(await admin.get(`/api/reports/agents/${newId()}`), 404, 'NOT_FOUND');
    });

    it('needs reports.view', async () => {
      const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
      fails(await viewer.get(`/api/reports/agents/${agentA}`), 403, 'FORBIDDEN');
      fails(await viewer.get('/api/reports/speaker-metrics'), 403, 'FORBIDDEN');
      fails(await viewer.get('/api/reports/indicator-mentions'), 403, 'FORBIDDEN');
    });
  });
});
