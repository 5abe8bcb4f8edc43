import { sql } from 'kysely';
import type { DialectAdapter } from '../db/adapter.ts';
import type { Executor, Tx } from '../db/index.ts';
import type { AuditEventsTable } from '../db/schema.ts';

export function chainHead(tx: Tx, adapter: DialectAdapter, chain: string) {
  return adapter.lockForUpdate(tx.selectFrom('audit_heads').select(['seq', 'hash']).where('chain', '=', chain)).executeTakeFirst();
}

export async function ensureHead(tx: Tx, chain: string, genesis: string) {
  await tx
    .insertInto('audit_heads')
    .values({ chain, seq: 0, hash: genesis })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
}

/** Moves the head from `fromSeq` to the new last event; false when the head was not at `fromSeq`. */
export async function advanceHead(tx: Tx, chain: string, fromSeq: number, seq: number, hash: string): Promise<boolean> {
  const r = await tx.updateTable('audit_heads').set({ seq, hash }).where('chain', '=', chain).where('seq', '=', fromSeq).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Several events in one statement (batches of 100 rows keep within every engine's parameter limit). */
export async function insertEvents(tx: Tx, rows: AuditEventsTable[]) {
  for (let i = 0; i < rows.length; i += 100)
    await tx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 100))
      .execute();
}

export interface AuditFilter {
  tenantId: string;
  from?: string;
  to?: string;
  initiator?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  q?: string;
  beforeSeq?: number;
  limit: number;
}

export async function findEvents(db: Executor, adapter: DialectAdapter, f: AuditFilter) {
  let q = db.selectFrom('audit_events').selectAll().where('chain', '=', f.tenantId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<=', f.to);
  if (f.initiator) {
    const needle = f.initiator;
    q = q.where((eb) => eb.or([eb('initiator_id', '=', needle), adapter.containsInsensitive(sql.ref('initiator_name'), needle)]));
  }
  if (f.resourceType) q = q.where('resource_type', '=', f.resourceType);
  if (f.resourceId) q = q.where('resource_id', '=', f.resourceId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([
        adapter.containsInsensitive(sql.ref('details'), needle),
        adapter.containsInsensitive(adapter.jsonText('changes'), needle),
        adapter.containsInsensitive(sql`coalesce(${sql.ref('resource_id')}, '')`, needle),
      ]),
    );
  }
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}

/** How many distinct values the vocabulary lists at most (a suggestion list, not a report). */
export const VOCABULARY_LIMIT = 500;

/**
 * The distinct values of an indexed column in a tenant's trail, by a loose index scan: each step asks the index for
 * the next value after the last one, so the cost follows the number of values, not of events. Both engines run it.
 */
export async function distinctValues(db: Executor, tenantId: string, column: 'resource_type' | 'action'): Promise<string[]> {
  const col = sql.ref(column);
  const { rows } = await sql<{ v: string }>`
    WITH RECURSIVE vals(v) AS (
      SELECT (SELECT MIN(${col}) FROM audit_events WHERE tenant_id = ${tenantId})
      UNION ALL
      SELECT (SELECT MIN(${col}) FROM audit_events WHERE tenant_id = ${tenantId} AND ${col} > vals.v) FROM vals WHERE vals.v IS NOT NULL
    )
    SELECT v FROM vals WHERE v IS NOT NULL LIMIT ${VOCABULARY_LIMIT}`.execute(db);
  return rows.map((r) => r.v);
}

/** Events of one chain in order, a batch at a time (never the whole table in memory). */
export async function* streamChain(db: Executor, chain: string, batch = 1000) {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('chain', '=', chain).where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) return;
    yield* rows;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export function getHead(db: Executor, chain: string) {
  return db.selectFrom('audit_heads').select(['seq', 'hash']).where('chain', '=', chain).executeTakeFirst();
}

export async function listChains(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_heads').select('chain').orderBy('chain').execute();
  return rows.map((r) => r.chain);
}

/** The events about these conversations in a tenant's chain, oldest first (served by audit_resource_idx). */
export const conversationEvents = (db: Executor, tenantId: string, conversationIds: readonly string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('audit_events')
        .select(['id', 'seq', 'details', 'changes', 'seals'])
        .where('tenant_id', '=', tenantId)
        .where('resource_type', '=', 'conversation')
        .where('resource_id', 'in', [...conversationIds])
        .orderBy('seq')
        .execute();

/** Redaction's one permitted rewrite (the append-only guard lets only these columns change). */
export const rewriteValues = (tx: Tx, id: string, v: { details: string; changes: unknown; seals: unknown }) =>
  tx.updateTable('audit_events').set(v).where('id', '=', id).execute();
