// Where a search on SQLite runs its statement (issue 18): a single word that matches few documents of the period, or
// custom-data "contains" conditions with few candidate values, run in process on the main connection (FTS5 answers a
// bounded read first), anything else on the read pool's workers.
// Real SQLite file, real read workers, conversations ingested and indexed through the pipeline.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { actorOfUser } from '../../../test/helpers/conversations.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { createField, setValues } from '../../conversations/custom-fields/service.ts';
import { ingestChat } from '../../conversations/ingest/chats.ts';
import { IN_PROCESS_MATCHES, searchConversations } from '../service.ts';
import { sql } from 'kysely';
import { sqliteFts5, VALUE_KEY_SLOTS, valueKeyRange } from './sqlite-fts5.ts';

const DAY = 86_400_000;
const ALL_TIME = { from: null, to: null };

describe('SQLite search: in process or on a read worker', () => {
  let t: TestContext;
  let admin: Actor;
  const ids: string[] = [];
  const now = Date.now();
  const chat = (n: number, text: string, at: number) =>
    ingestChat(t, admin, {
      chatId: `fts5-${n}-${now}`,
      roomName: `Room ${n}`,
      participants: [
        { key: 'cust', role: 'customer', name: `Customer ${n}`, email: `c${n}@customers.test` },
        { key: 'agent', role: 'agent', name: 'Agent', extension: '1001' },
      ],
      messages: [{ sender: 'cust', at: new Date(at).toISOString(), text }],
    } as never);

  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const tenant = await makeTenant(t);
    admin = await actorOfUser(t, tenant.admin.id);
    ids.push((await chat(1, 'the ombudsman called about my cancel request', now - 2 * DAY)).conversationId);
    ids.push((await chat(2, 'please cancel the subscription', now - 3 * DAY)).conversationId);
    ids.push((await chat(3, 'cancel it now', now - 400 * DAY)).conversationId);
    await runJobs(t);
    for (const key of ['ref', 'case']) await createField(t, admin, { key, label: key, type: 'text' } as never);
    const values = [
      { ref: 'CX-4233-A', case: 'K%42' },
      { ref: 'cx-9423', case: 'K-42' },
      { ref: 'AB-4233', case: 'Z-1' },
    ];
    for (const [i, v] of values.entries()) await setValues(t, admin, ids[i]!, { values: v } as never);
  });
  afterAll(() => t.cleanup());

  it('fewMatches counts at most limit + 1 documents of the key range, and answers one term only', async () => {
    const all = { lo: null, hi: null };
    expect(await sqliteFts5.fewMatches!(t.db, '"ombudsman"', all, 1)).toBe(true);
    expect(await sqliteFts5.fewMatches!(t.db, '"cancel"', all, 2)).toBe(false);
    expect(await sqliteFts5.fewMatches!(t.db, '"cancel"', all, 3)).toBe(true);
    // The key range bounds it: the old conversation is outside the last 30 days.
    const recent = { lo: Math.floor((now - 30 * DAY) / 1000) * 100_000, hi: null };
    expect(await sqliteFts5.fewMatches!(t.db, '"cancel"', recent, 2)).toBe(true);
    // A phrase or several words: FTS5 may read far to find few matches, so the probe does not answer.
    expect(await sqliteFts5.fewMatches!(t.db, '"cancel subscript"', all, IN_PROCESS_MATCHES)).toBe(false);
    expect(await sqliteFts5.fewMatches!(t.db, '"cancel" AND "ombudsman"', all, IN_PROCESS_MATCHES)).toBe(false);
  });

  it('runs a rare word in process and a phrase on the read pool, with the same results either way', async () => {
    const pooled = vi.spyOn(t.reads, 'all');
    try {
      const word = await searchConversations(t, admin, { q: 'ombudsman', period: null, reviewable: 'all' });
      expect(word.items).toHaveLength(1);
      expect(word.total).toBe(1);
      expect(word.items[0]!.highlight?.text).toContain('ombudsman');
      expect(pooled).not.toHaveBeenCalled();

      const phrase = await searchConversations(t, admin, { q: '"cancel the subscription"', period: null, reviewable: 'all' });
      expect(phrase.items).toHaveLength(1);
      expect(pooled).toHaveBeenCalledTimes(1);

      // The same word forced onto the read pool finds the same page and count.
      const few = sqliteFts5.fewMatches;
      sqliteFts5.fewMatches = async () => false;
      try {
        const viaPool = await searchConversations(t, admin, { q: 'cancel', period: null, reviewable: 'all' });
        sqliteFts5.fewMatches = few;
        const inProcess = await searchConversations(t, admin, { q: 'cancel', period: null, reviewable: 'all' });
        expect(inProcess.items.map((i) => i.id)).toEqual(viaPool.items.map((i) => i.id));
        expect(inProcess.total).toBe(3);
        expect(viaPool.total).toBe(3);
        expect(pooled).toHaveBeenCalledTimes(2);
      } finally {
        sqliteFts5.fewMatches = few;
      }
    } finally {
      pooled.mockRestore();
    }
  });

  it('containsRows reads at most limit + 1 candidates of the substring index, across fields', async () => {
    expect((await sqliteFts5.containsRows!(t.db, '423', ALL_TIME, 10))?.length).toBe(3);
    expect(await sqliteFts5.containsRows!(t.db, '423', ALL_TIME, 2)).toBeNull();
    expect(await sqliteFts5.containsRows!(t.db, 'k%4', ALL_TIME, 10)).toHaveLength(1);
    expect(await sqliteFts5.containsRows!(t.db, 'nowhere', ALL_TIME, 10)).toEqual([]);
    // Under three characters there is no trigram to read: the LIKE runs by itself, on the read pool.
    expect(await sqliteFts5.containsRows!(t.db, '42', ALL_TIME, 10)).toBeNull();
  });

  it('reads the candidates of the period only, and those of values without a start time with any period', async () => {
    const month = { from: new Date(now - 30 * DAY), to: new Date(now + DAY) };
    const valueIds = async (conversationId: string) =>
      (
        await t.db
          .selectFrom('conversation_field_values')
          .select(sql<number>`rowid`.as('rowid'))
          .where('conversation_id', '=', conversationId)
          .execute()
      ).map((r) => r.rowid);
    const [ref0] = await valueIds(ids[0]!);
    const [ref2] = await valueIds(ids[2]!);
    expect((await sqliteFts5.containsRows!(t.db, '4233', ALL_TIME, 10))!.sort()).toEqual([ref0, ref2].sort());
    // AB-4233 started 400 days ago: not read for the last month.
    expect(await sqliteFts5.containsRows!(t.db, '4233', month, 10)).toEqual([ref0]);
    expect(await sqliteFts5.containsRows!(t.db, '4233', { from: new Date(now - 500 * DAY), to: new Date(now - 300 * DAY) }, 10)).toEqual([ref2]);
    // The keys order values by start: the month's are above its lower bound, the old one below it.
    const keyOf = async (rowid: number) =>
      Number((await sql<{ key: number }>`SELECT key FROM custom_value_keys WHERE value_id = ${rowid}`.execute(t.db)).rows[0]!.key);
    expect(await keyOf(ref0!)).toBeGreaterThanOrEqual(valueKeyRange(month).lo!);
    expect(await keyOf(ref2!)).toBeLessThan(valueKeyRange(month).lo!);
    // A value without a start time is keyed below zero and proposed to every period (the statement checks its start).
    await sql`UPDATE conversation_field_values SET started_at = NULL WHERE rowid = ${ref2}`.execute(t.db);
    try {
      expect(await keyOf(ref2!)).toBe(-ref2!);
      expect((await sqliteFts5.containsRows!(t.db, '4233', month, 10))!.sort()).toEqual([ref0, ref2].sort());
    } finally {
      await sql`UPDATE conversation_field_values SET started_at = ${new Date(now - 400 * DAY).toISOString()} WHERE rowid = ${ref2}`.execute(t.db);
    }
    expect(await keyOf(ref2!)).toBeGreaterThan(0);
    expect(await sqliteFts5.containsRows!(t.db, '4233', month, 10)).toEqual([ref0]);
  });

  it('keeps the keys and trigrams in step when a value changes or goes, and keys a full second below zero', async () => {
    const c = (await chat(4, 'a fourth chat', now - 5 * DAY)).conversationId;
    await setValues(t, admin, c, { values: { ref: 'QQ-7788' } } as never);
    expect(await sqliteFts5.containsRows!(t.db, 'qq-77', ALL_TIME, 10)).toHaveLength(1);
    await setValues(t, admin, c, { values: { ref: 'RR-5566' } } as never);
    expect(await sqliteFts5.containsRows!(t.db, 'qq-77', ALL_TIME, 10)).toEqual([]);
    expect(await sqliteFts5.containsRows!(t.db, 'rr-55', ALL_TIME, 10)).toHaveLength(1);
    const keys = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM custom_value_keys`.execute(t.db)).rows[0]!.n);
    const values = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM conversation_field_values`.execute(t.db)).rows[0]!.n);
    expect(await keys()).toBe(await values());
    await setValues(t, admin, c, { values: { ref: '' } } as never);
    expect(await sqliteFts5.containsRows!(t.db, 'rr-55', ALL_TIME, 10)).toEqual([]);
    expect(await keys()).toBe(await values());
    // Started before 1970: keyed below zero as a value without a start (a start-second key there could take the −rowid
    // of a value written later), and still found.
    const old = (await chat(6, 'an old chat', now)).conversationId;
    await setValues(t, admin, old, { values: { ref: 'TT-3344' } } as never);
    await sql`UPDATE conversation_field_values SET started_at = '1969-12-31T23:59:59.000Z' WHERE conversation_id = ${old}`.execute(t.db);
    const [early] = (await sqliteFts5.containsRows!(t.db, 'tt-33', ALL_TIME, 10))!;
    expect(Number((await sql<{ key: number }>`SELECT key FROM custom_value_keys WHERE value_id = ${early}`.execute(t.db)).rows[0]!.key)).toBe(-early!);
    // Every slot of a second taken (here: its last one, by a key row of no value): the next value of that second is
    // keyed below zero, and still found.
    const at = new Date(now - 6 * DAY);
    const second = Math.floor(at.getTime() / 1000);
    await sql`INSERT INTO custom_value_keys (value_id, key) VALUES (${1e12}, ${(second + 1) * VALUE_KEY_SLOTS - 1})`.execute(t.db);
    try {
      const d = (await chat(5, 'a fifth chat', at.getTime())).conversationId;
      await setValues(t, admin, d, { values: { ref: 'SS-9911' } } as never);
      const [found] = (await sqliteFts5.containsRows!(t.db, 'ss-99', { from: new Date(now - 7 * DAY), to: null }, 10))!;
      expect(found).toBeDefined();
      expect(Number((await sql<{ key: number }>`SELECT key FROM custom_value_keys WHERE value_id = ${found}`.execute(t.db)).rows[0]!.key)).toBe(-found!);
    } finally {
      await sql`DELETE FROM custom_value_keys WHERE value_id = ${1e12}`.execute(t.db);
    }
  });

  it('runs contains conditions with few candidates in process, with the results of the read pool', async () => {
    const search = (customData: unknown[]) =>
      searchConversations(t, admin, { period: null, reviewable: 'all', customData } as never).then((r) => ({ ids: r.items.map((i) => i.id), total: r.total }));
    const cases: Array<[unknown[], string[]]> = [
      [[{ fieldKey: 'ref', op: { op: 'contains', value: '4233' } }], [ids[0]!, ids[2]!]],
      [[{ fieldKey: 'ref', op: { op: 'contains', value: ' X-9 ' } }], [ids[1]!]],
      // A LIKE wildcard in the needle is a character like any other.
      [[{ fieldKey: 'case', op: { op: 'contains', value: 'k%4' } }], [ids[0]!]],
      // Two contains conditions: both candidate lists are read first.
      [
        [
          { fieldKey: 'ref', op: { op: 'contains', value: '423' } },
          { fieldKey: 'case', op: { op: 'contains', value: '-42' } },
        ],
        [ids[1]!],
      ],
      [[{ fieldKey: 'ref', op: { op: 'contains', value: 'nowhere' } }], []],
    ];
    const pooled = vi.spyOn(t.reads, 'all');
    try {
      for (const [customData, expected] of cases) {
        const inProcess = await search(customData);
        expect(pooled).not.toHaveBeenCalled();
        expect(inProcess).toEqual({ ids: expected, total: expected.length });
        // The same search with the candidates left to the statement, on the read pool.
        const read = sqliteFts5.containsRows;
        sqliteFts5.containsRows = async () => null;
        try {
          expect(await search(customData)).toEqual(inProcess);
        } finally {
          sqliteFts5.containsRows = read;
        }
        // One condition: the page and, from the values alone, the count (valueCount); two: one statement for both.
        expect(pooled).toHaveBeenCalledTimes(customData.length === 1 ? 2 : 1);
        pooled.mockClear();
      }
      // With another kind of custom-data condition the value lists are read whatever: the read pool.
      const mixed = await search([
        { fieldKey: 'ref', op: { op: 'contains', value: '4233' } },
        { fieldKey: 'case', op: { op: 'not_empty' } },
      ]);
      expect(mixed.ids.sort()).toEqual([ids[0]!, ids[2]!].sort());
      expect(pooled).toHaveBeenCalledTimes(1);
    } finally {
      pooled.mockRestore();
    }
  });
});
