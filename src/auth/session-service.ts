// Login, lockout, sessions, API tokens and the caller's own account.
import type { AppContext } from '../context.ts';
import type { Application, Initiator } from '../platform/audit/types.ts';
import type { Executor } from '../platform/db/index.ts';
import type { UsersTable } from '../platform/db/schema.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { readSettings } from '../settings/model.ts';
import { initiatorOf, type Actor } from './actor.ts';
import { checkLanguage, languagesOf, LANGUAGES } from './languages.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { isPermission, type Permission } from './permissions.ts';
import * as repo from './repository.ts';
import { scopeFor } from './scope.ts';
import { assertPasswordLoginAllowed } from './sso/settings.ts';
import { API_TOKEN_PREFIX, newSecret, sha256 } from './tokens.ts';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  application: Application;
}

export interface LoginResult {
  sessionToken: string;
  expiresAt: string;
  actor: Actor;
}

export async function login(
  ctx: AppContext,
  input: { email: string; password: string; tenant?: string; language?: string },
  client: ClientInfo,
): Promise<LoginResult> {
  checkLanguage(input.language);
  const email = input.email.trim().toLowerCase();
  let candidates = await repo.findUsersByEmail(ctx.db, email);
  if (input.tenant) {
    const tenant = await repo.findTenantByName(ctx.db, input.tenant.trim());
    candidates = tenant ? candidates.filter((u) => u.tenant_id === tenant.id) : [];
  }
  if (candidates.length > 1) {
    throw new DomainError('VALIDATION_FAILED', 'This email address exists in several organisations: enter the organisation name too', {
      field: 'tenant',
      reason: 'TENANT_REQUIRED',
    });
  }
  const user = candidates[0];
  const anon: Initiator = { userId: user?.id ?? null, name: user?.name ?? email, ip: client.ip, application: client.application };
  if (!user) {
    await verifyPassword(null, input.password);
    await ctx.audit.append({
      tenantId: null,
      initiator: anon,
      resourceType: 'session',
      action: 'LOGIN_FAILED',
      details: `Failed login for unknown account ${email}`,
    });
    throw badCredentials();
  }
  const tenant = await repo.getTenant(ctx.db, user.tenant_id);
  const settings = readSettings(ctx.adapter.fromJson(tenant!.settings));
  const now = new Date();
  const at = now.toISOString();
  const check = await checkPasswordBudgeted(ctx, user, input.password, anon, { action: 'LOGIN_FAILED', what: 'Login' });
  if (check.result === 'wrong') throw badCredentials();
  if (check.result === 'locked') throw lockedError(check.until);
  if (user.disabled) {
    await ctx.audit.append({
      tenantId: user.tenant_id,
      initiator: anon,
      resourceType: 'user',
      resourceId: user.id,
      action: 'LOGIN_FAILED',
      details: `Login refused for ${user.email}: account disabled`,
    });
    throw new DomainError('ACCOUNT_DISABLED', 'This account is disabled; ask an administrator');
  }
  await assertPasswordLoginAllowed(ctx, user, anon);
  const token = newSecret('');
  const expiresAt = new Date(now.getTime() + Math.min(settings.sessionTimeoutHours, ctx.config.sessionTtlHours) * 3600_000).toISOString();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateUser(tx, user.id, { failed_logins: 0, locked_until: null, last_login_at: at });
    await repo.insertSession(tx, {
      id: token.hash,
      tenant_id: user.tenant_id,
      user_id: user.id,
      created_at: at,
      expires_at: expiresAt,
      last_seen_at: at,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    });
    await ctx.audit.append(
      { tenantId: user.tenant_id, initiator: anon, resourceType: 'session', resourceId: user.id, action: 'LOGIN', details: `${user.email} logged in` },
      tx,
    );
    // The language picked on the sign-in page sticks: it becomes the profile's, like a change from the user menu.
    if (input.language) await applyOwnPatch(ctx, tx, anon, user, { language: input.language });
  });
  const actor = await actorFor(ctx, user.id, client, { sessionId: token.hash });
  return { sessionToken: token.secret, expiresAt, actor: actor! };
}

