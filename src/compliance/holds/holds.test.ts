// Legal holds through the HTTP API on both engines: a hold by list (no cap: more conversations than the 1,000 a
// commercial system allows), a hold by rule from a filter or a saved search (what matches now and what arrives later),
// refusals with stable codes (moving period, unknown conversation, released hold), release making conversations
// subject to deletion again, group scope, and the audit trail with old and new values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';

describe.each(ENGINES)('legal holds on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let analyst: Client;
  let ingest: Actor;
  let chats: string[];

  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?resourceId=${resourceId}&limit=200`)).items as Json[]).reverse();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    analyst = await signIn(t.app, await makeUser(t, tenantId, { roles: ['compliance_analyst'] }));
    chats = [];
    for (let i = 0; i < 3; i++) chats.push((await makeChat(t, ingest, { text: i === 0 ? 'the orinoco shipment' : 'hello' })).conversationId);
    await runJobs(t);
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('holds an explicit list without a cap, and protects exactly those', async () => {
    // 1,500 conversations named at once (beyond a 1,000 cap); rows inserted directly, as a bulk import would.
    const many: string[] = [];
    const now = nowIso();
    for (let i = 0; i < 1500; i++) many.push(newId());
    for (let i = 0; i < many.length; i += 250) {
      await t.db
        .insertInto('conversations')
        .values(
          many.slice(i, i + 250).map((id) => ({
            id,
            tenant_id: tenantId,
            engagement_id: null,
            title: 'Bulk',
            direction: 'inbound',
            started_at: now,
            ended_at: now,
            talk_time_ms: 0,
            has_call: 0,
            has_chat: 1,
            has_email: 0,
            has_screen: 0,
            reviewable: 1,
            agent_user_id: null,
            group_id: null,
            site_id: null,
            customer_phone: null,
            custom_data: t.adapter.json({}),
            created_at: now,
            updated_at: now,
          })) as never,
        )
        .execute();
    }
    const hold = ok(await analyst.post('/api/compliance/holds', { name: 'Acme v. Smith', reason: 'Litigation 2026-114', kind: 'list', conversationIds: many }));
    expect(hold).toMatchObject({ name: 'Acme v. Smith', kind: 'list', status: 'active', conversations: 1500 });
    const more = ok(await analyst.post(`/api/compliance/holds/${hold.id}/conversations`, { conversationIds: [...chats.slice(0, 2), many[0]] }));
    expect(more).toEqual({ changed: 2, conversations: 1502 });
    const prot = ok(await analyst.post('/api/compliance/protection', { conversationIds: [chats[0], chats[2]] }));
    expect(prot.items).toEqual([{ conversationId: chats[0], protections: [{ kind: 'legal_hold', holdId: hold.id, name: 'Acme v. Smith' }] }]);
    const page = ok(await analyst.get(`/api/compliance/holds/${hold.id}/conversations?limit=10`));
    expect(page.items).toHaveLength(10);
    expect(page.next).toBeTruthy();

    const removed = ok(await analyst.post(`/api/compliance/holds/${hold.id}/conversations/remove`, { conversationIds: [chats[1]] }));
    expect(removed).toEqual({ changed: 1, conversations: 1501 });
    const events = await audit(hold.id);
    expect(events.map((e) => e.action)).toEqual(['LEGAL_HOLD_CREATE', 'LEGAL_HOLD_ADD', 'LEGAL_HOLD_REMOVE']);
    expect(events[1].changes).toEqual([{ field: 'conversations', old: null, new: chats.slice(0, 2) }]);

    // A deletion of a held conversation is refused with which and why.
    const err = fails(
      await admin.post('/api/conversations/delete', { conversationIds: [chats[0]], scope: 'conversation', reason: 'tidy up' }),
      409,
      'CONVERSATION_PROTECTED',
    );
    expect(err.details).toEqual({ protected: [{ conversationId: chats[0], protections: [{ kind: 'legal_hold', holdId: hold.id, name: 'Acme v. Smith' }] }] });

    // Released: protected no more, changes refused, the reason audited.
    fails(await analyst.post(`/api/compliance/holds/${hold.id}/release`, { reason: '  ' }), 400, 'VALIDATION_FAILED');
    const released = ok(await analyst.post(`/api/compliance/holds/${hold.id}/release`, { reason: 'Case settled' }));
    expect(released).toMatchObject({ status: 'released', releaseReason: 'Case settled' });
    expect(ok(await analyst.post('/api/compliance/protection', { conversationIds: [chats[0]] })).items).toEqual([]);
    fails(await analyst.post(`/api/compliance/holds/${hold.id}/conversations`, { conversationIds: [chats[2]] }), 409, 'CONFLICT', 'HOLD_RELEASED');
    fails(await analyst.post(`/api/compliance/holds/${hold.id}/release`, { reason: 'again' }), 409, 'CONFLICT', 'HOLD_RELEASED');
    expect((await audit(hold.id)).at(-1)).toMatchObject({
      action: 'LEGAL_HOLD_RELEASE',
      changes: [
        { field: 'status', old: 'active', new: 'released' },
        { field: 'releaseReason', old: null, new: 'Case settled' },
      ],
    });
  }, 120_000);

  it('holds by rule what matches now and what arrives later, from a filter or a saved search', async () => {
    fails(
      await analyst.post('/api/compliance/holds', { name: 'Moving', kind: 'rule', filter: { q: 'orinoco', period: { kind: 'last_days', days: 30 } } }),
      400,
      'VALIDATION_FAILED',
      'HOLD_MOVING_PERIOD',
    );
    fails(await analyst.post('/api/compliance/holds', { name: 'Nothing', kind: 'rule' }), 400, 'VALIDATION_FAILED');
    const hold = ok(await analyst.post('/api/compliance/holds', { name: 'Orinoco', kind: 'rule', filter: { q: 'orinoco' } }));
    expect(hold).toMatchObject({ kind: 'rule', conversations: 1, filter: { q: 'orinoco', period: null, reviewable: 'all' } });
    expect(hold.chips.map((c: Json) => c.label)).toContain('Reviewable: All');
    const later = (await makeChat(t, ingest, { text: 'orinoco delays again' })).conversationId;
    await runJobs(t);
    expect(ok(await analyst.get(`/api/compliance/holds/${hold.id}`)).conversations).toBe(2);
    expect(ok(await analyst.post('/api/compliance/protection', { conversationIds: [later] })).items[0].protections).toEqual([
      { kind: 'legal_hold', holdId: hold.id, name: 'Orinoco' },
    ]);
    fails(await analyst.post(`/api/compliance/holds/${hold.id}/conversations`, { conversationIds: [chats[2]] }), 409, 'CONFLICT', 'HOLD_BY_RULE');

    // Changing the rule is audited with the old and new filter.
    const changed = ok(await analyst.patch(`/api/compliance/holds/${hold.id}`, { filter: { q: 'orinoco shipment' } }));
    expect(changed.conversations).toBe(1);
    const upd = (await audit(hold.id)).find((e) => e.action === 'LEGAL_HOLD_UPDATE');
    expect(upd.changes[0]).toMatchObject({ field: 'filter', old: { q: 'orinoco' }, new: { q: 'orinoco shipment' } });

    // From a saved search of the analyst's.
    const saved = ok(await analyst.post('/api/saved-searches', { name: 'Orinoco all time', filter: { q: 'orinoco', period: null } }));
    const fromSaved = ok(await analyst.post('/api/compliance/holds', { name: 'From saved', kind: 'rule', savedSearchId: saved.id }));
    expect(fromSaved.conversations).toBe(2);
    fails(await analyst.post('/api/compliance/holds', { name: 'Unknown', kind: 'rule', savedSearchId: newId() }), 404, 'NOT_FOUND');
    const list = ok(await analyst.get('/api/compliance/holds')).items as Json[];
    expect(list.map((h) => h.name)).toEqual(expect.arrayContaining(['Orinoco', 'From saved']));
  }, 60_000);

  it('makes a tag a protection tag only for a data life cycle or legal hold manager, audited', async () => {
    const tagger = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['tags.manage', 'tags.apply', 'conversations.view'] }));
    fails(await tagger.post('/api/tags', { name: 'MiFID II', color: '#112233', protects: true }), 403, 'FORBIDDEN');
    const plain = ok(await tagger.post('/api/tags', { name: 'MiFID II', color: '#112233' }));
    expect(plain.protects).toBe(false);
    fails(await tagger.patch(`/api/tags/${plain.id}`, { protects: true }), 403, 'FORBIDDEN');
    // A tag manager may still rename it (protects unchanged).
    ok(await tagger.patch(`/api/tags/${plain.id}`, { name: 'MiFID 2' }));
    const on = ok(await admin.patch(`/api/tags/${plain.id}`, { protects: true }));
    expect(on.protects).toBe(true);
    const events = await audit(plain.id);
    expect(events.at(-1).changes).toEqual([{ field: 'protects', old: false, new: true }]);
    ok(await tagger.post(`/api/conversations/${chats[2]}/tags`, { tagId: plain.id }));
    expect(ok(await analyst.post('/api/compliance/protection', { conversationIds: [chats[2]] })).items[0].protections).toContainEqual({
      kind: 'tag',
      tagId: plain.id,
      name: 'MiFID 2',
    });
  }, 60_000);

  it('keeps holds inside the group scope and refuses without the permission', async () => {
    const A = await makeGroup(t, tenantId, `A-${newId().slice(-4)}`);
    const B = await makeGroup(t, tenantId, `B-${newId().slice(-4)}`);
    await makeUser(t, tenantId, { roles: ['agent'], extension: '7101', groupId: A });
    await makeUser(t, tenantId, { roles: ['agent'], extension: '7201', groupId: B });
    const inA = (await makeChat(t, ingest, { agentExtension: '7101' })).conversationId;
    const inB = (await makeChat(t, ingest, { agentExtension: '7201' })).conversationId;
    const scoped = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['legal_holds.manage', 'conversations.view'], groupId: A }));
    fails(await scoped.post('/api/compliance/holds', { name: 'Outside', kind: 'list', conversationIds: [inB] }), 404, 'NOT_FOUND');
    fails(await scoped.post('/api/compliance/holds', { name: 'Rule', kind: 'rule', filter: { q: 'x' } }), 403, 'FORBIDDEN');
    ok(await scoped.post('/api/compliance/holds', { name: 'Inside', kind: 'list', conversationIds: [inA] }));
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.get('/api/compliance/holds'), 403, 'FORBIDDEN');
  }, 60_000);
});
