// SQL of the compliance setup: the tenant's settings row (locked while it changes) and the custom fields offered.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';

export const tenantSettings = (db: Executor, tenantId: string) =>
  db.selectFrom('tenants').select(['id', 'settings']).where('id', '=', tenantId).executeTakeFirst();

/** The settings row under a lock: a concurrent settings change cannot write back an older copy over this one. */
export const lockTenantSettings = (tx: Tx, a: DialectAdapter, tenantId: string) =>
  a.lockForUpdate(tx.selectFrom('tenants').select(['id', 'settings']).where('id', '=', tenantId)).executeTakeFirst();

export const writeTenantSettings = (tx: Tx, tenantId: string, settings: unknown, at: string) =>
  tx.updateTable('tenants').set({ settings, updated_at: at }).where('id', '=', tenantId).execute();

export const customFields = (db: Executor, tenantId: string) =>
  db
    .selectFrom('custom_field_definitions')
    .select(['id', 'key', 'label', 'type', 'show_in_filters'])
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy('label')
    .execute();