/**
 * Checks a password within the account's attempt budget; login and the own-password change share it, so no endpoint
 * gives extra guesses. The attempt is counted before the password is checked: however many arrive at once, from however
 * many addresses, an account gets at most `lockoutThreshold` checks before it locks, and as many more while locked;
 * attempts over the budget are not checked at all. A right password on a locked account yields the lock's end (only
 * its holder learns of the lock); a right password otherwise resets the count.
 */
async function checkPasswordBudgeted(
  ctx: AppContext,
  user: UsersTable,
  password: string,
  initiator: Initiator,
  audit: { action: 'LOGIN_FAILED' | 'PASSWORD_CHANGE_FAILED'; what: string },
): Promise<{ result: 'ok' } | { result: 'wrong' } | { result: 'locked'; until: string }> {
  const tenant = await repo.getTenant(ctx.db, user.tenant_id);
  const settings = readSettings(ctx.adapter.fromJson(tenant?.settings));
  const now = new Date();
  const at = now.toISOString();
  const threshold = settings.lockoutThreshold;
  const claim = await repo.claimLoginAttempt(ctx.db, ctx.adapter, user.id, at);
  const attemptNo = claim?.failed_logins ?? Number.MAX_SAFE_INTEGER;
  const lockedUntil = claim?.locked_until && new Date(claim.locked_until) > now ? claim.locked_until : null;
  const fail = (details: string) =>
    ctx.audit.append({ tenantId: user.tenant_id, initiator, resourceType: 'user', resourceId: user.id, action: audit.action, details });
  const lockNow = async () => {
    const until = new Date(now.getTime() + settings.lockoutMinutes * 60_000).toISOString();
    await inTransaction(ctx.db, async ({ tx }) => {
      // Only the one attempt that sets the lock records it, however many crossed the threshold together.
      if (await repo.lockUser(tx, ctx.adapter, user.id, at, until)) {
        await ctx.audit.append(
          {
            tenantId: user.tenant_id,
            initiator,
            resourceType: 'user',
            resourceId: user.id,
            action: 'ACCOUNT_LOCKED',
            details: `${user.email} locked until ${until} after ${threshold} failed password checks`,
            changes: [{ field: 'lockedUntil', old: null, new: until }],
          },
          tx,
        );
      }
    });
  };
  if (attemptNo > threshold) {
    // Over the budget: no real check (a dummy hash keeps the timing) and the same answer as a wrong password.
    await verifyPassword(null, password);
    if (!lockedUntil) await lockNow();
    await fail(`${audit.what} refused for ${user.email}: too many attempts${lockedUntil ? `, account locked until ${lockedUntil}` : ''}`);
    return { result: 'wrong' };
  }
  const ok = await verifyPassword(user.password_hash, password);
  if (lockedUntil) {
    await fail(
      ok
        ? `${audit.what} refused for ${user.email}: account locked until ${lockedUntil}`
        : `Wrong password for ${user.email} (account locked until ${lockedUntil})`,
    );
    return ok ? { result: 'locked', until: lockedUntil } : { result: 'wrong' };
  }
  if (!ok) {
    await fail(`Wrong password for ${user.email} (${attemptNo} of ${threshold})`);
    if (attemptNo >= threshold) await lockNow();
    return { result: 'wrong' };
  }
  await repo.updateUser(ctx.db, user.id, { failed_logins: 0 });
  return { result: 'ok' };
}

/** One answer for an unknown account, a wrong password and any attempt on a locked account without the right password. */
function badCredentials() {
  return new DomainError('INVALID_CREDENTIALS', 'The email address or password is wrong, or the account is locked for a while after too many failed attempts');
}

