// SCIM 2.0 (RFC 7643/7644) service provider: Users and Groups as Okta and Entra ID push them. A user's userName is its
// e-mail; `active: false` disables the account and ends its sessions and API tokens at once. SCIM groups are
// directory groups; the tenant's mapping rules (src/auth/sso) turn membership into roles and an Earshot group.
import type { AppContext } from '../../context.ts';
import type { Initiator } from '../../platform/audit/types.ts';
import type { Executor } from '../../platform/db/index.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { systemActor } from '../actor.ts';
import * as authRepo from '../repository.ts';
import { revokeAllTokens } from '../session-service.ts';
import { sha256 } from '../tokens.ts';
import { SCIM_TOKEN_PREFIX } from '../sso/admin-service.ts';
import { syncRolesAndGroup } from '../sso/login-service.ts';
import { applyRules } from '../sso/model.ts';
import { settingsOf, type SsoSettings } from '../sso/settings.ts';
import * as repo from './repository.ts';

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** An RFC 7644 §3.12 error: HTTP status and scimType (invalidFilter, invalidSyntax, invalidValue, uniqueness…). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    message: string,
  ) {
    super(message);
  }
}
const bad = (scimType: string, message: string) => new ScimError(400, scimType, message);
const missing = (what: string, id: string) => new ScimError(404, null, `${what} ${id} not found`);

export interface ScimCaller {
  tenantId: string;
  initiator: Initiator;
}

/** The tenant of a SCIM bearer token, or null (the route answers 401). */
export async function authenticate(ctx: AppContext, bearer: string | undefined, ip: string | null): Promise<ScimCaller | null> {
  if (!bearer?.startsWith(SCIM_TOKEN_PREFIX)) return null;
  const row = await repo.tokenByHash(ctx.db, sha256(bearer));
  if (!row) return null;
  const now = new Date();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) await repo.touchToken(ctx.db, row.tenant_id, now.toISOString());
  return { tenantId: row.tenant_id, initiator: { userId: null, name: 'SCIM provisioning', ip, application: 'api' } };
}

// ---- filters and paging ------------------------------------------------------------------------------------------

const FILTER = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

function parseFilter<A extends string>(filter: string | undefined, allowed: Record<string, A>): { attr: A; value: string } | null {
  if (filter === undefined || filter.trim() === '') return null;
  const m = FILTER.exec(filter);
  const attr = m ? allowed[m[1]!.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '').toLowerCase()] : undefined;
  if (!m || !attr) {
    throw bad(
      'invalidFilter',
      `Unsupported filter "${filter}": this server supports ${Object.keys(allowed)
        .map((a) => `${a} eq "…"`)
        .join(', ')}`,
    );
  }
  return { attr, value: m[2]!.replace(/\\(.)/g, '$1') };
}

function paging(q: { startIndex?: number; count?: number }) {
  const startIndex = Math.max(1, Math.floor(q.startIndex ?? 1));
  const count = Math.min(Math.max(0, Math.floor(q.count ?? 100)), 200);
  return { startIndex, count, offset: startIndex - 1 };
}

