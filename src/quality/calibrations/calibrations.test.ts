// Calibration sessions through the HTTP API on both engines: creation and its refusals (agent not in the
// conversation, evaluator without "Review" or outside the conversation's group, reference not among the evaluators,
// archived scorecard), blind scoring (an evaluator sees no one else's score before submitting, the creator sees them as
// they come), the results per question and in total, closing, the list, and the audit events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId } from '../../platform/ids.ts';
import type { Answers } from '../model.ts';
import { makeScorecard } from './test-fixtures.ts';

describe.each(ENGINES)('calibrations on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let manager: Client;
  let managerUser: TestUser;
  let evaluators: TestUser[];
  let clients: Client[];
  let agentUser: TestUser;
  let outsider: TestUser;
  let noReview: TestUser;
  let conversationId: string;
  let scorecardId: string;

  /** Each evaluator submits through the evaluation API, as the form does (scored with the session's version). */
  async function submit(client: Client, evaluationId: string, answers: Answers) {
    return ok(await client.post(`/api/evaluations/${evaluationId}/submit`, { answers, generalComment: null }));
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    const groupA = await makeGroup(t, tenantId, 'A');
    const groupB = await makeGroup(t, tenantId, 'B');
    agentUser = await makeUser(t, tenantId, { roles: ['agent'], extension: '3101', name: 'Alex Agent', groupId: groupA });
    managerUser = await makeUser(t, tenantId, { roles: ['cc_manager'], name: 'Morgan Manager' });
    manager = await signIn(t.app, managerUser);
    evaluators = [
      await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Eva One' }),
      await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Eli Two' }),
      await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Ezra Three', groupId: groupA }),
    ];
    clients = await Promise.all(evaluators.map((u) => signIn(t.app, u)));
    outsider = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Out Sider', groupId: groupB });
    noReview = await makeUser(t, tenantId, { permissions: ['conversations.view'], name: 'No Review' });
    conversationId = (await makeChat(t, ingest, { agentExtension: '3101' })).conversationId;
    scorecardId = await makeScorecard(t, tenantId);
  });
  afterAll(() => t?.cleanup());

  const body = (over: Record<string, unknown> = {}) => ({
    name: 'March calibration',
    conversationId,
    agentUserId: agentUser.id,
    scorecardId,
    evaluatorIds: evaluators.map((e) => e.id),
    ...over,
  });

  it('refuses bad sessions with a stable reason and writes nothing', async () => {
    const other = await makeUser(t, tenantId, { roles: ['agent'], extension: '3199' });
    fails(await manager.post('/api/calibrations', body({ agentUserId: other.id })), 400, 'VALIDATION_FAILED', 'AGENT_NOT_IN_CONVERSATION');
    fails(
      await manager.post('/api/calibrations', body({ evaluatorIds: [evaluators[0]!.id, noReview.id] })),
      400,
      'VALIDATION_FAILED',
      'EVALUATOR_CANNOT_REVIEW',
    );
    fails(
      await manager.post('/api/calibrations', body({ evaluatorIds: [evaluators[0]!.id, outsider.id] })),
      400,
      'VALIDATION_FAILED',
      'EVALUATOR_OUT_OF_SCOPE',
    );
    fails(await manager.post('/api/calibrations', body({ referenceUserId: managerUser.id })), 400, 'VALIDATION_FAILED', 'REFERENCE_NOT_EVALUATOR');
    fails(
      await manager.post('/api/calibrations', body({ evaluatorIds: [evaluators[0]!.id, evaluators[0]!.id] })),
      400,
      'VALIDATION_FAILED',
      'DUPLICATE_EVALUATOR',
    );
    fails(await manager.post('/api/calibrations', body({ evaluatorIds: [evaluators[0]!.id] })), 400, 'VALIDATION_FAILED');
    fails(await manager.post('/api/calibrations', body({ evaluatorIds: [evaluators[0]!.id, agentUser.id] })), 400, 'VALIDATION_FAILED', 'AGENT_AS_EVALUATOR');
    fails(await manager.post('/api/calibrations', body({ dueAt: '2001-01-01T00:00:00.000Z' })), 400, 'VALIDATION_FAILED', 'DUE_IN_PAST');
    const archived = await makeScorecard(t, tenantId, { archived: true });
    fails(await manager.post('/api/calibrations', body({ scorecardId: archived })), 400, 'VALIDATION_FAILED', 'SCORECARD_ARCHIVED');
    fails(await manager.post('/api/calibrations', body({ conversationId: newId() })), 404, 'NOT_FOUND');
    // An agent cannot run calibrations.
    fails(await (await signIn(t.app, agentUser)).post('/api/calibrations', body()), 403, 'FORBIDDEN');
    const count = await t.db
      .selectFrom('calibrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const evals = await t.db.selectFrom('evaluations').select('id').where('tenant_id', '=', tenantId).execute();
    expect(evals).toHaveLength(0);
  });

  it('runs a blind session: each evaluator scores alone, then everyone compares', async () => {
    const created = ok(
      await manager.post('/api/calibrations', body({ referenceUserId: evaluators[0]!.id, dueAt: new Date(Date.now() + 86_400_000).toISOString() })),
      201,
    );
    expect(created).toMatchObject({
      status: 'open',
      evaluators: 3,
      submitted: 0,
      canManage: true,
      resultsVisible: true,
      reference: { id: evaluators[0]!.id, name: 'Eva One' },
    });
    expect(created.participants.map((p: Json) => [p.name, p.status, p.reference])).toEqual([
      ['Eva One', 'planned', true],
      ['Eli Two', 'planned', false],
      ['Ezra Three', 'planned', false],
    ]);
    const rows = await t.db.selectFrom('evaluations').selectAll().where('calibration_id', '=', created.id).execute();
    expect(
      rows.every((r) => r.kind === 'calibration' && r.status === 'planned' && r.agent_user_id === agentUser.id && r.conversation_id === conversationId),
    ).toBe(true);

    // Each evaluator sees the session and their own evaluation, nobody else's score before submitting.
    const seen = ok(await clients[1]!.get(`/api/calibrations/${created.id}`));
    expect(seen).toMatchObject({ resultsVisible: false, results: null, canManage: false, myStatus: 'planned' });
    expect(seen.myEvaluationId).toBe(rows.find((r) => r.evaluator_user_id === evaluators[1]!.id)!.id);
    expect(seen.resultsHiddenReason).toMatch(/Submit your own evaluation first/);

    const evalOf = (i: number) => rows.find((r) => r.evaluator_user_id === evaluators[i]!.id)!.id;
    // Nobody reads another's calibration evaluation through the evaluation API either.
    fails(await clients[1]!.get(`/api/evaluations/${evalOf(0)}`), 404, 'NOT_FOUND');
    const first = await submit(clients[0]!, evalOf(0), { greet: { value: 'yes' }, empathy: { value: 5 } });
    expect(first.result).toMatchObject({ score: 18, maxScore: 18, percent: 100 });
    // Eli has not submitted: still blind, although Eva has; Eva now sees the figures so far (only hers).
    const blind = ok(await clients[1]!.get(`/api/calibrations/${created.id}`));
    expect(blind.results).toBeNull();
    expect(blind.participants.find((p: Json) => p.userId === evaluators[0]!.id).percent).toBeNull();
    expect(ok(await clients[0]!.get(`/api/calibrations/${created.id}`)).results.total.n).toBe(1);

    await submit(clients[1]!, evalOf(1), { greet: { value: 'yes' }, empathy: { value: 3 } });
    const afterOwn = ok(await clients[1]!.get(`/api/calibrations/${created.id}`));
    expect(afterOwn.resultsVisible).toBe(true);
    expect(afterOwn.results.baseline).toBe('reference');
    const empathy = afterOwn.results.questions.find((q: Json) => q.questionId === 'empathy');
    expect(empathy).toMatchObject({ n: 2, mean: 75, spread: 50, variance: 625, stdDev: 25 });
    expect(empathy.evaluators.map((e: Json) => e.deviation)).toEqual([0, -50]);
    expect(afterOwn.results.total.evaluators.map((e: Json) => e.deviation)).toEqual([0, -22.22]);
    // Ezra (not submitted) still sees nothing; the manager who created it sees all.
    expect(ok(await clients[2]!.get(`/api/calibrations/${created.id}`)).results).toBeNull();
    expect(ok(await manager.get(`/api/calibrations/${created.id}`)).results.total.n).toBe(2);

    // Only the creator or a manager outside the session closes it; then everyone sees the results.
    fails(await clients[2]!.post(`/api/calibrations/${created.id}/close`), 403, 'FORBIDDEN');
    const closed = ok(await manager.post(`/api/calibrations/${created.id}/close`));
    expect(closed).toMatchObject({ status: 'closed', submitted: 2 });
    expect(closed.closedAt).toBeTruthy();
    fails(await manager.post(`/api/calibrations/${created.id}/close`), 409, 'CONFLICT', 'ALREADY_CLOSED');
    const late = ok(await clients[2]!.get(`/api/calibrations/${created.id}`));
    expect(late.resultsVisible).toBe(true);
    expect(late.results.evaluators.map((e: Json) => e.name)).toEqual(['Eva One', 'Eli Two']);
    // Ezra saw the others' scores once it closed: a closed session takes no more scores (nor drafts) until reopened.
    const ezra = { answers: { greet: { value: 'no' }, empathy: { value: 1 } }, generalComment: null };
    fails(await clients[2]!.post(`/api/evaluations/${evalOf(2)}/submit`, ezra), 409, 'CONFLICT', 'CALIBRATION_CLOSED');
    fails(await clients[2]!.put(`/api/evaluations/${evalOf(2)}/draft`, ezra), 409, 'CONFLICT', 'CALIBRATION_CLOSED');
    const afterLate = ok(await manager.get(`/api/calibrations/${created.id}`));
    expect(afterLate.results.total.n).toBe(2);
    expect(afterLate.participants.find((p: Json) => p.userId === evaluators[2]!.id).status).not.toBe('submitted');
    const reopened = ok(await manager.post(`/api/calibrations/${created.id}/reopen`));
    expect(reopened.status).toBe('open');
    await submit(clients[2]!, evalOf(2), ezra.answers as Answers);
    expect(ok(await manager.get(`/api/calibrations/${created.id}`)).results.total.n).toBe(3);

    // The audit trail holds the creation with its values, the close and the reopen.
    const audit = ok(await admin.get(`/api/audit?resourceId=${created.id}&limit=50`)).items as Json[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['CALIBRATION_CREATE', 'CALIBRATION_CLOSE', 'CALIBRATION_REOPEN']));
    const create = audit.find((a) => a.action === 'CALIBRATION_CREATE');
    expect(create.changes).toEqual(expect.arrayContaining([{ field: 'evaluatorIds', old: null, new: evaluators.map((e) => e.id) }]));
    const close = audit.find((a) => a.action === 'CALIBRATION_CLOSE');
    expect(close.changes).toEqual(expect.arrayContaining([{ field: 'status', old: 'open', new: 'closed' }]));
  });

  it('lists sessions to their creator, their evaluators and managers in scope only', async () => {
    const mine = ok(await clients[0]!.get('/api/calibrations'));
    expect(mine.items.length).toBeGreaterThanOrEqual(1);
    expect(mine.items[0]).toMatchObject({ name: 'March calibration', evaluators: 3, agent: { name: 'Alex Agent' } });
    expect(mine.items[0].myEvaluationId).toBeTruthy();
    expect(ok(await manager.get('/api/calibrations?status=open')).items.map((x: Json) => x.status)).toEqual(['open']);
    expect(ok(await manager.get('/api/calibrations?status=closed')).items).toEqual([]);
    // An evaluator of group B takes part in nothing and cannot see the conversation: no session listed, 404 on it.
    const out = await signIn(t.app, outsider);
    expect(ok(await out.get('/api/calibrations')).items).toEqual([]);
    fails(await out.get(`/api/calibrations/${mine.items[0].id}`), 404, 'NOT_FOUND');
    fails(await (await signIn(t.app, agentUser)).get('/api/calibrations'), 403, 'FORBIDDEN');
  });

  it('pages the list with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(ok(await manager.post('/api/calibrations', body({ name: `Paged ${i}` })), 201).id);
    const first = ok(await manager.get('/api/calibrations?limit=2'));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = ok(await manager.get(`/api/calibrations?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`));
    const all = [...first.items, ...second.items].map((x: Json) => x.id);
    expect(new Set(all).size).toBe(all.length);
    for (const id of ids) expect(all).toContain(id);
  });
});
