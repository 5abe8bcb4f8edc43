// All SQL of webhooks: endpoints, deliveries and their attempts, and the administrators told of a disabled endpoint.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../platform/db/schema.ts';

export type EndpointRow = WebhookEndpointsTable;
export type DeliveryRow = WebhookDeliveriesTable;

export const listEndpoints = (db: Executor, tenantId: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();

export const getEndpoint = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const endpointById = (db: Executor, id: string) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();

export const countEndpoints = async (db: Executor, tenantId: string) =>
  Number(
    (
      await db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst()
    )?.n ?? 0,
  );

export const insertEndpoint = (db: Executor, row: EndpointRow) => db.insertInto('webhook_endpoints').values(row).execute();

export const updateEndpoint = (db: Executor, id: string, patch: Partial<EndpointRow>) =>
  db.updateTable('webhook_endpoints').set(patch).where('id', '=', id).execute();

export async function deleteEndpoint(db: Executor, id: string): Promise<void> {
  // Explicit rather than trusting ON DELETE CASCADE: SQLite honours it only with foreign keys on.
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

export const enabledEndpoints = (db: Executor, tenantId: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('enabled', '=', 1).execute();

export const insertDelivery = (db: Executor, row: DeliveryRow) => db.insertInto('webhook_deliveries').values(row).execute();

export const getDelivery = (db: Executor, id: string) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();

export const deliveryOf = (db: Executor, endpointId: string, id: string) =>
  db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst();

export const updateDelivery = (db: Executor, id: string, patch: Partial<DeliveryRow>) =>
  db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();

/** Newest first; ids are time-ordered (UUIDv7), so `before` pages by id. */
export function listDeliveries(db: Executor, endpointId: string, q: { status?: string; before?: string; limit: number }) {
  let qb = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.before) qb = qb.where('id', '<', q.before);
  return qb.orderBy('id', 'desc').limit(q.limit).execute();
}

export const insertAttempt = (db: Executor, row: WebhookAttemptsTable) => db.insertInto('webhook_attempts').values(row).execute();

export const attemptsOf = (db: Executor, deliveryId: string) =>
  db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').orderBy('at').execute();

/** Finished deliveries older than `before`, with their attempts (the prune job); pending ones stay. */
export async function pruneDeliveries(db: Executor, before: string): Promise<number> {
  const old = db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before).where('status', '!=', 'pending');
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
  const res = await db.deleteFrom('webhook_deliveries').where('created_at', '<', before).where('status', '!=', 'pending').executeTakeFirst();
  return Number(res.numDeletedRows ?? 0);
}

/** Active users of the tenant with a role carrying `permission` (its administrators, for settings.manage). */
export async function usersWithPermission(db: Executor, tenantId: string, permission: string, fromJson: <T>(v: unknown) => T) {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .select(['users.id', 'users.email', 'users.name', 'roles.permissions'])
    .where('users.tenant_id', '=', tenantId)
    .where('users.disabled', '=', 0)
    .execute();
  const out = new Map<string, { id: string; email: string; name: string }>();
  for (const r of rows) if ((fromJson<string[]>(r.permissions) ?? []).includes(permission)) out.set(r.id, { id: r.id, email: r.email, name: r.name });
  return [...out.values()];
}

/** One more failed attempt in a row (atomic, so concurrent deliveries count right); the streak's start is kept. */
export async function recordFailure(db: Executor, adapter: DialectAdapter, id: string, now: string) {
  await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      failure_streak: eb('failure_streak', '+', 1),
      failing_since: eb.fn.coalesce('failing_since', adapter.timestamp(now)),
      last_failure_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

export const recordSuccess = (db: Executor, id: string, now: string) =>
  db.updateTable('webhook_endpoints').set({ failure_streak: 0, failing_since: null, last_success_at: now }).where('id', '=', id).execute();
