import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { login, makeGroup, makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { actorOfUser, makeChat } from '../../test/helpers/conversations.ts';
import { ingestCall } from './ingest/calls.ts';
import { exportConversation } from './service.ts';
import type { Actor } from '../auth/actor.ts';

describe.each(ENGINES)('conversations on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let ingest: Actor;
  let groups: { care: string; billing: string; other: string };
  let agentA: { id: string; email: string; password: string };
  let agentB: { id: string; email: string; password: string };

  beforeAll(async () => {
    t = await createTestApp(engine);
    tenant = await makeTenant(t);
    ingest = await actorOfUser(t, tenant.admin.id);
    const care = await makeGroup(t, tenant.tenantId, 'Care');
    groups = { care, billing: await makeGroup(t, tenant.tenantId, 'Billing', care), other: await makeGroup(t, tenant.tenantId, 'Other') };
    agentA = await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '1001', groupId: groups.billing, name: 'Agent A' });
    agentB = await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '1002', groupId: groups.other, name: 'Agent B' });
  });
  afterAll(() => t.cleanup());

  const call = (callId: string, extra: Record<string, unknown> = {}, agentExt = '1001', start = '2026-11-02T10:00:00.000Z') =>
    ingestCall(
      t,
      ingest,
      {
        callId,
        startTime: start,
        direction: 'inbound',
        parties: [
          { key: 'cust', role: 'customer', name: 'Casey Customer', phone: '+1 555 010 2030' },
          { key: 'agent', role: 'agent', extension: agentExt },
        ],
        ...extra,
      } as never,
      [],
    );

  it('ingests a chat once, however often it is posted', async () => {
    const r1 = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/chats',
      headers: { cookie: await login(t.app, tenant.admin) },
      payload: chatPayload('c-idem'),
    });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().duplicate).toBe(false);
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/chats',
      headers: { cookie: await login(t.app, tenant.admin) },
      payload: chatPayload('c-idem'),
    });
    expect(r2.json()).toEqual({ ...r1.json(), duplicate: true });
    const rows = await t.db.selectFrom('segments').select('id').where('external_id', '=', 'c-idem').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a chat with a sender who is not a participant, storing nothing', async () => {
    const payload = chatPayload('c-bad');
    payload.messages.push({ sender: 'ghost', at: '2026-11-01T10:05:00.000Z', text: 'boo' });
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/chats', headers: { cookie: await login(t.app, tenant.admin) }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'UNKNOWN_PARTY' } });
    expect(await t.db.selectFrom('segments').select('id').where('external_id', '=', 'c-bad').execute()).toHaveLength(0);
  });

  it("records where a conversation started on the calendar and clock of the agent's site", async () => {
    const siteId = `site-${Math.random().toString(36).slice(2)}`;
    const now = new Date().toISOString();
    await t.db
      .insertInto('sites')
      .values({ id: siteId, tenant_id: tenant.tenantId, name: siteId, time_zone: 'Europe/Paris', created_at: now, updated_at: now })
      .execute();
    await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '3001' });
    await t.db.updateTable('users').set({ site_id: siteId }).where('tenant_id', '=', tenant.tenantId).where('extension', '=', '3001').execute();
    // 23:30 UTC on Sunday 1 November 2026 is 00:30 on Monday 2 November in Paris (UTC+1).
    const c = await makeChat(t, ingest, { agentExtension: '3001', at: new Date('2026-11-01T23:30:00.000Z') });
    const row = await t.db.selectFrom('conversations').selectAll().where('id', '=', c.conversationId).executeTakeFirstOrThrow();
    expect([row.local_date, row.local_weekday, row.local_minute]).toEqual(['2026-11-02', 1, 30]);
    const utc = await makeChat(t, ingest, { agentExtension: '4243', at: new Date('2026-11-01T23:30:00.000Z') });
    const u = await t.db.selectFrom('conversations').selectAll().where('id', '=', utc.conversationId).executeTakeFirstOrThrow();
    expect([u.local_date, u.local_weekday, u.local_minute]).toEqual(['2026-11-01', 7, 23 * 60 + 30]);
  });

  it('resolves agents by extension and leaves unknown agents as bare participants', async () => {
    const known = await makeChat(t, ingest, { agentExtension: '1001' });
    const unknown = await makeChat(t, ingest, { agentExtension: '4242' });
    const k = await t.db.selectFrom('conversations').selectAll().where('id', '=', known.conversationId).executeTakeFirstOrThrow();
    expect(k.agent_user_id).toBe(agentA.id);
    expect(k.group_id).toBe(groups.billing);
    const u = await t.db.selectFrom('conversations').selectAll().where('id', '=', unknown.conversationId).executeTakeFirstOrThrow();
    expect(u.agent_user_id).toBeNull();
    const parts = await t.db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', unknown.conversationId).execute();
    expect(parts.find((p) => p.role === 'agent')).toMatchObject({ extension: '4242', user_id: null });
  });

  describe('stitching', () => {
    it('joins a transfer from agent A to agent B into one conversation', async () => {
      const first = await call('tr-1', { engagementId: undefined });
      const second = await call('tr-2', { previousCallId: 'tr-1' }, '1002', '2026-11-02T10:03:00.000Z');
      expect(second.conversationId).toBe(first.conversationId);
      const parts = await t.db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', first.conversationId).execute();
      expect(
        parts
          .filter((p) => p.role === 'agent')
          .map((p) => p.user_id)
          .sort(),
      ).toEqual([agentA.id, agentB.id].sort());
      expect(parts.filter((p) => p.role === 'customer')).toHaveLength(1);
      const segs = await t.db
        .selectFrom('segments')
        .select(['external_id', 'agent_user_id'])
        .where('conversation_id', '=', first.conversationId)
        .orderBy('started_at')
        .execute();
      expect(segs).toEqual([
        { external_id: 'tr-1', agent_user_id: agentA.id },
        { external_id: 'tr-2', agent_user_id: agentB.id },
      ]);
    });

    it('joins a consultation made while the customer is on hold, and the resumed call', async () => {
      const main = await call('hold-1', {
        engagementId: 'eng-hold',
        events: [
          { type: 'hold', offsetMs: 30_000 },
          { type: 'resume', offsetMs: 90_000 },
        ],
      });
      const consult = await ingestCall(
        t,
        ingest,
        {
          callId: 'hold-consult',
          consultOfCallId: 'hold-1',
          startTime: '2026-11-02T10:00:40.000Z',
          direction: 'internal',
          parties: [
            { key: 'agent', role: 'agent', extension: '1001' },
            { key: 'expert', role: 'agent', extension: '1002' },
          ],
        } as never,
        [],
      );
      expect(consult.conversationId).toBe(main.conversationId);
      const events = await t.db.selectFrom('segment_events').select(['type', 'at']).where('segment_id', '=', main.segmentId).orderBy('at').execute();
      expect(events.map((e) => e.type)).toEqual(['hold', 'resume']);
      expect(events[0]!.at).toBe('2026-11-02T10:00:30.000Z');
    });

    it('keeps a second inbound call answered while the first is on hold as its own conversation', async () => {
      const first = await call('busy-1', {
        engagementId: 'eng-busy-1',
        events: [
          { type: 'hold', offsetMs: 10_000 },
          { type: 'resume', offsetMs: 60_000 },
        ],
      });
      const second = await call('busy-2', { engagementId: 'eng-busy-2' }, '1001', '2026-11-02T10:00:20.000Z');
      expect(second.conversationId).not.toBe(first.conversationId);
    });

    it('joins segments of the same engagement across channels', async () => {
      const chat = await makeChat(t, ingest, { engagementId: 'eng-omni', agentExtension: '1001' });
      const c = await call('omni-call', { engagementId: 'eng-omni' });
      expect(c.conversationId).toBe(chat.conversationId);
      const row = await t.db.selectFrom('conversations').selectAll().where('id', '=', chat.conversationId).executeTakeFirstOrThrow();
      expect([row.has_chat, row.has_call]).toEqual([1, 1]);
    });

    it('recognises the same customer across a chat (email) and a call (phone) of one contact', async () => {
      const chat = await makeChat(t, ingest, { engagementId: 'eng-same-person', agentExtension: '1001', customerName: 'Casey Customer' });
      await call('same-person-call', { engagementId: 'eng-same-person' });
      const customers = await t.db
        .selectFrom('conversation_participants')
        .selectAll()
        .where('conversation_id', '=', chat.conversationId)
        .where('role', '=', 'customer')
        .execute();
      expect(customers).toHaveLength(1);
      expect(customers[0]).toMatchObject({ name: 'Casey Customer', email: 'pat@example.com', phone: '+15550102030' });
    });
  });

  describe('access', () => {
    it('restricts the list to the group scope and answers 404 outside it', async () => {
      const inCare = await makeChat(t, ingest, { agentExtension: '1001' });
      const inOther = await makeChat(t, ingest, { agentExtension: '1002' });
      const manager = await makeUser(t, tenant.tenantId, { roles: ['cc_manager'], groupId: groups.care });
      const cookie = await login(t.app, manager);
      const all = await listAll(cookie);
      expect(all).toContain(inCare.conversationId);
      expect(all).not.toContain(inOther.conversationId);
      expect((await t.app.inject({ url: `/api/conversations/${inOther.conversationId}`, headers: { cookie } })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/conversations/${inCare.conversationId}`, headers: { cookie } })).statusCode).toBe(200);
    });

    it('shows agents only their own conversations', async () => {
      const mine = await makeChat(t, ingest, { agentExtension: '1001' });
      const theirs = await makeChat(t, ingest, { agentExtension: '1002' });
      const cookie = await login(t.app, agentA);
      const ids = await listAll(cookie);
      expect(ids).toContain(mine.conversationId);
      expect(ids).not.toContain(theirs.conversationId);
      expect((await t.app.inject({ url: `/api/conversations/${theirs.conversationId}`, headers: { cookie } })).statusCode).toBe(404);
    });

    it('keeps other tenants out entirely', async () => {
      const other = await makeTenant(t);
      const conv = await makeChat(t, await actorOfUser(t, other.admin.id), {});
      const cookie = await login(t.app, tenant.admin);
      expect((await t.app.inject({ url: `/api/conversations/${conv.conversationId}`, headers: { cookie } })).statusCode).toBe(404);
    });
  });

  it('pages newest first with a keyset cursor and a stable total', async () => {
    const other = await makeTenant(t);
    const who = await actorOfUser(t, other.admin.id);
    for (let i = 0; i < 7; i++) await makeChat(t, who, { at: new Date(Date.UTC(2026, 9, 1 + i)) });
    const cookie = await login(t.app, other.admin);
    const p1 = (await t.app.inject({ url: '/api/conversations?limit=3', headers: { cookie } })).json();
    expect(p1.total).toBe(7);
    const p2 = (await t.app.inject({ url: `/api/conversations?limit=3&cursor=${p1.nextCursor}`, headers: { cookie } })).json();
    const p3 = (await t.app.inject({ url: `/api/conversations?limit=3&cursor=${p2.nextCursor}`, headers: { cookie } })).json();
    const starts = [...p1.items, ...p2.items, ...p3.items].map((c: { startedAt: string }) => c.startedAt);
    expect(starts).toHaveLength(7);
    expect([...starts].sort().reverse()).toEqual(starts);
    expect(p3.nextCursor).toBeNull();
    expect((await t.app.inject({ url: '/api/conversations?cursor=garbage', headers: { cookie } })).statusCode).toBe(400);
  });

  it('exports one conversation as JSON with a dated file name, never media, and audits it', async () => {
    const conv = await makeChat(t, ingest, { agentExtension: '1001', text: 'Export me please' });
    const cookie = await login(t.app, tenant.admin);
    const res = await t.app.inject({ url: `/api/conversations/${conv.conversationId}/export`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="${conv.conversationId}_\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z\\.json"`));
    const body = res.json();
    expect(body.conversation.id).toBe(conv.conversationId);
    expect(body.conversation.segments[0].messages[0].text).toBe('Export me please');
    const audit = (await t.app.inject({ url: `/api/audit?action=CONVERSATION_EXPORT&resourceId=${conv.conversationId}`, headers: { cookie } })).json();
    expect(audit.items).toHaveLength(1);
  });

  it('refuses the JSON export to a viewer without conversations.export, in the service as at the route, and audits nothing', async () => {
    const conv = await makeChat(t, ingest, { agentExtension: '1001', text: 'Not for export' });
    const evaluator = await makeUser(t, tenant.tenantId, { roles: ['evaluator'] }); // views conversations, may not export
    await expect(exportConversation(t, await actorOfUser(t, evaluator.id), conv.conversationId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const res = await t.app.inject({ url: `/api/conversations/${conv.conversationId}/export`, headers: { cookie: await login(t.app, evaluator) } });
    expect(res.statusCode).toBe(403);
    const admin = await login(t.app, tenant.admin);
    const audit = (await t.app.inject({ url: `/api/audit?action=CONVERSATION_EXPORT&resourceId=${conv.conversationId}`, headers: { cookie: admin } })).json();
    expect(audit.items).toHaveLength(0);
  });

  async function listAll(cookie: string) {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await t.app.inject({ url: `/api/conversations?limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers: { cookie } })
      ).json();
      ids.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
});

function chatPayload(chatId: string) {
  return {
    chatId,
    roomName: 'Billing question',
    participants: [
      { key: 'c', role: 'customer' as const, name: 'Pat' },
      { key: 'a', role: 'agent' as const, name: 'Alex', extension: '1001' },
    ],
    messages: [
      { sender: 'c', at: '2026-11-01T10:00:00.000Z', text: 'Hi' },
      { sender: 'a', at: '2026-11-01T10:01:00.000Z', text: 'Hello' },
    ],
  };
}
