import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/** Every id an email names (In-Reply-To and References), indexed: finding the replies to a late parent is a lookup, not a scan. */
export async function up(db: Kysely<any>, _a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('email_refs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('ref_message_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('email_refs_pk', ['tenant_id', 'ref_message_id', 'segment_id'])
    .execute();
  await db.schema.createIndex('email_refs_segment_idx').on('email_refs').column('segment_id').execute();
}
