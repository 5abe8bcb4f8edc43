// Groups (a hierarchy that scopes what users see) and sites (which carry the IANA time zone).
import type { AppContext } from '../context.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { assertWithinScope, inScope, initiatorOf, requirePermission, type Actor } from './actor.ts';
import { checkLanguage, ownLanguage } from './languages.ts';
import * as repo from './repository.ts';
import { subtree } from './scope.ts';

const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
export const isTimeZone = (tz: string) => TIME_ZONES.has(tz);

const groupView = (g: { id: string; name: string; parent_id: string | null; site_id: string | null; language?: string | null }) => ({
  id: g.id,
  name: g.name,
  parentId: g.parent_id,
  siteId: g.site_id,
  language: ownLanguage(g.language),
});
const siteView = (s: { id: string; name: string; time_zone: string }) => ({ id: s.id, name: s.name, timeZone: s.time_zone });

export async function listGroups(ctx: AppContext, actor: Actor) {
  const groups = await repo.listGroups(ctx.db, actor.tenantId);
  return { items: groups.filter((g) => inScope(actor, g.id)).map(groupView) };
}

export async function createGroup(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; parentId?: string | null; siteId?: string | null; language?: string | null },
) {
  requirePermission(actor, 'groups.manage');
  const name = input.name.trim();
  if (!name) throw invalid('The group needs a name', { field: 'name' });
  checkLanguage(input.language);
  await checkParentAndSite(ctx, actor, input.parentId ?? null, input.siteId ?? null);
  // A top-level group (parent null) sits outside every group scope.
  assertWithinScope(actor, [input.parentId ?? null], 'Creating a group there');
  const now = nowIso();
  const row = {
    id: newId(),
    tenant_id: actor.tenantId,
    parent_id: input.parentId ?? null,
    site_id: input.siteId ?? null,
    name,
    language: ownLanguage(input.language),
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertGroup(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'group',
        resourceId: row.id,
        action: 'GROUP_CREATE',
        details: `Created group "${name}"`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'parentId', old: null, new: row.parent_id },
          { field: 'siteId', old: null, new: row.site_id },
          ...(row.language ? [{ field: 'language', old: null, new: row.language }] : []),
        ],
      },
      tx,
    );
  });
  return groupView(row);
}

export async function updateGroup(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: { name?: string; parentId?: string | null; siteId?: string | null; language?: string | null },
) {
  requirePermission(actor, 'groups.manage');
  checkLanguage(patch.language);
  const group = await repo.getGroup(ctx.db, actor.tenantId, id);
  if (!group || !inScope(actor, id)) throw notFound('Group', id);
  const next = {
    name: patch.name !== undefined ? patch.name.trim() : group.name,
    parent_id: patch.parentId !== undefined ? patch.parentId : group.parent_id,
    site_id: patch.siteId !== undefined ? patch.siteId : group.site_id,
    language: patch.language !== undefined ? ownLanguage(patch.language) : ownLanguage(group.language),
  };
  if (!next.name) throw invalid('The group needs a name', { field: 'name' });
  if (patch.parentId !== undefined) {
    if (next.parent_id === id) throw invalid('A group cannot be its own parent', { field: 'parentId' });
    const groups = await repo.listGroups(ctx.db, actor.tenantId);
    if (next.parent_id && subtree(groups, id).includes(next.parent_id))
      throw invalid('A group cannot move below one of its own subgroups', { field: 'parentId' });
    assertWithinScope(actor, [next.parent_id], 'Moving the group there');
  }
  await checkParentAndSite(ctx, actor, patch.parentId ?? null, patch.siteId ?? null);
  const fields = { name: 'name', parent_id: 'parentId', site_id: 'siteId', language: 'language' } as const;
  const changes = (Object.keys(fields) as Array<keyof typeof fields>)
    .filter((k) => next[k] !== (group[k] ?? null))
    .map((k) => ({ field: fields[k], old: group[k], new: next[k] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateGroup(tx, id, { ...next, updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'group',
          resourceId: id,
          action: 'GROUP_UPDATE',
          details: `Updated group "${next.name}"`,
          changes,
        },
        tx,
      );
    });
  }
  return groupView({ ...group, ...next });
}

