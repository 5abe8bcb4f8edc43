// Saved searches: a user's named search filters — save, use, rename, change, delete with undo — and protection, a data
// life cycle setting (lifecycle.manage) that anonymization and retention read later (listProtectedSearches).
//
// Who sees and changes what:
// - Any user who may view conversations (conversations.view or conversations.view_own) keeps their own saved searches.
//   Names are unique per owner among live searches, regardless of case; two users may use the same name. Nobody without
//   lifecycle.manage sees another user's searches (404), protected or not.
// - Protection is a tenant-wide compliance setting, so a holder of lifecycle.manage ("data life cycle manager"):
//   sees every protected search of the tenant in the list (with its owner), and every search of the tenant on request
//   (GET ?scope=tenant, to find one to protect); may protect or unprotect any search of the tenant; may rename, change,
//   delete and restore any *protected* search. Another user's unprotected search stays its owner's to change
//   (403 NOT_OWNER).
// - Protection is tenant-wide in effect: retention and anonymization read every protected search as the system
//   (listProtectedSearches), not as its owner, so a protected search keeps conversations of every group. Protecting,
//   lifting protection, and renaming, changing, deleting or restoring a protected search therefore reach the whole
//   organisation, and by the scope rule (assertWithinScope, src/auth/actor.ts) only a lifecycle.manage holder with no
//   group scope may do them (403 FORBIDDEN). A group-scoped holder still sees the protected searches, to know what is kept.
// - The owner of a protected search without lifecycle.manage may still use it, but not rename it, change its filter
//   (that would change what is protected) or delete it: 403 FORBIDDEN, reason PROTECTED.
// - Delete is soft: the row keeps its name, filter and protection for UNDO_WINDOW_MS and the answer carries an undo
//   token (only its SHA-256 is stored). Restore with the token inside the window; after it: 404 reason UNDO_EXPIRED
//   (the platform has no 410 code). A deleted protected search protects nothing while deleted. purgeDeletedSavedSearches
//   removes expired rows for good; schedule it.
// - A deleted owner's searches stay (owner null): protected ones for the data life cycle managers, the others are purged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { assertWithinScope, can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { canonicalJson } from '../../platform/audit/chain.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { CustomFieldType } from '../filters/index.ts';
import { describeFilter, normalizeFilter, type FilterLookups, type SearchFilter } from '../filter.ts';
import * as repo from './repository.ts';
import { NAME_MAX, type SavedSearch, type SavedSearchCreate, type SavedSearchPatch, type SavedSearchRestore } from './schemas.ts';

/** How long a deleted saved search can be restored. */
export const UNDO_WINDOW_MS = 10 * 60_000;

const VIEW = ['conversations.view', 'conversations.view_own'] as const;
const RESOURCE = 'saved_search';

// Access

const isOwner = (actor: Actor, row: repo.SavedSearchRow) => row.owner_id !== null && row.owner_id === actor.userId;
const isLifecycleManager = (actor: Actor) => can(actor, 'lifecycle.manage');
/** Protection reaches every group (see the top of the file): an organisation-wide data life cycle manager only. */
const canManageProtection = (actor: Actor) => isLifecycleManager(actor) && actor.scope.all;
/** Own searches; for data life cycle managers every search of the tenant (to protect one). */
const canSee = (actor: Actor, row: repo.SavedSearchRow) => isOwner(actor, row) || isLifecycleManager(actor);
/** Rename, change the filter, delete, restore: the owner unless it is protected; data life cycle managers if it is. */
const canEdit = (actor: Actor, row: repo.SavedSearchRow) => (row.protected === 1 ? canManageProtection(actor) : isOwner(actor, row));

/** A saved search the actor may see (deleted ones too when `deleted` is true); anything else is 404. */
async function load(ctx: AppContext, actor: Actor, id: string, opts: { deleted?: boolean } = {}) {
  const row = await repo.getById(ctx.db, actor.tenantId, id);
  if (!row || !canSee(actor, row) || (row.deleted_at !== null && !opts.deleted)) throw notFound('Saved search', id);
  return row;
}

