// Offline interactions on both engines: adding one (with and without a file) makes a conversation of the agent that
// the list finds and that is reviewable, the file is stored encrypted and downloads audited, the group scope and
// permissions hold, bad input is refused with nothing left behind (no conversation, no stored object).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { login, makeGroup, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { multipart } from '../../../test/helpers/multipart.ts';
import { makeScorecard } from '../calibrations/test-fixtures.ts';

describe.each(ENGINES)('offline interactions on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let agentA: TestUser;
  let agentB: TestUser;
  let reviewerCookie: string;
  let scopedCookie: string;
  let agentCookie: string;

  const post = (cookie: string, meta: object, file?: { fileName: string; data: Buffer; contentType?: string }, field = 'file') => {
    const body = multipart([{ name: 'metadata', value: JSON.stringify(meta) }, ...(file ? [{ name: field, file }] : [])]);
    return t.app.inject({ method: 'POST', url: '/api/offline-interactions', headers: { cookie, ...body.headers }, payload: body.payload });
  };
  const meta = (over: Record<string, unknown> = {}) => ({
    agentUserId: agentA.id,
    startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    durationMinutes: 12,
    channel: 'in_person',
    customerName: 'Dana Walk-in',
    customerContact: '+1 (555) 010-2030',
    notes: 'Came to the counter about a refund.',
    ...over,
  });
  const counts = async () => ({
    conversations: Number(
      (
        await t.db
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    blobs: Number(
      (
        await t.db
          .selectFrom('blobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin } = await tenantWithAdmin(t));
    const groupA = await makeGroup(t, tenantId, 'A');
    const groupB = await makeGroup(t, tenantId, 'B');
    agentA = await makeUser(t, tenantId, { roles: ['agent'], name: 'Alex Agent', groupId: groupA });
    agentB = await makeUser(t, tenantId, { roles: ['agent'], name: 'Bo Agent', groupId: groupB });
    reviewerCookie = await login(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'] }));
    scopedCookie = await login(t.app, await makeUser(t, tenantId, { roles: ['evaluator'], groupId: groupA }));
    agentCookie = await login(t.app, agentA);
  });
  afterAll(() => t?.cleanup());

  it('adds an interaction with a file: a reviewable conversation of the agent that the list finds', async () => {
    const data = Buffer.from('%PDF-1.4 a scanned letter from the customer\n');
    const res = await post(scopedCookie, meta({ title: 'Refund at the counter' }), { fileName: 'letter.pdf', data, contentType: 'application/pdf' });
    const created = ok(res, 201);
    expect(created).toMatchObject({
      title: 'Refund at the counter',
      channel: 'in_person',
      notes: 'Came to the counter about a refund.',
      agent: { id: agentA.id, name: 'Alex Agent' },
      file: { name: 'letter.pdf', contentType: 'application/pdf', bytes: data.length },
    });
    const id = created.conversationId;
    const conv = ok(await admin.get(`/api/conversations/${id}`));
    expect(conv.segments.map((s: Json) => s.kind)).toEqual(['offline']);
    const row = await t.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ agent_user_id: agentA.id, reviewable: 1, has_call: 0, title: 'Refund at the counter' });
    expect(Date.parse(String(row.ended_at)) - Date.parse(String(row.started_at))).toBe(12 * 60_000);
    const people = await t.db
      .selectFrom('conversation_participants')
      .select(['role', 'user_id', 'name', 'phone'])
      .where('conversation_id', '=', id)
      .orderBy('role')
      .execute();
    expect(people).toEqual([
      { role: 'agent', user_id: agentA.id, name: 'Alex Agent', phone: null },
      { role: 'customer', user_id: null, name: 'Dana Walk-in', phone: '+15550102030' },
    ]);

    // Found by the search like any conversation (indexed by the pipeline), and the agent sees their own.
    await runJobs(t);
    const found = ok(await admin.post('/api/conversations/search', {}));
    expect(found.items.map((x: Json) => x.id)).toContain(id);
    const own = ok(await t.app.inject({ method: 'GET', url: `/api/offline-interactions/${id}`, headers: { cookie: agentCookie } }));
    expect(own.conversationId).toBe(id);

    // The file is stored encrypted and comes back byte for byte, audited.
    const blob = await t.db.selectFrom('offline_interactions').select('file_blob_id').where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(blob.file_blob_id).toBeTruthy();
    const dl = await t.app.inject({ method: 'GET', url: `/api/offline-interactions/${id}/file`, headers: { cookie: scopedCookie } });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload).toEqual(data);
    expect(dl.headers['content-disposition']).toContain('letter.pdf');
    const events = ok(await admin.get(`/api/audit?resourceId=${id}&limit=50`)).items as Json[];
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['OFFLINE_INTERACTION_CREATE', 'RECORDING_DOWNLOADED']));
    expect(events.find((e) => e.action === 'OFFLINE_INTERACTION_CREATE').changes).toEqual(
      expect.arrayContaining([{ field: 'channel', old: null, new: 'in_person' }]),
    );

    // Notes can be edited, audited with old and new text.
    const edited = ok(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/offline-interactions/${id}`,
        headers: { cookie: reviewerCookie },
        payload: { notes: 'Refund granted.' },
      }),
    );
    expect(edited.notes).toBe('Refund granted.');
    const upd = (ok(await admin.get(`/api/audit?resourceId=${id}&action=OFFLINE_INTERACTION_UPDATE`)).items as Json[])[0];
    expect(upd.changes).toEqual([{ field: 'notes', old: 'Came to the counter about a refund.', new: 'Refund granted.' }]);

    const list = ok(await t.app.inject({ method: 'GET', url: '/api/offline-interactions', headers: { cookie: reviewerCookie } })).items as Json[];
    expect(list.map((x) => x.conversationId)).toContain(id);
  });

  it('is evaluated like any other conversation: review now, answer, submit', async () => {
    const id = ok(await post(reviewerCookie, meta({ title: 'Walk-in to review' })), 201).conversationId;
    const scorecardId = await makeScorecard(t, tenantId);
    const draft = ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/evaluations',
        headers: { cookie: reviewerCookie },
        payload: { conversationId: id, agentUserId: agentA.id, scorecardId, mode: 'now' },
      }),
      201,
    );
    const submitted = ok(
      await t.app.inject({
        method: 'POST',
        url: `/api/evaluations/${draft.id}/submit`,
        headers: { cookie: reviewerCookie },
        payload: { answers: { greet: { value: 'yes' }, empathy: { value: 4 } }, generalComment: 'Handled well at the counter' },
      }),
    );
    expect(submitted).toMatchObject({ status: 'submitted', result: { score: 16, maxScore: 18 } });
    const row = await t.db.selectFrom('conversations').select('reviewed_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.reviewed_at).toBeTruthy();
  });

  it('adds one without a file, titled by its channel and customer', async () => {
    const created = ok(await post(reviewerCookie, meta({ channel: 'phone', customerName: 'Sam', customerContact: 'sam@example.com', notes: undefined })), 201);
    expect(created).toMatchObject({ title: 'Phone call with Sam', file: null, notes: '' });
  });

  it('refuses bad input and out-of-scope agents, leaving nothing behind', async () => {
    const before = await counts();
    const file = { fileName: 'x.txt', data: Buffer.from('hello') };
    // An agent outside the reviewer's group; unknown agent; future start; bad channel; two files; no permission.
    fails(await post(scopedCookie, meta({ agentUserId: agentB.id }), file), 403, 'FORBIDDEN');
    fails(await post(scopedCookie, meta({ agentUserId: '0000-unknown' }), file), 400, 'VALIDATION_FAILED', 'UNKNOWN_AGENT');
    fails(await post(scopedCookie, meta({ startedAt: new Date(Date.now() + 86_400_000).toISOString() }), file), 400, 'VALIDATION_FAILED', 'IN_FUTURE');
    fails(await post(scopedCookie, meta({ channel: 'carrier_pigeon' }), file), 400, 'VALIDATION_FAILED');
    fails(await post(scopedCookie, meta(), file, 'attachment'), 400, 'VALIDATION_FAILED', 'ONE_FILE');
    fails(await post(agentCookie, meta(), file), 403, 'FORBIDDEN');
    expect(await counts()).toEqual(before);
    // Outside the scope an interaction does not exist.
    const other = ok(await post(reviewerCookie, meta({ agentUserId: agentB.id })), 201);
    fails(await t.app.inject({ method: 'GET', url: `/api/offline-interactions/${other.conversationId}`, headers: { cookie: scopedCookie } }), 404, 'NOT_FOUND');
  });
});
