// The list rows' summaries (participants, tags, custom field values, comment counts) come from one statement of
// correlated subqueries aggregated to JSON (repository.ts listRows). They replaced four statements of their own; this
// checks, on both engines, that a row still says exactly what those said: the same participants and tags in the same
// order (created_at, then id), tag timestamps spelled as everywhere else in the API (PostgreSQL's JSON would write
// `+00:00` and microseconds; the session's time zone is set elsewhere here to show it plays no part), comments counted
// for the viewer by the same visibility rule, custom field values by key. participantsOf and tagsOf, still used
// elsewhere, are the reference; comment counts and custom values are asserted directly.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestContext, type TestContext } from '../../test/helpers/context.ts';
import { actorOfUser, makeChat } from '../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../test/helpers/factories.ts';
import type { Actor } from '../auth/actor.ts';
import { newId } from '../platform/ids.ts';
import { loadRows } from '../search/service.ts';
import * as commentsRepo from './comments/repository.ts';
import * as fieldsRepo from './custom-fields/repository.ts';
import * as repo from './repository.ts';
import { getConversation, summaries } from './service.ts';
import * as tagsRepo from './tags/repository.ts';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.each(ENGINES)('list rows with their summaries on %s', (engine) => {
  let t: TestContext;
  let admin: Actor;
  let other: Actor;
  let viewer: Actor;
  let rich: string;
  let plain: string;
  let empty: string;
  let fieldIds: string[];

  beforeAll(async () => {
    t = await createTestContext(engine);
    const tenant = await makeTenant(t);
    admin = await actorOfUser(t, tenant.admin.id);
    other = await actorOfUser(t, (await makeUser(t, tenant.tenantId, { roles: ['evaluator'], name: 'Olga Other' })).id);
    viewer = await actorOfUser(t, (await makeUser(t, tenant.tenantId, { permissions: ['conversations.view'], name: 'Vic Viewer' })).id);
    rich = (await makeChat(t, admin, { customerName: 'Rita Rich' })).conversationId;
    plain = (await makeChat(t, admin, { customerName: 'Paul Plain' })).conversationId;
    empty = (await makeChat(t, admin, { customerName: 'Emma Empty' })).conversationId;
    // Nothing but the row itself: every summary empty.
    await t.db.deleteFrom('conversation_participants').where('conversation_id', '=', empty).execute();

    // Participants: a tie on created_at that the id breaks (inserted in the other order), one linked to a user, one
    // from before the chat's own two.
    const tie = '2020-05-06T07:08:09.123Z';
    const party = (id: string, created_at: string, p: Partial<{ user_id: string; name: string; phone: string; role: string }> = {}) =>
      repo.insertParticipant(t.db, {
        id,
        conversation_id: rich,
        party_key: `k-${id.slice(-4)}`,
        role: p.role ?? 'customer',
        name: p.name ?? null,
        phone: p.phone ?? null,
        email: null,
        extension: null,
        external_id: null,
        user_id: p.user_id ?? null,
        created_at,
      });
    await party('ffffffff-0000-7000-8000-00000000000b', tie, { name: 'Second by id', phone: '+4420700000' });
    await party('ffffffff-0000-7000-8000-00000000000a', tie, { user_id: other.userId, role: 'agent' });
    await party('00000000-0000-7000-8000-0000000000ff', '2019-01-01T00:00:00.000Z', { name: 'Earliest' });

    // Tags: a data tag, one with a creator and a comment, one whose creator is gone; timestamps with microseconds (what
    // PostgreSQL keeps of now()) and a tie on created_at.
    const def = async (name: string, extra: Partial<{ data_key: string; data_value: string; kind: string }> = {}) => {
      const id = newId();
      await tagsRepo.insertDefinition(t.db, {
        id,
        tenant_id: tenant.tenantId,
        name,
        color: '#123456',
        data_key: extra.data_key ?? null,
        data_value: extra.data_value ?? null,
        comment_required: 0,
        preset: null,
        kind: extra.kind ?? 'tag',
        created_at: '2020-01-01T00:00:00.000Z',
        updated_at: '2020-01-01T00:00:00.000Z',
      });
      return id;
    };
    const tagOn = (conv: string, tagId: string, id: string, created_at: string, extra: Partial<{ comment: string; created_by: string }> = {}) =>
      tagsRepo.insertConversationTag(t.db, {
        id,
        conversation_id: conv,
        tag_id: tagId,
        comment: extra.comment ?? null,
        created_by: extra.created_by ?? null,
        created_at,
        updated_at: '2021-02-03T04:05:06.789123Z',
      });
    const vip = await def('VIP');
    const queue = await def('Queue: billing', { data_key: 'queue', data_value: 'billing' });
    const filed = await def('Complaints', { kind: 'category' });
    await tagOn(rich, vip, 'ffffffff-0000-7000-8000-0000000000t2', '2021-01-01T10:00:00.654321Z', { created_by: admin.userId, comment: 'Important' });
    await tagOn(rich, queue, 'ffffffff-0000-7000-8000-0000000000t1', '2021-01-01T10:00:00.654321Z');
    await tagOn(rich, filed, '00000000-0000-7000-8000-0000000000t3', '2021-06-01T00:00:00.000Z', { created_by: viewer.userId });
    await tagOn(plain, vip, newId(), '2022-01-01T00:00:00.5Z', { created_by: other.userId });

    // Custom fields: ids whose order is not the keys' (the values come in field id order).
    fieldIds = ['field-1', 'field-2', 'field-3'];
    const field = (id: string, key: string, position: number) =>
      fieldsRepo.insertDefinition(t.db, {
        id,
        tenant_id: tenant.tenantId,
        key,
        label: key,
        type: 'text',
        options: t.adapter.json([]),
        show_in_list: 1,
        position,
        created_at: '2020-01-01T00:00:00.000Z',
        updated_at: '2020-01-01T00:00:00.000Z',
      });
    await field(fieldIds[0]!, 'zeta_case', 0);
    await field(fieldIds[1]!, 'alpha_outcome', 1);
    await field(fieldIds[2]!, 'mid_ref', 2);
    await fieldsRepo.upsertValue(t.db, rich, fieldIds[2]!, 'REF-3');
    await fieldsRepo.upsertValue(t.db, rich, fieldIds[0]!, 'CS-1001');
    await fieldsRepo.upsertValue(t.db, rich, fieldIds[1]!, 'Solved');
    await fieldsRepo.upsertValue(t.db, plain, fieldIds[1]!, 'Open');

    // Comments: two public, one private of the admin, two private of the other user, one private whose author is gone.
    const comment = (conv: string, visibility: 'public' | 'private', author: Actor | null) =>
      commentsRepo.insertComment(t.db, {
        id: newId(),
        conversation_id: conv,
        author_id: author?.userId ?? null,
        author_name: author?.name ?? 'Gone',
        text: 'note',
        offset_ms: null,
        pinned: 0,
        visibility,
        mentions: t.adapter.json([]),
        created_at: '2022-01-01T00:00:00.000Z',
        updated_at: '2022-01-01T00:00:00.000Z',
      });
    await comment(rich, 'public', admin);
    await comment(rich, 'public', other);
    await comment(rich, 'private', admin);
    await comment(rich, 'private', other);
    await comment(rich, 'private', other);
    await comment(rich, 'private', null);
    await comment(plain, 'private', other);
  });
  afterAll(() => t?.cleanup());

  /** What the four statements gave for these conversations (participantsOf and tagsOf are the old ones). */
  async function reference(ids: string[]) {
    const [participants, tags] = await Promise.all([repo.participantsOf(t.db, ids), tagsRepo.tagsOf(t.db, ids)]);
    return new Map(
      ids.map((id) => [
        id,
        {
          participants: participants
            .filter((p) => p.conversation_id === id)
            .map((p) => ({
              id: p.id,
              role: p.role,
              partyKey: p.party_key,
              name: p.name,
              phone: p.phone,
              email: p.email,
              extension: p.extension,
              userId: p.user_id,
              userName: p.user_name ?? null,
            })),
          tags: tags
            .filter((g) => g.conversation_id === id)
            .map((g) => ({
              tagId: g.tag_id,
              name: g.name,
              color: g.color,
              kind: g.kind ?? 'tag',
              dataKey: g.data_key,
              dataValue: g.data_value,
              comment: g.comment,
              createdBy: g.created_by_name ?? null,
              createdAt: g.created_at,
              updatedAt: g.updated_at,
            })),
        },
      ]),
    );
  }

  it('gives each row the participants and tags the separate statements gave, in their order', async () => {
    const ids = [plain, 'no-such-conversation', rich, empty];
    const items = await summaries(t, admin, await repo.listRows(t.db, t.adapter, ids));
    expect(items.map((i) => i.id)).toEqual([plain, rich, empty]);
    const ref = await reference([plain, rich, empty]);
    for (const item of items) {
      expect(item.participants).toEqual(ref.get(item.id)!.participants);
      expect(item.tags).toEqual(ref.get(item.id)!.tags);
    }
    const r = items.find((i) => i.id === rich)!;
    // Earliest first; the tie broken by id, whatever the insertion order; the user's name from the users table.
    expect(r.participants.map((p) => p.name ?? p.userName).slice(0, 3)).toEqual(['Earliest', 'Olga Other', 'Second by id']);
    expect(r.participants).toHaveLength(5);
    expect(r.tags.map((g) => g.name)).toEqual(['Queue: billing', 'VIP', 'Complaints']);
    expect(r.tags[1]).toMatchObject({ createdBy: admin.name, comment: 'Important', dataKey: null });
    expect(r.tags[0]).toMatchObject({ createdBy: null, dataKey: 'queue', dataValue: 'billing', kind: 'tag' });
    expect(r.tags[2]).toMatchObject({ kind: 'category', createdBy: 'Vic Viewer' });
    const e = items.find((i) => i.id === empty)!;
    expect(e).toMatchObject({ participants: [], tags: [], customFields: {}, commentCount: 0 });
  });

  it('spells tag timestamps as the rest of the API does, whatever the session time zone', async () => {
    const ref = await reference([rich, plain]);
    const rows = await t.db.transaction().execute(async (tx) => {
      if (engine === 'postgres') await sql`set local time zone 'Asia/Kolkata'`.execute(tx);
      return repo.listRows(tx, t.adapter, [rich, plain]);
    });
    const items = await summaries(t, admin, rows);
    const tags = items.flatMap((i) => i.tags);
    expect(tags.map((g) => [g.createdAt, g.updatedAt])).toEqual([...ref.values()].flatMap((x) => x.tags.map((g) => [g.createdAt, g.updatedAt])));
    if (engine === 'postgres') {
      // Milliseconds and Z, as the pg type parser gives a timestamptz column (truncated, not rounded).
      for (const g of tags) expect([g.createdAt, g.updatedAt]).toEqual([expect.stringMatching(ISO_MS), expect.stringMatching(ISO_MS)]);
      expect(items[0]!.tags[0]!.createdAt).toBe('2021-01-01T10:00:00.654Z');
      expect(items[0]!.tags[0]!.updatedAt).toBe('2021-02-03T04:05:06.789Z');
      expect(items[1]!.tags[0]!.createdAt).toBe('2022-01-01T00:00:00.500Z');
    } else {
      // SQLite keeps the text it was given.
      expect(items[0]!.tags[0]!.createdAt).toBe('2021-01-01T10:00:00.654321Z');
    }
  });

  it('counts the comments each viewer may see: public ones and their own private ones', async () => {
    const rows = await repo.listRows(t.db, t.adapter, [rich, plain, empty]);
    const counts = async (a: Actor) => (await summaries(t, a, rows)).map((i) => i.commentCount);
    expect(await counts(admin)).toEqual([3, 0, 0]);
    expect(await counts(other)).toEqual([4, 1, 0]);
    expect(await counts(viewer)).toEqual([2, 0, 0]);
    // The same as the comments a viewer is shown on the conversation.
    for (const a of [admin, other, viewer]) {
      expect((await commentsRepo.listFor(t.db, rich, a.userId)).length).toBe((await counts(a))[0]);
    }
  });

  it('gives the custom field values by key, in field id order', async () => {
    const items = await summaries(t, admin, await repo.listRows(t.db, t.adapter, [rich, plain]));
    expect(items[0]!.customFields).toEqual({ zeta_case: 'CS-1001', alpha_outcome: 'Solved', mid_ref: 'REF-3' });
    expect(Object.keys(items[0]!.customFields)).toEqual(['zeta_case', 'alpha_outcome', 'mid_ref']);
    expect(items[1]!.customFields).toEqual({ alpha_outcome: 'Open' });
  });

  it('gives the same rows with the search texts joined (the search with words to highlight)', async () => {
    const ids = [rich, plain, empty];
    const [withTexts, without] = await Promise.all([loadRows(t, ids, true), loadRows(t, ids)]);
    expect(withTexts.every((r) => 'texts' in r && 'language' in r)).toBe(true);
    expect(await summaries(t, other, withTexts)).toEqual(await summaries(t, other, without));
    // The conversation opened shows its row's summary too.
    const detail = await getConversation(t, admin, rich);
    const [row] = await summaries(t, admin, await repo.listRows(t.db, t.adapter, [rich]));
    expect(detail).toMatchObject(row!);
  });
});