const list = (total: number, startIndex: number, resources: unknown[]) => ({
  schemas: [SCHEMA.list],
  totalResults: total,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

// ---- users -------------------------------------------------------------------------------------------------------

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.getUser>>>;

function userResource(base: string, u: UserRow, groups: Array<{ id: string; display_name: string }>) {
  const version = u.version ?? 1;
  return {
    schemas: [SCHEMA.user],
    id: u.id,
    ...(u.scim_external_id ? { externalId: u.scim_external_id } : {}),
    userName: u.email,
    name: { formatted: u.name, ...(u.given_name ? { givenName: u.given_name } : {}), ...(u.family_name ? { familyName: u.family_name } : {}) },
    displayName: u.name,
    emails: [{ value: u.email, type: 'work', primary: true }],
    active: !u.disabled,
    groups: groups.map((g) => ({ value: g.id, display: g.display_name, $ref: `${base}/Groups/${g.id}` })),
    meta: { resourceType: 'User', created: iso(u.created_at), lastModified: iso(u.updated_at), location: `${base}/Users/${u.id}`, version: `W/"${version}"` },
  };
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

async function userOut(ctx: AppContext, base: string, tenantId: string, id: string) {
  const u = await repo.getUser(ctx.db, tenantId, id);
  if (!u) throw missing('User', id);
  return userResource(base, u, await repo.groupsOfUsers(ctx.db, [id]));
}

export async function listUsers(ctx: AppContext, c: ScimCaller, base: string, q: { filter?: string; startIndex?: number; count?: number }) {
  const filter = parseFilter(q.filter, { username: 'userName', externalid: 'externalId', id: 'id' } as const);
  const p = paging(q);
  const { total, rows } = await repo.listUsers(ctx.db, ctx.adapter, c.tenantId, filter, p.offset, p.count);
  const groups = await repo.groupsOfUsers(
    ctx.db,
    rows.map((r) => r.id),
  );
  return list(
    total,
    p.startIndex,
    rows.map((r) =>
      userResource(
        base,
        r,
        groups.filter((g) => g.user_id === r.id),
      ),
    ),
  );
}

export const getUser = (ctx: AppContext, c: ScimCaller, base: string, id: string) => userOut(ctx, base, c.tenantId, id);

/** The core and enterprise User attributes (RFC 7643 §4.1, §4.3); anything else is refused as invalidSyntax. */
const USER_ATTRS = new Set(
  [
    'schemas',
    'id',
    'externalId',
    'meta',
    'userName',
    'name',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'active',
    'password',
    'emails',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'groups',
    'entitlements',
    'roles',
    'x509Certificates',
    SCHEMA.enterprise,
  ].map((a) => a.toLowerCase()),
);
const NAME_ATTRS = new Set(['formatted', 'familyname', 'givenname', 'middlename', 'honorificprefix', 'honorificsuffix']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface UserState {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  active: boolean;
}

function checkUserBody(body: Record<string, unknown>) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('invalidSyntax', 'The request body must be a JSON object');
  for (const k of Object.keys(body)) if (!USER_ATTRS.has(k.toLowerCase())) throw bad('invalidSyntax', `Unknown attribute "${k}" for a User`);
  const name = get(body, 'name');
  if (name !== undefined && name !== null) {
    if (typeof name !== 'object') throw bad('invalidValue', '"name" must be an object');
    for (const k of Object.keys(name)) if (!NAME_ATTRS.has(k.toLowerCase())) throw bad('invalidSyntax', `Unknown attribute "name.${k}"`);
  }
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
function get(o: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function str(v: unknown, attr: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw bad('invalidValue', `"${attr}" must be a string`);
  return v.trim() || null;
}

function bool(v: unknown, attr: string): boolean {
  // Entra ID sends "True"/"False" as strings in PATCH operations.
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw bad('invalidValue', `"${attr}" must be a boolean`);
}

function primaryEmail(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw bad('invalidValue', '"emails" must be a list');
  const items = v as Array<Record<string, unknown>>;
  const pick = items.find((e) => e && get(e, 'primary') === true) ?? items[0];
  return pick ? str(get(pick, 'value'), 'emails.value') : null;
}

function stateFromBody(body: Record<string, unknown>): UserState {
  checkUserBody(body);
  const userName = str(get(body, 'userName'), 'userName');
  if (!userName) throw bad('invalidValue', '"userName" is required');
  const name = (get(body, 'name') as Record<string, unknown> | undefined) ?? {};
  const active = get(body, 'active');
  return {
    userName,
    externalId: str(get(body, 'externalId'), 'externalId'),
    givenName: str(get(name, 'givenName'), 'name.givenName'),
    familyName: str(get(name, 'familyName'), 'name.familyName'),
    displayName: str(get(body, 'displayName'), 'displayName') ?? str(get(name, 'formatted'), 'name.formatted'),
    active: active === undefined ? true : bool(active, 'active'),
  };
}

function emailOf(s: UserState) {
  const email = s.userName.toLowerCase();
  if (!EMAIL.test(email)) throw bad('invalidValue', `userName "${s.userName}" must be the user's e-mail address`);
  return email;
}

const displayName = (s: UserState, email: string) => s.displayName || [s.givenName, s.familyName].filter(Boolean).join(' ') || email;

export async function createUser(ctx: AppContext, c: ScimCaller, base: string, body: Record<string, unknown>) {
  const s = stateFromBody(body);
  const email = emailOf(s);
  if (await authRepo.findUserByEmail(ctx.db, c.tenantId, email)) throw new ScimError(409, 'uniqueness', `A user with userName ${email} already exists`);
  const settings = await settingsOf(ctx, c.tenantId);
  const tenant = await authRepo.getTenant(ctx.db, c.tenantId);
  const mapped = applyRules(settings.mappingRules, []);
  const roleIds = mapped.matched ? mapped.roleIds : settings.defaultRoleIds;
  const id = newId();
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await authRepo.insertUser(
      tx,
      {
        id,
        tenant_id: c.tenantId,
        email,
        name: displayName(s, email),
        password_hash: null,
        group_id: mapped.groupId ?? null,
        site_id: null,
        extension: null,
        external_id: null,
        language: tenant?.language ?? 'en',
      },
      now,
    );
    if (!s.active) await authRepo.updateUser(tx, id, { disabled: 1 });
    await authRepo.setUserRoles(tx, id, roleIds);
    await repo.putScimUser(tx, {
      user_id: id,
      tenant_id: c.tenantId,
      external_id: s.externalId,
      given_name: s.givenName,
      family_name: s.familyName,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await ctx.audit.append(
      {
        tenantId: c.tenantId,
        initiator: c.initiator,
        resourceType: 'user',
        resourceId: id,
        action: 'USER_CREATE',
        details: `Created user ${email} through SCIM`,
        changes: [
          { field: 'email', old: null, new: email },
          { field: 'name', old: null, new: displayName(s, email) },
          { field: 'roleIds', old: null, new: roleIds },
          { field: 'active', old: null, new: s.active },
        ],
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new ScimError(409, 'uniqueness', `A user with userName ${email} already exists`);
    throw e;
  });
  return userOut(ctx, base, c.tenantId, id);
}

async function loadUser(ctx: AppContext, c: ScimCaller, id: string) {
  const u = await repo.getUser(ctx.db, c.tenantId, id);
  if (!u) throw missing('User', id);
  const s: UserState = {
    userName: u.email,
    externalId: u.scim_external_id ?? null,
    givenName: u.given_name ?? null,
    familyName: u.family_name ?? null,
    displayName: u.name,
    active: !u.disabled,
  };
  return { u, s };
}

/** Writes a user's new state, audited; deactivation ends its sessions and revokes its API tokens in the same transaction. */
async function saveUser(ctx: AppContext, c: ScimCaller, u: UserRow, before: UserState, after: UserState) {
  const email = emailOf(after);
  const name = displayName(after, email);
  const changes = [
    ...(email !== u.email ? [{ field: 'email', old: u.email, new: email }] : []),
    ...(name !== u.name ? [{ field: 'name', old: u.name, new: name }] : []),
    ...(after.active !== before.active ? [{ field: 'active', old: before.active, new: after.active }] : []),
    ...(after.externalId !== before.externalId ? [{ field: 'externalId', old: before.externalId, new: after.externalId }] : []),
  ];
  const scimChanged = changes.length > 0 || after.givenName !== before.givenName || after.familyName !== before.familyName;
  if (!scimChanged) return;
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await authRepo.updateUser(tx, u.id, { email, name, disabled: after.active ? 0 : 1, updated_at: now });
    await repo.putScimUser(tx, {
      user_id: u.id,
      tenant_id: c.tenantId,
      external_id: after.externalId,
      given_name: after.givenName,
      family_name: after.familyName,
      version: (u.version ?? 1) + 1,
      created_at: now,
      updated_at: now,
    });
    if (changes.length) {
      await ctx.audit.append(
        {
          tenantId: c.tenantId,
          initiator: c.initiator,
          resourceType: 'user',
          resourceId: u.id,
          action: 'USER_UPDATE',
          details: `Updated user ${email} through SCIM: ${changes.map((x) => x.field).join(', ')}`,
          changes,
        },
        tx,
      );
    }
    if (before.active && !after.active) {
      await authRepo.deleteUserSessions(tx, u.id);
      await revokeAllTokens(ctx, tx, systemActor(c.tenantId, 'SCIM provisioning', 'api'), { id: u.id, email }, 'the account was deactivated through SCIM');
    }
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new ScimError(409, 'uniqueness', `A user with userName ${email} already exists`);
    throw e;
  });
}

export async function replaceUser(ctx: AppContext, c: ScimCaller, base: string, id: string, body: Record<string, unknown>) {
  const { u, s } = await loadUser(ctx, c, id);
  const next = stateFromBody(body);
  await saveUser(ctx, c, u, s, next);
  return userOut(ctx, base, c.tenantId, id);
}

interface PatchOp {
  op: string;
  path?: string;
  value?: unknown;
}

function operations(body: Record<string, unknown>): PatchOp[] {
  const schemas = get(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(SCHEMA.patch)) throw bad('invalidSyntax', `A PATCH body must declare the schema ${SCHEMA.patch}`);
  const ops = get(body, 'Operations');
  if (!Array.isArray(ops) || !ops.length) throw bad('invalidSyntax', 'A PATCH body needs a non-empty "Operations" list');
  return ops.map((o: Record<string, unknown>) => {
    const op = String(get(o, 'op') ?? '').toLowerCase();
    if (!['add', 'replace', 'remove'].includes(op)) throw bad('invalidSyntax', `Unknown PATCH op "${String(get(o, 'op'))}" (add, replace or remove)`);
    const path = get(o, 'path');
    if (path !== undefined && typeof path !== 'string') throw bad('invalidPath', 'A PATCH path must be a string');
    return { op, path: path as string | undefined, value: get(o, 'value') };
  });
}

function applyUserOp(s: UserState, op: PatchOp) {
  if (!op.path) {
    if (op.op === 'remove') throw bad('noTarget', 'A remove operation needs a path');
    if (typeof op.value !== 'object' || op.value === null) throw bad('invalidValue', 'An operation without a path needs an object value');
    for (const [k, v] of Object.entries(op.value as Record<string, unknown>)) applyUserOp(s, { op: op.op, path: k, value: v });
    return;
  }
  const path = op.path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, '').toLowerCase();
  const value = op.op === 'remove' ? null : op.value;
  if (path.startsWith(SCHEMA.enterprise.toLowerCase())) return;
  switch (path) {
    case 'active':
      if (value === null) throw bad('mutability', '"active" cannot be removed');
      s.active = bool(value, 'active');
      return;
    case 'username':
      if (!str(value, 'userName')) throw bad('invalidValue', '"userName" cannot be empty');
      s.userName = str(value, 'userName')!;
      return;
    case 'externalid':
      s.externalId = str(value, 'externalId');
      return;
    case 'displayname':
      s.displayName = str(value, 'displayName');
      return;
    case 'name.givenname':
      s.givenName = str(value, 'name.givenName');
      return;
    case 'name.familyname':
      s.familyName = str(value, 'name.familyName');
      return;
    case 'name.formatted':
      s.displayName = s.displayName ?? str(value, 'name.formatted');
      return;
    case 'name': {
      const n = (value ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(n)) if (!NAME_ATTRS.has(k.toLowerCase())) throw bad('invalidSyntax', `Unknown attribute "name.${k}"`);
      s.givenName = str(get(n, 'givenName'), 'name.givenName');
      s.familyName = str(get(n, 'familyName'), 'name.familyName');
      return;
    }
    case 'emails':
    case 'emails[type eq "work"].value':
    case 'emails[primary eq true].value': {
      // The e-mail is the userName here; a changed work e-mail follows, a removed one leaves the userName as it is.
      const email = path === 'emails' ? primaryEmail(value) : str(value, 'emails.value');
      if (email) s.userName = email;
      return;
    }
    default:
      // Attributes of the core schema this server does not keep (title, locale, phoneNumbers…) are accepted and ignored.
      if (USER_ATTRS.has(path.split(/[.[]/)[0]!)) return;
      throw bad('invalidPath', `Unknown attribute path "${op.path}" for a User`);
  }
}

export async function patchUser(ctx: AppContext, c: ScimCaller, base: string, id: string, body: Record<string, unknown>) {
  const { u, s } = await loadUser(ctx, c, id);
  const next = { ...s };
  for (const op of operations(body)) applyUserOp(next, op);
  await saveUser(ctx, c, u, s, next);
  return userOut(ctx, base, c.tenantId, id);
}

export async function deleteUser(ctx: AppContext, c: ScimCaller, id: string) {
  const { u } = await loadUser(ctx, c, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.forgetUser(tx, id);
    await authRepo.deleteUserSessions(tx, id);
    await revokeAllTokens(ctx, tx, systemActor(c.tenantId, 'SCIM provisioning', 'api'), u, 'the account was deleted through SCIM');
    await authRepo.deleteUser(tx, id);
    await ctx.audit.append(
      {
        tenantId: c.tenantId,
        initiator: c.initiator,
        resourceType: 'user',
        resourceId: id,
        action: 'USER_DELETE',
        details: `Deleted user ${u.email} (${u.name}) through SCIM`,
      },
      tx,
    );
  });
}

// ---- groups ------------------------------------------------------------------------------------------------------

type GroupRow = NonNullable<Awaited<ReturnType<typeof repo.getGroup>>>;

async function groupsOut(ctx: AppContext, base: string, rows: GroupRow[]) {
  const members = await repo.membersOf(
    ctx.db,
    rows.map((g) => g.id),
  );
  return rows.map((g) => ({
    schemas: [SCHEMA.group],
    id: g.id,
    displayName: g.display_name,
    ...(g.external_id ? { externalId: g.external_id } : {}),
    members: members.filter((m) => m.group_id === g.id).map((m) => ({ value: m.id, display: m.email, $ref: `${base}/Users/${m.id}` })),
    meta: {
      resourceType: 'Group',
      created: iso(g.created_at),
      lastModified: iso(g.updated_at),
      location: `${base}/Groups/${g.id}`,
      version: `W/"${g.version}"`,
    },
  }));
}

async function groupOut(ctx: AppContext, base: string, tenantId: string, id: string) {
  const g = await repo.getGroup(ctx.db, tenantId, id);
  if (!g) throw missing('Group', id);
  return (await groupsOut(ctx, base, [g]))[0]!;
}

export async function listGroups(ctx: AppContext, c: ScimCaller, base: string, q: { filter?: string; startIndex?: number; count?: number }) {
  const filter = parseFilter(q.filter, { displayname: 'displayName', externalid: 'externalId', id: 'id' } as const);
  const p = paging(q);
  const { total, rows } = await repo.listGroups(ctx.db, c.tenantId, filter, p.offset, p.count);
  return list(total, p.startIndex, await groupsOut(ctx, base, rows));
}

export const getGroup = (ctx: AppContext, c: ScimCaller, base: string, id: string) => groupOut(ctx, base, c.tenantId, id);

const GROUP_ATTRS = new Set(['schemas', 'id', 'externalid', 'meta', 'displayname', 'members']);

function memberIds(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad('invalidValue', '"members" must be a list');
  return v.map((m: Record<string, unknown>) => {
    const id = m && typeof m === 'object' ? get(m, 'value') : undefined;
    if (typeof id !== 'string' || !id) throw bad('invalidValue', 'Each member needs a "value" (the user id)');
    return id;
  });
}

function groupBody(body: Record<string, unknown>) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('invalidSyntax', 'The request body must be a JSON object');
  for (const k of Object.keys(body)) if (!GROUP_ATTRS.has(k.toLowerCase())) throw bad('invalidSyntax', `Unknown attribute "${k}" for a Group`);
  const displayName = str(get(body, 'displayName'), 'displayName');
  if (!displayName) throw bad('invalidValue', '"displayName" is required');
  return { displayName, externalId: str(get(body, 'externalId'), 'externalId'), members: memberIds(get(body, 'members')) };
}

async function checkMembers(ctx: AppContext, c: ScimCaller, ids: string[]) {
  const found = new Set(await repo.existingUsers(ctx.db, c.tenantId, [...new Set(ids)]));
  const unknown = ids.filter((i) => !found.has(i));
  if (unknown.length) throw bad('invalidValue', `Unknown member user id(s): ${unknown.join(', ')}`);
}

/** Re-applies the mapping rules to users whose directory groups changed (nothing when the tenant has no rules). */
async function remap(ctx: AppContext, tx: Executor, c: ScimCaller, settings: SsoSettings, userIds: Iterable<string>) {
  if (!settings.mappingRules.length) return;
  const ids = [...new Set(userIds)];
  const groups = await repo.groupsOfUsers(tx, ids);
  for (const id of ids) {
    const user = await authRepo.getUser(tx, c.tenantId, id);
    if (!user) continue;
    const r = applyRules(
      settings.mappingRules,
      groups.filter((g) => g.user_id === id).map((g) => g.display_name),
    );
    await syncRolesAndGroup(ctx, tx, c.initiator, user, r.matched ? r.roleIds : settings.defaultRoleIds, r.groupId, 'a SCIM group change');
  }
}

export async function createGroup(ctx: AppContext, c: ScimCaller, base: string, body: Record<string, unknown>) {
  const g = groupBody(body);
  if (await repo.findGroupByName(ctx.db, c.tenantId, g.displayName)) throw new ScimError(409, 'uniqueness', `A group named "${g.displayName}" already exists`);
  await checkMembers(ctx, c, g.members);
  const id = newId();
  const now = nowIso();
  const settings = await settingsOf(ctx, c.tenantId);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertGroup(tx, {
      id,
      tenant_id: c.tenantId,
      display_name: g.displayName,
      external_id: g.externalId,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await repo.addMembers(tx, id, g.members);
    await ctx.audit.append(
      {
        tenantId: c.tenantId,
        initiator: c.initiator,
        resourceType: 'directory_group',
        resourceId: id,
        action: 'DIRECTORY_GROUP_CREATE',
        details: `Created directory group "${g.displayName}" through SCIM with ${g.members.length} member(s)`,
      },
      tx,
    );
    await remap(ctx, tx, c, settings, g.members);
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new ScimError(409, 'uniqueness', `A group named "${g.displayName}" already exists`);
    throw e;
  });
  return groupOut(ctx, base, c.tenantId, id);
}

async function loadGroup(ctx: AppContext, c: ScimCaller, id: string) {
  const g = await repo.getGroup(ctx.db, c.tenantId, id);
  if (!g) throw missing('Group', id);
  const members = (await repo.membersOf(ctx.db, [id])).map((m) => m.id);
  return { g, members };
}

/** Writes a group's new name and members in one transaction, auditing who joined and who left. */
async function saveGroup(
  ctx: AppContext,
  c: ScimCaller,
  g: GroupRow,
  before: string[],
  next: { displayName: string; externalId: string | null; members: string[] },
) {
  await checkMembers(ctx, c, next.members);
  const added = [...new Set(next.members)].filter((m) => !before.includes(m));
  const removed = before.filter((m) => !next.members.includes(m));
  const renamed = next.displayName !== g.display_name;
  if (!added.length && !removed.length && !renamed && next.externalId === g.external_id) return;
  if (renamed) {
    const clash = await repo.findGroupByName(ctx.db, c.tenantId, next.displayName);
    if (clash && clash.id !== g.id) throw new ScimError(409, 'uniqueness', `A group named "${next.displayName}" already exists`);
  }
  // Read before the transaction: on SQLite a read outside an open transaction waits for it.
  const settings = await settingsOf(ctx, c.tenantId);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateGroup(tx, g.id, { display_name: next.displayName, external_id: next.externalId, version: g.version + 1, updated_at: nowIso() });
    await repo.addMembers(tx, g.id, added);
    await repo.removeMembers(tx, g.id, removed);
    const changes = [
      ...(renamed ? [{ field: 'displayName', old: g.display_name, new: next.displayName }] : []),
      ...(added.length ? [{ field: 'membersAdded', old: null, new: added }] : []),
      ...(removed.length ? [{ field: 'membersRemoved', old: removed, new: null }] : []),
    ];
    await ctx.audit.append(
      {
        tenantId: c.tenantId,
        initiator: c.initiator,
        resourceType: 'directory_group',
        resourceId: g.id,
        action: 'DIRECTORY_GROUP_UPDATE',
        details: `Updated directory group "${next.displayName}" through SCIM: ${added.length} added, ${removed.length} removed${renamed ? ', renamed' : ''}`,
        changes,
      },
      tx,
    );
    // A rename changes which rules match every member.
    await remap(ctx, tx, c, settings, renamed ? [...before, ...added] : [...added, ...removed]);
  });
}

export async function replaceGroup(ctx: AppContext, c: ScimCaller, base: string, id: string, body: Record<string, unknown>) {
  const { g, members } = await loadGroup(ctx, c, id);
  await saveGroup(ctx, c, g, members, groupBody(body));
  return groupOut(ctx, base, c.tenantId, id);
}

const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]$/i;