function requireEditable(actor: Actor, row: repo.SavedSearchRow, doing: string) {
  if (canEdit(actor, row)) return;
  if (row.protected === 1) {
    if (isLifecycleManager(actor)) assertWithinScope(actor, [null], `Changing the protected search “${row.name}”`);
    throw new DomainError(
      'FORBIDDEN',
      `“${row.name}” is a protected search: only a user with the permission "lifecycle.manage" (Manage data life cycle) can ${doing} it. You can still use it.`,
      { reason: 'PROTECTED' },
    );
  }
  throw new DomainError('FORBIDDEN', `The saved search “${row.name}” belongs to ${row.owner_name ?? 'another user'}: only its owner can ${doing} it`, {
    reason: 'NOT_OWNER',
  });
}

// Views

export async function filterLookups(
  ctx: AppContext,
  tenantId: string,
  filters: SearchFilter[],
  known: { customFields?: ReadonlyArray<{ key: string; label: string }> } = {},
): Promise<FilterLookups> {
  const users = new Set<string>();
  const tags = new Set<string>();
  for (const f of filters) {
    if (f.agentId) users.add(f.agentId);
    f.tags?.forEach((t) => tags.add(t));
    if (typeof f.view === 'object') {
      if ('userId' in f.view) users.add(f.view.userId);
      else tags.add(f.view.tagId);
    }
  }
  const needsFields = filters.some((f) => f.customData);
  const indicators = [...new Set(filters.flatMap((f) => [...(f.indicators?.include ?? []), ...(f.indicators?.exclude ?? [])].map((c) => c.indicatorId)))];
  const topics = [...new Set(filters.flatMap((f) => f.topics ?? []))];
  const groups = [...new Set(filters.flatMap((f) => (f.groupId ? [f.groupId] : [])))];
  const [userRows, tagRows, fieldRows, indicatorRows, topicRows, groupRows] = await Promise.all([
    repo.userNames(ctx.db, tenantId, [...users]),
    repo.tagNames(ctx.db, tenantId, [...tags]),
    needsFields && !known.customFields ? repo.customFields(ctx.db, tenantId) : Promise.resolve(known.customFields ?? []),
    repo.indicatorNames(ctx.db, tenantId, indicators),
    repo.topicNames(ctx.db, tenantId, topics),
    repo.groupNames(ctx.db, tenantId, groups),
  ]);
  return {
    users: new Map(userRows.map((u) => [u.id, u.name])),
    groups: new Map(groupRows.map((g) => [g.id, g.name])),
    tags: new Map(tagRows.map((t) => [t.id, t.name])),
    customFields: new Map(fieldRows.map((f) => [f.key, f.label])),
    indicators: new Map(indicatorRows.map((r) => [r.id, r.name])),
    topics: new Map(topicRows.map((r) => [r.id, r.name])),
  };
}

