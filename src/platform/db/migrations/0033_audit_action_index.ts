import type { Kysely } from 'kysely';

/**
 * The Audit screen suggests the actions and resource types that occur in the tenant's trail (GET /api/audit/vocabulary):
 * a loose index scan, one probe per distinct value. Resource types have an index that leads with them (0001); actions
 * get theirs here, which also serves the action filter.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_tenant_action_idx').on('audit_events').columns(['tenant_id', 'action']).execute();
}
