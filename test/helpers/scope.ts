// A tenant split in two for the scope rule: group A (with A1 below it) is a scoped administrator's, group B is not.
// Each object outside A is used by something in B or by the whole organisation, so any change to it reaches outside.
import type { AppContext } from '../../src/context.ts';
import * as repo from '../../src/auth/repository.ts';
import { PERMISSION_IDS, type Permission } from '../../src/auth/permissions.ts';
import { newId, nowIso } from '../../src/platform/ids.ts';
import { makeGroup, makeSite, makeUser } from './factories.ts';

async function makeRole(ctx: AppContext, tenantId: string, permissions: Permission[], holders: string[]) {
  const id = newId();
  await repo.insertRole(ctx.db, {
    id,
    tenant_id: tenantId,
    builtin_key: null,
    name: `role-${id}`,
    description: '',
    permissions: ctx.adapter.json(permissions),
    created_at: nowIso(),
    updated_at: nowIso(),
  });
  for (const userId of holders) {
    const current = (await repo.rolesOfUsers(ctx.db, [userId])).map((r) => r.id);
    await repo.setUserRoles(ctx.db, userId, [...current, id]);
  }
  return id;
}

export async function makeScopedWorld(ctx: AppContext, tenantId: string) {
  const A = await makeGroup(ctx, tenantId, `A-${newId().slice(-6)}`);
  const A1 = await makeGroup(ctx, tenantId, `A1-${newId().slice(-6)}`, A);
  const B = await makeGroup(ctx, tenantId, `B-${newId().slice(-6)}`);
  const B1 = await makeGroup(ctx, tenantId, `B1-${newId().slice(-6)}`, B);
  const siteOut = await makeSite(ctx, tenantId, 'out');
  const siteIn = await makeSite(ctx, tenantId, 'in');
  const siteFree = await makeSite(ctx, tenantId, 'free');
  await repo.updateGroup(ctx.db, B, { site_id: siteOut });
  await repo.updateGroup(ctx.db, A1, { site_id: siteIn });
  const uA = await makeUser(ctx, tenantId, { roles: ['agent'], groupId: A1 });
  const uB = await makeUser(ctx, tenantId, { roles: ['agent'], groupId: B });
  const roleOut = await makeRole(ctx, tenantId, ['reports.view'], [uB.id]);
  const roleIn = await makeRole(ctx, tenantId, ['reports.view'], [uA.id]);
  const roleFree = await makeRole(ctx, tenantId, ['reports.view'], []);
  // Every permission, so the privilege rule never refuses: what refuses them is the scope alone.
  const admin = await makeUser(ctx, tenantId, { permissions: [...PERMISSION_IDS], groupId: A });
  return { A, A1, B, B1, siteOut, siteIn, siteFree, uA, uB, roleOut, roleIn, roleFree, admin };
}
export type ScopedWorld = Awaited<ReturnType<typeof makeScopedWorld>>;