function toView(ctx: AppContext, actor: Actor, row: repo.SavedSearchRow, names: FilterLookups): SavedSearch {
  const filter = ctx.adapter.fromJson<SearchFilter>(row.filter);
  return {
    id: row.id,
    name: row.name,
    filter,
    chips: describeFilter(filter, names),
    protected: row.protected === 1,
    protectedAt: row.protected_at,
    owner: row.owner_id === null ? null : { id: row.owner_id, name: row.owner_name ?? '' },
    mine: isOwner(actor, row),
    canEdit: canEdit(actor, row),
    canProtect: canManageProtection(actor),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function views(ctx: AppContext, actor: Actor, rows: repo.SavedSearchRow[]) {
  const names = await filterLookups(
    ctx,
    actor.tenantId,
    rows.map((r) => ctx.adapter.fromJson<SearchFilter>(r.filter)),
  );
  return rows.map((r) => toView(ctx, actor, r, names));
}

async function viewOne(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.getById(ctx.db, actor.tenantId, id);
  if (!row) throw notFound('Saved search', id);
  return (await views(ctx, actor, [row]))[0]!;
}

// Names and filters

/** Trimmed, inner white space collapsed, 1 to NAME_MAX characters. */
export function cleanName(raw: string) {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!name) throw invalid('Give the saved search a name', { reason: 'NAME_REQUIRED', field: 'name' });
  if ([...name].length > NAME_MAX) throw invalid(`A saved search name has at most ${NAME_MAX} characters`, { reason: 'NAME_TOO_LONG', field: 'name' });
  return name;
}

/** The key names are unique by: the same for "Billing", "billing" and "BILLING " (NFC, lower case; SQLite's lower() folds ASCII only). */
export const nameKey = (name: string) => name.normalize('NFC').toLowerCase();

const nameTaken = (name: string, mine: boolean) =>
  new DomainError('ALREADY_EXISTS', mine ? `You already have a saved search named “${name}”` : `Its owner already has a saved search named “${name}”`, {
    reason: 'NAME_TAKEN',
    field: 'name',
  });

async function checkNameFree(ctx: AppContext, actor: Actor, ownerId: string | null, name: string, selfId: string | null) {
  if (ownerId === null) return;
  const same = await repo.findLiveByName(ctx.db, ownerId, nameKey(name));
  if (same && same.id !== selfId) throw nameTaken(same.name, ownerId === actor.userId);
}

/** Checks a filter against the filter rules and the tenant's custom fields; returns the canonical form. */
async function checkFilter(ctx: AppContext, tenantId: string, input: unknown): Promise<SearchFilter> {
  const fields = await repo.customFields(ctx.db, tenantId);
  const customFields = new Map(fields.map((f) => [f.key, f.type as CustomFieldType]));
  try {
    return normalizeFilter(input, { customFields });
  } catch (err) {
    // Name the filter in the field path, as the client sent it inside "filter".
    if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
      const field = err.details?.field;
      throw new DomainError(err.code, err.message, { ...err.details, field: typeof field === 'string' && field ? `filter.${field}` : 'filter' });
    }
    throw err;
  }
}

/** Equal filters; PostgreSQL's jsonb does not keep key order, so keys are compared sorted. */
const sameJson = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

// Operations

/**
 * The caller's saved searches, then the protected ones of others (data life cycle managers); with scope "tenant"
 * (lifecycle.manage only) every live search of the tenant. Each group by name.
 */
export async function listSavedSearches(ctx: AppContext, actor: Actor, scope: 'default' | 'tenant' = 'default') {
  requirePermission(actor, ...VIEW);
  if (scope === 'tenant') requirePermission(actor, 'lifecycle.manage');
  const rows = await repo.listLive(
    ctx.db,
    actor.tenantId,
    actor.userId,
    scope === 'tenant' ? 'tenant' : isLifecycleManager(actor) ? 'own_and_protected' : 'own',
  );
  const ordered = [...rows.filter((r) => isOwner(actor, r)), ...rows.filter((r) => !isOwner(actor, r))];
  return { items: await views(ctx, actor, ordered) };
}

export async function getSavedSearch(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, ...VIEW);
  const row = await load(ctx, actor, id);
  return (await views(ctx, actor, [row]))[0]!;
}

