// Evaluations through the HTTP API on both engines: review now and plan review (agent, scope, reviewers, due date),
// drafts, submission (required answers, scoring with the version, revision, reviewed_at, agent e-mail), who reads
// what, the queues, re-evaluation of a disputed evaluation, timestamped comments, the Reviewed column, the reminder
// job and the move of quality work when conversations are merged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { mergeConversations } from '../../conversations/repository.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { ScorecardDefinition } from '../model.ts';
import { sendDueReminders } from './service.ts';

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: 20,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        { id: 'q1', type: 'yes_no', text: 'Greeted the customer', required: true, naAllowed: false, autoFail: false, commentAllowed: true, points: 10 },
        {
          id: 'q2',
          type: 'scale',
          text: 'Showed empathy',
          required: true,
          naAllowed: true,
          autoFail: false,
          commentAllowed: false,
          min: 1,
          max: 5,
          points: 10,
        },
      ],
    },
    {
      id: 's2',
      title: 'Compliance',
      weight: 1,
      questions: [
        { id: 'q3', type: 'yes_no', text: 'Verified the identity', required: true, naAllowed: false, autoFail: true, commentAllowed: true, points: 5 },
        {
          id: 'q4',
          type: 'choice',
          text: 'Resolution',
          required: false,
          naAllowed: false,
          autoFail: false,
          commentAllowed: false,
          options: [
            { id: 'full', label: 'Full', points: 5 },
            { id: 'none', label: 'None', points: 0 },
          ],
        },
      ],
    },
  ],
};

