// The on-demand pre-fill of a saved search's open reviews, on both databases, through the HTTP API and the job: a
// manager starts it for a saved search, the job stores a pre-fill on every planned or draft review the search finds
// (of the scorecard chosen), leaves submitted ones alone, reports progress, and the start is audited; someone else's
// private search, an unknown scorecard and a missing permission are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { actorOfUser, makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { createSavedSearch } from '../../search/saved/service.ts';
import type { Prefill, ScorecardDefinition } from '../model.ts';

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: null,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        {
          id: 'sorry',
          text: 'Apologised',
          type: 'yes_no',
          points: 1,
          required: false,
          naAllowed: false,
          autoFail: false,
          commentAllowed: false,
          autoRule: { kind: 'phrase', phrase: 'sorry', expect: 'said', by: 'agent' },
        },
      ],
    },
  ],
};

describe.each(ENGINES)('pre-fill of a saved search on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let adminActor: Actor;
  let agentId: string;
  const scorecards: string[] = [];
  const versions: string[] = [];

  async function scorecard() {
    const id = newId();
    const versionId = newId();
    const now = nowIso();
    await t.db
      .insertInto('scorecards')
      .values({
        id,
        tenant_id: tenantId,
        name: `Card ${id}`,
        description: '',
        latest_version: 1,
        archived_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto('scorecard_versions')
      .values({ id: versionId, tenant_id: tenantId, scorecard_id: id, version: 1, definition: t.adapter.json(DEF), created_by: null, created_at: now })
      .execute();
    scorecards.push(id);
    versions.push(versionId);
  }

  async function evaluation(conversationId: string, card: number, status: 'planned' | 'draft' | 'submitted') {
    const id = newId();
    const now = nowIso();
    await t.db
      .insertInto('evaluations')
      .values({
        id,
        tenant_id: tenantId,
        conversation_id: conversationId,
        agent_user_id: agentId,
        scorecard_id: scorecards[card]!,
        scorecard_version_id: versions[card]!,
        evaluator_user_id: adminActor.userId,
        kind: 'review',
        calibration_id: null,
        status,
        response_status: 'none',
        planned_by: null,
        planned_at: null,
        due_at: null,
        reminded_at: null,
        started_at: null,
        submitted_at: status === 'submitted' ? now : null,
        revision: status === 'submitted' ? 1 : 0,
        answers: t.adapter.json({}),
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
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  const prefillOf = async (id: string) => {
    const row = await t.db.selectFrom('evaluations').select('prefill').where('id', '=', id).executeTakeFirstOrThrow();
    return t.adapter.fromJson<Prefill | null>(row.prefill);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    let adminUser;
    ({ tenantId, admin, adminUser } = await tenantWithAdmin(t));
    adminActor = await actorOfUser(t, adminUser.id);
    agentId = (await makeUser(t, tenantId, { extension: '5151', name: 'Pat Agent' })).id;
    await scorecard();
    await scorecard();
  });
  afterAll(() => t?.cleanup());

  it('stores a pre-fill on the open reviews the saved search finds, of the scorecard chosen, with progress', async () => {
    const c1 = (await makeChat(t, adminActor, { agentExtension: '5151', customerName: 'Prefill One' })).conversationId;
    const c2 = (await makeChat(t, adminActor, { agentExtension: '5151', customerName: 'Prefill Two' })).conversationId;
    await runJobs(t);
    const planned = await evaluation(c1, 0, 'planned');
    const draft = await evaluation(c2, 0, 'draft');
    const submitted = await evaluation(c1, 0, 'submitted');
    const otherCard = await evaluation(c2, 1, 'planned');
    const search = await createSavedSearch(t, adminActor, { name: `Prefill ${newId()}`, filter: { q: 'Prefill' } });

    const { jobId } = ok(await admin.post('/api/quality/prefill-runs', { savedSearchId: search.id, scorecardId: scorecards[0] }), 202);
    await runJobs(t);
    const job = await t.db.selectFrom('jobs').select(['status', 'progress', 'progress_note']).where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'succeeded', progress: 1, progress_note: '2 of 2 conversations' });
    for (const id of [planned, draft]) {
      const p = await prefillOf(id);
      expect(p?.proposals).toEqual([
        {
          questionId: 'sorry',
          available: true,
          proposed: 'yes',
          measured: 1,
          evidence: [{ startMs: 20_000, endMs: 20_000, party: 'agent', text: 'Sorry to hear that, let me check.' }],
        },
      ]);
    }
    expect(await prefillOf(submitted)).toBeNull();
    expect(await prefillOf(otherCard)).toBeNull();
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('tenant_id', '=', tenantId)
      .where('action', '=', 'QUALITY_PREFILL_RUN')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toContain(search.name);

    // Without a scorecard: every open review of what the search finds.
    ok(await admin.post('/api/quality/prefill-runs', { savedSearchId: search.id }), 202);
    await runJobs(t);
    expect((await prefillOf(otherCard))?.proposals).toHaveLength(1);
  });

  it("refuses someone else's private search, an unknown scorecard and a missing permission", async () => {
    const planner = await makeUser(t, tenantId, { permissions: ['quality.plan', 'conversations.view'] });
    const plannerClient = await signIn(t.app, planner);
    const mine = await createSavedSearch(t, adminActor, { name: `Mine ${newId()}`, filter: {} });
    await fails(await plannerClient.post('/api/quality/prefill-runs', { savedSearchId: mine.id }), 404, 'NOT_FOUND');
    await fails(await admin.post('/api/quality/prefill-runs', { savedSearchId: mine.id, scorecardId: newId() }), 404, 'NOT_FOUND');
    await fails(await admin.post('/api/quality/prefill-runs', { savedSearchId: newId() }), 404, 'NOT_FOUND');
    await fails(await admin.post('/api/quality/prefill-runs', { savedSearchId: 'no spaces allowed' }), 400, 'VALIDATION_FAILED');
    const reviewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['quality.review', 'conversations.view'] }));
    await fails(await reviewer.post('/api/quality/prefill-runs', { savedSearchId: mine.id }), 403, 'FORBIDDEN');
  });
});