export async function patchGroup(ctx: AppContext, c: ScimCaller, base: string, id: string, body: Record<string, unknown>) {
  const { g, members } = await loadGroup(ctx, c, id);
  const next = { displayName: g.display_name, externalId: g.external_id, members: [...members] };
  const apply = (op: PatchOp) => {
    const path = op.path?.replace(/^urn:ietf:params:scim:schemas:core:2\.0:Group:/i, '');
    if (!path) {
      if (op.op === 'remove') throw bad('noTarget', 'A remove operation needs a path');
      if (typeof op.value !== 'object' || op.value === null) throw bad('invalidValue', 'An operation without a path needs an object value');
      for (const [k, v] of Object.entries(op.value as Record<string, unknown>)) apply({ op: op.op, path: k, value: v });
      return;
    }
    const byValue = MEMBER_FILTER.exec(path);
    if (byValue) {
      if (op.op !== 'remove') throw bad('invalidPath', `Only remove takes the path ${path}`);
      next.members = next.members.filter((m) => m !== byValue[1]);
      return;
    }
    switch (path.toLowerCase()) {
      case 'members':
        if (op.op === 'add') next.members = [...new Set([...next.members, ...memberIds(op.value)])];
        else if (op.op === 'replace') next.members = [...new Set(memberIds(op.value))];
        // Entra ID removes with a value list; without one, every member goes (RFC 7644 §3.5.2.2).
        else if (op.value === undefined) next.members = [];
        else {
          const drop = new Set(memberIds(op.value));
          next.members = next.members.filter((m) => !drop.has(m));
        }
        return;
      case 'displayname':
        if (op.op === 'remove') throw bad('mutability', '"displayName" cannot be removed');
        if (!str(op.value, 'displayName')) throw bad('invalidValue', '"displayName" cannot be empty');
        next.displayName = str(op.value, 'displayName')!;
        return;
      case 'externalid':
        next.externalId = op.op === 'remove' ? null : str(op.value, 'externalId');
        return;
      default:
        throw bad('invalidPath', `Unknown attribute path "${op.path}" for a Group`);
    }
  };
  for (const op of operations(body)) apply(op);
  await saveGroup(ctx, c, g, members, next);
  return groupOut(ctx, base, c.tenantId, id);
}

export async function deleteGroup(ctx: AppContext, c: ScimCaller, id: string) {
  const { g, members } = await loadGroup(ctx, c, id);
  const settings = await settingsOf(ctx, c.tenantId);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteGroup(tx, id);
    await ctx.audit.append(
      {
        tenantId: c.tenantId,
        initiator: c.initiator,
        resourceType: 'directory_group',
        resourceId: id,
        action: 'DIRECTORY_GROUP_DELETE',
        details: `Deleted directory group "${g.display_name}" through SCIM (${members.length} member(s))`,
      },
      tx,
    );
    await remap(ctx, tx, c, settings, members);
  });
}
