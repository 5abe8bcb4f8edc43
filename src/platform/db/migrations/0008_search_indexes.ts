import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Indexes measured on the 1 M-conversation search benchmark (docs/search.md): the phone-prefix filter reads the
 * customer's number through a range on (tenant, number) instead of probing every conversation's participants.
 * Code-point order ("C" collation on PostgreSQL) so that a prefix is a contiguous range.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name === 'postgres') {
    await sql`CREATE INDEX conv_tenant_phone_idx ON conversations (tenant_id, customer_phone COLLATE "C")`.execute(db);
  } else {
    await db.schema.createIndex('conv_tenant_phone_idx').on('conversations').columns(['tenant_id', 'customer_phone']).execute();
  }
}