function lockedError(until: string) {
  return new DomainError(
    'ACCOUNT_LOCKED',
    `This account is locked after too many failed logins until ${until}; it unlocks itself then, or an administrator can unlock it now`,
    { lockedUntil: until },
  );
}

export async function logout(ctx: AppContext, actor: Actor) {
  if (actor.sessionId) await repo.deleteSession(ctx.db, actor.sessionId);
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'session',
    resourceId: actor.userId,
    action: 'LOGOUT',
    details: `${actor.email} logged out`,
  });
}

/** Builds the actor for a user: permissions from all roles, group scope from the hierarchy. */
export async function actorFor(
  ctx: AppContext,
  userId: string,
  client: Omit<ClientInfo, 'userAgent'> & { userAgent?: string | null },
  extra: Partial<Actor> = {},
): Promise<Actor | null> {
  const user = await repo.getUserById(ctx.db, userId);
  if (!user || user.disabled) return null;
  const [roles, groups] = await Promise.all([
    repo.rolesOfUsers(ctx.db, [user.id]),
    user.group_id ? repo.listGroups(ctx.db, user.tenant_id) : Promise.resolve([]),
  ]);
  const permissions = new Set<Permission>();
  for (const r of roles) for (const p of ctx.adapter.fromJson<string[]>(r.permissions)) if (isPermission(p)) permissions.add(p);
  return {
    tenantId: user.tenant_id,
    userId: user.id,
    name: user.name,
    email: user.email,
    permissions,
    scope: scopeFor(user.group_id, groups),
    ip: client.ip,
    application: client.application,
    ...extra,
  };
}

export async function actorFromSession(ctx: AppContext, cookieValue: string, client: ClientInfo): Promise<Actor | null> {
  const id = sha256(cookieValue);
  const session = await repo.getSession(ctx.db, id);
  if (!session) return null;
  const now = new Date();
  if (new Date(session.expires_at) <= now) {
    await repo.deleteSession(ctx.db, id);
    return null;
  }
  // Touch at most once a minute: a write per request would serialise every read on SQLite.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) await repo.touchSession(ctx.db, id, now.toISOString());
  return actorFor(ctx, session.user_id, client, { sessionId: id });
}

export async function actorFromToken(ctx: AppContext, bearer: string, client: ClientInfo): Promise<Actor | null> {
  if (!bearer.startsWith(API_TOKEN_PREFIX)) return null;
  const token = await repo.getTokenByHash(ctx.db, sha256(bearer));
  if (!token || token.revoked_at) return null;
  const now = new Date();
  if (token.expires_at && new Date(token.expires_at) <= now) throw new DomainError('TOKEN_EXPIRED', 'This API token has expired; create a new one');
  // A cap set or lowered after a token was made applies to it too, counted from its creation.
  const maxDays = await tokenMaxDays(ctx, token.tenant_id);
  if (maxDays !== null && new Date(token.created_at).getTime() + maxDays * 86400_000 <= now.getTime()) {
    throw new DomainError('TOKEN_EXPIRED', `This API token is older than the ${maxDays} days API tokens may last in this organisation; create a new one`);
  }
  if (!token.last_used_at || now.getTime() - new Date(token.last_used_at).getTime() > 60_000) await repo.touchToken(ctx.db, token.id, now.toISOString());
  return actorFor(ctx, token.user_id, { ...client, application: 'api' }, { tokenId: token.id });
}

// The caller's own account

export async function me(ctx: AppContext, actor: Actor) {
  const user = await repo.getUserById(ctx.db, actor.userId);
  if (!user) throw notFound('User', actor.userId);
  const tenant = await repo.getTenant(ctx.db, user.tenant_id);
  const roles = await repo.rolesOfUsers(ctx.db, [user.id]);
  const lang = (await languagesOf(ctx.db, user.tenant_id, [user.id])).get(user.id);
  return {
    id: user.id,
    tenantId: user.tenant_id,
    tenantName: tenant?.name ?? '',
    email: user.email,
    name: user.name,
    // What the UI shows: their own choice, else their group's, else the organisation's (auth/languages.ts).
    language: lang?.language ?? 'en',
    ownLanguage: lang?.own ?? null,
    defaultLanguage: lang?.inherited ?? 'en',
    timeDisplay: user.time_display === 'mine' ? ('mine' as const) : ('site' as const),
    permissions: [...actor.permissions].sort(),
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    groupId: user.group_id,
    siteId: user.site_id,
    organisationWide: actor.scope.all,
    passwordMinLength: readSettings(ctx.adapter.fromJson(tenant?.settings)).passwordMinLength,
  };
}

