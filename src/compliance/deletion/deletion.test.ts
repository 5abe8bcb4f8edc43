// Protection and deletion on both engines, over calls ingested and analysed the way production does it: what protects
// a conversation (reviewed, a list hold, a rule hold matching now and later, a protection tag); planning a media
// deletion (planned, still playable) and the job (data keys destroyed, objects removed, hashes recorded, audited);
// a whole-conversation deletion leaving no row in any table; protected conversations refused with which and why.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { systemActor, type Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { protectionOf } from '../protection.ts';
import { planDeletion, planMediaDeletion } from './service.ts';
import { blobIdsOf, makeCall, rowsNaming } from './test-helpers.ts';
import { deletionReport } from './verify.ts';

describe.each(ENGINES)('protection and deletion on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let ingest: Actor;

  const conv = (id: string) => t.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  const objectFiles = () => {
    const root = path.join(t.dataDir, 'media');
    const out: string[] = [];
    const walk = (d: string) => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else out.push(e.name);
      }
    };
    walk(root);
    return out;
  };
  const storageKeys = async (ids: string[]) =>
    (await t.db.selectFrom('blobs').select(['id', 'storage_key']).where('id', 'in', ids).execute()).map((r) => r.storage_key);

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, ingest } = await tenantWithAdmin(t));
  }, 60_000);
  afterAll(() => t?.cleanup());

  async function holdRow(kind: 'list' | 'rule', name: string, filter: unknown = null) {
    const id = newId();
    const now = nowIso();
    await t.db
      .insertInto('legal_holds')
      .values({
        id,
        tenant_id: tenantId,
        name,
        reason: 'test',
        owner_id: null,
        kind,
        filter: filter === null ? null : t.adapter.json(filter),
        status: 'active',
        created_by: null,
        created_at: now,
        updated_at: now,
        released_at: null,
        released_by: null,
        release_reason: null,
      } as never)
      .execute();
    return id;
  }

  it('names every protection of each conversation, and nothing for the others', async () => {
    const plain = (await makeChat(t, ingest, { text: 'nothing special here' })).conversationId;
    const reviewed = (await makeChat(t, ingest)).conversationId;
    const listed = (await makeChat(t, ingest)).conversationId;
    const tagged = (await makeChat(t, ingest)).conversationId;
    const matched = (await makeChat(t, ingest, { text: 'the zanzibar contract dispute' })).conversationId;
    const searched = (await makeChat(t, ingest, { text: 'a quokka complaint' })).conversationId;
    await runJobs(t);
    await t.db.updateTable('conversations').set({ reviewed_at: nowIso() }).where('id', '=', reviewed).execute();
    const listHold = await holdRow('list', 'Acme v. Smith');
    await t.db
      .insertInto('legal_hold_conversations')
      .values({ hold_id: listHold, conversation_id: listed, tenant_id: tenantId, added_at: nowIso(), added_by: null })
      .execute();
    const tagId = newId();
    await t.db
      .insertInto('tag_definitions')
      .values({
        id: tagId,
        tenant_id: tenantId,
        name: 'MiFID II',
        color: '#000000',
        data_key: null,
        data_value: null,
        comment_required: 0,
        preset: null,
        protects: 1,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
    await t.db
      .insertInto('conversation_tags')
      .values({ id: newId(), conversation_id: tagged, tag_id: tagId, comment: null, created_by: null, created_at: nowIso(), updated_at: nowIso() })
      .execute();
    const ruleHold = await holdRow('rule', 'Zanzibar inquiry', { q: 'zanzibar', period: null, reviewable: 'all' });
    // A protected saved search (the data life cycle setting of src/search/saved) keeps what it finds.
    const searchId = newId();
    await t.db
      .insertInto('saved_searches')
      .values({
        id: searchId,
        tenant_id: tenantId,
        owner_id: null,
        name: 'Quokka complaints',
        name_key: 'quokka complaints',
        filter: t.adapter.json({ version: 1, q: 'quokka', period: null, reviewable: 'all', view: 'all', sort: 'newest' }),
        protected: 1,
        protected_by: null,
        protected_at: nowIso(),
        deleted_at: null,
        deleted_by: null,
        undo_token_hash: null,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();

    const p = await protectionOf(t.db, tenantId, [plain, reviewed, listed, tagged, matched, searched]);
    expect(p.get(searched)).toEqual([{ kind: 'protected_search', searchId, name: 'Quokka complaints' }]);
    expect(p.has(plain)).toBe(false);
    expect(p.get(reviewed)).toEqual([{ kind: 'reviewed' }]);
    expect(p.get(listed)).toEqual([{ kind: 'legal_hold', holdId: listHold, name: 'Acme v. Smith' }]);
    expect(p.get(tagged)).toEqual([{ kind: 'tag', tagId, name: 'MiFID II' }]);
    expect(p.get(matched)).toEqual([{ kind: 'legal_hold', holdId: ruleHold, name: 'Zanzibar inquiry' }]);

    // A rule hold covers what arrives while it is active.
    const later = (await makeChat(t, ingest, { text: 'zanzibar again' })).conversationId;
    await runJobs(t);
    expect((await protectionOf(t.db, tenantId, [later])).get(later)).toEqual([{ kind: 'legal_hold', holdId: ruleHold, name: 'Zanzibar inquiry' }]);

    // Released holds protect nothing; another tenant's ids are not this tenant's.
    await t.db.updateTable('legal_holds').set({ status: 'released' }).where('id', 'in', [listHold, ruleHold]).execute();
    await t.db.updateTable('saved_searches').set({ protected: 0 }).where('id', '=', searchId).execute();
    const after = await protectionOf(t.db, tenantId, [listed, matched, later, searched]);
    expect(after.size).toBe(0);
    const other = await tenantWithAdmin(t);
    expect((await protectionOf(t.db, other.tenantId, [reviewed, tagged])).size).toBe(0);
  });

  it('plans a media deletion (still playable), then the job destroys the keys, removes the objects and records their hashes', async () => {
    const { conversationId } = await makeCall(t, ingest);
    await runJobs(t);
    const blobIds = await blobIdsOf(t, conversationId);
    expect(blobIds.length).toBeGreaterThanOrEqual(3); // the upload, its PCM and peaks
    const keys = await storageKeys(blobIds);
    const hashes = await t.db.selectFrom('blobs').select(['id', 'sha256']).where('id', 'in', blobIds).execute();
    const files = objectFiles();
    for (const k of keys) expect(files).toContain(path.basename(k));

    const actor = systemActor(tenantId, 'Dana Compliance', 'web');
    const planned = await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, { ...actor, userId: 'u-dana' }, tenantId, [conversationId], 'anonymization'));
    expect(planned).toHaveLength(1);
    expect(await conv(conversationId)).toMatchObject({ media_state: 'planned_for_deletion', media_state_reason: 'anonymization' });
    // Still playable until the job runs.
    await expect(t.blobs.readAll(tenantId, blobIds[0]!)).resolves.toBeInstanceOf(Buffer);
    // Planning again does not plan twice.
    expect(await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, actor, tenantId, [conversationId], 'anonymization'))).toEqual([]);

    await runJobs(t);
    expect(await conv(conversationId)).toMatchObject({ media_state: 'deleted' });
    expect(await t.db.selectFrom('blobs').select('id').where('id', 'in', blobIds).execute()).toEqual([]);
    const left = objectFiles();
    for (const k of keys) expect(left).not.toContain(path.basename(k));
    expect(await blobIdsOf(t, conversationId)).toEqual([]);
    await expect(t.blobs.readAll(tenantId, blobIds[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const tomb = await t.db.selectFrom('deleted_blobs').selectAll().where('blob_id', 'in', blobIds).execute();
    expect(tomb.map((r) => [r.blob_id, r.sha256]).sort()).toEqual(hashes.map((h) => [h.id, h.sha256]).sort());
    expect(tomb.every((r) => r.shredded_at && r.removed_at)).toBe(true);
    const deletion = await t.db.selectFrom('deletions').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    expect(deletion).toMatchObject({ scope: 'media', status: 'done', origin: 'anonymization', requested_by_name: 'Dana Compliance' });

    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'changes', 'initiator_name'])
      .where('resource_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    const actions = events.map((e) => e.action);
    expect(actions).toContain('CONVERSATION_MEDIA_DELETION_PLANNED');
    expect(actions).toContain('CONVERSATION_MEDIA_DELETE');
    const del = events.find((e) => e.action === 'CONVERSATION_MEDIA_DELETE')!;
    expect(del.initiator_name).toBe('Dana Compliance');
    const changes = t.adapter.fromJson<Array<{ field: string; old: Array<{ sha256: string }> }>>(del.changes);
    expect(
      changes
        .find((c) => c.field === 'objects')!
        .old.map((o) => o.sha256)
        .sort(),
    ).toEqual(hashes.map((h) => h.sha256).sort());
    // The record stays: the conversation, its segments and streams (without objects).
    expect(await conv(conversationId)).toBeTruthy();
  }, 60_000);

  it('tells verify which missing objects were deleted on purpose, and which are missing', async () => {
    const { conversationId } = await makeCall(t, ingest);
    await runJobs(t);
    const blobIds = await blobIdsOf(t, conversationId);
    await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, systemActor(tenantId, 'Dana Compliance'), tenantId, [conversationId], 'Customer request'));
    await runJobs(t);
    // A stale reference to a deleted object, and one to an object nobody deleted.
    const other = (await makeCall(t, ingest)).conversationId;
    await runJobs(t);
    const [rendition] = await t.db.selectFrom('stream_renditions').select('stream_id').where('conversation_id', '=', other).execute();
    const ghost = newId();
    await t.db.updateTable('stream_renditions').set({ pcm_blob_id: blobIds[0]!, peaks_blob_id: ghost }).where('stream_id', '=', rendition!.stream_id).execute();
    const report = await deletionReport(t);
    const refs = report.references.filter((r) => r.blobId === blobIds[0] || r.blobId === ghost);
    expect(refs).toHaveLength(2);
    expect(refs.find((r) => r.blobId === blobIds[0])).toMatchObject({
      table: 'stream_renditions',
      column: 'pcm_blob_id',
      deletedBy: expect.stringContaining('Dana Compliance: Customer request'),
    });
    expect(refs.find((r) => r.blobId === ghost)).toMatchObject({ table: 'stream_renditions', column: 'peaks_blob_id', deletedBy: null });
    expect(report.deleted.find((d) => d.origin === 'policy')!.objects).toBeGreaterThanOrEqual(blobIds.length);
    // Put the rendition back as it was for the other tests.
    await t.db.deleteFrom('stream_renditions').where('stream_id', '=', rendition!.stream_id).execute();
  }, 60_000);

  it('deletes a whole conversation and everything hanging off it', async () => {
    const { conversationId } = await makeCall(t, ingest);
    await runJobs(t);
    expect(Object.keys(await rowsNaming(t, conversationId)).length).toBeGreaterThan(3);
    const blobIds = await blobIdsOf(t, conversationId);
    await inTransaction(t.db, (uow) =>
      planDeletion(t, uow, systemActor(tenantId), tenantId, [conversationId], 'conversation', 'Customer asked to be forgotten'),
    );
    await runJobs(t);
    expect(await rowsNaming(t, conversationId)).toEqual({});
    expect(await t.db.selectFrom('blobs').select('id').where('id', 'in', blobIds).execute()).toEqual([]);
    expect(await t.db.selectFrom('deletions').select(['status', 'scope']).where('conversation_id', '=', conversationId).execute()).toEqual([
      { status: 'done', scope: 'conversation' },
    ]);
  }, 60_000);

  it('refuses a protected conversation with which and why, and plans nothing of the batch', async () => {
    const free = (await makeChat(t, ingest)).conversationId;
    const reviewed = (await makeChat(t, ingest)).conversationId;
    await t.db.updateTable('conversations').set({ reviewed_at: nowIso() }).where('id', '=', reviewed).execute();
    const err = await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, systemActor(tenantId), tenantId, [free, reviewed], 'person')).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'CONVERSATION_PROTECTED', details: { protected: [{ conversationId: reviewed, protections: [{ kind: 'reviewed' }] }] } });
    expect((await conv(free))!.media_state).toBeNull();
  });

  it('deletes through the API for a person with "delete conversations", in the scope, and lists the deletions', async () => {
    const { makeUser, makeGroup } = await import('../../../test/helpers/factories.ts');
    const { signIn, ok, fails } = await import('../../../test/helpers/http.ts');
    const A = await makeGroup(t, tenantId, `A-${newId().slice(-4)}`);
    await makeUser(t, tenantId, { roles: ['agent'], extension: '8101', groupId: A });
    const inA = (await makeCall(t, ingest, { agentExtension: '8101' })).conversationId;
    const outside = (await makeChat(t, ingest, { agentExtension: '8999' })).conversationId;
    await runJobs(t);
    const deleter = await signIn(
      t.app,
      await makeUser(t, tenantId, { permissions: ['conversations.view', 'conversations.delete'], groupId: A, name: 'Dee Leter' }),
    );
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.post('/api/conversations/delete', { conversationIds: [inA], scope: 'media', reason: 'x' }), 403, 'FORBIDDEN');
    fails(await deleter.post('/api/conversations/delete', { conversationIds: [inA], scope: 'media', reason: '   ' }), 400, 'VALIDATION_FAILED');
    fails(await deleter.post('/api/conversations/delete', { conversationIds: [inA], scope: 'all', reason: 'x' }), 400, 'VALIDATION_FAILED');
    fails(await deleter.post('/api/conversations/delete', { conversationIds: [inA, outside], scope: 'media', reason: 'x' }), 404, 'NOT_FOUND');
    expect((await conv(inA))!.media_state).toBeNull();
    const res = ok(await deleter.post('/api/conversations/delete', { conversationIds: [inA], scope: 'media', reason: 'Recorded by mistake' }), 202);
    expect(res.deletions).toEqual([{ deletionId: expect.any(String), conversationId: inA }]);
    const detail = ok(await deleter.get(`/api/conversations/${inA}`));
    expect(JSON.stringify(detail)).toContain('planned_for_deletion');
    await runJobs(t);
    expect((await conv(inA))!.media_state).toBe('deleted');
    const list = ok(await deleter.get(`/api/compliance/deletions?conversationId=${inA}`));
    expect(list.items).toEqual([
      expect.objectContaining({
        conversationId: inA,
        scope: 'media',
        status: 'done',
        origin: 'person',
        reason: 'Recorded by mistake',
        requestedBy: 'Dee Leter',
      }),
    ]);
    expect(list.items[0].objects).toBeGreaterThanOrEqual(3);
    expect(list.items[0].bytes).toBeGreaterThan(0);
  }, 60_000);

  it('plans no media deletion for a conversation without media (a chat of a mixed selection)', async () => {
    const chat = (await makeChat(t, ingest)).conversationId;
    const planned = await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, systemActor(tenantId), tenantId, [chat], 'Mixed selection'));
    expect(planned).toEqual([]);
    expect((await conv(chat))!.media_state).toBeNull();
  });

  it('cancels a planned deletion when a legal hold arrives before the job runs', async () => {
    const { conversationId } = await makeCall(t, ingest);
    await runJobs(t);
    await inTransaction(t.db, (uow) => planMediaDeletion(t, uow, systemActor(tenantId), tenantId, [conversationId], 'Retention'));
    const hold = await holdRow('list', 'Late hold');
    await t.db
      .insertInto('legal_hold_conversations')
      .values({ hold_id: hold, conversation_id: conversationId, tenant_id: tenantId, added_at: nowIso(), added_by: null })
      .execute();
    await runJobs(t);
    expect((await conv(conversationId))!.media_state).toBeNull();
    expect((await blobIdsOf(t, conversationId)).length).toBeGreaterThan(0);
    expect(await t.db.selectFrom('deletions').select('status').where('conversation_id', '=', conversationId).execute()).toEqual([{ status: 'cancelled' }]);
  }, 60_000);
});
