import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Retention, legal hold and deletion (issue 12, C2).
 * - `retention_policies`: one `default` row per tenant (period, scope) and ordered `rule` rows (conditions on group,
 *   channel, direction, tag, category) — the first enabled rule that matches a conversation decides its period and
 *   whether only the media or the whole conversation goes. `confirmed_all_at` records the explicit confirmation a
 *   policy that would delete everything needs.
 * - `legal_holds`: a case (name, reason, owner); `kind` `rule` keeps a search filter (everything that matches now and
 *   later while active), `list` its explicit members in `legal_hold_conversations` (no cap; no foreign key so a
 *   released hold's history survives the conversation's later deletion).
 * - `deletions`: one row per requested deletion of a conversation's media or of the whole conversation, written in the
 *   transaction that plans it and finished by the deletion job. It is the tombstone `earshot verify` reads to tell an
 *   object deleted by a policy or a person from a missing one; `deleted_blobs` lists every object with its SHA-256 and
 *   when its data key was destroyed (crypto-shred) and the object removed.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;

  await db.schema
    .createTable('retention_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('period_days', 'integer')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('conversation'))
    .addColumn('conditions', a.types.json)
    .addColumn('confirmed_all_at', ts)
    .addColumn('confirmed_all_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('retention_policies_tenant').on('retention_policies').columns(['tenant_id', 'kind', 'position']).execute();

  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filter', a.types.json)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('released_at', ts)
    .addColumn('released_by', 'text')
    .addColumn('release_reason', 'text')
    .execute();
  await db.schema.createIndex('legal_holds_tenant').on('legal_holds').columns(['tenant_id', 'status']).execute();

  await db.schema
    .createTable('legal_hold_conversations')
    .addColumn('hold_id', 'text', (c) => c.notNull().references('legal_holds.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('added_at', ts, (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addPrimaryKeyConstraint('legal_hold_conversations_pk', ['hold_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('legal_hold_conversations_conv').on('legal_hold_conversations').columns(['conversation_id']).execute();

  await db.schema
    .createTable('deletions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .addColumn('bytes', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('deletions_conversation').on('deletions').columns(['conversation_id']).execute();
  await db.schema.createIndex('deletions_tenant_status').on('deletions').columns(['tenant_id', 'status', 'requested_at']).execute();

  // One row per destroyed object: `earshot verify` looks a blob id up here to say "deleted by …" instead of "missing".
  await db.schema
    .createTable('deleted_blobs')
    .addColumn('blob_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('deletion_id', 'text', (c) => c.notNull().references('deletions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', a.types.bigint, (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('shredded_at', ts)
    .addColumn('removed_at', ts)
    .execute();
  await db.schema.createIndex('deleted_blobs_deletion').on('deleted_blobs').columns(['deletion_id']).execute();
}
