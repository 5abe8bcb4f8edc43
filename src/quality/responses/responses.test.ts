// Agents' responses to evaluations through the HTTP API on both engines, with e-mail delivered to an in-process SMTP
// server: acknowledge, dispute (one per revision), re-affirm, re-evaluate through the evaluation's submit, who may do
// what (someone else's evaluation is refused), the lists, audit with old/new values, and the auto-acknowledge job.
// Submitted reviews are written straight into the tables so these tests depend on the evaluation API only where they
// re-evaluate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/helpers/smtp.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { ScorecardDefinition } from '../model.ts';
import { autoAcknowledge } from './service.ts';

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: 5,
  sections: [
    {
      id: 's1',
      title: 'Greeting',
      weight: 1,
      questions: [
        { id: 'q1', type: 'yes_no', text: 'Greeted the customer?', points: 10, required: true, naAllowed: false, autoFail: false, commentAllowed: true },
      ],
    },
  ],
};

describe.each(ENGINES)('evaluation responses on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let smtp: TestSmtp;
  let tenantId: string;
  let admin: Client;
  let adminUser: TestUser;
  let ingest: Actor;
  let agentUser: TestUser;
  let agent: Client;
  let otherAgentUser: TestUser;
  let otherAgent: Client;
  let evaluatorUser: TestUser;
  let evaluator: Client;
  let managerUser: TestUser;
  let manager: Client;
  let outsiderManager: Client;
  let scorecardId: string;
  let versionId: string;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000', EARSHOT_PUBLIC_URL: 'https://qa.example.com' });
    ({ tenantId, admin, adminUser, ingest } = await tenantWithAdmin(t));
    ok(await admin.patch('/api/settings', { smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'none', smtpFrom: 'Earshot <earshot@example.com>' }));
    const team = await makeGroup(t, tenantId, 'Team A');
    const elsewhere = await makeGroup(t, tenantId, 'Team B');
    agentUser = await makeUser(t, tenantId, { roles: ['agent'], name: 'Alma Agent', extension: '5001', groupId: team });
    otherAgentUser = await makeUser(t, tenantId, { roles: ['agent'], name: 'Otto Other', extension: '5002', groupId: team });
    evaluatorUser = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Eva Evaluator' });
    managerUser = await makeUser(t, tenantId, { roles: ['cc_manager'], name: 'Manon Manager', groupId: team });
    [agent, otherAgent, evaluator, manager, outsiderManager] = await Promise.all([
      signIn(t.app, agentUser),
      signIn(t.app, otherAgentUser),
      signIn(t.app, evaluatorUser),
      signIn(t.app, managerUser),
      signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], name: 'Olga Outside', groupId: elsewhere })),
    ]);
    // French for the manager: the dispute e-mail she gets is in French.
    await t.db.updateTable('users').set({ language: 'fr' }).where('id', '=', managerUser.id).execute();
    scorecardId = newId();
    versionId = newId();
    const now = nowIso();
    await t.db
      .insertInto('scorecards')
      .values({
        id: scorecardId,
        tenant_id: tenantId,
        name: 'Basics',
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
      .values({ id: versionId, tenant_id: tenantId, scorecard_id: scorecardId, version: 1, definition: t.adapter.json(DEF), created_by: null, created_at: now })
      .execute();
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  /** A submitted review of the agent by the evaluator, as the evaluation API leaves it. */
  async function submitted(opts: { agentId?: string; evaluatorId?: string; submittedAt?: string } = {}) {
    const { conversationId } = await makeChat(t, ingest, { agentExtension: '5001' });
    const id = newId();
    const at = opts.submittedAt ?? nowIso();
    const answers = t.adapter.json({ q1: { value: 'yes' } });
    await t.db
      .insertInto('evaluations')
      .values({
        id,
        tenant_id: tenantId,
        conversation_id: conversationId,
        agent_user_id: opts.agentId ?? agentUser.id,
        scorecard_id: scorecardId,
        scorecard_version_id: versionId,
        evaluator_user_id: opts.evaluatorId ?? evaluatorUser.id,
        kind: 'review',
        calibration_id: null,
        status: 'submitted',
        response_status: 'none',
        planned_by: null,
        planned_at: null,
        due_at: null,
        reminded_at: null,
        started_at: at,
        submitted_at: at,
        revision: 1,
        answers,
        general_comment: null,
        score: 10,
        max_score: 10,
        percent: 100,
        passed: 1,
        auto_failed: 0,
        auto_fail_reason: null,
        prefill: null,
        acknowledged_at: null,
        auto_acknowledged: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await t.db
      .insertInto('evaluation_revisions')
      .values({
        id: newId(),
        tenant_id: tenantId,
        evaluation_id: id,
        revision: 1,
        evaluator_user_id: opts.evaluatorId ?? evaluatorUser.id,
        answers,
        general_comment: null,
        score: 10,
        max_score: 10,
        percent: 100,
        passed: 1,
        auto_failed: 0,
        submitted_at: at,
      })
      .execute();
    return id;
  }

  const audit = async (id: string, action: string) => ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: id, action })}`)).items as Json[];
  /** Delivers everything queued so far and waits for it to arrive (so a later count starts clean). */
  async function settle() {
    await runJobs(t);
    const sent = await t.db.selectFrom('notification_outbox').select('id').where('tenant_id', '=', tenantId).where('status', '=', 'sent').execute();
    await smtp.waitFor(sent.length);
    return smtp.received.length;
  }
  /** Delivers the queued e-mails and returns those that arrived since `before`. */
  async function mailsSince(before: number, expected: number) {
    await runJobs(t);
    if (expected === 0) {
      expect(smtp.received.length).toBe(before);
      return [];
    }
    return (await smtp.waitFor(before + expected)).slice(before);
  }

  it('the agent acknowledges their result: audited, the evaluator e-mailed, and it cannot be disputed afterwards', async () => {
    const id = await submitted();
    const list = ok(await agent.get('/api/quality/results'));
    expect(list).toMatchObject({ requireAcknowledgement: false, autoAcknowledgeDays: 0 });
    const item = (list.items as Json[]).find((i) => i.id === id);
    expect(item).toMatchObject({
      responseStatus: 'none',
      score: 10,
      maxScore: 10,
      passed: true,
      evaluator: { name: 'Eva Evaluator' },
      can: { acknowledge: true, dispute: true },
    });

    const before = smtp.received.length;
    const res = ok(await agent.post(`/api/evaluations/${id}/acknowledge`, { comment: 'Thanks, noted.' }));
    expect(res).toMatchObject({ id, responseStatus: 'acknowledged', autoAcknowledged: false, can: { acknowledge: false, dispute: false } });
    expect(res.acknowledgedAt).toBeTruthy();

    const [a] = await audit(id, 'EVALUATION_ACKNOWLEDGE');
    expect(a.initiatorId).toBe(agentUser.id);
    expect(a.changes).toEqual(
      expect.arrayContaining([
        { field: 'responseStatus', old: 'none', new: 'acknowledged' },
        { field: 'comment', old: null, new: 'Thanks, noted.' },
      ]),
    );
    const comment = await t.db.selectFrom('evaluation_comments').selectAll().where('evaluation_id', '=', id).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ author_user_id: agentUser.id, body: 'Thanks, noted.' });

    const [mail] = await mailsSince(before, 1);
    expect(mail!.envelopeTo).toEqual([evaluatorUser.email]);
    expect(mail!.parsed.subject).toContain('Evaluation acknowledged');
    expect(mail!.parsed.text).toContain('Alma Agent acknowledged the evaluation');
    expect(mail!.parsed.text).toContain('Thanks, noted.');
    expect(mail!.parsed.text).toContain(`https://qa.example.com/quality/evaluations/${id}`);

    fails(await agent.post(`/api/evaluations/${id}/acknowledge`, {}), 409, 'CONFLICT', 'ALREADY_ACKNOWLEDGED');
    fails(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'Changed my mind' }), 409, 'CONFLICT', 'ALREADY_ACKNOWLEDGED');
    expect(await t.db.selectFrom('evaluation_disputes').select('id').where('evaluation_id', '=', id).execute()).toEqual([]);
  });

  it("refuses someone else's evaluation: 403 for those who may see it, 404 for the others; nothing written", async () => {
    const id = await submitted();
    fails(await otherAgent.post(`/api/evaluations/${id}/dispute`, { reason: 'Not fair' }), 404, 'NOT_FOUND');
    fails(await evaluator.post(`/api/evaluations/${id}/dispute`, { reason: 'Not fair' }), 403, 'FORBIDDEN');
    fails(await manager.post(`/api/evaluations/${id}/acknowledge`, {}), 403, 'FORBIDDEN');
    fails(await agent.post(`/api/evaluations/${id}/dispute`, { reason: '   ' }), 400, 'VALIDATION_FAILED', 'REASON_REQUIRED');
    fails(await agent.post(`/api/evaluations/${id}/dispute`, {}), 400, 'VALIDATION_FAILED');
    fails(await agent.post(`/api/evaluations/${newId()}/acknowledge`, {}), 404, 'NOT_FOUND');
    // The evaluator cannot re-affirm what is not disputed.
    fails(await evaluator.post(`/api/evaluations/${id}/reaffirm`, { comment: 'Stands' }), 409, 'CONFLICT', 'NO_OPEN_DISPUTE');
    const row = await t.db.selectFrom('evaluations').select(['response_status', 'acknowledged_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ response_status: 'none', acknowledged_at: null });
    expect(await audit(id, 'EVALUATION_DISPUTE')).toEqual([]);
    // A draft is nobody's result yet.
    const draft = await submitted();
    await t.db.updateTable('evaluations').set({ status: 'draft' }).where('id', '=', draft).execute();
    fails(await agent.post(`/api/evaluations/${draft}/acknowledge`, {}), 404, 'NOT_FOUND');
    // A self-review has nothing to respond to.
    const self = await submitted({ evaluatorId: agentUser.id });
    fails(await agent.post(`/api/evaluations/${self}/dispute`, { reason: 'x' }), 409, 'CONFLICT', 'SELF_REVIEW');
    expect((ok(await agent.get('/api/quality/results')).items as Json[]).some((i) => i.id === self)).toBe(false);
  });

  it('a dispute e-mails the evaluator and the managers in scope (in their language); re-affirming answers it; one dispute per revision', async () => {
    const id = await submitted();
    const before = smtp.received.length;
    const res = ok(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'The customer hung up before I could greet.' }));
    expect(res).toMatchObject({ responseStatus: 'disputed', can: { acknowledge: false, dispute: false }, dispute: { revision: 1, outcome: null } });
    fails(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'again' }), 409, 'CONFLICT', 'ALREADY_DISPUTED');
    fails(await agent.post(`/api/evaluations/${id}/acknowledge`, {}), 409, 'CONFLICT', 'DISPUTE_OPEN');

    const [d] = await audit(id, 'EVALUATION_DISPUTE');
    expect(d.changes).toEqual([
      { field: 'responseStatus', old: 'none', new: 'disputed' },
      { field: 'disputeReason', old: null, new: 'The customer hung up before I could greet.' },
    ]);

    // The evaluator and Manon (manager of Team A); the admin too (every permission, whole organisation); not Olga.
    const mails = await mailsSince(before, 3);
    const to = mails.map((m) => m.envelopeTo[0]).sort();
    expect(to).toEqual([evaluatorUser.email, managerUser.email, adminUser.email].sort());
    const toEvaluator = mails.find((m) => m.envelopeTo[0] === evaluatorUser.email)!;
    expect(toEvaluator.parsed.subject).toBe(`Earshot: Evaluation disputed: ${await conversationTitle(id)}`);
    expect(toEvaluator.parsed.text).toContain('The customer hung up before I could greet.');
    expect(toEvaluator.parsed.text).toContain(`https://qa.example.com/quality/disputes?evaluation=${id}`);
    expect(toEvaluator.parsed.html).toContain('<a href="https://qa.example.com/quality/disputes?evaluation=');
    const toManager = mails.find((m) => m.envelopeTo[0] === managerUser.email)!;
    expect(toManager.parsed.subject).toContain('Évaluation contestée');
    expect(toManager.parsed.text).toContain('Alma Agent conteste');

    // The disputes lists: the evaluator and Manon see it and may answer; Olga (other team) does not see it.
    const open = ok(await evaluator.get('/api/quality/disputes')).items as Json[];
    expect(open.find((x) => x.evaluationId === id)).toMatchObject({
      agent: { name: 'Alma Agent' },
      reason: 'The customer hung up before I could greet.',
      can: { reaffirm: true, reevaluate: true },
    });
    expect((ok(await manager.get('/api/quality/disputes')).items as Json[]).some((x) => x.evaluationId === id)).toBe(true);
    expect((ok(await outsiderManager.get('/api/quality/disputes')).items as Json[]).some((x) => x.evaluationId === id)).toBe(false);
    fails(await outsiderManager.post(`/api/evaluations/${id}/reaffirm`, { comment: 'Stands' }), 404, 'NOT_FOUND');
    fails(await agent.post(`/api/evaluations/${id}/reaffirm`, { comment: 'I agree with myself' }), 403, 'FORBIDDEN');
    fails(await evaluator.post(`/api/evaluations/${id}/reaffirm`, { comment: '  ' }), 400, 'VALIDATION_FAILED', 'COMMENT_REQUIRED');

    const before2 = smtp.received.length;
    const answered = ok(await manager.post(`/api/evaluations/${id}/reaffirm`, { comment: 'The greeting is expected within 5 seconds.' }));
    expect(answered).toMatchObject({
      evaluationId: id,
      outcome: 'reaffirmed',
      resolvedBy: { id: managerUser.id },
      resolutionComment: 'The greeting is expected within 5 seconds.',
    });
    const [r] = await audit(id, 'EVALUATION_REAFFIRM');
    expect(r.initiatorId).toBe(managerUser.id);
    expect(r.changes).toEqual(expect.arrayContaining([{ field: 'responseStatus', old: 'disputed', new: 'reaffirmed' }]));
    const [toAgent] = await mailsSince(before2, 1);
    expect(toAgent!.envelopeTo).toEqual([agentUser.email]);
    expect(toAgent!.parsed.text).toContain('Manon Manager re-affirmed the evaluation');
    expect(toAgent!.parsed.text).toContain('The greeting is expected within 5 seconds.');
    expect(toAgent!.parsed.text).toContain(`https://qa.example.com/quality/results?evaluation=${id}`);

    // The same revision cannot be disputed twice; acknowledging closes it.
    const after = (ok(await agent.get('/api/quality/results?state=pending')).items as Json[]).find((i) => i.id === id);
    expect(after).toMatchObject({ responseStatus: 'reaffirmed', can: { acknowledge: true, dispute: false }, dispute: { outcome: 'reaffirmed' } });
    fails(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'Still unfair' }), 409, 'CONFLICT', 'ALREADY_DISPUTED');
    fails(await manager.post(`/api/evaluations/${id}/reaffirm`, { comment: 'again' }), 409, 'CONFLICT', 'NO_OPEN_DISPUTE');
    ok(await agent.post(`/api/evaluations/${id}/acknowledge`, {}));
    expect((ok(await agent.get('/api/quality/results?state=pending')).items as Json[]).some((i) => i.id === id)).toBe(false);
    expect((ok(await evaluator.get('/api/quality/disputes?state=resolved')).items as Json[]).find((x) => x.evaluationId === id)).toMatchObject({
      outcome: 'reaffirmed',
    });
  });

  it('re-evaluating a disputed evaluation (the evaluation submit) answers the dispute; the new revision may be disputed again', async () => {
    const id = await submitted();
    ok(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'I did greet.' }));
    const before = await settle();
    ok(await evaluator.post(`/api/evaluations/${id}/submit`, { answers: { q1: { value: 'no' } }, generalComment: 'Re-scored after listening again' }));
    const row = (ok(await agent.get('/api/quality/results')).items as Json[]).find((i) => i.id === id);
    expect(row).toMatchObject({
      responseStatus: 'reevaluated',
      revision: 2,
      score: 0,
      passed: false,
      can: { acknowledge: true, dispute: true },
      dispute: { revision: 1, outcome: 'reevaluated' },
    });
    const [mail] = await mailsSince(before, 1);
    expect(mail!.envelopeTo).toEqual([agentUser.email]);
    expect(mail!.parsed.text).toContain('re-evaluated your interaction');
    // Revision 2 may be disputed in its turn.
    ok(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'Now it is worse' }));
    const disputes = await t.db.selectFrom('evaluation_disputes').select(['revision', 'outcome']).where('evaluation_id', '=', id).orderBy('revision').execute();
    expect(disputes.map((d) => [Number(d.revision), d.outcome])).toEqual([
      [1, 'reevaluated'],
      [2, null],
    ]);
  });

  it('with acknowledgement required, the job acknowledges what was left unanswered for N days, audited as the system', async () => {
    const old = await submitted({ submittedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    const fresh = await submitted({ submittedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    const disputed = await submitted({ submittedAt: new Date(Date.now() - 9 * 86_400_000).toISOString() });
    ok(await agent.post(`/api/evaluations/${disputed}/dispute`, { reason: 'No' }));
    // Not required: nothing happens.
    expect((await autoAcknowledge(t)).acknowledged).toBe(0);

    fails(await admin.patch('/api/settings', { qualityAutoAcknowledgeDays: 400 }), 400, 'VALIDATION_FAILED');
    ok(await admin.patch('/api/settings', { qualityRequireAcknowledgement: true, qualityAutoAcknowledgeDays: 7 }));
    const [s] = ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: tenantId, action: 'SETTINGS_UPDATE' })}`)).items as Json[];
    expect(s.changes).toEqual(
      expect.arrayContaining([
        { field: 'qualityRequireAcknowledgement', old: false, new: true },
        { field: 'qualityAutoAcknowledgeDays', old: 0, new: 7 },
      ]),
    );
    const list = ok(await agent.get('/api/quality/results?state=pending'));
    expect(list).toMatchObject({ requireAcknowledgement: true, autoAcknowledgeDays: 7 });
    const freshItem = (list.items as Json[]).find((i) => i.id === fresh);
    expect(Date.parse(freshItem.autoAcknowledgeAt) - Date.parse(freshItem.submittedAt)).toBe(7 * 86_400_000);

    const before = await settle();
    const res = await autoAcknowledge(t);
    expect(res.acknowledged).toBeGreaterThanOrEqual(1);
    const rows = await t.db
      .selectFrom('evaluations')
      .select(['id', 'response_status', 'auto_acknowledged'])
      .where('id', 'in', [old, fresh, disputed])
      .execute();
    const by = new Map(rows.map((r) => [r.id, [r.response_status, Number(r.auto_acknowledged)]]));
    expect(by.get(old)).toEqual(['acknowledged', 1]);
    expect(by.get(fresh)).toEqual(['none', 0]);
    expect(by.get(disputed)).toEqual(['disputed', 0]);
    const [a] = await audit(old, 'EVALUATION_ACKNOWLEDGE');
    expect(a).toMatchObject({ initiatorId: null, details: 'Acknowledged automatically: no response within 7 day(s)' });
    const mails = await mailsSince(before, res.acknowledged);
    expect(mails.find((m) => m.parsed.text?.includes('acknowledged automatically'))).toBeTruthy();
    // Idempotent.
    expect((await autoAcknowledge(t)).acknowledged).toBe(0);
    ok(await admin.patch('/api/settings', { qualityRequireAcknowledgement: false, qualityAutoAcknowledgeDays: 0 }));
  });

  it('an evaluator who turned dispute e-mails off gets none; a failed mail server does not fail the dispute', async () => {
    const id = await submitted();
    ok(await evaluator.put('/api/me/notification-preferences', { items: [{ event: 'dispute_raised', email: false }] }));
    // The mail server goes away: the dispute still succeeds, the e-mails wait in the outbox.
    ok(await admin.patch('/api/settings', { smtpPort: 1 }));
    ok(await agent.post(`/api/evaluations/${id}/dispute`, { reason: 'Please listen again' }));
    const queued = await t.db
      .selectFrom('notification_outbox')
      .select(['to_address', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'dispute_raised')
      .where('status', '=', 'pending')
      .execute();
    expect(queued.map((q) => q.to_address)).not.toContain(evaluatorUser.email);
    expect(queued.map((q) => q.to_address)).toContain(managerUser.email);
    ok(await admin.patch('/api/settings', { smtpPort: smtp.port }));
    ok(await evaluator.put('/api/me/notification-preferences', { items: [{ event: 'dispute_raised', email: true }] }));
  });

  async function conversationTitle(evaluationId: string) {
    const r = await t.db
      .selectFrom('evaluations as e')
      .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
      .select('c.title')
      .where('e.id', '=', evaluationId)
      .executeTakeFirstOrThrow();
    return r.title;
  }
});
