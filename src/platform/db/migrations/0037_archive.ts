import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Archiving (issue 12): each tenant copies its finished recordings, with a JSON metadata sidecar, to a primary archive
 * target and optionally a secondary redundant one (folder, SFTP, S3, FTP/FTPS).
 * - `archive_configs`: one row per tenant — on/off, the file-name template, the time zone its times are written in,
 *   whether copies are the decrypted originals or encrypted to the customer's OpenPGP public key, and whether
 *   recordings from before archiving was switched on are copied too.
 * - `archive_targets`: one live target per role (primary, secondary); non-secret settings as JSON, the secrets (password,
 *   private key, secret access key) sealed under the tenant key in `secret`; the SFTP host key pinned on first contact.
 *   A target moved elsewhere (another kind, host, bucket or folder) is retired, not deleted, so the list of what was
 *   archived where stays true; the new location gets its own copies.
 * - `archive_items`: one per (target, stored media object): its path on the target, state (pending, uploading, done,
 *   failed), attempts and the next one's time (back-off), and what was verified (size, SHA-256 read back). A crash
 *   leaves at most an `uploading` row, which the next run takes up again: nothing is lost or copied twice.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('archive_configs')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name_template', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('encryption', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('public_key', 'text')
    .addColumn('public_key_fingerprint', 'text')
    .addColumn('include_older', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('archive_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('settings', a.types.json, (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('host_key', 'text')
    .addColumn('last_test_at', ts)
    .addColumn('last_test_ok', 'integer')
    .addColumn('last_test_message', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('retired_at', ts)
    .execute();
  await db.schema.createIndex('archive_targets_role').on('archive_targets').columns(['tenant_id', 'role']).execute();

  await db.schema
    .createTable('archive_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('archive_targets.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('size', a.types.bigint)
    .addColumn('sha256', 'text')
    .addColumn('sidecar_sha256', 'text')
    .addColumn('encrypted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('archive_items_object', ['target_id', 'blob_id'])
    .execute();
  await db.schema.createIndex('archive_items_due').on('archive_items').columns(['tenant_id', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('archive_items_conversation').on('archive_items').columns(['conversation_id']).execute();
}
