// A tenant's sign-in policy as the rest of auth reads it, and the one check the password login makes.
import type { AppContext } from '../../context.ts';
import type { Initiator } from '../../platform/audit/types.ts';
import type { UsersTable } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import * as authRepo from '../repository.ts';
import type { MappingRule } from './model.ts';
import * as repo from './repository.ts';

export interface SsoSettings {
  passwordLogin: boolean;
  breakGlassUserId: string | null;
  jit: boolean;
  defaultRoleIds: string[];
  mappingRules: MappingRule[];
}

export const DEFAULT_SSO_SETTINGS: SsoSettings = { passwordLogin: true, breakGlassUserId: null, jit: false, defaultRoleIds: [], mappingRules: [] };

/** The tenant's settings; roles and groups deleted since a rule named them are dropped here, so no rule assigns a ghost. */
export async function settingsOf(ctx: AppContext, tenantId: string): Promise<SsoSettings> {
  const row = await repo.getSettings(ctx.db, tenantId);
  if (!row) return { ...DEFAULT_SSO_SETTINGS };
  const [roles, groups] = await Promise.all([authRepo.listRoles(ctx.db, tenantId), authRepo.listGroups(ctx.db, tenantId)]);
  const roleIds = new Set(roles.map((r) => r.id));
  const groupIds = new Set(groups.map((g) => g.id));
  return {
    passwordLogin: Boolean(row.password_login),
    breakGlassUserId: row.break_glass_user_id,
    jit: Boolean(row.jit),
    defaultRoleIds: ctx.adapter.fromJson<string[]>(row.default_role_ids).filter((r) => roleIds.has(r)),
    mappingRules: ctx.adapter.fromJson<MappingRule[]>(row.mapping_rules).map((r) => ({
      match: r.match,
      roleIds: r.roleIds.filter((id) => roleIds.has(id)),
      groupId: r.groupId && groupIds.has(r.groupId) ? r.groupId : null,
    })),
  };
}

/**
 * Called by the password login once the password is right: an organisation that signs in through its IdP refuses
 * passwords, except for its break-glass administrator (the way back in when the IdP is down or misconfigured).
 */
export async function assertPasswordLoginAllowed(ctx: AppContext, user: UsersTable, initiator: Initiator) {
  const row = await repo.getSettings(ctx.db, user.tenant_id);
  if (!row || row.password_login || row.break_glass_user_id === user.id) return;
  await ctx.audit.append({
    tenantId: user.tenant_id,
    initiator,
    resourceType: 'user',
    resourceId: user.id,
    action: 'LOGIN_FAILED',
    details: `Password login refused for ${user.email}: the organisation signs in through single sign-on`,
  });
  throw new DomainError('PASSWORD_LOGIN_DISABLED', 'This organisation signs in through single sign-on: use the sign-in button of your identity provider');
}
