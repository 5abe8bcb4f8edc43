// Tags through the HTTP API: definitions and presets, tags on conversations, data tags in segment metadata, audit events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { systemActor, type Actor } from '../../auth/actor.ts';
import { newId } from '../../platform/ids.ts';
import { DEMO_CATEGORIES, DEMO_TAGS, applyTag, ensureDemoTags, ensureTagPresets, eventFamily } from './service.ts';

interface AuditItem {
  action: string;
  resourceType: string;
  resourceId: string | null;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

describe('eventFamily', () => {
  it('uses CHAT or EMAIL only for conversations with nothing but chat or nothing but email', () => {
    expect(eventFamily({ has_call: 0, has_chat: 1, has_email: 0 })).toBe('CHAT');
    expect(eventFamily({ has_call: 0, has_chat: 0, has_email: 1 })).toBe('EMAIL');
    expect(eventFamily({ has_call: 1, has_chat: 0, has_email: 0 })).toBe('CONVERSATION');
    expect(eventFamily({ has_call: 1, has_chat: 1, has_email: 0 })).toBe('CONVERSATION');
    expect(eventFamily({ has_call: 0, has_chat: 1, has_email: 1 })).toBe('CONVERSATION');
  });
});

describe.each(ENGINES)('tags on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let agent: Client;
  let viewer: Client;
  let tags: Record<string, Json>;

  const audit = async (conversationOrResource: string, action?: string): Promise<AuditItem[]> => {
    const q = new URLSearchParams({ resourceId: conversationOrResource, limit: '200', ...(action ? { action } : {}) });
    return (ok(await admin.get(`/api/audit?${q}`)).items as AuditItem[]).reverse();
  };
  const conversation = async (id: string) => ok(await admin.get(`/api/conversations/${id}`));
  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    await ensureDemoTags(t, t.db, tenantId);
    const a = await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent' });
    agent = await signIn(t.app, a);
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    tags = Object.fromEntries((ok(await admin.get('/api/tags')).items as Json[]).map((x) => [x.name, x]));
  });
  afterAll(() => t?.cleanup());

  describe('definitions', () => {
    it('has the Flag and Comment presets once, however often they are ensured', async () => {
      await ensureTagPresets(t, t.db, tenantId);
      await ensureTagPresets(t, t.db, tenantId);
      const items = ok(await admin.get('/api/tags')).items as Json[];
      expect(items.filter((x) => x.name === 'Flag')).toHaveLength(1);
      expect(items.filter((x) => x.name === 'Comment')).toHaveLength(1);
      expect(items.find((x) => x.name === 'Flag')).toMatchObject({ preset: 'flag', commentRequired: false, dataKey: null });
      expect(items.find((x) => x.name === 'Comment')).toMatchObject({ preset: 'comment', commentRequired: true });
      for (const d of DEMO_TAGS) expect(items.filter((x) => x.name === d.name)).toHaveLength(1);
      // The demo's categories are categories, not tags, once each.
      await ensureDemoTags(t, t.db, tenantId);
      const categories = (ok(await admin.get('/api/categories')).items as Json[]).map((x) => x.name);
      expect(DEMO_CATEGORIES.map((c) => categories.filter((n) => n === c.name).length)).toEqual(DEMO_CATEGORIES.map(() => 1));
      for (const c of DEMO_CATEGORIES) expect(items.map((x) => x.name)).not.toContain(c.name);
      expect(items.find((x) => x.name === 'Priority')).toMatchObject({ dataKey: 'priority', dataValue: 'high', preset: null });
    });

    it('adopts a tag the tenant already made under a preset name instead of duplicating it', async () => {
      const other = await makeTenant(t);
      // As for a tenant made before presets existed: no tags yet.
      await t.db.deleteFrom('tag_definitions').where('tenant_id', '=', other.tenantId).execute();
      const c = await signIn(t.app, other.admin);
      const made = ok(await c.post('/api/tags', { name: 'flag', color: '#123456' }));
      await ensureTagPresets(t, t.db, other.tenantId);
      const items = ok(await c.get('/api/tags')).items as Json[];
      expect(items.filter((x) => x.name.toLowerCase() === 'flag')).toEqual([expect.objectContaining({ id: made.id, preset: 'flag' })]);
      expect(items.filter((x) => x.preset === 'comment')).toHaveLength(1);
    });

    it('is readable by any conversation viewer, including an agent', async () => {
      const items = ok(await agent.get('/api/tags')).items as Json[];
      expect(items.map((x) => x.name)).toContain('Flag');
    });

    it('creates, edits and deletes a tag, each audited with old and new values', async () => {
      const created = ok(await admin.post('/api/tags', { name: '  Needs   follow-up ', color: '#A1B2C3', commentRequired: true }));
      expect(created).toMatchObject({ name: 'Needs follow-up', color: '#a1b2c3', commentRequired: true, dataKey: null, dataValue: null, preset: null });
      let events = await audit(created.id);
      expect(events.map((e) => e.action)).toEqual(['TAG_DEFINITION_CREATE']);
      expect(events[0]!.changes).toEqual(
        expect.arrayContaining([
          { field: 'name', old: null, new: 'Needs follow-up' },
          { field: 'commentRequired', old: null, new: true },
        ]),
      );

      const edited = ok(await admin.patch(`/api/tags/${created.id}`, { color: '#000000', commentRequired: false }));
      expect(edited).toMatchObject({ color: '#000000', commentRequired: false });
      events = await audit(created.id, 'TAG_DEFINITION_UPDATE');
      expect(events).toHaveLength(1);
      expect(events[0]!.changes).toEqual([
        { field: 'color', old: '#a1b2c3', new: '#000000' },
        { field: 'commentRequired', old: true, new: false },
      ]);

      // Nothing changed: nothing audited.
      ok(await admin.patch(`/api/tags/${created.id}`, { color: '#000000' }));
      expect(await audit(created.id, 'TAG_DEFINITION_UPDATE')).toHaveLength(1);

      ok(await admin.del(`/api/tags/${created.id}`), 204);
      events = await audit(created.id, 'TAG_DEFINITION_DELETE');
      expect(events).toHaveLength(1);
      expect(events[0]!.changes).toContainEqual({ field: 'name', old: 'Needs follow-up', new: null });
      expect((ok(await admin.get('/api/tags')).items as Json[]).map((x) => x.id)).not.toContain(created.id);
      fails(await admin.del(`/api/tags/${created.id}`), 404, 'NOT_FOUND');
      fails(await admin.patch(`/api/tags/${newId()}`, { color: '#000000' }), 404, 'NOT_FOUND');
    });

    it('archives a tag: not added anywhere new, still on its conversations, in the list and the filter; restorable; audited', async () => {
      const tag = ok(await admin.post('/api/tags', { name: 'Old campaign', color: '#123456' }));
      const tagged = await chat();
      const fresh = await chat();
      ok(await admin.post(`/api/conversations/${tagged}/tags`, { tagId: tag.id }));
      const archived = ok(await admin.patch(`/api/tags/${tag.id}`, { archived: true }));
      expect(archived).toMatchObject({ archived: true, kind: 'tag' });
      const listed = (ok(await admin.get('/api/tags')).items as Json[]).find((x) => x.id === tag.id)!;
      expect(listed).toMatchObject({ archived: true, conversations: 1 });
      const err = fails(await admin.post(`/api/conversations/${fresh}/tags`, { tagId: tag.id }), 409, 'CONFLICT', 'TAG_ARCHIVED');
      expect(err.message).toContain('Old campaign');
      expect(((await conversation(tagged)).tags as Json[]).map((x) => x.name)).toContain('Old campaign');
      const found = ok(await admin.post('/api/conversations/search', { period: null, reviewable: 'all', tags: [tag.id] })).items as Json[];
      expect(found.map((x) => x.id)).toEqual([tagged]);
      // Still removable from where it is.
      ok(await admin.del(`/api/conversations/${tagged}/tags/${tag.id}`), 204);
      ok(await admin.patch(`/api/tags/${tag.id}`, { archived: false }));
      ok(await admin.post(`/api/conversations/${fresh}/tags`, { tagId: tag.id }));
      const events = await audit(tag.id, 'TAG_DEFINITION_UPDATE');
      expect(events.map((e) => e.details)).toEqual(['Archived tag Old campaign: archived', 'Restored tag Old campaign: archived']);
      expect(events[0]!.changes).toEqual([{ field: 'archived', old: false, new: true }]);
    });

    it('keeps names unique regardless of case', async () => {
      fails(await admin.post('/api/tags', { name: 'angry CUSTOMER', color: '#ff0000' }), 409, 'ALREADY_EXISTS');
      const x = ok(await admin.post('/api/tags', { name: 'Unique one', color: '#ff0000' }));
      fails(await admin.patch(`/api/tags/${x.id}`, { name: 'BAD AUDIO' }), 409, 'ALREADY_EXISTS');
      ok(await admin.patch(`/api/tags/${x.id}`, { name: 'UNIQUE ONE' }));
    });

    it('validates colour, name and the data pair (both or neither, one tag per pair)', async () => {
      fails(await admin.post('/api/tags', { name: 'Bad colour', color: 'red' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/tags', { name: 'Bad colour', color: '#12345' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/tags', { name: '', color: '#123456' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/tags', { name: '   ', color: '#123456' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/tags', { name: 'Half data', color: '#123456', dataKey: 'x' }), 400, 'VALIDATION_FAILED', 'DATA_TAG_INCOMPLETE');
      fails(await admin.post('/api/tags', { name: 'Half data', color: '#123456', dataValue: 'y' }), 400, 'VALIDATION_FAILED', 'DATA_TAG_INCOMPLETE');
      fails(await admin.post('/api/tags', { name: 'Bad key', color: '#123456', dataKey: 'has space', dataValue: 'y' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/tags', { name: 'Same pair', color: '#123456', dataKey: 'priority', dataValue: 'high' }), 409, 'ALREADY_EXISTS');
      const data = ok(await admin.post('/api/tags', { name: 'Region EU', color: '#123456', dataKey: 'region', dataValue: 'eu' }));
      expect(data).toMatchObject({ dataKey: 'region', dataValue: 'eu' });
      fails(await admin.patch(`/api/tags/${data.id}`, { dataKey: null }), 400, 'VALIDATION_FAILED', 'DATA_TAG_INCOMPLETE');
      expect(ok(await admin.patch(`/api/tags/${data.id}`, { dataKey: null, dataValue: null }))).toMatchObject({ dataKey: null, dataValue: null });
      fails(await admin.post('/api/tags', { name: 'Extra', color: '#123456', other: 1 }), 400, 'VALIDATION_FAILED');
    });

    it('never deletes a preset and keeps its rules, though it may be renamed and recoloured', async () => {
      fails(await admin.del(`/api/tags/${tags.Flag.id}`), 409, 'CONFLICT', 'PRESET');
      fails(await admin.del(`/api/tags/${tags.Comment.id}`), 409, 'CONFLICT', 'PRESET');
      fails(await admin.patch(`/api/tags/${tags.Comment.id}`, { commentRequired: false }), 409, 'CONFLICT', 'PRESET');
      fails(await admin.patch(`/api/tags/${tags.Flag.id}`, { dataKey: 'a', dataValue: 'b' }), 409, 'CONFLICT', 'PRESET');
      expect(ok(await admin.patch(`/api/tags/${tags.Flag.id}`, { color: '#fa5252' }))).toMatchObject({ color: '#fa5252', preset: 'flag' });
    });

    it('keeps the key/value of a data tag that is in use', async () => {
      const tag = ok(await admin.post('/api/tags', { name: 'Segment VIP', color: '#123456', dataKey: 'vip', dataValue: 'yes' }));
      const conv = await chat();
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tag.id }));
      fails(await admin.patch(`/api/tags/${tag.id}`, { dataValue: 'no' }), 409, 'IN_USE', 'DATA_TAG_IN_USE');
      ok(await admin.patch(`/api/tags/${tag.id}`, { name: 'VIP' }));
      // Deleting it removes it from the conversation.
      ok(await admin.del(`/api/tags/${tag.id}`), 204);
      expect((await conversation(conv)).tags).toEqual([]);
    });

    it('needs tags.manage to change definitions', async () => {
      const evaluator = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
      fails(await evaluator.post('/api/tags', { name: 'Nope', color: '#123456' }), 403, 'FORBIDDEN');
      fails(await evaluator.patch(`/api/tags/${tags.Excellent.id}`, { color: '#123456' }), 403, 'FORBIDDEN');
      fails(await evaluator.del(`/api/tags/${tags.Excellent.id}`), 403, 'FORBIDDEN');
      ok(await evaluator.get('/api/tags'));
    });

    it('leaves definitions to an administrator of the whole organisation; a group-scoped tag manager still tags what it sees', async () => {
      // Issue 15: definitions are tenant-wide, so a tags.manage holder scoped to one group must not change them.
      const group = await makeGroup(t, tenantId, `G-${newId().slice(-6)}`);
      await makeUser(t, tenantId, { roles: ['agent'], extension: '6006', groupId: group });
      const scoped = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'tags.manage', 'tags.apply'], groupId: group }));
      const excellent = tags.Excellent;
      fails(await scoped.post('/api/tags', { name: `Scoped ${newId().slice(-6)}`, color: '#123456' }), 403, 'FORBIDDEN');
      fails(
        await scoped.post('/api/tags', { name: `Scoped data ${newId().slice(-6)}`, color: '#123456', dataKey: 'scoped', dataValue: 'yes' }),
        403,
        'FORBIDDEN',
      );
      fails(await scoped.patch(`/api/tags/${excellent.id}`, { name: 'Renamed by a group', color: '#123456' }), 403, 'FORBIDDEN');
      fails(await scoped.patch(`/api/tags/${tags.Priority.id}`, { dataValue: 'low' }), 403, 'FORBIDDEN');
      fails(await scoped.del(`/api/tags/${excellent.id}`), 403, 'FORBIDDEN');
      const items = ok(await admin.get('/api/tags')).items as Json[];
      expect(items.find((x) => x.id === excellent.id)).toMatchObject({ name: excellent.name, color: excellent.color });
      expect(items.find((x) => x.id === tags.Priority.id)).toMatchObject({ dataValue: 'high' });
      expect(items.filter((x) => String(x.name).startsWith('Scoped'))).toEqual([]);
      // Tagging a conversation in the group stays allowed.
      const conv = await chat({ agentExtension: '6006' });
      ok(await scoped.post(`/api/conversations/${conv}/tags`, { tagId: excellent.id }));
      ok(await scoped.del(`/api/conversations/${conv}/tags/${excellent.id}`), 204);
    });
  });

  describe('on a conversation', () => {
    it('adds, edits and removes a tag with readable audit events', async () => {
      const conv = await chat();
      const added = ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags['Angry customer'].id, comment: '  Shouted at the agent ' }));
      expect(added.items).toEqual([
        expect.objectContaining({ tagId: tags['Angry customer'].id, name: 'Angry customer', comment: 'Shouted at the agent', color: '#e03131' }),
      ]);
      expect((await conversation(conv)).tags).toEqual([expect.objectContaining({ name: 'Angry customer', comment: 'Shouted at the agent' })]);

      const edited = ok(await admin.patch(`/api/conversations/${conv}/tags/${tags['Angry customer'].id}`, { comment: 'Calmed down later' }));
      expect(edited.items[0].comment).toBe('Calmed down later');
      ok(await admin.patch(`/api/conversations/${conv}/tags/${tags['Angry customer'].id}`, { comment: null }));
      ok(await admin.del(`/api/conversations/${conv}/tags/${tags['Angry customer'].id}`), 204);
      expect((await conversation(conv)).tags).toEqual([]);

      const events = await audit(conv, 'CHAT_EVENT_TAG_UPDATE');
      expect(events.map((e) => e.details)).toEqual([
        'Added tag Angry customer with comment “Shouted at the agent”',
        'Changed the comment of tag Angry customer from “Shouted at the agent” to “Calmed down later”',
        'Removed the comment “Calmed down later” of tag Angry customer',
        'Removed tag Angry customer',
      ]);
      expect(events[0]!.changes).toEqual([
        { field: 'tag', old: null, new: 'Angry customer' },
        { field: 'comment', old: null, new: 'Shouted at the agent' },
      ]);
      expect(events[1]!.changes).toEqual([{ field: 'comment', old: 'Shouted at the agent', new: 'Calmed down later' }]);
      expect(events[3]!.changes).toEqual([{ field: 'tag', old: 'Angry customer', new: null }]);
      expect(events.every((e) => e.resourceType === 'conversation')).toBe(true);
    });

    it('refuses the same tag twice, an unknown tag, and a tag that is not there', async () => {
      const conv = await chat();
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Flag.id }));
      fails(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Flag.id }), 409, 'ALREADY_EXISTS');
      fails(await admin.post(`/api/conversations/${conv}/tags`, { tagId: newId() }), 400, 'VALIDATION_FAILED', 'UNKNOWN_TAG');
      fails(await admin.post(`/api/conversations/${conv}/tags`, {}), 400, 'VALIDATION_FAILED');
      fails(await admin.patch(`/api/conversations/${conv}/tags/${tags.Excellent.id}`, { comment: 'x' }), 404, 'NOT_FOUND');
      fails(await admin.del(`/api/conversations/${conv}/tags/${tags.Excellent.id}`), 404, 'NOT_FOUND');
      fails(await admin.post(`/api/conversations/${newId()}/tags`, { tagId: tags.Flag.id }), 404, 'NOT_FOUND');
      expect((await conversation(conv)).tags).toHaveLength(1);
    });

    it('limits comments to 1000 characters and requires one where the tag says so', async () => {
      const conv = await chat();
      const err = fails(
        await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Flag.id, comment: 'x'.repeat(1001) }),
        400,
        'VALIDATION_FAILED',
        'COMMENT_TOO_LONG',
      );
      expect(err.message).toContain('1000');
      expect(err.message).toContain('1001');
      expect(err.details).toMatchObject({ limit: 1000, length: 1001 });
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Flag.id, comment: 'x'.repeat(1000) }));
      fails(await admin.patch(`/api/conversations/${conv}/tags/${tags.Flag.id}`, { comment: 'y'.repeat(1500) }), 400, 'VALIDATION_FAILED', 'COMMENT_TOO_LONG');

      fails(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Comment.id }), 400, 'VALIDATION_FAILED', 'COMMENT_REQUIRED');
      fails(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Comment.id, comment: '   ' }), 400, 'VALIDATION_FAILED', 'COMMENT_REQUIRED');
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Comment.id, comment: 'Good save' }));
      fails(await admin.patch(`/api/conversations/${conv}/tags/${tags.Comment.id}`, { comment: '' }), 400, 'VALIDATION_FAILED', 'COMMENT_REQUIRED');
      expect((await conversation(conv)).tags.map((x: Json) => x.name).sort()).toEqual(['Comment', 'Flag']);
    });

    it("names the audit event after the conversation's channels", async () => {
      const conv = await chat();
      await t.db.updateTable('conversations').set({ has_call: 1 }).where('id', '=', conv).execute();
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Excellent.id }));
      expect(await audit(conv, 'CONVERSATION_EVENT_TAG_UPDATE')).toHaveLength(1);
      const mail = await chat();
      await t.db.updateTable('conversations').set({ has_chat: 0, has_email: 1 }).where('id', '=', mail).execute();
      ok(await admin.post(`/api/conversations/${mail}/tags`, { tagId: tags.Excellent.id }));
      expect(await audit(mail, 'EMAIL_EVENT_TAG_UPDATE')).toHaveLength(1);
      ok(await admin.post(`/api/conversations/${mail}/tags`, { tagId: tags.Priority.id }));
      expect(await audit(mail, 'EMAIL_EVENT_METADATA_CHANGE')).toHaveLength(1);
    });

    it('needs tags.apply (403), and a conversation the caller can see (404)', async () => {
      const mine = await chat();
      const other = await chat({ agentExtension: '3003' });
      fails(await viewer.post(`/api/conversations/${mine}/tags`, { tagId: tags.Flag.id }), 403, 'FORBIDDEN');
      fails(await viewer.del(`/api/conversations/${mine}/tags/${tags.Flag.id}`), 403, 'FORBIDDEN');
      fails(await viewer.patch(`/api/conversations/${mine}/segments/${newId()}/metadata`, { set: { a: 'b' } }), 403, 'FORBIDDEN');
      // Someone who may tag but sees only their own conversations.
      const solo = await makeUser(t, tenantId, { extension: '4004', permissions: ['conversations.view_own', 'tags.apply'] });
      const soloClient = await signIn(t.app, solo);
      const own = await chat({ agentExtension: '4004' });
      ok(await soloClient.post(`/api/conversations/${own}/tags`, { tagId: tags.Flag.id }));
      fails(await soloClient.post(`/api/conversations/${other}/tags`, { tagId: tags.Flag.id }), 404, 'NOT_FOUND');
      fails(await soloClient.del(`/api/conversations/${other}/tags/${tags.Flag.id}`), 404, 'NOT_FOUND');
      const seg = (await conversation(other)).segments[0].id;
      fails(await soloClient.patch(`/api/conversations/${other}/segments/${seg}/metadata`, { set: { a: 'b' } }), 404, 'NOT_FOUND');
      // A user with tags.apply but no view permission cannot reach any conversation.
      const blind = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['tags.apply'] }));
      fails(await blind.post(`/api/conversations/${own}/tags`, { tagId: tags.Excellent.id }), 404, 'NOT_FOUND');
    });

    it('lets the system actor (CLI, importers) tag a conversation, with no user as its author', async () => {
      const conv = await chat();
      const res = await applyTag(t, systemActor(tenantId), conv, { tagId: tags.Flag.id });
      expect(res.items).toEqual([expect.objectContaining({ tagId: tags.Flag.id, createdBy: null })]);
      expect((await conversation(conv)).tags).toEqual([expect.objectContaining({ tagId: tags.Flag.id })]);
    });
  });

  describe('data tags and segment metadata', () => {
    async function twoSegments() {
      const engagementId = `eng-${newId()}`;
      const first = await makeChat(t, ingest, { engagementId, at: new Date(Date.now() - 600_000) });
      const second = await makeChat(t, ingest, { engagementId });
      expect(second.conversationId).toBe(first.conversationId);
      const detail = await conversation(first.conversationId);
      expect(detail.segments).toHaveLength(2);
      return { conv: first.conversationId, seg1: first.segmentId, seg2: second.segmentId };
    }
    const segmentsOf = async (conv: string) => Object.fromEntries(((await conversation(conv)).segments as Json[]).map((s) => [s.id, s]));

    it("writes the pair into every segment, and removes it where the value is still the tag's", async () => {
      const { conv, seg1, seg2 } = await twoSegments();
      ok(await admin.post(`/api/conversations/${conv}/tags`, { tagId: tags.Priority.id }));
      let segs = await segmentsOf(conv);
      for (const id of [seg1, seg2]) {
        expect(segs[id].metadata).toEqual({ priority: 'high' });
        expect(segs[id].dataTags).toEqual([{ tagId: tags.Priority.id, name: 'Priority', color: '#d6336c', key: 'priority', value: 'high' }]);
      }
      let meta = await audit(conv, 'CHAT_EVENT_METADATA_CHANGE');
      expect(meta).toHaveLength(2);
      for (const e of meta) {
        expect(e.changes).toEqual([{ field: 'priority', old: null, new: 'high' }]);
        expect(e.details).toContain('because tag Priority was added');
      }
      expect(meta.map((e) => e.details).join('\n')).toContain(seg1);
      expect(meta.map((e) => e.details).join('\n')).toContain(seg2);

      // One segment's system data tag is changed by hand: that segment alone.
      const patched = ok(await admin.patch(`/api/conversations/${conv}/segments/${seg1}/metadata`, { set: { priority: 'low' } }));
      expect(patched).toEqual({ segmentId: seg1, metadata: { priority: 'low' }, dataTags: [] });
      segs = await segmentsOf(conv);
      expect(segs[seg1].metadata).toEqual({ priority: 'low' });
      expect(segs[seg1].dataTags).toEqual([]);
      expect(segs[seg2].dataTags).toHaveLength(1);
      meta = await audit(conv, 'CHAT_EVENT_METADATA_CHANGE');
      expect(meta).toHaveLength(3);
      expect(meta[2]!.changes).toEqual([{ field: 'priority', old: 'high', new: 'low' }]);

      // Removing the tag removes the pair only where it still holds the tag's value.
      ok(await admin.del(`/api/conversations/${conv}/tags/${tags.Priority.id}`), 204);
      segs = await segmentsOf(conv);
      expect(segs[seg1].metadata).toEqual({ priority: 'low' });
      expect(segs[seg2].metadata).toEqual({});
      expect(segs[seg2].dataTags).toEqual([]);
      meta = await audit(conv, 'CHAT_EVENT_METADATA_CHANGE');
      expect(meta).toHaveLength(4);
      expect(meta[3]!.changes).toEqual([{ field: 'priority', old: 'high', new: null }]);
      expect(meta[3]!.details).toContain(seg2);
      expect(meta[3]!.details).toContain('because tag Priority was removed');
    });

    it("changes one segment's metadata: set, remove, no-op, and its refusals", async () => {
      const { conv, seg1, seg2 } = await twoSegments();
      const url = `/api/conversations/${conv}/segments/${seg2}/metadata`;
      expect(ok(await admin.patch(url, { set: { priority: 'high', region: 'eu' } }))).toEqual({
        segmentId: seg2,
        metadata: { priority: 'high', region: 'eu' },
        dataTags: [expect.objectContaining({ name: 'Priority' })],
      });
      expect(ok(await admin.patch(url, { remove: ['priority', 'absent'] })).metadata).toEqual({ region: 'eu' });
      ok(await admin.patch(url, { remove: ['absent'] }));
      ok(await admin.patch(url, {}));
      const segs = await segmentsOf(conv);
      expect(segs[seg1].metadata).toEqual({});
      expect(segs[seg2].metadata).toEqual({ region: 'eu' });
      const meta = await audit(conv, 'CHAT_EVENT_METADATA_CHANGE');
      expect(meta.map((e) => e.changes)).toEqual([
        [
          { field: 'priority', old: null, new: 'high' },
          { field: 'region', old: null, new: 'eu' },
        ],
        [{ field: 'priority', old: 'high', new: null }],
      ]);

      fails(await admin.patch(url, { set: { a: '1' }, remove: ['a'] }), 400, 'VALIDATION_FAILED', 'CONFLICTING_KEYS');
      fails(await admin.patch(url, { set: { 'bad key': '1' } }), 400, 'VALIDATION_FAILED');
      fails(await admin.patch(url, { set: { a: '' } }), 400, 'VALIDATION_FAILED');
      fails(await admin.patch(`/api/conversations/${conv}/segments/${newId()}/metadata`, { set: { a: '1' } }), 404, 'NOT_FOUND');
      const elsewhere = await chat();
      fails(await admin.patch(`/api/conversations/${elsewhere}/segments/${seg1}/metadata`, { set: { a: '1' } }), 404, 'NOT_FOUND');
    });

    it('uses CONVERSATION_EVENT_METADATA_CHANGE on a conversation with calls', async () => {
      const { conv, seg1 } = await twoSegments();
      await t.db.updateTable('conversations').set({ has_call: 1 }).where('id', '=', conv).execute();
      ok(await admin.patch(`/api/conversations/${conv}/segments/${seg1}/metadata`, { set: { topic: 'billing' } }));
      const events = await audit(conv, 'CONVERSATION_EVENT_METADATA_CHANGE');
      expect(events).toHaveLength(1);
      expect(events[0]!.changes).toEqual([{ field: 'topic', old: null, new: 'billing' }]);
    });
  });
});
