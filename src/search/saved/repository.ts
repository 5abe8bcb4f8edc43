// SQL for saved searches, and the few names a saved search's chips need from users, tags and custom fields.
import type { Executor } from '../../platform/db/index.ts';
import type { SavedSearchesTable } from '../../platform/db/schema.ts';

export type SavedSearchRow = SavedSearchesTable & { owner_name: string | null };

const withOwner = (db: Executor) =>
  db.selectFrom('saved_searches as s').leftJoin('users as u', 'u.id', 's.owner_id').selectAll('s').select('u.name as owner_name');

export type ListScope = 'own' | 'own_and_protected' | 'tenant';

/** Live searches: the user's own; plus every protected one of the tenant; or every one of the tenant. */
export const listLive = (db: Executor, tenantId: string, userId: string, scope: ListScope) =>
  withOwner(db)
    .where('s.tenant_id', '=', tenantId)
    .where('s.deleted_at', 'is', null)
    .$if(scope === 'own', (q) => q.where('s.owner_id', '=', userId))
    .$if(scope === 'own_and_protected', (q) => q.where((eb) => eb.or([eb('s.owner_id', '=', userId), eb('s.protected', '=', 1)])))
    .orderBy('s.name_key')
    .orderBy('s.id')
    .execute();

/** One search of the tenant, deleted or not. */
export const getById = (db: Executor, tenantId: string, id: string): Promise<SavedSearchRow | undefined> =>
  withOwner(db).where('s.tenant_id', '=', tenantId).where('s.id', '=', id).executeTakeFirst();

/** A live search of this owner with this (folded) name. */
export const findLiveByName = (db: Executor, ownerId: string, nameKey: string) =>
  db
    .selectFrom('saved_searches')
    .select(['id', 'name'])
    .where('owner_id', '=', ownerId)
    .where('name_key', '=', nameKey)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

export const insert = (db: Executor, row: SavedSearchesTable) => db.insertInto('saved_searches').values(row).execute();

export const update = (db: Executor, id: string, patch: Partial<SavedSearchesTable>) =>
  db.updateTable('saved_searches').set(patch).where('id', '=', id).execute();

/** Live protected searches of a tenant (anonymization and retention read these). */
export const listProtected = (db: Executor, tenantId: string) =>
  db
    .selectFrom('saved_searches')
    .select(['id', 'name', 'owner_id', 'filter'])
    .where('tenant_id', '=', tenantId)
    .where('protected', '=', 1)
    .where('deleted_at', 'is', null)
    .orderBy('name_key')
    .orderBy('id')
    .execute();

/**
 * Removes for good the searches deleted before `cutoff` (their undo window has passed) and the unprotected ones whose
 * owner no longer exists (nobody can see them). Returns how many rows went.
 */
export async function purge(db: Executor, cutoff: string): Promise<number> {
  const expired = await db.deleteFrom('saved_searches').where('deleted_at', 'is not', null).where('deleted_at', '<', cutoff).executeTakeFirst();
  const orphans = await db.deleteFrom('saved_searches').where('owner_id', 'is', null).where('protected', '=', 0).executeTakeFirst();
  return Number(expired.numDeletedRows) + Number(orphans.numDeletedRows);
}

// Names for the chips

export const userNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

export const groupNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('groups').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

export const tagNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('tag_definitions').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

export const indicatorNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('indicators').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

export const topicNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('topics').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

export const customFields = (db: Executor, tenantId: string) =>
  db.selectFrom('custom_field_definitions').select(['key', 'label', 'type']).where('tenant_id', '=', tenantId).execute();