export async function createSavedSearch(ctx: AppContext, actor: Actor, input: SavedSearchCreate) {
  requirePermission(actor, ...VIEW);
  if (!actor.userId) throw invalid('Only a user can own a saved search', { reason: 'NO_USER' });
  const name = cleanName(input.name);
  const filter = await checkFilter(ctx, actor.tenantId, input.filter);
  await checkNameFree(ctx, actor, actor.userId, name, null);
  const now = nowIso();
  const id = newId();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insert(tx, {
      id,
      tenant_id: actor.tenantId,
      owner_id: actor.userId,
      name,
      name_key: nameKey(name),
      filter: ctx.adapter.json(filter),
      protected: 0,
      protected_by: null,
      protected_at: null,
      deleted_at: null,
      deleted_by: null,
      undo_token_hash: null,
      created_at: now,
      updated_at: now,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: RESOURCE,
        resourceId: id,
        action: 'SAVED_SEARCH_CREATE',
        details: `Saved the search “${name}”`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'filter', old: null, new: filter },
        ],
      },
      tx,
    );
  }).catch(uniqueName(ctx, name));
  return viewOne(ctx, actor, id);
}

export async function updateSavedSearch(ctx: AppContext, actor: Actor, id: string, patch: SavedSearchPatch) {
  requirePermission(actor, ...VIEW);
  const row = await load(ctx, actor, id);
  const oldFilter = ctx.adapter.fromJson<SearchFilter>(row.filter);
  const name = patch.name === undefined ? row.name : cleanName(patch.name);
  const filter = patch.filter === undefined ? oldFilter : await checkFilter(ctx, actor.tenantId, patch.filter);
  const changes: FieldChange[] = [];
  if (name !== row.name) changes.push({ field: 'name', old: row.name, new: name });
  if (!sameJson(filter, oldFilter)) changes.push({ field: 'filter', old: oldFilter, new: filter });
  if (changes.length === 0) return getSavedSearch(ctx, actor, id);
  requireEditable(actor, row, changes.length === 2 ? 'rename or change' : changes[0]!.field === 'name' ? 'rename' : 'change the filter of');
  if (name !== row.name) await checkNameFree(ctx, actor, row.owner_id, name, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.update(tx, id, { name, name_key: nameKey(name), filter: ctx.adapter.json(filter), updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: RESOURCE,
        resourceId: id,
        action: 'SAVED_SEARCH_UPDATE',
        details: `${changes.some((c) => c.field === 'name') ? `Renamed the saved search “${row.name}” to “${name}”` : `Changed the filter of the saved search “${name}”`}${changes.length === 2 ? ' and changed its filter' : ''}${ownerNote(actor, row)}`,
        changes,
      },
      tx,
    );
  }).catch(uniqueName(ctx, name, isOwner(actor, row)));
  return viewOne(ctx, actor, id);
}

export async function deleteSavedSearch(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, ...VIEW);
  const row = await load(ctx, actor, id);
  requireEditable(actor, row, 'delete');
  const token = randomBytes(24).toString('base64url');
  const deletedAt = new Date();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.update(tx, id, {
      deleted_at: deletedAt.toISOString(),
      deleted_by: actor.userId || null,
      undo_token_hash: hashToken(token),
      updated_at: deletedAt.toISOString(),
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: RESOURCE,
        resourceId: id,
        action: 'SAVED_SEARCH_DELETE',
        details: `Deleted the saved search “${row.name}”${row.protected ? ' (protected)' : ''}${ownerNote(actor, row)}; it can be restored for ${UNDO_WINDOW_MS / 60_000} minutes`,
        changes: [{ field: 'deleted', old: false, new: true }],
      },
      tx,
    );
  });
  return { id, name: row.name, undoToken: token, undoExpiresAt: new Date(deletedAt.getTime() + UNDO_WINDOW_MS).toISOString() };
}