export async function deleteGroup(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'groups.manage');
  const group = await repo.getGroup(ctx.db, actor.tenantId, id);
  if (!group || !inScope(actor, id)) throw notFound('Group', id);
  const usage = await repo.groupUsage(ctx.db, id);
  if (usage.children || usage.users) {
    throw new DomainError('IN_USE', `The group "${group.name}" still has ${usage.children} subgroup(s) and ${usage.users} user(s); move them first`);
  }
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteGroup(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'group',
        resourceId: id,
        action: 'GROUP_DELETE',
        details: `Deleted group "${group.name}"`,
      },
      tx,
    );
  });
}

async function checkParentAndSite(ctx: AppContext, actor: Actor, parentId: string | null, siteId: string | null) {
  if (parentId) {
    if (!(await repo.getGroup(ctx.db, actor.tenantId, parentId))) throw invalid(`Parent group ${parentId} does not exist`, { field: 'parentId' });
  }
  if (siteId && !(await repo.getSite(ctx.db, actor.tenantId, siteId))) throw invalid(`Site ${siteId} does not exist`, { field: 'siteId' });
}

export async function listSites(ctx: AppContext, actor: Actor) {
  return { items: (await repo.listSites(ctx.db, actor.tenantId)).map(siteView) };
}

export async function createSite(ctx: AppContext, actor: Actor, input: { name: string; timeZone: string }) {
  requirePermission(actor, 'groups.manage');
  const name = input.name.trim();
  if (!name) throw invalid('The site needs a name', { field: 'name' });
  if (!isTimeZone(input.timeZone)) throw invalid(`"${input.timeZone}" is not an IANA time zone (for example Europe/Paris)`, { field: 'timeZone' });
  const now = nowIso();
  const row = { id: newId(), tenant_id: actor.tenantId, name, time_zone: input.timeZone, created_at: now, updated_at: now };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertSite(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'site',
        resourceId: row.id,
        action: 'SITE_CREATE',
        details: `Created site "${name}" (${input.timeZone})`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'timeZone', old: null, new: input.timeZone },
        ],
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A site named "${name}" already exists`);
    throw e;
  });
  return siteView(row);
}

export async function updateSite(ctx: AppContext, actor: Actor, id: string, patch: { name?: string; timeZone?: string }) {
  requirePermission(actor, 'groups.manage');
  const site = await repo.getSite(ctx.db, actor.tenantId, id);
  if (!site) throw notFound('Site', id);
  // The time zone applies to every group and user at the site.
  assertWithinScope(actor, await repo.groupsUsingSite(ctx.db, id), `Changing the site "${site.name}"`);
  if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone))
    throw invalid(`"${patch.timeZone}" is not an IANA time zone (for example Europe/Paris)`, { field: 'timeZone' });
  const next = { name: patch.name !== undefined ? patch.name.trim() : site.name, time_zone: patch.timeZone ?? site.time_zone };
  if (!next.name) throw invalid('The site needs a name', { field: 'name' });
  const changes = [
    ...(next.name !== site.name ? [{ field: 'name', old: site.name, new: next.name }] : []),
    ...(next.time_zone !== site.time_zone ? [{ field: 'timeZone', old: site.time_zone, new: next.time_zone }] : []),
  ];
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateSite(tx, id, { ...next, updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'site',
          resourceId: id,
          action: 'SITE_UPDATE',
          details: `Updated site "${next.name}"`,
          changes,
        },
        tx,
      );
    }).catch((e) => {
      if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A site named "${next.name}" already exists`);
      throw e;
    });
  }
  return siteView({ ...site, ...next });
}

export async function deleteSite(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'groups.manage');
  const site = await repo.getSite(ctx.db, actor.tenantId, id);
  if (!site) throw notFound('Site', id);
  assertWithinScope(actor, await repo.groupsUsingSite(ctx.db, id), `Deleting the site "${site.name}"`);
  const used = await repo.siteUsage(ctx.db, id);
  if (used) throw new DomainError('IN_USE', `The site "${site.name}" is used by ${used} group(s) or user(s)`);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteSite(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'site',
        resourceId: id,
        action: 'SITE_DELETE',
        details: `Deleted site "${site.name}"`,
      },
      tx,
    );
  });
}
