import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/** The audit columns nothing may ever rewrite; `details`, `changes` and `seals` may be redacted (see below). */
const AUDIT_GUARDED = [
  'id',
  'chain',
  'seq',
  'tenant_id',
  'at',
  'initiator_id',
  'initiator_name',
  'client_ip',
  'application',
  'resource_type',
  'resource_id',
  'action',
  'prev_hash',
  'hash',
];

/**
 * Anonymization (issue 12, C1).
 * - `audit_events.seals`: events from now on are chained over a salted SHA-256 of their details and of every old/new
 *   value (src/platform/audit/chain.ts, version 2), with the salts kept here beside the values. Redaction overwrites a
 *   value and replaces its salt by the value's digest, so the chain still verifies while the erased value (and the
 *   salt that would let anyone test guesses against the digest) is gone. Older events (null seals) keep their
 *   version-1 hash over the values themselves.
 * - The append-only guard now lets an UPDATE through only when it leaves every other column alone.
 * - `segments.anonymized_at`: a conversation stays reviewable while one of its segments is not anonymized.
 * - `anonymization_runs`/`anonymization_items`: a search's conversations, snapshotted when the user confirmed, worked
 *   through by the compliance.anonymize job (progress, per-conversation outcome and why one was skipped; resumable).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema.alterTable('audit_events').addColumn('seals', a.types.json).execute();
  await a.dropAppendOnly(db, 'audit_events');
  await a.makeAppendOnly(db, 'audit_events', AUDIT_GUARDED);

  await db.schema.alterTable('segments').addColumn('anonymized_at', ts).execute();

  await db.schema
    .createTable('anonymization_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('scope', a.types.json, (c) => c.notNull())
    .addColumn('parts', a.types.json, (c) => c.notNull())
    .addColumn('audio', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('anonymized', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('anonymization_runs_tenant').on('anonymization_runs').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('anonymization_items')
    .addColumn('run_id', 'text', (c) => c.notNull().references('anonymization_runs.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('anonymization_items_pk', ['run_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('anonymization_items_status').on('anonymization_items').columns(['run_id', 'status']).execute();
}
