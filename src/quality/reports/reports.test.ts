// Quality reports on both databases through the HTTP API. The evaluations are written as rows (the reports read what
// the evaluation, response and calibration services store; writing them directly lets each sit on a chosen day) on
// conversations ingested as usual, so the group scope and the site calendar apply as in production. Checked: scores,
// pass rates and trends per agent, group, scorecard and question; evaluators' open and overdue work; disputes and the
// change a re-evaluation made; the calibration spread; auto-rule overrides; the drill-down; CSV of each table (audited);
// the scope and the 4xx on bad filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { Answers, ScorecardDefinition } from '../model.ts';

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: 6,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        {
          id: 'greet',
          text: 'Greeted the customer',
          type: 'yes_no',
          points: 5,
          required: true,
          naAllowed: false,
          autoFail: true,
          commentAllowed: false,
          autoRule: { kind: 'phrase', phrase: 'thank you for calling', expect: 'said', by: 'agent' },
        },
        { id: 'tone', text: 'Tone', type: 'scale', min: 1, max: 5, points: 5, required: false, naAllowed: true, autoFail: false, commentAllowed: false },
      ],
    },
  ],
};

describe.each(ENGINES)('quality reports on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  const ids: Record<string, string> = {};
  const Q = (query: string) => `/api/reports/quality?from=2026-11-02&to=2026-11-15&${query}`;

  async function evaluation(o: {
    conversationId: string;
    agent: string;
    evaluator: string;
    status?: string;
    kind?: string;
    calibrationId?: string | null;
    submittedAt?: string | null;
    dueAt?: string | null;
    percent?: number;
    passed?: number | null;
    autoFailed?: number;
    response?: string;
    answers?: Answers;
  }) {
    const id = newId();
    const now = nowIso();
    const percent = o.percent ?? null;
    await t.db
      .insertInto('evaluations')
      .values({
        id,
        tenant_id: tenantId,
        conversation_id: o.conversationId,
        agent_user_id: o.agent,
        scorecard_id: ids.scorecard!,
        scorecard_version_id: ids.version!,
        evaluator_user_id: o.evaluator,
        kind: o.kind ?? 'review',
        calibration_id: o.calibrationId ?? null,
        status: o.status ?? 'submitted',
        response_status: o.response ?? 'none',
        planned_by: null,
        planned_at: null,
        due_at: o.dueAt ?? null,
        reminded_at: null,
        started_at: null,
        submitted_at: o.submittedAt ?? null,
        revision: o.status === 'submitted' || !o.status ? 1 : 0,
        answers: t.adapter.json(o.answers ?? {}),
        general_comment: null,
        score: percent === null ? null : percent / 10,
        max_score: percent === null ? null : 10,
        percent,
        passed: o.passed ?? null,
        auto_failed: o.autoFailed ?? 0,
        auto_fail_reason: null,
        prefill: null,
        acknowledged_at: null,
        auto_acknowledged: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  async function revision(evaluationId: string, rev: number, percent: number, at: string) {
    await t.db
      .insertInto('evaluation_revisions')
      .values({
        id: newId(),
        tenant_id: tenantId,
        evaluation_id: evaluationId,
        revision: rev,
        evaluator_user_id: ids.e2!,
        answers: t.adapter.json({}),
        general_comment: null,
        score: percent / 10,
        max_score: 10,
        percent,
        passed: percent >= 60 ? 1 : 0,
        auto_failed: 0,
        submitted_at: at,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    let adminUser;
    ({ tenantId, admin, ingest, adminUser } = await tenantWithAdmin(t));
    ids.g1 = await makeGroup(t, tenantId, 'North');
    ids.g1a = await makeGroup(t, tenantId, 'North A', ids.g1);
    ids.g2 = await makeGroup(t, tenantId, 'South');
    ids.a1 = (await makeUser(t, tenantId, { name: 'Alice Agent', extension: '201', groupId: ids.g1a })).id;
    ids.a2 = (await makeUser(t, tenantId, { name: 'Bob Agent', extension: '202', groupId: ids.g2 })).id;
    ids.e1 = (await makeUser(t, tenantId, { name: 'Eve Evaluator' })).id;
    ids.e2 = (await makeUser(t, tenantId, { name: 'Finn Evaluator' })).id;
    ids.c1 = (await makeChat(t, ingest, { agentExtension: '201' })).conversationId;
    ids.c2 = (await makeChat(t, ingest, { agentExtension: '202' })).conversationId;
    const now = nowIso();
    ids.scorecard = newId();
    ids.version = newId();
    await t.db
      .insertInto('scorecards')
      .values({
        id: ids.scorecard,
        tenant_id: tenantId,
        name: 'Phone basics',
        description: '',
        latest_version: 1,
        archived_at: null,
        created_by: adminUser.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto('scorecard_versions')
      .values({
        id: ids.version,
        tenant_id: tenantId,
        scorecard_id: ids.scorecard,
        version: 1,
        definition: t.adapter.json(DEF),
        created_by: adminUser.id,
        created_at: now,
      })
      .execute();

    // Week of Nov 2: Alice 80 % (passed; auto proposal kept) and Bob 100 %; week of Nov 9: Alice 40 % → 60 % after a
    // dispute re-evaluated (auto-failed at first; the evaluator overrode the proposal).
    ids.ev1 = await evaluation({
      conversationId: ids.c1,
      agent: ids.a1,
      evaluator: ids.e1,
      submittedAt: '2026-11-03T12:00:00.000Z',
      percent: 80,
      passed: 1,
      answers: { greet: { value: 'yes', auto: { proposed: 'yes', overridden: false } }, tone: { value: 3 } },
    });
    ids.ev3 = await evaluation({
      conversationId: ids.c2,
      agent: ids.a2,
      evaluator: ids.e1,
      submittedAt: '2026-11-04T12:00:00.000Z',
      percent: 100,
      passed: 1,
      answers: { greet: { value: 'yes' }, tone: { value: 5 } },
    });
    ids.ev2 = await evaluation({
      conversationId: ids.c1,
      agent: ids.a1,
      evaluator: ids.e2,
      submittedAt: '2026-11-11T12:00:00.000Z',
      percent: 60,
      passed: 1,
      response: 'reevaluated',
      answers: { greet: { value: 'no', auto: { proposed: 'yes', overridden: true } }, tone: { na: true, value: null } },
    });
    await revision(ids.ev2, 1, 40, '2026-11-10T12:00:00.000Z');
    await revision(ids.ev2, 2, 60, '2026-11-11T12:00:00.000Z');
    await t.db
      .insertInto('evaluation_disputes')
      .values({
        id: newId(),
        tenant_id: tenantId,
        evaluation_id: ids.ev2,
        revision: 1,
        raised_by: ids.a1,
        reason: 'I did greet',
        raised_at: '2026-11-10T15:00:00.000Z',
        outcome: 'reevaluated',
        resolved_by: ids.e2,
        resolved_at: '2026-11-11T12:00:00.000Z',
        resolution_comment: null,
      })
      .execute();
    // Finn's open work: one overdue, one not due yet; and a review outside the period.
    await evaluation({ conversationId: ids.c2, agent: ids.a2, evaluator: ids.e2, status: 'planned', dueAt: '2026-11-05T12:00:00.000Z' });
    await evaluation({ conversationId: ids.c2, agent: ids.a2, evaluator: ids.e2, status: 'draft', dueAt: null });
    await evaluation({ conversationId: ids.c2, agent: ids.a2, evaluator: ids.e1, submittedAt: '2026-10-20T12:00:00.000Z', percent: 10, passed: 0 });
    // A calibration: three evaluators at 50, 70 and 90 %.
    ids.cal = newId();
    await t.db
      .insertInto('calibrations')
      .values({
        id: ids.cal,
        tenant_id: tenantId,
        name: 'November session',
        conversation_id: ids.c2,
        agent_user_id: ids.a2,
        scorecard_id: ids.scorecard,
        scorecard_version_id: ids.version,
        reference_user_id: null,
        status: 'closed',
        due_at: null,
        created_by: adminUser.id,
        created_at: '2026-11-06T09:00:00.000Z',
        closed_at: '2026-11-07T09:00:00.000Z',
      })
      .execute();
    for (const [i, p] of [50, 70, 90].entries())
      await evaluation({
        conversationId: ids.c2,
        agent: ids.a2,
        evaluator: [ids.e1, ids.e2, adminUser.id][i]!,
        kind: 'calibration',
        calibrationId: ids.cal,
        submittedAt: `2026-11-06T1${i}:00:00.000Z`,
        percent: p,
        passed: 1,
      });
  });
  afterAll(() => t?.cleanup());

  it('conversations carry their agent and group (the fixture the scope relies on)', async () => {
    const rows = await t.db.selectFrom('conversations').select(['id', 'group_id', 'agent_user_id']).where('id', 'in', [ids.c1!, ids.c2!]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.agent_user_id, r.group_id]]))).toEqual({ [ids.c1!]: [ids.a1, ids.g1a], [ids.c2!]: [ids.a2, ids.g2] });
  });

  it('reports scores and pass rates per agent, group, scorecard and question, by week', async () => {
    const r = await ok(await admin.get(Q('bucket=week')));
    // Nov 2 is a Monday: two weeks.
    expect(r.buckets).toEqual(['2026-11-02', '2026-11-09']);
    expect(r.overall).toMatchObject({ evaluations: 3, avgPercent: 80, passRate: 100, autoFailed: 0 });
    expect(r.overall.trend.map((x: Json) => x.evaluations)).toEqual([2, 1]);
    expect(r.overall.trend.map((x: Json) => x.avgPercent)).toEqual([90, 60]);
    expect(r.agents).toEqual([
      { id: ids.a1, name: 'Alice Agent', evaluations: 2, avgPercent: 70, passRate: 100, autoFailed: 0, trend: [80, 60], passTrend: [100, 100] },
      { id: ids.a2, name: 'Bob Agent', evaluations: 1, avgPercent: 100, passRate: 100, autoFailed: 0, trend: [100, null], passTrend: [100, null] },
    ]);
    expect(r.groups.map((g: Json) => [g.name, g.evaluations])).toEqual([
      ['North A', 2],
      ['South', 1],
    ]);
    expect(r.scorecards).toEqual([expect.objectContaining({ id: ids.scorecard, name: 'Phone basics', evaluations: 3, avgScore: 8, avgMaxScore: 10 })]);
    // greet: yes, yes, no → 66.67 % with one failing answer; tone: 3 and 5 on 1–5 (50 %, 100 %) and one N/A.
    expect(r.questions).toEqual([
      expect.objectContaining({ questionId: 'greet', section: 'Opening', answered: 3, na: 0, avgPercent: 66.67, failing: 1, trend: [100, 0] }),
      expect.objectContaining({ questionId: 'tone', answered: 2, na: 1, avgPercent: 75, failing: 0, trend: [75, null] }),
    ]);
  });

  it('reports evaluators, disputes, the calibration spread and auto-rule overrides', async () => {
    const r = await ok(await admin.get(Q('')));
    expect(r.evaluators).toEqual([
      { id: ids.e1, name: 'Eve Evaluator', submitted: 2, avgPercent: 90, passRate: 100, deviation: 10, open: 0, overdue: 0 },
      { id: ids.e2, name: 'Finn Evaluator', submitted: 1, avgPercent: 60, passRate: 100, deviation: -20, open: 2, overdue: 1 },
    ]);
    expect(r.disputes).toMatchObject({ raised: 1, open: 0, reaffirmed: 0, reevaluated: 1, rate: 33.33, avgChange: 20 });
    expect(r.disputes.agents).toEqual([{ id: ids.a1, name: 'Alice Agent', raised: 1, open: 0, reaffirmed: 0, reevaluated: 1 }]);
    expect(r.calibrations).toEqual([
      expect.objectContaining({ id: ids.cal, name: 'November session', evaluators: 3, mean: 70, spread: 40, stdDev: 16.33, day: '2026-11-06' }),
    ]);
    expect(r.calibrationTrend).toEqual([16.33, null]);
    expect(r.overrides).toEqual([
      expect.objectContaining({ questionId: 'greet', rule: '"thank you for calling" said by the agent', proposed: 2, overridden: 1, rate: 50 }),
    ]);
  });

  it('filters by agent, evaluator, scorecard and group (with its subgroups)', async () => {
    expect((await ok(await admin.get(Q(`agentId=${ids.a2}`)))).overall.evaluations).toBe(1);
    expect((await ok(await admin.get(Q(`evaluatorId=${ids.e2}`)))).overall).toMatchObject({ evaluations: 1, avgPercent: 60 });
    expect((await ok(await admin.get(Q(`scorecardId=${ids.scorecard}`)))).overall.evaluations).toBeGreaterThan(0);
    const north = await ok(await admin.get(Q(`groupId=${ids.g1}`)));
    expect(north.agents.map((a: Json) => a.name)).toEqual(['Alice Agent']);
  });

  it('keeps to the group scope and refuses what is outside it', async () => {
    const southLead = await signIn(t.app, await makeUser(t, tenantId, { groupId: ids.g2, permissions: ['reports.view', 'conversations.view'] }));
    const r = await ok(await southLead.get(Q('')));
    expect(r.agents.map((a: Json) => a.name)).toEqual(['Bob Agent']);
    expect(r.disputes.raised).toBe(0);
    await fails(await southLead.get(Q(`groupId=${ids.g1}`)), 403, 'FORBIDDEN');
    // Alice works in the north: to the south lead she is not found, as in the other reports.
    await fails(await southLead.get(Q(`agentId=${ids.a1}`)), 404, 'NOT_FOUND');
    const noReports = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    await fails(await noReports.get(Q('')), 403, 'FORBIDDEN');
  });

  it('refuses bad filters with a 4xx', async () => {
    await fails(await admin.get('/api/reports/quality?from=2026-11-31'), 400, 'VALIDATION_FAILED');
    await fails(await admin.get('/api/reports/quality?from=2026-11-10&to=2026-11-01'), 400, 'VALIDATION_FAILED');
    await fails(await admin.get(`/api/reports/quality?groupId=${newId()}`), 404, 'NOT_FOUND');
    // A filter on something that does not exist is a 404, not an empty report that hides the typo.
    for (const f of ['agentId', 'evaluatorId', 'scorecardId']) await fails(await admin.get(`/api/reports/quality?${f}=${newId()}`), 404, 'NOT_FOUND');
    await fails(await admin.get('/api/reports/quality/evaluations?from=2026-11-02&to=2026-11-15&bucketStart=2026-11-03'), 400, 'VALIDATION_FAILED');
    await fails(await admin.get('/api/reports/quality/evaluations?overridden=true'), 400, 'VALIDATION_FAILED');
    await fails(await admin.get('/api/reports/quality?format=csv&table=nope'), 400, 'VALIDATION_FAILED');
  });

  it('drills down to the evaluations behind a figure', async () => {
    const base = '/api/reports/quality/evaluations?from=2026-11-02&to=2026-11-15';
    const all = await ok(await admin.get(base));
    expect(all.total).toBe(3);
    expect(all.items.map((i: Json) => i.id)).toEqual([ids.ev2, ids.ev3, ids.ev1]);
    expect(all.items[0]).toMatchObject({
      conversation: { id: ids.c1 },
      agent: { id: ids.a1, name: 'Alice Agent' },
      evaluator: { id: ids.e2, name: 'Finn Evaluator' },
      scorecard: { id: ids.scorecard, name: 'Phone basics', version: 1 },
      group: { id: ids.g1a, name: 'North A' },
      day: '2026-11-11',
      percent: 60,
      passed: true,
      responseStatus: 'reevaluated',
    });
    expect((await ok(await admin.get(`${base}&bucketStart=2026-11-02&bucket=week`))).items.map((i: Json) => i.id)).toEqual([ids.ev3, ids.ev1]);
    expect((await ok(await admin.get(`${base}&questionId=greet&overridden=true`))).items.map((i: Json) => i.id)).toEqual([ids.ev2]);
    expect((await ok(await admin.get(`${base}&outcome=disputed`))).items.map((i: Json) => i.id)).toEqual([ids.ev2]);
    expect((await ok(await admin.get(`${base}&questionId=tone`))).total).toBe(3);
    expect((await ok(await admin.get(`${base}&limit=1&offset=1`))).items.map((i: Json) => i.id)).toEqual([ids.ev3]);
  });

  it('downloads every table as CSV and audits each export', async () => {
    const tables = ['trend', 'agents', 'groups', 'scorecards', 'questions', 'evaluators', 'disputes', 'calibrations', 'overrides'];
    for (const table of tables) {
      const res = await admin.get(Q(`format=csv&table=${table}`));
      expect(res.statusCode, table).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.body.split('\r\n').length, table).toBeGreaterThan(2);
    }
    const agents = (await admin.get(Q('format=csv&table=agents&bucket=week'))).body.split('\r\n');
    expect(agents[0]).toBe('agent,evaluations,average percent,pass rate,auto-failed,average percent 2026-11-02,average percent 2026-11-09');
    expect(agents[1]).toBe('Alice Agent,2,70,100,0,80,60');
    const drill = (await admin.get('/api/reports/quality/evaluations?from=2026-11-02&to=2026-11-15&format=csv')).body.split('\r\n');
    expect(drill).toHaveLength(5);
    expect(drill[1]).toContain(`/quality/evaluations/${ids.ev2}`);
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('tenant_id', '=', tenantId)
      .where('action', '=', 'REPORT_EXPORT')
      .execute();
    expect(audits.length).toBe(tables.length + 2);
    expect(audits.map((a) => a.details).join('\n')).toContain('Exported the Quality (overrides) report as CSV (1 rows)');
  });
});
