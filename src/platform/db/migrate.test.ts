import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES, createTestDb, type TestDb } from '../../../test/db.ts';
import { migrate } from './migrate.ts';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let t: TestDb;
  afterAll(() => t?.cleanup());

  it('run the whole list and are idempotent', async () => {
    t = await createTestDb(engine, { migrate: false });
    const first = await migrate(t.db, t.adapter);
    expect(first).toContain('0001_core');
    expect(await migrate(t.db, t.adapter)).toEqual([]);
  });

  it('keep the audit trail append-only in the database itself', async () => {
    const now = new Date().toISOString();
    await t.db
      .insertInto('audit_events')
      .values({
        id: 'a1',
        chain: 'system',
        seq: 1,
        tenant_id: null,
        at: now,
        initiator_id: null,
        initiator_name: 'test',
        client_ip: null,
        application: 'cli',
        resource_type: 'x',
        resource_id: null,
        action: 'TEST',
        details: '',
        changes: null,
        prev_hash: '0',
        hash: '1',
      })
      .execute();
    // Only a redaction may rewrite an event, and only its values (details, changes, seals: 0035); who, when, what and
    // the chain's hashes stay as written, and nothing is deleted.
    for (const set of [{ action: 'CHANGED' }, { at: now.replace('T', ' ') }, { initiator_name: 'someone else' }, { hash: '2' }, { prev_hash: '1' }, { seq: 2 }])
      await expect(t.db.updateTable('audit_events').set(set).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    await t.db.updateTable('audit_events').set({ details: '[anonymized]' }).execute();
  });

  it('return timestamps as ISO strings', async () => {
    const now = new Date('2026-01-02T03:04:05.678Z').toISOString();
    await t.db
      .insertInto('tenants')
      .values({ id: 't1', name: 'T', language: 'en', settings: t.adapter.json({}), created_at: now, updated_at: now })
      .execute();
    const row = await t.db.selectFrom('tenants').selectAll().where('id', '=', 't1').executeTakeFirstOrThrow();
    expect(row.created_at).toBe(now);
    expect(t.adapter.fromJson(row.settings)).toEqual({});
    const n = await sql<{ n: number }>`select count(*) as n from tenants`.execute(t.db);
    expect(Number(n.rows[0]!.n)).toBe(1);
  });
});
