// All SQL for `blobs` and `signing_keys`. Every function takes the database or an open transaction.
import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { BlobsTable } from '../db/schema.ts';

export type BlobRow = Selectable<BlobsTable>;

export async function insertBlob(ex: Executor, row: BlobRow): Promise<void> {
  await ex.insertInto('blobs').values(row).execute();
}

export async function findBlob(ex: Executor, id: string): Promise<BlobRow | undefined> {
  return ex.selectFrom('blobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTenantBlob(ex: Executor, tenantId: string, id: string): Promise<BlobRow | undefined> {
  return ex.selectFrom('blobs').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function deleteBlob(ex: Executor, tenantId: string, id: string): Promise<BlobRow | undefined> {
  const row = await findTenantBlob(ex, tenantId, id);
  if (!row) return undefined;
  await ex.deleteFrom('blobs').where('id', '=', id).where('tenant_id', '=', tenantId).execute();
  return row;
}

/** Keyset page ordered by id, for walks over every blob that never hold all rows in memory. */
export async function listBlobsAfter(ex: Executor, afterId: string | null, limit: number): Promise<BlobRow[]> {
  let q = ex.selectFrom('blobs').selectAll().orderBy('id').limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.execute();
}

export async function countBlobs(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Keys of `storageKeys` that have a row (the rest are orphans). */
export async function existingStorageKeys(ex: Executor, storageKeys: string[]): Promise<Set<string>> {
  if (storageKeys.length === 0) return new Set();
  const rows = await ex.selectFrom('blobs').select('storage_key').where('storage_key', 'in', storageKeys).execute();
  return new Set(rows.map((r) => r.storage_key));
}

/** A column of another table that holds blob ids (see src/blob-references.ts). */
export interface BlobReference {
  table: string;
  column: string;
  /** The column records a blob id (a history) without holding the blob: the sweep and verify pass over it. */
  record?: true;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** `NOT EXISTS (...)` for every reference: the blob row is pointed at by nothing. */
function unreferenced(refs: readonly BlobReference[]): Expression<SqlBool> {
  for (const r of refs) if (!IDENT.test(r.table) || !IDENT.test(r.column)) throw new Error(`invalid blob reference ${r.table}.${r.column}`);
  const parts = refs.map((r) => sql`not exists (select 1 from ${sql.table(r.table)} where ${sql.ref(`${r.table}.${r.column}`)} = ${sql.ref('blobs.id')})`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** Keyset page of blob rows created before `createdBefore` that no reference points at. */
export async function listUnreferencedBlobsAfter(
  ex: Executor,
  refs: readonly BlobReference[],
  createdBefore: string,
  afterId: string | null,
  limit: number,
): Promise<Array<Pick<BlobRow, 'id' | 'tenant_id' | 'storage_key' | 'created_at'>>> {
  let q = ex
    .selectFrom('blobs')
    .select(['id', 'tenant_id', 'storage_key', 'created_at'])
    .where('created_at', '<', createdBefore)
    .where(unreferenced(refs))
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.execute();
}

/**
 * Deletes one blob row if it is still unreferenced: the check and the delete are one statement, so a reference
 * committed since the listing keeps the row. Returns the storage key of the deleted row.
 */
export async function deleteUnreferencedBlob(ex: Executor, refs: readonly BlobReference[], id: string, createdBefore: string): Promise<string | undefined> {
  const r = await ex
    .deleteFrom('blobs')
    .where('id', '=', id)
    .where('created_at', '<', createdBefore)
    .where(unreferenced(refs))
    .returning('storage_key')
    .executeTakeFirst();
  return r?.storage_key;
}

/**
 * Deletes a tenant's blob row unless a reference points at it, in one statement (a reference committed meanwhile keeps
 * it). Returns the storage key of the deleted row.
 */
export async function deleteTenantBlobIfUnreferenced(ex: Executor, refs: readonly BlobReference[], tenantId: string, id: string): Promise<string | undefined> {
  const r = await ex
    .deleteFrom('blobs')
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where(unreferenced(refs))
    .returning('storage_key')
    .executeTakeFirst();
  return r?.storage_key;
}

/** Every `table.column` of the schema named like a blob reference (`blob_id`, `*_blob_id`). */
export async function blobReferenceLikeColumns(ex: Executor): Promise<string[]> {
  const tables = await ex.introspection.getTables();
  const out: string[] = [];
  for (const t of tables) {
    if (t.isView) continue;
    for (const c of t.columns) if (/(^|_)blob_ids?$/.test(c.name)) out.push(`${t.name}.${c.name}`);
  }
  return out.sort();
}

export async function updateWrappedKey(ex: Executor, id: string, wrappedKey: string, kekId: string): Promise<void> {
  await ex.updateTable('blobs').set({ wrapped_key: wrappedKey, kek_id: kekId }).where('id', '=', id).execute();
}

/** Rows whose data key is wrapped by another master key than `kekId` (stragglers after a rotation). */
export async function listBlobsNotUnderKekAfter(ex: Executor, kekId: string, afterId: string | null, limit: number) {
  let q = ex.selectFrom('blobs').select(['id', 'tenant_id', 'wrapped_key', 'kek_id']).where('kek_id', '<>', kekId).orderBy('id').limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.execute();
}

export async function anyBlobUnderKek(ex: Executor, kekId: string): Promise<boolean> {
  const r = await ex.selectFrom('blobs').select('id').where('kek_id', '=', kekId).limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function insertSigningKey(ex: Executor, key: { id: string; publicKeyPem: string; createdAt: string }): Promise<void> {
  await ex
    .insertInto('signing_keys')
    .values({ id: key.id, public_key: key.publicKeyPem, created_at: key.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findSigningKey(ex: Executor, id: string): Promise<{ id: string; public_key: string } | undefined> {
  return ex.selectFrom('signing_keys').select(['id', 'public_key']).where('id', '=', id).executeTakeFirst();
}