const FULL = { q1: { value: 'yes' }, q2: { value: 5 }, q3: { value: 'yes' }, q4: { value: 'full' } };
const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe.each(ENGINES)('evaluations on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let agentA: TestUser;
  let agentB: TestUser;
  let evaluatorUser: TestUser;
  let evaluatorB: TestUser;
  let managerUser: TestUser;
  let agent: Client;
  let agentOther: Client;
  let evaluator: Client;
  let manager: Client;
  let viewer: Client;
  let scorecardId: string;
  let convA: string;
  let convB: string;

  async function makeScorecard(def: ScorecardDefinition, opts: { archived?: boolean } = {}) {
    const id = newId();
    const now = nowIso();
    await t.db
      .insertInto('scorecards')
      .values({
        id,
        tenant_id: tenantId,
        name: `Card ${id.slice(-5)}`,
        description: '',
        latest_version: 1,
        archived_at: opts.archived ? now : null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto('scorecard_versions')
      .values({ id: newId(), tenant_id: tenantId, scorecard_id: id, version: 1, definition: t.adapter.json(def), created_by: null, created_at: now })
      .execute();
    return id;
  }
  const outbox = (userEmail: string) =>
    t.db
      .selectFrom('notification_outbox')
      .select(['kind', 'subject', 'body_text'])
      .where('tenant_id', '=', tenantId)
      .where('to_address', '=', userEmail)
      .execute();
  const audit = async (id: string) => (ok(await admin.get(`/api/audit?resourceId=${id}&limit=100`)).items as Json[]).reverse();
  const reviewNow = (c: Client, conversationId: string, agentUserId: string, card = scorecardId) =>
    c.post('/api/evaluations', { conversationId, agentUserId, scorecardId: card, mode: 'now' });

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    const gA = await makeGroup(t, tenantId, 'Team A');
    const gB = await makeGroup(t, tenantId, 'Team B');
    agentA = await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent', groupId: gA });
    agentB = await makeUser(t, tenantId, { roles: ['agent'], extension: '2002', name: 'Bea Agent', groupId: gB });
    evaluatorUser = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Eve Evaluator', groupId: gA });
    evaluatorB = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Ed Evaluator', groupId: gB });
    managerUser = await makeUser(t, tenantId, { roles: ['cc_manager'], name: 'Mia Manager' });
    agent = await signIn(t.app, agentA);
    agentOther = await signIn(t.app, agentB);
    evaluator = await signIn(t.app, evaluatorUser);
    manager = await signIn(t.app, managerUser);
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    scorecardId = await makeScorecard(DEF);
    convA = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
    convB = (await makeChat(t, ingest, { agentExtension: '2002' })).conversationId;
  });
  afterAll(() => t?.cleanup());

  describe('review now', () => {
    it('opens one draft for the caller, audited, and the same draft when asked again', async () => {
      const d = ok(await reviewNow(evaluator, convA, agentA.id), 201);
      expect(d).toMatchObject({
        status: 'draft',
        kind: 'review',
        conversation: { id: convA },
        agent: { id: agentA.id, name: 'Alex Agent' },
        evaluator: { id: evaluatorUser.id, name: 'Eve Evaluator' },
        scorecard: { id: scorecardId, version: 1, definition: DEF },
        answers: {},
        result: null,
        revision: 0,
        can: { edit: true, reevaluate: false },
      });
      expect(ok(await reviewNow(evaluator, convA, agentA.id), 201).id).toBe(d.id);
      const events = await audit(d.id);
      expect(events.map((e) => e.action)).toEqual(['EVALUATION_CREATE']);
      expect(events[0].changes).toContainEqual({ field: 'agentUserId', old: null, new: agentA.id });
    });

    it('refuses an agent who is not in the conversation, a conversation outside the scope, and an archived scorecard', async () => {
      fails(await reviewNow(evaluator, convA, agentB.id), 400, 'VALIDATION_FAILED', 'AGENT_NOT_IN_CONVERSATION');
      // Eve's group is Team A: Bea's conversation is not hers to see.
      fails(await reviewNow(evaluator, convB, agentB.id), 404, 'NOT_FOUND');
      fails(await reviewNow(evaluator, convA, agentA.id, await makeScorecard(DEF, { archived: true })), 409, 'CONFLICT', 'SCORECARD_ARCHIVED');
      fails(await reviewNow(evaluator, convA, agentA.id, 'no-such-card'), 404, 'NOT_FOUND');
      expect(await t.db.selectFrom('evaluations').select('id').where('conversation_id', '=', convB).execute()).toEqual([]);
    });

    it('lets an agent review themselves only with "review myself", and never someone else', async () => {
      const self = ok(await reviewNow(agent, convA, agentA.id), 201);
      expect(self).toMatchObject({ evaluator: { id: agentA.id }, agent: { id: agentA.id } });
      // The evaluator holds quality.review but not quality.review_self: reviewing themselves is refused.
      const selfConv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      await t.db
        .insertInto('conversation_participants')
        .values({
          id: newId(),
          conversation_id: selfConv,
          party_key: 'eve',
          role: 'agent',
          user_id: evaluatorUser.id,
          name: 'Eve',
          email: null,
          phone: null,
          extension: null,
          external_id: null,
          created_at: nowIso(),
        })
        .execute();
      fails(await reviewNow(evaluator, selfConv, evaluatorUser.id), 403, 'FORBIDDEN');
    });
  });

  describe('drafts and submission', () => {
    let id: string;
    beforeAll(async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      id = ok(await reviewNow(evaluator, conv, agentA.id), 201).id;
    });

    it('saves partial answers, refuses a question not on the version and a bad value without writing anything', async () => {
      const d = ok(
        await evaluator.put(`/api/evaluations/${id}/draft`, { answers: { q1: { value: 'yes', comment: ' Warm greeting ' } }, generalComment: 'So far good' }),
      );
      expect(d.answers).toEqual({ q1: { value: 'yes', comment: 'Warm greeting' } });
      expect(d.generalComment).toBe('So far good');
      fails(
        await evaluator.put(`/api/evaluations/${id}/draft`, { answers: { q1: { value: 'yes' }, zz: { value: 'yes' } } }),
        400,
        'VALIDATION_FAILED',
        'UNKNOWN_QUESTION',
      );
      fails(await evaluator.put(`/api/evaluations/${id}/draft`, { answers: { q2: { value: 9 } } }), 400, 'VALIDATION_FAILED', 'INVALID_ANSWERS');
      expect(ok(await evaluator.get(`/api/evaluations/${id}`)).answers).toEqual({ q1: { value: 'yes', comment: 'Warm greeting' } });
      const saves = (await audit(id)).filter((e) => e.action === 'EVALUATION_DRAFT_SAVE');
      expect(saves).toHaveLength(1);
      expect(saves[0].changes).toContainEqual({ field: 'answers.q1', old: null, new: { value: 'yes', comment: 'Warm greeting' } });
      // Nobody but the evaluator writes it.
      fails(await manager.put(`/api/evaluations/${id}/draft`, { answers: {} }), 403, 'FORBIDDEN', 'NOT_EVALUATOR');
    });

    it('the agent does not see a draft', async () => {
      fails(await agent.get(`/api/evaluations/${id}`), 404, 'NOT_FOUND');
    });

    it('refuses a submission with required answers missing, naming them, and leaves the draft as it was', async () => {
      const err = fails(
        await evaluator.post(`/api/evaluations/${id}/submit`, { answers: { q1: { value: 'yes' } } }),
        400,
        'VALIDATION_FAILED',
        'REQUIRED_ANSWERS_MISSING',
      );
      expect(err.message).toContain('Showed empathy');
      expect(err.message).toContain('Verified the identity');
      const row = await t.db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('draft');
      expect(row.revision).toBe(0);
      expect(await t.db.selectFrom('evaluation_revisions').select('id').where('evaluation_id', '=', id).execute()).toEqual([]);
    });

    it('submits: scores with the version, writes revision 1, marks the conversation reviewed, tells the agent, audits old/new', async () => {
      const conv = ok(await evaluator.get(`/api/evaluations/${id}`)).conversation.id;
      const s = ok(await evaluator.post(`/api/evaluations/${id}/submit`, { answers: { ...FULL, q2: { value: 3 } }, generalComment: 'Good call' }));
      expect(s).toMatchObject({
        status: 'submitted',
        revision: 1,
        score: 25,
        maxScore: 30,
        percent: 83.33,
        passed: true,
        autoFailed: false,
        can: { edit: false },
      });
      expect(s.result).toMatchObject({ score: 25, maxScore: 30, passed: true, autoFailed: false });
      expect(s.revisions).toHaveLength(1);
      expect(s.revisions[0]).toMatchObject({ revision: 1, score: 25, evaluator: { id: evaluatorUser.id } });
      const c = await t.db.selectFrom('conversations').select('reviewed_at').where('id', '=', conv).executeTakeFirstOrThrow();
      expect(c.reviewed_at).toBe(s.submittedAt);
      const mails = (await outbox(agentA.email)).filter((m) => m.kind.includes('evaluation_submitted'));
      expect(mails).toHaveLength(1);
      const submit = (await audit(id)).find((e) => e.action === 'EVALUATION_SUBMIT')!;
      expect(submit.changes).toContainEqual({ field: 'score', old: null, new: 25 });
      expect(submit.changes).toContainEqual({ field: 'status', old: 'draft', new: 'submitted' });
      // The agent now reads it; another agent does not.
      expect(ok(await agent.get(`/api/evaluations/${id}`))).toMatchObject({ status: 'submitted', score: 25, can: { edit: false, reevaluate: false } });
      fails(await agentOther.get(`/api/evaluations/${id}`), 404, 'NOT_FOUND');
      // Submitted once: not again, unless disputed.
      fails(await evaluator.post(`/api/evaluations/${id}/submit`, { answers: FULL }), 409, 'CONFLICT', 'ALREADY_SUBMITTED');
      fails(await evaluator.put(`/api/evaluations/${id}/draft`, { answers: FULL }), 409, 'CONFLICT', 'ALREADY_SUBMITTED');
    });

    it('re-evaluates a disputed evaluation: revision 2, the history kept, the dispute closed', async () => {
      await t.db.updateTable('evaluations').set({ response_status: 'disputed' }).where('id', '=', id).execute();
      await t.db
        .insertInto('evaluation_disputes')
        .values({
          id: newId(),
          tenant_id: tenantId,
          evaluation_id: id,
          revision: 1,
          raised_by: agentA.id,
          reason: 'I did verify',
          raised_at: nowIso(),
          outcome: null,
          resolved_by: null,
          resolved_at: null,
          resolution_comment: null,
        })
        .execute();
      expect(ok(await evaluator.get(`/api/evaluations/${id}`)).can.reevaluate).toBe(true);
      // The agent cannot re-score their own evaluation.
      fails(await agent.post(`/api/evaluations/${id}/submit`, { answers: FULL }), 403, 'FORBIDDEN');
      const r = ok(await manager.post(`/api/evaluations/${id}/submit`, { answers: FULL }));
      expect(r).toMatchObject({ revision: 2, score: 30, responseStatus: 'reevaluated', evaluator: { id: evaluatorUser.id } });
      expect(r.revisions.map((x: Json) => [x.revision, x.score, x.evaluator.id])).toEqual([
        [1, 25, evaluatorUser.id],
        [2, 30, managerUser.id],
      ]);
      expect(r.disputes[0]).toMatchObject({ outcome: 'reevaluated', resolvedBy: { id: managerUser.id } });
      expect((await audit(id)).map((e) => e.action)).toContain('EVALUATION_REEVALUATE');
    });

    it('names the questions of an automatic failure', async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const e = ok(await reviewNow(evaluator, conv, agentA.id), 201);
      const s = ok(await evaluator.post(`/api/evaluations/${e.id}/submit`, { answers: { ...FULL, q3: { value: 'no' } } }));
      expect(s).toMatchObject({ score: 25, passed: false, autoFailed: true, autoFailReason: 'Failed on: Verified the identity' });
      expect(s.result.autoFailQuestionIds).toEqual(['q3']);
    });

    it('takes timestamped comments from anyone who reads it', async () => {
      const c = ok(await agent.post(`/api/evaluations/${id}/comments`, { body: 'At this point I asked for the ID', positionMs: 61_500 }), 201);
      expect(c).toMatchObject({ author: { id: agentA.id }, positionMs: 61_500, body: 'At this point I asked for the ID' });
      ok(await evaluator.post(`/api/evaluations/${id}/comments`, { body: 'Noted' }), 201);
      fails(await agentOther.post(`/api/evaluations/${id}/comments`, { body: 'Hi' }), 404, 'NOT_FOUND');
      fails(await evaluator.post(`/api/evaluations/${id}/comments`, { body: '   ' }), 400, 'VALIDATION_FAILED', 'EMPTY_COMMENT');
      const v = ok(await evaluator.get(`/api/evaluations/${id}`));
      expect(v.comments.map((x: Json) => [x.positionMs, x.body])).toEqual([
        [null, 'Noted'],
        [61_500, 'At this point I asked for the ID'],
      ]);
    });
  });

  describe('mentions in evaluation comments', () => {
    it('offers and e-mails only people who may read the evaluation, and refuses a mention of anyone else', async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const e = ok(await reviewNow(evaluator, conv, agentA.id), 201);
      const offered = async (q: string) => (ok(await evaluator.get(`/api/evaluations/${e.id}/mentionable?q=${q}`)).items as Json[]).map((u) => u.id);
      expect(await offered('Mia')).toEqual([managerUser.id]);
      // Bea is an agent of another team; Alex reads it only once it is submitted. (Full names: test users' random
      // hex names could contain "bea".)
      expect(await offered('Bea Agent')).toEqual([]);
      expect(await offered('Alex')).toEqual([]);
      fails(await agentOther.get(`/api/evaluations/${e.id}/mentionable?q=Mia`), 404, 'NOT_FOUND');

      const refused = await evaluator.post(`/api/evaluations/${e.id}/comments`, { body: 'See @[Bea Agent](' + agentB.id + ')' });
      fails(refused, 400, 'VALIDATION_FAILED', 'MENTION_CANNOT_READ');
      expect(refused.json().error.message).toContain('Bea Agent');
      expect(ok(await evaluator.get(`/api/evaluations/${e.id}`)).comments).toEqual([]);

      ok(await evaluator.post(`/api/evaluations/${e.id}/comments`, { body: '@[Mia Manager](' + managerUser.id + ') please look at 1:02' }), 201);
      const mails = (await outbox(managerUser.email)).filter((m) => m.kind.includes('comment_mention'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.body_text).toContain('@Mia Manager please look at 1:02');
      const added = (await audit(e.id)).find((a) => a.action === 'EVALUATION_COMMENT_ADD');
      expect(added.changes).toContainEqual({ field: 'mentions', old: null, new: [managerUser.id] });
    });
  });

  describe('the automated pre-fill', () => {
    it('stores the proposals when a planned review is first answered, and records whether each was overridden', async () => {
      const ruled: ScorecardDefinition = {
        scoring: 'points',
        passMark: null,
        sections: [
          {
            id: 's1',
            title: 'Listening',
            weight: 1,
            questions: [
              {
                id: 'check',
                type: 'yes_no',
                text: 'Said they would check',
                required: true,
                naAllowed: false,
                autoFail: false,
                commentAllowed: false,
                points: 5,
                autoRule: { kind: 'phrase', phrase: 'let me check', expect: 'said', by: 'agent' },
              },
              {
                id: 'thanks',
                type: 'yes_no',
                text: 'The customer thanked',
                required: true,
                naAllowed: false,
                autoFail: false,
                commentAllowed: false,
                points: 5,
                autoRule: { kind: 'phrase', phrase: 'thank you', expect: 'said', by: 'customer' },
              },
            ],
          },
        ],
      };
      const card = await makeScorecard(ruled);
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const [planned] = ok(
        await manager.post('/api/evaluations', {
          conversationId: conv,
          agentUserId: agentA.id,
          scorecardId: card,
          mode: 'plan',
          reviewerIds: [evaluatorUser.id],
          dueAt: hours(24),
        }),
        201,
      ).evaluations as Json[];
      expect(planned.prefill).toBeNull();
      // Submitted straight from planned (no start, no draft): it is started on the way, with its pre-fill.
      const s = ok(await evaluator.post(`/api/evaluations/${planned.id}/submit`, { answers: { check: { value: 'yes' }, thanks: { value: 'no' } } }));
      expect(s.prefill.proposals.map((p: Json) => [p.questionId, p.available, p.proposed])).toEqual([
        ['check', true, 'yes'],
        ['thanks', true, 'yes'],
      ]);
      expect(s.answers).toEqual({
        check: { value: 'yes', auto: { proposed: 'yes', overridden: false } },
        thanks: { value: 'no', auto: { proposed: 'yes', overridden: true } },
      });
      // What the client claims about overriding is not what is stored.
      const conv2 = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const d = ok(await reviewNow(evaluator, conv2, agentA.id, card), 201);
      const saved = ok(
        await evaluator.put(`/api/evaluations/${d.id}/draft`, { answers: { thanks: { value: 'no', auto: { proposed: 'no', overridden: false } } } }),
      );
      expect(saved.answers.thanks.auto).toEqual({ proposed: 'yes', overridden: true });
    });
  });

  describe('planning', () => {
    it('plans one evaluation per reviewer, tells each, and refuses reviewers who may not review or cannot see the conversation', async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const plan = (reviewerIds: string[], dueAt = hours(48)) =>
        manager.post('/api/evaluations', { conversationId: conv, agentUserId: agentA.id, scorecardId, mode: 'plan', reviewerIds, dueAt });
      fails(await plan([evaluatorB.id]), 400, 'VALIDATION_FAILED', 'REVIEWER_OUT_OF_SCOPE');
      fails(await plan([agentB.id]), 400, 'VALIDATION_FAILED', 'REVIEWER_NOT_ALLOWED');
      fails(await plan([evaluatorUser.id], hours(-1)), 400, 'VALIDATION_FAILED', 'DUE_IN_PAST');
      fails(
        await evaluator.post('/api/evaluations', {
          conversationId: conv,
          agentUserId: agentA.id,
          scorecardId,
          mode: 'plan',
          reviewerIds: [evaluatorUser.id],
          dueAt: hours(5),
        }),
        403,
        'FORBIDDEN',
      );
      expect(await t.db.selectFrom('evaluations').select('id').where('conversation_id', '=', conv).execute()).toEqual([]);

      const assigned = async () => (await outbox(evaluatorUser.email)).filter((m) => m.kind.includes('evaluation_assigned')).length;
      const before = await assigned();
      const made = ok(await plan([evaluatorUser.id, managerUser.id]), 201).evaluations as Json[];
      expect(made.map((e) => [e.status, e.evaluator.id, e.plannedBy.id])).toEqual([
        ['planned', evaluatorUser.id, managerUser.id],
        ['planned', managerUser.id, managerUser.id],
      ]);
      expect(await assigned()).toBe(before + 1);
      fails(await plan([evaluatorUser.id]), 409, 'ALREADY_EXISTS', 'ALREADY_ASSIGNED');

      // The reviewer finds it in their queue and opens it: it becomes a draft.
      const todo = ok(await evaluator.get('/api/evaluations?queue=mine&state=todo')).items as Json[];
      expect(todo.map((e) => e.id)).toContain(made[0].id);
      const started = ok(await evaluator.post(`/api/evaluations/${made[0].id}/start`));
      expect(started.status).toBe('draft');
      fails(await manager.post(`/api/evaluations/${made[0].id}/start`), 403, 'FORBIDDEN', 'NOT_EVALUATOR');
    });

    it('offers as reviewers only users who review and see the conversation, and as agents only its agents', async () => {
      const reviewers = (ok(await manager.get(`/api/conversations/${convA}/reviewers`)).items as Json[]).map((u) => u.id);
      expect(reviewers).toContain(evaluatorUser.id);
      expect(reviewers).toContain(managerUser.id);
      expect(reviewers).not.toContain(evaluatorB.id);
      expect(reviewers).not.toContain(agentA.id);
      expect(ok(await evaluator.get(`/api/conversations/${convA}/review-agents`)).items).toEqual([{ id: agentA.id, name: 'Alex Agent' }]);
    });
  });

  describe('queues and the Reviewed column', () => {
    it('lists mine by state, team for managers in scope, own for agents (submitted only)', async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const [overdue] = (ok(
        await manager.post('/api/evaluations', {
          conversationId: conv,
          agentUserId: agentA.id,
          scorecardId,
          mode: 'plan',
          reviewerIds: [evaluatorUser.id],
          dueAt: hours(2),
        }),
        201,
      ).evaluations as Json[])!;
      await t.db
        .updateTable('evaluations')
        .set({ due_at: hours(-3) })
        .where('id', '=', overdue.id)
        .execute();
      // One submitted review of Alex's, so the agent's own queue has something whatever ran before.
      const done = ok(await reviewNow(evaluator, conv, agentA.id, await makeScorecard(DEF)), 201);
      ok(await evaluator.post(`/api/evaluations/${done.id}/submit`, { answers: FULL }));
      const ids = async (c: Client, q: string) => (ok(await c.get(`/api/evaluations?${q}`)).items as Json[]).map((e) => e.id);
      expect(await ids(evaluator, 'queue=mine&state=overdue')).toEqual([overdue.id]);
      expect(await ids(evaluator, 'queue=mine&state=todo')).toContain(overdue.id);
      expect(await ids(evaluator, 'queue=mine&state=done')).not.toContain(overdue.id);
      const item = (ok(await evaluator.get('/api/evaluations?queue=mine&state=overdue')).items as Json[])[0];
      expect(item).toMatchObject({ overdue: true, status: 'planned', agent: { name: 'Alex Agent' }, scorecard: { id: scorecardId, version: 1 } });
      expect(await ids(manager, 'queue=team&state=todo')).toContain(overdue.id);
      fails(await evaluator.get('/api/evaluations?queue=team'), 403, 'FORBIDDEN');
      // A planner without quality.view_others sees the reviews they planned, and only those.
      const planner = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'quality.plan'] }));
      const plannerConv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const [mine] = ok(
        await planner.post('/api/evaluations', {
          conversationId: plannerConv,
          agentUserId: agentA.id,
          scorecardId,
          mode: 'plan',
          reviewerIds: [evaluatorUser.id],
          dueAt: hours(30),
        }),
        201,
      ).evaluations as Json[];
      expect(await ids(planner, 'queue=team')).toEqual([mine.id]);
      const own = (ok(await agent.get('/api/evaluations?queue=own')).items as Json[]).map((e) => e.status);
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own)).toEqual(new Set(['submitted']));
      expect(await ids(agentOther, 'queue=own')).toEqual([]);
      // Pages follow each other without overlap.
      const page1 = ok(await manager.get('/api/evaluations?queue=team&limit=2'));
      const page2 = ok(await manager.get(`/api/evaluations?queue=team&limit=2&cursor=${page1.nextCursor}`));
      expect(page1.items).toHaveLength(2);
      expect(page2.items.map((e: Json) => e.id)).not.toContain(page1.items[0].id);
      fails(await manager.get('/api/evaluations?queue=team&cursor=bogus'), 400, 'VALIDATION_FAILED', 'BAD_CURSOR');
    });

    it("shows the conversation's review history and the latest score to those who may read it", async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const e = ok(await reviewNow(evaluator, conv, agentA.id), 201);
      ok(await evaluator.post(`/api/evaluations/${e.id}/submit`, { answers: FULL }));
      const history = ok(await manager.get(`/api/conversations/${conv}/evaluations`)).items as Json[];
      expect(history.map((h) => [h.id, h.percent])).toEqual([[e.id, 100]]);
      // The list rows carry the Reviewed cell: whether reviewed, and the latest score the caller may read.
      const rows = async (s: typeof manager) => {
        const page = ok(await s.post('/api/conversations/search?limit=200', { period: null, reviewable: 'all' }));
        return new Map((page.items as Json[]).filter((i) => [conv, convB].includes(i.id)).map((i) => [i.id, i.review]));
      };
      const m = await rows(manager);
      expect(m.get(conv)).toMatchObject({ reviews: 1, latest: { evaluationId: e.id, percent: 100, passed: true, autoFailed: false } });
      expect(m.get(convB)).toEqual({ reviewedAt: null, latest: null, reviews: 0 });
      // A viewer sees that it was reviewed, not the score.
      const v = await rows(viewer);
      expect(v.get(conv)).toMatchObject({ latest: null, reviews: 0 });
      expect(v.get(conv).reviewedAt).not.toBeNull();
      // Eve does not see Bea's conversation at all.
      expect([...(await rows(evaluator)).keys()]).toEqual([conv]);
    });
  });

  describe('the Reviewed filter', () => {
    it('finds reviewed or not yet reviewed conversations and names its chip', async () => {
      const reviewed = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const notYet = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const e = ok(await reviewNow(evaluator, reviewed, agentA.id), 201);
      ok(await evaluator.post(`/api/evaluations/${e.id}/submit`, { answers: FULL }));
      const search = async (v: unknown) => ok(await manager.post('/api/conversations/search', { period: null, reviewable: 'all', reviewed: v }));
      const yes = await search('yes');
      expect(yes.items.map((i: Json) => i.id)).toContain(reviewed);
      expect(yes.items.map((i: Json) => i.id)).not.toContain(notYet);
      expect(yes.filter.reviewed).toBe('yes');
      expect(yes.chips).toContainEqual({ field: 'reviewed', label: 'Reviewed: Yes' });
      const no = await search('no');
      expect(no.items.map((i: Json) => i.id)).toContain(notYet);
      expect(no.items.map((i: Json) => i.id)).not.toContain(reviewed);
      expect((await search(null)).filter.reviewed).toBeUndefined();
      fails(await manager.post('/api/conversations/search', { reviewed: 'maybe' }), 400, 'VALIDATION_FAILED', 'INVALID_FILTER');
    });
  });

  describe('reminders', () => {
    it('reminds the evaluator of a review due within a day or overdue, once a day', async () => {
      const conv = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const plan = async (dueAt: string) =>
        (
          ok(
            await manager.post('/api/evaluations', {
              conversationId: conv,
              agentUserId: agentA.id,
              scorecardId: await makeScorecard(DEF),
              mode: 'plan',
              reviewerIds: [evaluatorUser.id],
              dueAt,
            }),
            201,
          ).evaluations as Json[]
        )[0]!.id as string;
      // Only this test's evaluations are due: earlier ones are pushed out of the window.
      await t.db
        .updateTable('evaluations')
        .set({ due_at: hours(24 * 30) })
        .where('tenant_id', '=', tenantId)
        .execute();
      const soon = await plan(hours(3));
      const later = await plan(hours(72));
      const reminders = async () => (await outbox(evaluatorUser.email)).filter((m) => m.kind.includes('evaluation_reminder')).length;
      const before = await reminders();
      expect((await sendDueReminders(t)).reminded).toBe(1);
      expect(await reminders()).toBe(before + 1);
      expect((await sendDueReminders(t)).reminded).toBe(0);
      // A day later it is overdue: one more reminder.
      expect((await sendDueReminders(t, new Date(Date.now() + 25 * 3600_000))).reminded).toBe(1);
      const rows = await t.db.selectFrom('evaluations').select(['id', 'reminded_at']).where('id', 'in', [soon, later]).execute();
      expect(rows.find((r) => r.id === later)!.reminded_at).toBeNull();
      // A submitted evaluation is not reminded.
      await t.db.updateTable('evaluations').set({ status: 'submitted', reminded_at: null }).where('id', '=', soon).execute();
      expect((await sendDueReminders(t)).reminded).toBe(0);
    });
  });

  describe('merged conversations', () => {
    it('moves evaluations, calibrations and moments to the target and keeps the earliest reviewed_at', async () => {
      const a = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const b = (await makeChat(t, ingest, { agentExtension: '2001' })).conversationId;
      const e = ok(await reviewNow(evaluator, b, agentA.id), 201);
      const s = ok(await evaluator.post(`/api/evaluations/${e.id}/submit`, { answers: FULL }));
      const now = nowIso();
      const version = await t.db.selectFrom('scorecard_versions').select('id').where('scorecard_id', '=', scorecardId).executeTakeFirstOrThrow();
      const calId = newId();
      await t.db
        .insertInto('calibrations')
        .values({
          id: calId,
          tenant_id: tenantId,
          name: 'Cal',
          conversation_id: b,
          agent_user_id: agentA.id,
          scorecard_id: scorecardId,
          scorecard_version_id: version.id,
          reference_user_id: null,
          status: 'open',
          due_at: null,
          created_by: managerUser.id,
          created_at: now,
          closed_at: null,
        })
        .execute();
      const momentId = newId();
      await t.db
        .insertInto('moments')
        .values({
          id: momentId,
          tenant_id: tenantId,
          conversation_id: b,
          name: 'Nice',
          start_ms: 0,
          end_ms: 1000,
          status: 'pending',
          reason: null,
          clip_blob_id: null,
          created_by: managerUser.id,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
      await t.db.transaction().execute((tx) => mergeConversations(tx, a, [b]));
      const where = async (table: 'evaluations' | 'calibrations' | 'moments', id: string) =>
        (await t.db.selectFrom(table).select('conversation_id').where('id', '=', id).executeTakeFirstOrThrow()).conversation_id;
      expect(await where('evaluations', e.id)).toBe(a);
      expect(await where('calibrations', calId)).toBe(a);
      expect(await where('moments', momentId)).toBe(a);
      const target = await t.db.selectFrom('conversations').select('reviewed_at').where('id', '=', a).executeTakeFirstOrThrow();
      expect(target.reviewed_at).toBe(s.submittedAt);
      expect(ok(await evaluator.get(`/api/evaluations/${e.id}`)).conversation.id).toBe(a);
    });
  });
});
