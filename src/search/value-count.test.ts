// SQLite: an administrator's search filtered by a selective custom-data condition counts its matches from the value
// rows' copies of their conversation's start, site and reviewable flag (migration 0058) instead of looking each
// conversation up. The copies follow the conversation whatever writes it; the count must stay the page's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../../test/helpers/context.ts';
import { actorOfUser, makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeGroup, makeSite, makeUser } from '../../test/helpers/factories.ts';
import type { Actor } from '../auth/actor.ts';
import { createField, setValues } from '../conversations/custom-fields/service.ts';
import { mergeConversations } from '../conversations/repository.ts';
import { searchConversations } from './service.ts';

describe('custom-data counts from the value rows (SQLite)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: Actor;
  let tokyo: string;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const tenant = await tenantWithAdmin(t);
    admin = tenant.ingest;
    tokyo = await makeSite(t, tenant.tenantId, 'Tokyo', 'Asia/Tokyo');
    await createField(t, admin, { key: 'ref', label: 'Reference', type: 'text' } as never);
    // 28 February 20:00 UTC is 1 March 05:00 in Tokyo: in March there, not without a site (UTC).
    const at: Record<string, string> = {
      early: '2026-02-28T20:00:00.000Z',
      mid: '2026-03-10T12:00:00.000Z',
      late: '2026-03-20T12:00:00.000Z',
      other: '2026-03-21T12:00:00.000Z',
    };
    for (const [name, when] of Object.entries(at)) {
      c[name] = (await makeChat(t, admin, { at: new Date(when) })).conversationId;
      await setValues(t, admin, c[name]!, { values: { ref: name === 'other' ? 'ZZ-1' : `CX-${name}` } } as never);
    }
  });
  afterAll(() => t.cleanup());

  const march = { kind: 'custom', from: '2026-03-01', to: '2026-03-31' };
  const names = (ids: string[]) => ids.map((id) => Object.keys(c).find((k) => c[k] === id) ?? id).sort();
  async function search(extra: Record<string, unknown> = {}, actor = admin) {
    const r = await searchConversations(t, actor, { period: march, customData: [{ fieldKey: 'ref', op: { op: 'starts_with', value: 'cx-' } }], ...extra });
    return { items: names(r.items.map((i) => i.id)), total: r.total };
  }
  /** What the count statement of the last search was: read from the values alone, or through the conversations. */
  async function countStatement(extra: Record<string, unknown> = {}, actor = admin) {
    const all = vi.spyOn(t.reads, 'all');
    try {
      await search(extra, actor);
      const count = all.mock.calls.map(([q]) => (q as { compile(): { sql: string } }).compile().sql).find((s) => s.startsWith('select count(*)'));
      return count ? (/"conversations"/.test(count) ? 'conversations' : 'values') : 'one statement';
    } finally {
      all.mockRestore();
    }
  }

  it('counts the page it shows, from the values alone', async () => {
    expect(await search()).toEqual({ items: ['late', 'mid'], total: 2 });
    expect(await countStatement()).toBe('values');
  });

  it('follows a conversation that stops being reviewable, and one moved to a site in another zone', async () => {
    await t.db.updateTable('conversations').set({ reviewable: 0 }).where('id', '=', c.mid!).execute();
    expect(await search()).toEqual({ items: ['late'], total: 1 });
    expect(await search({ reviewable: 'all' })).toEqual({ items: ['late', 'mid'], total: 2 });
    await t.db.updateTable('conversations').set({ reviewable: 1 }).where('id', '=', c.mid!).execute();
    await t.db.updateTable('conversations').set({ site_id: tokyo }).where('id', '=', c.early!).execute();
    expect(await search()).toEqual({ items: ['early', 'late', 'mid'], total: 3 });
    await t.db.updateTable('conversations').set({ site_id: null }).where('id', '=', c.early!).execute();
    expect(await search()).toEqual({ items: ['late', 'mid'], total: 2 });
  });

  it('gives a value written later its conversation’s copies, and a merged one the conversation it moves to', async () => {
    const fresh = (await makeChat(t, admin, { at: new Date('2026-03-15T12:00:00.000Z') })).conversationId;
    await t.db.updateTable('conversations').set({ reviewable: 0 }).where('id', '=', fresh).execute();
    await setValues(t, admin, fresh, { values: { ref: 'CX-fresh' } } as never);
    expect(await search()).toEqual({ items: ['late', 'mid'], total: 2 });
    expect((await search({ reviewable: 'all' })).total).toBe(3);
    // Merged into a reviewable conversation without a value: the value moves (as a new row) and counts again.
    const target = (await makeChat(t, admin, { at: new Date('2026-03-16T12:00:00.000Z') })).conversationId;
    await t.db.transaction().execute((tx) => mergeConversations(tx, target, [fresh]));
    const after = await searchConversations(t, admin, { period: march, customData: [{ fieldKey: 'ref', op: { op: 'equals', value: 'cx-fresh' } }] });
    expect({ ids: after.items.map((i) => i.id), total: after.total }).toEqual({ ids: [target], total: 1 });
    const copies = await sql<{ reviewable: number }>`SELECT reviewable FROM conversation_field_values WHERE conversation_id = ${target}`.execute(t.db);
    expect(copies.rows).toEqual([{ reviewable: 1 }]);
  });

  it('looks the conversations up when the caller sees only some, or another filter needs them', async () => {
    // Every channel is no condition; one channel is.
    expect(await countStatement({ channels: ['call', 'chat', 'email'] })).toBe('values');
    expect(await countStatement({ channels: ['chat'] })).toBe('one statement');
    const lead = await makeUser(t, admin.tenantId, { roles: ['evaluator'], groupId: await makeGroup(t, admin.tenantId, 'Care') });
    const scoped = await actorOfUser(t, lead.id);
    expect(scoped.scope.all).toBe(false);
    expect(await countStatement({}, scoped)).toBe('one statement');
    expect(
      await countStatement({
        customData: [
          { fieldKey: 'ref', op: { op: 'starts_with', value: 'cx-' } },
          { fieldKey: 'ref', op: { op: 'not_empty' } },
        ],
      }),
    ).toBe('one statement');
  });
});
