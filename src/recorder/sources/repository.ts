// SQL for the recorder's sources (the SRC allow-list), the refusals counter and the party rules.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { RecorderPartyRulesTable, RecorderSourcesTable } from '../../platform/db/schema.ts';

export type SourceRow = RecorderSourcesTable;
export type PartyRuleRow = RecorderPartyRulesTable;

export const listSources = (db: Executor, tenantId: string) =>
  db
    .selectFrom('recorder_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

/** Every enabled source of every tenant: the recorder's allow-list (small: one row per SBC). */
export const listEnabledSources = (db: Executor) =>
  db.selectFrom('recorder_sources').selectAll().where('enabled', '=', 1).orderBy('created_at').orderBy('id').execute();

export const getSource = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('recorder_sources').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const insertSource = (db: Executor, row: SourceRow) => db.insertInto('recorder_sources').values(row).execute();

export const updateSource = (db: Executor, tenantId: string, id: string, patch: Partial<SourceRow>) =>
  db.updateTable('recorder_sources').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();

export const deleteSource = (db: Executor, tenantId: string, id: string) =>
  db.deleteFrom('recorder_sources').where('tenant_id', '=', tenantId).where('id', '=', id).execute();

/** A call admitted from a source: its counter and last-seen time. */
export const touchSource = (db: Executor, id: string, at: string) =>
  db
    .updateTable('recorder_sources')
    .set({ calls: sql`calls + 1`, last_seen_at: at })
    .where('id', '=', id)
    .execute();

/** Adds refused requests (batched by the recorder) to the counter of (address, reason). */
export async function addRefusals(db: Executor, rows: Array<{ address: string; reason: string; transport: string; count: number; at: string }>) {
  for (const r of rows) {
    await db
      .insertInto('recorder_refusals')
      .values({ address: r.address, reason: r.reason, transport: r.transport, count: r.count, first_at: r.at, last_at: r.at })
      .onConflict((oc) =>
        oc.columns(['address', 'reason']).doUpdateSet({ count: sql`recorder_refusals.count + ${r.count}`, last_at: r.at, transport: r.transport }),
      )
      .execute();
  }
}

export const listRefusals = (db: Executor, limit = 50) => db.selectFrom('recorder_refusals').selectAll().orderBy('last_at', 'desc').limit(limit).execute();

export const listPartyRules = (db: Executor, tenantId: string) =>
  db.selectFrom('recorder_party_rules').selectAll().where('tenant_id', '=', tenantId).orderBy('position').orderBy('id').execute();

export const getPartyRule = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('recorder_party_rules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const insertPartyRule = (db: Executor, row: PartyRuleRow) => db.insertInto('recorder_party_rules').values(row).execute();

export const updatePartyRule = (db: Executor, tenantId: string, id: string, patch: Partial<PartyRuleRow>) =>
  db.updateTable('recorder_party_rules').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();

export const deletePartyRule = (db: Executor, tenantId: string, id: string) =>
  db.deleteFrom('recorder_party_rules').where('tenant_id', '=', tenantId).where('id', '=', id).execute();

export async function nextRulePosition(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('recorder_party_rules')
    .select((eb) => eb.fn.max('position').as('m'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** Users with an extension: the default agent mapping. */
export const userExtensions = (db: Executor, tenantId: string) =>
  db
    .selectFrom('users')
    .select(['id', 'extension', 'group_id'])
    .where('tenant_id', '=', tenantId)
    .where('extension', 'is not', null)
    .where('disabled', '=', 0)
    .execute();

/** Every source of every tenant, enabled or not: an address may belong to one tenant only. */
export const listAllSources = (db: Executor) => db.selectFrom('recorder_sources').selectAll().execute();

export const userNames = (db: Executor, ids: string[]) =>
  ids.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);

export const tenantUser = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const userGroup = async (db: Executor, userId: string) =>
  (await db.selectFrom('users').select('group_id').where('id', '=', userId).executeTakeFirst())?.group_id ?? null;
