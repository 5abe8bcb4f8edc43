import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Recording policies and vCon exports (issue 12, C4).
 * - `recording_policies`: a tenant's ordered rules, first enabled match wins (as NICE/Verint recording rules do); the
 *   conditions are JSON text arrays (empty = any) so the recorder can read them with a plain select on both engines.
 *   No rule matched = record. `shorter_than_s` makes a rule match only once the duration is known (at ingest or close).
 * - `segments.recording_*`: the decision taken for that call or screen recording, kept with it (the conversation's
 *   detail shows it, and a not-recorded segment says which rule dropped its media). Null = taken before policies.
 * - `vcon_exports`: one export run (one conversation or a search's), its progress and the signed file it produced.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('recording_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('applies_to', 'text', (c) => c.notNull().defaultTo('call'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('sample_percent', 'integer')
    .addColumn('numbers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('agent_user_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('queues', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('directions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('shorter_than_s', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recording_policies_tenant').on('recording_policies').columns(['tenant_id', 'position']).execute();

  await db.schema.alterTable('segments').addColumn('recording_decision', 'text').execute();
  await db.schema.alterTable('segments').addColumn('recording_rule_id', 'text').execute();
  await db.schema.alterTable('segments').addColumn('recording_rule_name', 'text').execute();
  await db.schema.alterTable('segments').addColumn('recording_reason', 'text').execute();

  await db.schema
    .createTable('vcon_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('inline_media', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blob_id', 'text')
    .addColumn('file_name', 'text')
    .addColumn('bytes', a.types.bigint)
    .addColumn('sha256', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('vcon_exports_tenant').on('vcon_exports').columns(['tenant_id', 'created_at']).execute();
}
