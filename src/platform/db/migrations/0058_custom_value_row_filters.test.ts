// Migration 0058 on SQLite: the value rows of an existing database take their conversation's site and reviewable flag,
// the folded-value index holds them, and the triggers that keep them are in place.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers/context.ts';
import { actorOfUser, makeChat } from '../../../../test/helpers/conversations.ts';
import { makeSite, makeTenant } from '../../../../test/helpers/factories.ts';
import { createField, setValues } from '../../../conversations/custom-fields/service.ts';
import { up } from './0058_custom_value_row_filters.ts';

describe('migration 0058 (custom value row filters) on sqlite', () => {
  let t: TestContext;
  const ids: string[] = [];
  let site: string;

  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const tenant = await makeTenant(t);
    const actor = await actorOfUser(t, tenant.admin.id);
    site = await makeSite(t, tenant.tenantId, 'Lyon');
    await createField(t, actor, { key: 'ref', label: 'Ref', type: 'text' } as never);
    for (let i = 0; i < 3; i++) {
      const { conversationId } = await makeChat(t, actor);
      await setValues(t, actor, conversationId, { values: { ref: `REF-${i}` } } as never);
      ids.push(conversationId);
    }
    // Back to the state before 0058, then conversations changed as they were before it.
    for (const name of ['field_value_copies_insert', 'field_value_copies_move', 'conversation_value_copies'])
      await sql.raw(`DROP TRIGGER ${name}`).execute(t.db);
    await sql`DROP INDEX conv_field_values_folded_idx`.execute(t.db);
    await sql`ALTER TABLE conversation_field_values DROP COLUMN site_id`.execute(t.db);
    await sql`ALTER TABLE conversation_field_values DROP COLUMN reviewable`.execute(t.db);
    await sql`CREATE INDEX conv_field_values_folded_idx ON conversation_field_values (field_id, value_folded, started_at, conversation_id)`.execute(t.db);
    await t.db.updateTable('conversations').set({ reviewable: 0 }).where('id', '=', ids[0]!).execute();
    await t.db.updateTable('conversations').set({ site_id: site }).where('id', '=', ids[1]!).execute();
  });
  afterAll(() => t.cleanup());

  it('copies each conversation’s site and flag to its values, into the index, and keeps them from then on', async () => {
    await up(t.db, t.adapter);
    const copies = async () =>
      (
        await sql<{ id: string; site_id: string | null; reviewable: number }>`SELECT conversation_id AS id, site_id, reviewable
          FROM conversation_field_values ORDER BY conversation_id`.execute(t.db)
      ).rows;
    const expected = [
      { id: ids[0]!, site_id: null, reviewable: 0 },
      { id: ids[1]!, site_id: site, reviewable: 1 },
      { id: ids[2]!, site_id: null, reviewable: 1 },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(await copies()).toEqual(expected);
    const columns = (await sql<{ name: string }>`SELECT name FROM pragma_index_info('conv_field_values_folded_idx') ORDER BY seqno`.execute(t.db)).rows;
    expect(columns.map((c) => c.name)).toEqual(['field_id', 'value_folded', 'started_at', 'conversation_id', 'site_id', 'reviewable']);
    await t.db.updateTable('conversations').set({ reviewable: 1, site_id: site }).where('id', '=', ids[0]!).execute();
    expect((await copies()).find((c) => c.id === ids[0])).toEqual({ id: ids[0], site_id: site, reviewable: 1 });
  });
});