export { LANGUAGES };

export type TimeDisplay = 'site' | 'mine';

/** `language` null (or ''): no language of my own, follow my group's or my organisation's. */
type OwnPatch = { name?: string; language?: string | null; timeDisplay?: TimeDisplay };

/** Applies the user's own profile changes and audits them in the caller's transaction; nothing when nothing changes. */
async function applyOwnPatch(ctx: AppContext, tx: Executor, initiator: Initiator, user: UsersTable, patch: OwnPatch) {
  const next = {
    name: patch.name?.trim() || user.name,
    language: patch.language === undefined ? user.language : (patch.language ?? ''),
    time_display: patch.timeDisplay ?? user.time_display ?? 'site',
  };
  const fields = [
    ['name', 'name'],
    ['language', 'language'],
    ['timeDisplay', 'time_display'],
  ] as const;
  // A language of one's own that is '' is none: the audit says null.
  const shown = (col: (typeof fields)[number][1], v: string | undefined) => (col === 'language' ? v || null : v);
  const changes = fields
    .filter(([, col]) => next[col] !== user[col])
    .map(([field, col]) => ({ field, old: shown(col, user[col]), new: shown(col, next[col]) }));
  if (!changes.length) return;
  await repo.updateUser(tx, user.id, { ...next, updated_at: nowIso() });
  await ctx.audit.append(
    {
      tenantId: user.tenant_id,
      initiator,
      resourceType: 'user',
      resourceId: user.id,
      action: 'USER_UPDATE',
      details: `${user.email} updated their profile`,
      changes,
    },
    tx,
  );
}

export async function updateMe(ctx: AppContext, actor: Actor, patch: OwnPatch) {
  const user = await repo.getUserById(ctx.db, actor.userId);
  if (!user) throw notFound('User', actor.userId);
  checkLanguage(patch.language);
  await inTransaction(ctx.db, ({ tx }) => applyOwnPatch(ctx, tx, initiatorOf(actor), user, patch));
  return me(ctx, actor);
}

export async function checkPasswordPolicy(ctx: AppContext, tenantId: string, password: string) {
  const tenant = await repo.getTenant(ctx.db, tenantId);
  const { passwordMinLength } = readSettings(ctx.adapter.fromJson(tenant?.settings));
  if (password.length < passwordMinLength) throw invalid(`The password must be at least ${passwordMinLength} characters long`, { field: 'password' });
  if (password.length > 200) throw invalid('The password must be at most 200 characters long', { field: 'password' });
}

export async function changeOwnPassword(ctx: AppContext, actor: Actor, input: { currentPassword: string; newPassword: string }) {
  const user = await repo.getUserById(ctx.db, actor.userId);
  if (!user) throw notFound('User', actor.userId);
  // Counted like a login: a stolen session must not get unlimited guesses at the current password here.
  const check = await checkPasswordBudgeted(ctx, user, input.currentPassword, initiatorOf(actor), {
    action: 'PASSWORD_CHANGE_FAILED',
    what: 'Password change',
  });
  if (check.result === 'wrong')
    throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong (or too many attempts locked the account for a while)');
  if (check.result === 'locked') throw lockedError(check.until);
  await checkPasswordPolicy(ctx, actor.tenantId, input.newPassword);
  if (input.newPassword === input.currentPassword) throw invalid('The new password must differ from the current one', { field: 'newPassword' });
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateUser(tx, user.id, { password_hash: hash, password_changed_at: nowIso(), updated_at: nowIso() });
    // Other sessions and every API token end: a changed password is often a response to a leaked one.
    await repo.deleteUserSessions(tx, user.id, actor.sessionId);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: user.id,
        action: 'PASSWORD_CHANGE',
        details: `${user.email} changed their password`,
      },
      tx,
    );
    await revokeAllTokens(ctx, tx, actor, user, 'their password was changed');
  });
}

