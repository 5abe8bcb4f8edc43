import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Imports uploaded from the Administration → Import screen (src/conversations/import/upload.ts):
 * - `import_runs`: one upload and the job that imports it, with its progress (`done` of `total`, the item being read)
 *   and, once finished, the same summary `earshot import` prints (JSON). `status`: queued | running | done | failed.
 * - `import_files`: the uploaded files until the job has read them, each stored encrypted in the media store
 *   (`blob_id`, so a worker on another host can read it) under its path relative to the upload's root. Rows and
 *   objects are deleted when the run ends; the blob orphan sweep catches any left by a crash.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('total_bytes', a.types.bigint, (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('total', 'integer')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_label', 'text')
    .addColumn('summary', a.types.json)
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('started_at', ts)
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('import_runs_tenant_idx').on('import_runs').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('import_files')
    .addColumn('run_id', 'text', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('size', a.types.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_files_pk', ['run_id', 'path'])
    .execute();
  await db.schema.createIndex('import_files_blob_idx').on('import_files').column('blob_id').execute();
}
