// SQL of the bulk import: which tenant to import into, and the runs uploaded on the Import screen.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { ImportRunsTable } from '../../platform/db/schema.ts';

/** Tenant ids and names, by name; `limit` keeps the answer short when there are many. */
export const listTenants = (db: Executor, limit: number) => db.selectFrom('tenants').select(['id', 'name']).orderBy('name').limit(limit).execute();

export const countTenants = async (db: Executor) =>
  Number(
    (
      await db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

// ---- import runs (the Import screen) ------------------------------------------------------------------------

export type ImportRunRow = Selectable<ImportRunsTable>;

export const insertRun = (db: Executor, row: Insertable<ImportRunsTable>) => db.insertInto('import_runs').values(row).execute();

export async function insertRunFiles(db: Executor, runId: string, files: Array<{ path: string; blobId: string; size: number }>) {
  // In slices: SQLite caps the parameters of one statement.
  for (let i = 0; i < files.length; i += 200) {
    await db
      .insertInto('import_files')
      .values(files.slice(i, i + 200).map((f) => ({ run_id: runId, path: f.path, blob_id: f.blobId, size: f.size })))
      .execute();
  }
}

export const getRun = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('import_runs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

/** A run by id alone, for its job (which has no actor yet). */
export const getRunById = (db: Executor, id: string) => db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();

export const listRuns = (db: Executor, tenantId: string, limit: number) =>
  db.selectFrom('import_runs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();

export const updateRun = (db: Executor, id: string, set: Updateable<ImportRunsTable>) => db.updateTable('import_runs').set(set).where('id', '=', id).execute();

export const runFiles = (db: Executor, runId: string) =>
  db.selectFrom('import_files').select(['path', 'blob_id', 'size']).where('run_id', '=', runId).orderBy('path').execute();

export const deleteRunFiles = (db: Executor, runId: string) => db.deleteFrom('import_files').where('run_id', '=', runId).execute();
