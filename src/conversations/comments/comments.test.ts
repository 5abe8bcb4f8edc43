// Comments through the HTTP API: writing, validation, private comments, mentions, pinning, ordering, authorship, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeTenant, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId } from '../../platform/ids.ts';
import { parseMentions } from './mentions.ts';

interface AuditItem {
  action: string;
  initiatorId: string | null;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('parseMentions', () => {
  it('reads @[Name](userId) tokens once each, in order', () => {
    expect(parseMentions('Hi @[Ann Lee](u-1) and @[Bo](u_2), again @[Ann](u-1). Not @Ann, not @[x](bad id), not [y](u-3)')).toEqual(['u-1', 'u_2']);
    expect(parseMentions('no mentions')).toEqual([]);
  });
});

describe.each(ENGINES)('comments on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let adminUser: TestUser;
  let admin: Client;
  let ingest: Actor;
  let colleagueUser: TestUser;
  let colleague: Client;
  let viewer: Client;
  let agent: Client;
  let agentUser: TestUser;

  const audit = async (conv: string, action: string): Promise<AuditItem[]> =>
    (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: conv, action, limit: '200' })}`)).items as AuditItem[]).reverse();
  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;
  const list = async (c: Client, conv: string) => ok(await c.get(`/api/conversations/${conv}/comments`)).items as Json[];

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, adminUser, admin, ingest } = await tenantWithAdmin(t));
    colleagueUser = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Cleo Colleague' });
    colleague = await signIn(t.app, colleagueUser);
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    agentUser = await makeUser(t, tenantId, { roles: ['agent'], extension: '5005', name: 'Alma Agent' });
    agent = await signIn(t.app, agentUser);
  });
  afterAll(() => t?.cleanup());

  it('adds a comment with its defaults, lists it, shows it on the conversation and audits it', async () => {
    const conv = await chat();
    const c = ok(await admin.post(`/api/conversations/${conv}/comments`, { text: '  Good opening.  ', offsetMs: 1500 }));
    expect(c).toMatchObject({ authorId: adminUser.id, text: 'Good opening.', offsetMs: 1500, pinned: false, visibility: 'public', mentions: [] });
    expect(await list(admin, conv)).toEqual([c]);
    const detail = ok(await admin.get(`/api/conversations/${conv}`));
    expect(detail.comments).toEqual([c]);
    expect(detail.commentCount).toBe(1);
    const events = await audit(conv, 'COMMENT_CREATE');
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toContain('Good opening.');
    expect(events[0]!.details).toContain(c.id);
    expect(events[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'text', old: null, new: 'Good opening.' },
        { field: 'offsetMs', old: null, new: 1500 },
      ]),
    );
  });

  it('validates text and offset', async () => {
    const conv = await chat();
    const url = `/api/conversations/${conv}/comments`;
    fails(await admin.post(url, { text: '' }), 400, 'VALIDATION_FAILED');
    fails(await admin.post(url, { text: '   ' }), 400, 'VALIDATION_FAILED', 'TEXT_REQUIRED');
    fails(await admin.post(url, { text: 'x'.repeat(5001) }), 400, 'VALIDATION_FAILED');
    fails(await admin.post(url, {}), 400, 'VALIDATION_FAILED');
    fails(await admin.post(url, { text: 'a', offsetMs: -1 }), 400, 'VALIDATION_FAILED');
    fails(await admin.post(url, { text: 'a', visibility: 'team' }), 400, 'VALIDATION_FAILED');
    ok(await admin.post(url, { text: 'x'.repeat(5000) }));
    // A chat has no recording: any offset from 0 up.
    ok(await admin.post(url, { text: 'late', offsetMs: 10_000_000 }));

    const call = await chat();
    await t.db.updateTable('conversations').set({ has_call: 1, talk_time_ms: 60_000 }).where('id', '=', call).execute();
    const err = fails(
      await admin.post(`/api/conversations/${call}/comments`, { text: 'a', offsetMs: 60_001 }),
      400,
      'VALIDATION_FAILED',
      'OFFSET_OUT_OF_RANGE',
    );
    expect(err.message).toContain('60000');
    ok(await admin.post(`/api/conversations/${call}/comments`, { text: 'at the very end', offsetMs: 60_000 }));
    const c = ok(await admin.post(`/api/conversations/${call}/comments`, { text: 'start', offsetMs: 0 }));
    fails(await admin.patch(`/api/conversations/${call}/comments/${c.id}`, { offsetMs: 70_000 }), 400, 'VALIDATION_FAILED', 'OFFSET_OUT_OF_RANGE');
    expect(ok(await admin.patch(`/api/conversations/${call}/comments/${c.id}`, { offsetMs: null })).offsetMs).toBeNull();
  });

  it('shows a private comment to its author only', async () => {
    const conv = await chat();
    const mine = ok(await admin.post(`/api/conversations/${conv}/comments`, { text: 'Note to self', visibility: 'private' }));
    ok(await admin.post(`/api/conversations/${conv}/comments`, { text: 'For everyone' }));
    expect((await list(admin, conv)).map((c) => c.text)).toEqual(['Note to self', 'For everyone']);
    expect((await list(colleague, conv)).map((c) => c.text)).toEqual(['For everyone']);
    const seen = ok(await colleague.get(`/api/conversations/${conv}`));
    expect(seen.comments.map((c: Json) => c.text)).toEqual(['For everyone']);
    expect(seen.commentCount).toBe(1);
    const inList = ok(await colleague.get('/api/conversations?limit=200')).items.find((c: Json) => c.id === conv);
    expect(inList.commentCount).toBe(1);
    // To anyone else it does not exist: not even pinning reveals it.
    fails(await colleague.patch(`/api/conversations/${conv}/comments/${mine.id}`, { pinned: true }), 404, 'NOT_FOUND');
    fails(await colleague.del(`/api/conversations/${conv}/comments/${mine.id}`), 404, 'NOT_FOUND');
    // The author may make it public.
    ok(await admin.patch(`/api/conversations/${conv}/comments/${mine.id}`, { visibility: 'public' }));
    expect((await list(colleague, conv)).map((c) => c.text)).toEqual(['Note to self', 'For everyone']);
  });

  it('stores mentions from tokens and from the explicit list, and refuses unknown users', async () => {
    const conv = await chat();
    const url = `/api/conversations/${conv}/comments`;
    const other = await makeTenant(t);
    const c = ok(
      await admin.post(url, { text: `Listen @[Cleo](${colleagueUser.id}) and @[Cleo again](${colleagueUser.id})`, mentions: [adminUser.id, colleagueUser.id] }),
    );
    expect(c.mentions).toEqual([colleagueUser.id, adminUser.id]);
    // The audit line reads as the comment does; its changes keep the stored tokens.
    const created = (await audit(conv, 'COMMENT_CREATE'))[0]!;
    expect(created.details).toContain('Listen @Cleo and @Cleo again');
    expect(created.changes).toContainEqual({ field: 'text', old: null, new: c.text });
    const ghost = newId();
    const err = fails(await admin.post(url, { text: `Hey @[Ghost](${ghost})` }), 400, 'VALIDATION_FAILED', 'UNKNOWN_MENTION');
    expect(err.details?.userIds).toEqual([ghost]);
    fails(await admin.post(url, { text: 'x', mentions: [other.admin.id] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_MENTION');
    fails(await admin.post(url, { text: 'x', mentions: ['not an id'] }), 400, 'VALIDATION_FAILED');

    // Editing the text drops mentions whose token is gone, keeps explicit ones, and checks new ones.
    const edited = ok(await admin.patch(`${url}/${c.id}`, { text: 'Listen, everyone' }));
    expect(edited.mentions).toEqual([adminUser.id]);
    fails(await admin.patch(`${url}/${c.id}`, { mentions: [ghost] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_MENTION');
    expect(ok(await admin.patch(`${url}/${c.id}`, { mentions: [colleagueUser.id] })).mentions).toEqual([colleagueUser.id]);
    const events = await audit(conv, 'COMMENT_UPDATE');
    expect(events.map((e) => e.changes)).toEqual([
      [
        { field: 'text', old: c.text, new: 'Listen, everyone' },
        { field: 'mentions', old: [colleagueUser.id, adminUser.id], new: [adminUser.id] },
      ],
      [{ field: 'mentions', old: [adminUser.id], new: [colleagueUser.id] }],
    ]);
  });

  it('offers and accepts as mentions only people who may see the conversation', async () => {
    const group = await makeGroup(t, tenantId, `Team ${newId().slice(-6)}`);
    const scoped = await makeUser(t, tenantId, { permissions: ['conversations.view'], groupId: group, name: 'Sid Scoped' });
    const disabled = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Dora Disabled' });
    await t.db.updateTable('users').set({ disabled: 1 }).where('id', '=', disabled.id).execute();
    const conv = await chat();
    const own = await chat({ agentExtension: '5005' });
    const names = async (id: string, q = '') =>
      (ok(await admin.get(`/api/conversations/${id}/mentionable${q ? `?q=${encodeURIComponent(q)}` : ''}`)).items as Json[]).map((u) => u.name as string);
    const offered = await names(conv);
    expect(offered).toEqual(expect.arrayContaining(['Cleo Colleague']));
    // The agent sees own conversations only; the scoped viewer sees their group's, and this chat has none.
    expect(offered).not.toContain('Alma Agent');
    expect(offered).not.toContain('Sid Scoped');
    expect(offered).not.toContain('Dora Disabled');
    expect(await names(own)).toContain('Alma Agent');
    expect(await names(own, 'alma')).toEqual(['Alma Agent']);
    expect(await names(own, 'ALMA')).toEqual(['Alma Agent']);
    expect(await names(own, agentUser.email.slice(0, 6))).toContain('Alma Agent');

    const url = `/api/conversations/${conv}/comments`;
    const err = fails(await admin.post(url, { text: `Have a look @[Alma](${agentUser.id})` }), 400, 'VALIDATION_FAILED', 'MENTION_CANNOT_SEE');
    expect(err.message).toContain('Alma Agent');
    expect(err.details?.userIds).toEqual([agentUser.id]);
    fails(await admin.post(url, { text: 'x', mentions: [scoped.id] }), 400, 'VALIDATION_FAILED', 'MENTION_CANNOT_SEE');
    fails(await admin.post(url, { text: 'x', mentions: [disabled.id] }), 400, 'VALIDATION_FAILED', 'MENTION_CANNOT_SEE');
    expect(await list(admin, conv)).toEqual([]);
    ok(await admin.post(`/api/conversations/${own}/comments`, { text: `Nice one @[Alma Agent](${agentUser.id})` }));
    // A mention stays when the text around it is edited, even if that person could no longer be mentioned anew.
    const c = ok(await admin.post(url, { text: `Cleo: @[Cleo Colleague](${colleagueUser.id})` }));
    await t.db.updateTable('users').set({ disabled: 1 }).where('id', '=', colleagueUser.id).execute();
    try {
      expect(ok(await admin.patch(`${url}/${c.id}`, { text: `Cleo, again: @[Cleo Colleague](${colleagueUser.id})` })).mentions).toEqual([colleagueUser.id]);
    } finally {
      await t.db.updateTable('users').set({ disabled: 0 }).where('id', '=', colleagueUser.id).execute();
    }
    // Only someone who may comment asks, on a conversation they see.
    fails(await viewer.get(`/api/conversations/${conv}/mentionable`), 403, 'FORBIDDEN');
    fails(await agent.get(`/api/conversations/${conv}/mentionable`), 404, 'NOT_FOUND');
  });

  it('says a comment was edited when its content changed, not when it was pinned', async () => {
    const conv = await chat();
    const url = `/api/conversations/${conv}/comments`;
    const c = ok(await admin.post(url, { text: 'First take' }));
    expect(c.edited).toBe(false);
    await sleep(5);
    expect(ok(await admin.patch(`${url}/${c.id}`, { pinned: true })).edited).toBe(false);
    expect((await list(admin, conv))[0]!.edited).toBe(false);
    await sleep(5);
    expect(ok(await admin.patch(`${url}/${c.id}`, { text: 'Second take' })).edited).toBe(true);
    expect((await list(colleague, conv))[0]).toMatchObject({ text: 'Second take', edited: true, pinned: true });
  });

  it('lists pinned comments first, then oldest first', async () => {
    const conv = await chat();
    const url = `/api/conversations/${conv}/comments`;
    const first = ok(await admin.post(url, { text: 'first' }));
    await sleep(5);
    ok(await admin.post(url, { text: 'second', pinned: true }));
    await sleep(5);
    const third = ok(await colleague.post(url, { text: 'third' }));
    await sleep(5);
    ok(await admin.post(url, { text: 'fourth' }));
    expect((await list(admin, conv)).map((c) => c.text)).toEqual(['second', 'first', 'third', 'fourth']);
    ok(await admin.patch(`${url}/${third.id}`, { pinned: true }));
    expect((await list(admin, conv)).map((c) => c.text)).toEqual(['second', 'third', 'first', 'fourth']);
    ok(await admin.patch(`${url}/${first.id}`, { pinned: true }));
    expect((await list(colleague, conv)).map((c) => c.text)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(ok(await admin.get(`/api/conversations/${conv}`)).comments.map((c: Json) => c.text)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('lets only the author edit or delete, while anyone who may comment can pin', async () => {
    const conv = await chat();
    const url = `/api/conversations/${conv}/comments`;
    const c = ok(await admin.post(url, { text: 'Mine' }));
    fails(await colleague.patch(`${url}/${c.id}`, { text: 'Hijacked' }), 403, 'FORBIDDEN');
    fails(await colleague.patch(`${url}/${c.id}`, { pinned: true, text: 'Hijacked' }), 403, 'FORBIDDEN');
    fails(await colleague.patch(`${url}/${c.id}`, { visibility: 'private' }), 403, 'FORBIDDEN');
    fails(await colleague.del(`${url}/${c.id}`), 403, 'FORBIDDEN');

    await sleep(5);
    const pinned = ok(await colleague.patch(`${url}/${c.id}`, { pinned: true }));
    expect(pinned).toMatchObject({ pinned: true, text: 'Mine', updatedAt: c.updatedAt });
    const pins = await audit(conv, 'COMMENT_UPDATE');
    expect(pins).toHaveLength(1);
    expect(pins[0]!.details).toMatch(/^Pinned comment/);
    expect(pins[0]!.changes).toEqual([{ field: 'pinned', old: false, new: true }]);

    await sleep(5);
    const edited = ok(await admin.patch(`${url}/${c.id}`, { text: 'Mine, edited', pinned: false }));
    expect(edited).toMatchObject({ text: 'Mine, edited', pinned: false });
    expect(edited.updatedAt > c.updatedAt).toBe(true);
    const updates = await audit(conv, 'COMMENT_UPDATE');
    expect(updates[1]!.changes).toEqual([
      { field: 'text', old: 'Mine', new: 'Mine, edited' },
      { field: 'pinned', old: true, new: false },
    ]);
    // Nothing changed: nothing audited.
    ok(await admin.patch(`${url}/${c.id}`, { text: 'Mine, edited' }));
    expect(await audit(conv, 'COMMENT_UPDATE')).toHaveLength(2);

    ok(await admin.del(`${url}/${c.id}`), 204);
    expect(await list(admin, conv)).toEqual([]);
    const deleted = await audit(conv, 'COMMENT_DELETE');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.changes).toContainEqual({ field: 'text', old: 'Mine, edited', new: null });
    fails(await admin.del(`${url}/${c.id}`), 404, 'NOT_FOUND');
    fails(await admin.patch(`${url}/${c.id}`, { pinned: true }), 404, 'NOT_FOUND');
  });

  it('needs comments.write to write (403), and a visible conversation (404)', async () => {
    const conv = await chat();
    ok(await admin.post(`/api/conversations/${conv}/comments`, { text: 'visible' }));
    expect(await list(viewer, conv)).toHaveLength(1);
    fails(await viewer.post(`/api/conversations/${conv}/comments`, { text: 'no' }), 403, 'FORBIDDEN');
    const c = (await list(viewer, conv))[0];
    fails(await viewer.patch(`/api/conversations/${conv}/comments/${c.id}`, { pinned: true }), 403, 'FORBIDDEN');
    fails(await viewer.del(`/api/conversations/${conv}/comments/${c.id}`), 403, 'FORBIDDEN');

    fails(await admin.get(`/api/conversations/${newId()}/comments`), 404, 'NOT_FOUND');
    fails(await admin.post(`/api/conversations/${newId()}/comments`, { text: 'x' }), 404, 'NOT_FOUND');
    // A comment of another conversation is not found through this one.
    const elsewhere = await chat();
    fails(await admin.patch(`/api/conversations/${elsewhere}/comments/${c.id}`, { pinned: true }), 404, 'NOT_FOUND');

    // An agent sees and comments on their own conversations only.
    const own = await chat({ agentExtension: '5005' });
    ok(await agent.post(`/api/conversations/${own}/comments`, { text: 'My call' }));
    expect((await list(agent, own)).map((x) => x.text)).toEqual(['My call']);
    fails(await agent.get(`/api/conversations/${conv}/comments`), 404, 'NOT_FOUND');
    fails(await agent.post(`/api/conversations/${conv}/comments`, { text: 'not mine' }), 404, 'NOT_FOUND');
    fails(await agent.patch(`/api/conversations/${conv}/comments/${c.id}`, { pinned: true }), 404, 'NOT_FOUND');
    fails(await agent.del(`/api/conversations/${conv}/comments/${c.id}`), 404, 'NOT_FOUND');
  });
});