export async function restoreSavedSearch(ctx: AppContext, actor: Actor, id: string, input: SavedSearchRestore, now = new Date()) {
  requirePermission(actor, ...VIEW);
  const row = await load(ctx, actor, id, { deleted: true });
  if (row.deleted_at === null) throw new DomainError('CONFLICT', `The saved search “${row.name}” is not deleted`, { reason: 'NOT_DELETED' });
  if (!row.undo_token_hash || !sameHash(row.undo_token_hash, hashToken(input.undoToken))) {
    throw new DomainError('NOT_FOUND', `This undo token does not restore the saved search ${id}`, { reason: 'UNDO_TOKEN_INVALID' });
  }
  if (Date.parse(row.deleted_at) + UNDO_WINDOW_MS <= now.getTime()) {
    throw new DomainError(
      'NOT_FOUND',
      `The saved search “${row.name}” was deleted more than ${UNDO_WINDOW_MS / 60_000} minutes ago and can no longer be restored`,
      { reason: 'UNDO_EXPIRED' },
    );
  }
  requireEditable(actor, row, 'restore');
  const name = input.name === undefined ? row.name : cleanName(input.name);
  await checkNameFree(ctx, actor, row.owner_id, name, id);
  const changes: FieldChange[] = [{ field: 'deleted', old: true, new: false }];
  if (name !== row.name) changes.push({ field: 'name', old: row.name, new: name });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.update(tx, id, { name, name_key: nameKey(name), deleted_at: null, deleted_by: null, undo_token_hash: null, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: RESOURCE,
        resourceId: id,
        action: 'SAVED_SEARCH_RESTORE',
        details: `Restored the saved search “${row.name}”${name !== row.name ? ` as “${name}”` : ''}${ownerNote(actor, row)}`,
        changes,
      },
      tx,
    );
  }).catch(uniqueName(ctx, name, isOwner(actor, row)));
  return viewOne(ctx, actor, id);
}

export async function setSavedSearchProtected(ctx: AppContext, actor: Actor, id: string, protect: boolean) {
  requirePermission(actor, 'lifecycle.manage');
  const row = await load(ctx, actor, id);
  assertWithinScope(actor, [null], `${protect ? 'Protecting' : 'Lifting the protection of'} the saved search “${row.name}”`);
  if ((row.protected === 1) === protect) return getSavedSearch(ctx, actor, id);
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.update(tx, id, {
      protected: protect ? 1 : 0,
      protected_by: protect ? actor.userId || null : null,
      protected_at: protect ? now : null,
      updated_at: now,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: RESOURCE,
        resourceId: id,
        action: 'SAVED_SEARCH_PROTECT',
        details: `${protect ? 'Protected' : 'Lifted the protection of'} the saved search “${row.name}”${ownerNote(actor, row)}`,
        changes: [{ field: 'protected', old: !protect, new: protect }],
      },
      tx,
    );
  });
  return getSavedSearch(ctx, actor, id);
}

/**
 * The live protected searches of a tenant, for anonymization and retention (no actor: they run as the system).
 * A deleted protected search protects nothing while it waits in its undo window.
 */
export async function listProtectedSearches(ctx: Pick<AppContext, 'db' | 'adapter'>, tenantId: string) {
  const rows = await repo.listProtected(ctx.db, tenantId);
  return rows.map((r) => ({ id: r.id, name: r.name, ownerId: r.owner_id, filter: ctx.adapter.fromJson<SearchFilter>(r.filter) }));
}

/**
 * Removes for good every saved search whose undo window has passed, and unprotected searches whose owner was deleted.
 * For the scheduler (e.g. every 10 minutes); idempotent, all tenants at once.
 */
export async function purgeDeletedSavedSearches(ctx: Pick<AppContext, 'db'>, now = new Date()): Promise<{ purged: number }> {
  return { purged: await repo.purge(ctx.db, new Date(now.getTime() - UNDO_WINDOW_MS).toISOString()) };
}

// Helpers

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const ownerNote = (actor: Actor, row: repo.SavedSearchRow) =>
  isOwner(actor, row) ? '' : row.owner_id === null ? ' (its owner was deleted)' : ` of ${row.owner_name ?? row.owner_id}`;

/** A concurrent save of the same name loses on the unique index: the same answer as the check before it. */
const uniqueName =
  (ctx: AppContext, name: string, mine = true) =>
  (e: unknown) => {
    if (ctx.adapter.isUniqueViolation(e)) throw nameTaken(name, mine);
    throw e;
  };
