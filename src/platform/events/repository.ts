// The one read publishEvent makes: whether any enabled webhook endpoint of the tenant could want an event. It reads
// the webhooks feature's table (a table, not an import), so publishing stays free when nobody listens.
import type { Executor } from '../db/index.ts';

export const listeningEndpoints = (db: Executor, tenantId: string) =>
  db.selectFrom('webhook_endpoints').select('events').where('tenant_id', '=', tenantId).where('enabled', '=', 1).execute();
