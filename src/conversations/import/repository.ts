// SQL of the bulk import: which tenant to import into.
import type { Executor } from '../../platform/db/index.ts';

/** Tenant ids and names, by name; `limit` keeps the answer short when there are many. */
export const listTenants = (db: Executor, limit: number) => db.selectFrom('tenants').select(['id', 'name']).orderBy('name').limit(limit).execute();

export const countTenants = async (db: Executor) =>
  Number(
    (
      await db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