/** Revokes every API token of a user in the caller's transaction, one audit event per token. */
export async function revokeAllTokens(ctx: AppContext, tx: Executor, actor: Actor, user: { id: string; email: string }, why: string) {
  for (const t of await repo.revokeUserTokens(tx, user.id, nowIso())) {
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'api_token',
        resourceId: t.id,
        action: 'TOKEN_REVOKE',
        details: `API token "${t.name}" of ${user.email} revoked: ${why}`,
      },
      tx,
    );
  }
}

// API tokens

const tokenView = (t: Awaited<ReturnType<typeof repo.listTokens>>[number]) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  expiresAt: t.expires_at,
  lastUsedAt: t.last_used_at,
  createdAt: t.created_at,
});

/** The organisation's cap on API token lifetime in days, or null for none. */
async function tokenMaxDays(ctx: AppContext, tenantId: string) {
  const tenant = await repo.getTenant(ctx.db, tenantId);
  const { apiTokenMaxDays } = readSettings(ctx.adapter.fromJson(tenant?.settings));
  return apiTokenMaxDays > 0 ? apiTokenMaxDays : null;
}

export async function listOwnTokens(ctx: AppContext, actor: Actor) {
  return { items: (await repo.listTokens(ctx.db, actor.userId)).map(tokenView), maxDays: await tokenMaxDays(ctx, actor.tenantId) };
}

export async function createToken(ctx: AppContext, actor: Actor, input: { name: string; expiresInDays?: number }) {
  const name = input.name.trim();
  if (!name) throw invalid('Give the token a name', { field: 'name' });
  // Refused rather than shortened: a token that silently dies earlier than asked breaks an integration on a day nobody chose.
  const maxDays = await tokenMaxDays(ctx, actor.tenantId);
  if (maxDays !== null && (!input.expiresInDays || input.expiresInDays > maxDays)) {
    throw invalid(`API tokens in this organisation last at most ${maxDays} days: choose an expiry of ${maxDays} days or fewer`, {
      field: 'expiresInDays',
      reason: 'TOKEN_LIFETIME_TOO_LONG',
      maxDays,
    });
  }
  const secret = newSecret(API_TOKEN_PREFIX);
  const now = new Date();
  const row = {
    id: newId(),
    tenant_id: actor.tenantId,
    user_id: actor.userId,
    name,
    token_hash: secret.hash,
    prefix: secret.display,
    expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86400_000).toISOString() : null,
    last_used_at: null,
    revoked_at: null,
    created_at: now.toISOString(),
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertToken(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'api_token',
        resourceId: row.id,
        action: 'TOKEN_CREATE',
        details: `${actor.email} created API token "${name}"${row.expires_at ? ` expiring ${row.expires_at}` : ''}`,
      },
      tx,
    );
  });
  return { token: secret.secret, item: tokenView(row) };
}

export async function revokeToken(ctx: AppContext, actor: Actor, id: string) {
  const token = await repo.getToken(ctx.db, actor.userId, id);
  if (!token || token.revoked_at) throw notFound('API token', id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.revokeToken(tx, id, nowIso());
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'api_token',
        resourceId: id,
        action: 'TOKEN_REVOKE',
        details: `${actor.email} revoked API token "${token.name}"`,
      },
      tx,
    );
  });
}

export async function purgeExpiredSessions(ctx: AppContext) {
  return { deleted: await repo.deleteExpiredSessions(ctx.db, nowIso()) };
}
