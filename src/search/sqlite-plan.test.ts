// SQLite: a search filtered by a selective custom-data condition walks its values and looks each conversation up by id
// to check the tenant, the period, the site's zone, "reviewable" and the group scope (1,001 of them for a count at
// 1 M). Those checks are read from conv_id_filters_idx (migration 0054) alone, never from the conversation's table
// row. Planned with statistics, as a database that has run its statistics job is. A contains condition walks its
// candidate values too: planned freely, SQLite read the period's conversations and probed the candidates for each.
import type { CompiledQuery } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/context.ts';
import { actorOfUser, makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../test/helpers/factories.ts';
import type { Actor } from '../auth/actor.ts';
import { createField, setValues } from '../conversations/custom-fields/service.ts';
import * as repo from './repository.ts';
import { planSearch, searchReads } from './service.ts';

describe('custom-data search plans (SQLite)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: Actor;
  let scoped: Actor;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const tenant = await tenantWithAdmin(t);
    admin = tenant.ingest;
    await createField(t, admin, { key: 'ref', label: 'Reference', type: 'text' } as never);
    for (let i = 0; i < 40; i++) {
      const { conversationId } = await makeChat(t, admin, { at: new Date(Date.now() - (i + 1) * 3_600_000) });
      await setValues(t, admin, conversationId, { values: { ref: `CX-${1000 + i}` } } as never);
    }
    const group = await makeGroup(t, tenant.tenantId, 'Care');
    const lead = await makeUser(t, tenant.tenantId, { roles: ['evaluator'], groupId: group });
    scoped = await actorOfUser(t, lead.id);
    expect(scoped.scope.all).toBe(false);
    await sql`ANALYZE`.execute(t.db);
  });
  afterAll(() => t.cleanup());

  /** The first page's statement of a search (not run), and its query plan. */
  async function planOf(actor: Actor, input: Record<string, unknown>, inProcess: boolean) {
    const { plan } = await planSearch(t, actor, input, new Date());
    // In process, a contains runs with its candidates already read (searchReads).
    const run = inProcess ? (await searchReads(t, actor, plan!, Date.now() + 60_000)).plan : plan!;
    const statements: CompiledQuery[] = [];
    const capture = {
      all: async (q: { compile(): CompiledQuery }) => {
        const st = q.compile();
        statements.push(st);
        return /^select count\(\*\)/.test(st.sql) ? [{ n: 0 }] : [];
      },
    };
    await repo.searchFirstPage(t.db, t.adapter, run, 50, capture as never).count;
    return Promise.all(statements.map((st) => explain(st)));
  }
  const explain = async (st: CompiledQuery) =>
    (await t.db.getExecutor().executeQuery<{ detail: string }>({ ...st, sql: `EXPLAIN QUERY PLAN ${st.sql}` })).rows.map((r) => r.detail);

  const conversationLines = (plan: string[]) => plan.filter((l) => /\b(conversations|c)\b/.test(l) && /^(SEARCH|SCAN)/.test(l));

  it.each([
    ['starts with', { op: 'starts_with', value: 'CX-10' }],
    ['equals', { op: 'equals', value: 'cx-1003' }],
    ['in', { op: 'in', values: ['CX-1001', 'cx-1020'] }],
    // Its candidates from the trigram index, or the ones already read when it runs in process.
    ['contains', { op: 'contains', value: 'x-10' }],
  ])('%s: the conversations are checked from conv_id_filters_idx alone', async (_name, op) => {
    for (const actor of [admin, scoped]) {
      for (const inProcess of [false, true]) {
        const [plan] = await planOf(actor, { customData: [{ fieldKey: 'ref', op }] }, inProcess);
        const lines = conversationLines(plan!);
        expect(lines.length, plan!.join('\n')).toBe(1);
        expect(lines[0], plan!.join('\n')).toMatch(/^SEARCH c USING COVERING INDEX conv_id_filters_idx \(id=\?/);
      }
    }
  });

  it.each([
    [
      'starts with',
      { op: 'starts_with', value: 'CX-10' },
      /^SEARCH v USING COVERING INDEX conv_field_values_folded_idx \(field_id=\? AND value_folded>\? AND value_folded<\?\)/,
    ],
    ['equals', { op: 'equals', value: 'cx-1003' }, /^SEARCH v USING COVERING INDEX conv_field_values_folded_idx \(field_id=\? AND value_folded=\?/],
    // Its candidates by row id, or (40 values here) a scan of them: the planner's choice at this size. In process its
    // candidates are known to be few, and the one statement counts them.
    ['contains', { op: 'contains', value: 'x-10' }, null],
  ])("%s: an administrator's count reads the values alone (migration 0058), no conversation", async (name, op, read) => {
    for (const inProcess of [false, true]) {
      const plans = await planOf(admin, { customData: [{ fieldKey: 'ref', op }] }, inProcess);
      if (name === 'contains' && inProcess) {
        expect(plans).toHaveLength(1);
        continue;
      }
      expect(plans).toHaveLength(2);
      const count = plans[1]!;
      expect(conversationLines(count), count.join('\n')).toEqual([]);
      if (read)
        expect(
          count.find((l) => /^(SEARCH|SCAN) v\b/.test(l)),
          count.join('\n'),
        ).toMatch(read);
    }
  });
});
