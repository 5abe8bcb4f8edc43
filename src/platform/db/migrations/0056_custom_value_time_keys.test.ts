// Migration 0056 on SQLite: an existing trigram index (0009, keyed by value row id) becomes one keyed by start time,
// with every value keyed and found again, and the old triggers gone.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers/context.ts';
import { actorOfUser, makeChat } from '../../../../test/helpers/conversations.ts';
import { makeTenant } from '../../../../test/helpers/factories.ts';
import { createField, setValues } from '../../../conversations/custom-fields/service.ts';
import { sqliteFts5 } from '../../../search/fulltext/sqlite-fts5.ts';
import * as m0009 from './0009_custom_value_trigrams.ts';
import { up } from './0056_custom_value_time_keys.ts';

describe('migration 0056 (custom value time keys) on sqlite', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const actor = await actorOfUser(t, (await makeTenant(t)).admin.id);
    await createField(t, actor, { key: 'ref', label: 'Ref', type: 'text' } as never);
    for (let i = 0; i < 6; i++) {
      const { conversationId } = await makeChat(t, actor);
      await setValues(t, actor, conversationId, { values: { ref: `REF-${i}-4233` } } as never);
    }
    // Started in the reverse order of their rows, two in the same second, one without a start time.
    const rows = (await sql<{ rowid: number }>`SELECT rowid FROM conversation_field_values ORDER BY rowid`.execute(t.db)).rows;
    const starts = [
      '2026-03-01T10:00:05.000Z',
      '2026-03-01T10:00:04.000Z',
      '2026-03-01T10:00:03.500Z',
      '2026-03-01T10:00:03.100Z',
      '2026-02-01T00:00:00.000Z',
      null,
    ];
    for (const [i, r] of rows.entries()) await sql`UPDATE conversation_field_values SET started_at = ${starts[i]} WHERE rowid = ${r.rowid}`.execute(t.db);
    // Back to the state before 0056.
    for (const name of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER custom_value_keys_${name}`).execute(t.db);
    await sql`DROP TABLE custom_value_trigrams`.execute(t.db);
    await sql`DROP TABLE custom_value_keys`.execute(t.db);
    await m0009.up(t.db, t.adapter);
  });
  afterAll(() => t.cleanup());

  it('keys every value by its start, rebuilds the index and replaces the triggers', async () => {
    await up(t.db, t.adapter);
    const keyed = (
      await sql<{ key: number; started_at: string | null; rowid: number }>`SELECT k.key, v.started_at, v.rowid FROM custom_value_keys k
        JOIN conversation_field_values v ON v.rowid = k.value_id ORDER BY k.key`.execute(t.db)
    ).rows;
    expect(keyed).toHaveLength(6);
    // Below zero first (no start time), then by start; two values of the same second take its slots in row order.
    expect(keyed[0]).toMatchObject({ started_at: null, key: -keyed[0]!.rowid });
    expect(keyed.slice(1).map((k) => k.started_at)).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T10:00:03.500Z',
      '2026-03-01T10:00:03.100Z',
      '2026-03-01T10:00:04.000Z',
      '2026-03-01T10:00:05.000Z',
    ]);
    expect(keyed[3]!.key - keyed[2]!.key).toBe(1);
    const names = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'custom_value%' ORDER BY name`.execute(t.db))
      .rows;
    expect(names.map((n) => n.name)).toEqual(['custom_value_keys_delete', 'custom_value_keys_insert', 'custom_value_keys_update']);
    const all = { from: null, to: null };
    expect(await sqliteFts5.containsRows!(t.db, '4233', all, 10)).toHaveLength(6);
    // March 1st, 10:00:03 to 10:00:04 (exclusive): the two values of that second, and the one without a start.
    const second = { from: new Date('2026-03-01T10:00:03.000Z'), to: new Date('2026-03-01T10:00:04.000Z') };
    const found = await sqliteFts5.containsRows!(t.db, 'ref-', second, 10);
    expect(found!.sort()).toEqual([keyed[0]!.rowid, keyed[2]!.rowid, keyed[3]!.rowid].sort());
  });
});
