// Administration through the HTTP API: users, roles, groups, sites, settings, bad input and the audit trail's filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { PASSWORD, login, makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client } from '../../test/helpers/http.ts';
import { newId } from '../platform/ids.ts';
import { BUILTIN_ROLES, type Permission } from './permissions.ts';

interface AuditItem {
  seq: number;
  at: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  initiatorName: string;
  initiatorId: string | null;
  application: string;
  details: string;
  changes: Array<{ field: string; old: unknown; new: unknown }> | null;
}

async function auditOf(c: Client, query: Record<string, string | number>): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  return ok(await c.get(`/api/audit?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`));
}

const AGENT_PERMISSIONS: Permission[] = [...BUILTIN_ROLES.agent.permissions];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const email = (tag: string) => `${tag}-${newId().slice(-8)}@example.test`;

describe.each(ENGINES)('administration on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    // Many logins in a few seconds from one address: the login rate limit has its own test in session.test.ts.
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
  });
  afterAll(() => t?.cleanup());

  /** A fresh tenant, its admin logged in, and the ids of its built-in roles. */
  async function setup() {
    const tenant = await makeTenant(t);
    const api = await signIn(t.app, tenant.admin);
    const roles = ok(await api.get('/api/roles')).items as Array<{ id: string; builtinKey: string | null; name: string }>;
    const roleId = (key: string) => roles.find((r) => r.builtinKey === key)!.id;
    return { ...tenant, api, roleId };
  }

  async function loginAs(u: { email: string; password: string }) {
    return signIn(t.app, u);
  }

  describe('users', () => {
    it('creates a user who then appears in the list with their roles', async () => {
      const s = await setup();
      const mail = email('Alice');
      const created = ok(
        await s.api.post('/api/users', { email: mail, name: ' Alice Martin ', password: PASSWORD, roleIds: [s.roleId('evaluator'), s.roleId('agent')] }),
      );
      // No language of their own (null): they read their group's, else the organisation's (issue 14).
      expect(created).toMatchObject({ email: mail.toLowerCase(), name: 'Alice Martin', disabled: false, lockedUntil: null, groupId: null, language: null });
      expect(created.roles.map((r: { name: string }) => r.name).sort()).toEqual(['Agent', 'Evaluator']);

      const list = ok(await s.api.get('/api/users'));
      expect(list.total).toBe(2); // the admin and Alice: another tenant's users never show
      const alice = list.items.find((u: { id: string }) => u.id === created.id);
      expect(alice.roles.map((r: { id: string }) => r.id).sort()).toEqual([s.roleId('evaluator'), s.roleId('agent')].sort());
      expect(ok(await s.api.get('/api/users?q=martin')).items.map((u: { id: string }) => u.id)).toEqual([created.id]);
      expect(ok(await s.api.get(`/api/users/${created.id}`)).email).toBe(mail.toLowerCase());

      const [event] = (await auditOf(s.api, { resourceId: created.id, action: 'USER_CREATE' })).items;
      expect(event!.changes).toEqual(
        expect.arrayContaining([
          { field: 'email', old: null, new: mail.toLowerCase() },
          { field: 'roles', old: null, new: expect.arrayContaining(['Agent', 'Evaluator']) },
        ]),
      );

      // The new user can log in with the password given.
      const me = ok(await (await loginAs({ email: mail, password: PASSWORD })).get('/api/me'));
      expect(me.permissions).toContain('quality.review');
    });

    it('refuses a duplicate email (in any case), an invalid email and a short password', async () => {
      const s = await setup();
      const mail = email('dup');
      ok(await s.api.post('/api/users', { email: mail, name: 'One', password: PASSWORD, roleIds: [] }));
      fails(await s.api.post('/api/users', { email: mail.toUpperCase(), name: 'Two', password: PASSWORD, roleIds: [] }), 409, 'ALREADY_EXISTS');
      fails(await s.api.post('/api/users', { email: 'not-an-email', name: 'Three', password: PASSWORD, roleIds: [] }), 400, 'VALIDATION_FAILED');
      const short = fails(await s.api.post('/api/users', { email: email('short'), name: 'Four', password: 'short12', roleIds: [] }), 400, 'VALIDATION_FAILED');
      expect(short.details).toMatchObject({ field: 'password' });
      fails(await s.api.post('/api/users', { email: email('role'), name: 'Five', password: PASSWORD, roleIds: [newId()] }), 400, 'VALIDATION_FAILED');
      // Changing another user's email to a taken one is refused the same way.
      const other = ok(await s.api.post('/api/users', { email: email('other'), name: 'Other', password: PASSWORD, roleIds: [] }));
      fails(await s.api.patch(`/api/users/${other.id}`, { email: mail }), 409, 'ALREADY_EXISTS');
      // Nothing but the two good users was created.
      expect(ok(await s.api.get('/api/users')).total).toBe(3);
    });

    it('gives a role listed twice once', async () => {
      const s = await setup();
      const u = ok(
        await s.api.post('/api/users', { email: email('twice'), name: 'Twice', password: PASSWORD, roleIds: [s.roleId('agent'), s.roleId('agent')] }),
      );
      expect(u.roles.map((r: { name: string }) => r.name)).toEqual(['Agent']);
      const patched = ok(await s.api.patch(`/api/users/${u.id}`, { roleIds: [s.roleId('evaluator'), s.roleId('evaluator')] }));
      expect(patched.roles.map((r: { name: string }) => r.name)).toEqual(['Evaluator']);
    });

    it('records every changed field with its old and new value', async () => {
      const s = await setup();
      const u = ok(await s.api.post('/api/users', { email: email('bob'), name: 'Bob', password: PASSWORD, roleIds: [s.roleId('evaluator')] }));
      const updated = ok(
        await s.api.patch(`/api/users/${u.id}`, { name: 'Robert', roleIds: [s.roleId('agent'), s.roleId('cc_manager')], disabled: true, extension: '4711' }),
      );
      expect(updated).toMatchObject({ name: 'Robert', disabled: true, extension: '4711' });
      expect(updated.roles.map((r: { name: string }) => r.name)).toEqual(['Agent', 'CC Manager']);

      const { items } = await auditOf(s.api, { resourceId: u.id });
      expect(items.map((e) => e.action)).toEqual(['USER_UPDATE', 'USER_CREATE']);
      const changes = items[0]!.changes!;
      expect(changes).toHaveLength(4);
      expect(changes).toEqual(
        expect.arrayContaining([
          { field: 'name', old: 'Bob', new: 'Robert' },
          { field: 'disabled', old: false, new: true },
          { field: 'extension', old: null, new: '4711' },
          { field: 'roles', old: ['Evaluator'], new: ['Agent', 'CC Manager'] },
        ]),
      );
      expect(items[0]!.initiatorId).toBe(s.admin.id);

      // A patch that changes nothing writes nothing.
      ok(await s.api.patch(`/api/users/${u.id}`, { name: 'Robert' }));
      expect((await auditOf(s.api, { resourceId: u.id })).items).toHaveLength(2);
    });

    it('deletes a user (with sessions and tokens) once, then answers 404', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const userClient = await loginAs(u);
      ok(await userClient.post('/api/me/tokens', { name: 'script' }));
      ok(await s.api.del(`/api/users/${u.id}`), 204);
      fails(await s.api.get(`/api/users/${u.id}`), 404, 'NOT_FOUND');
      fails(await s.api.del(`/api/users/${u.id}`), 404, 'NOT_FOUND');
      fails(await userClient.get('/api/me'), 401, 'UNAUTHENTICATED');
      fails(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } }), 401, 'INVALID_CREDENTIALS');
      expect((await auditOf(s.api, { resourceId: u.id, action: 'USER_DELETE' })).items).toHaveLength(1);
    });

    it('answers 404 NOT_FOUND for an unknown id and for a user of another tenant', async () => {
      const s = await setup();
      const other = await makeTenant(t);
      for (const id of [newId(), other.admin.id]) {
        fails(await s.api.get(`/api/users/${id}`), 404, 'NOT_FOUND');
        fails(await s.api.patch(`/api/users/${id}`, { name: 'X' }), 404, 'NOT_FOUND');
        fails(await s.api.del(`/api/users/${id}`), 404, 'NOT_FOUND');
        fails(await s.api.post(`/api/users/${id}/unlock`), 404, 'NOT_FOUND');
        fails(await s.api.post(`/api/users/${id}/password`, { newPassword: 'Another-Password-1' }), 404, 'NOT_FOUND');
      }
      // The other tenant's admin is untouched.
      await login(t.app, other.admin);
    });

    it('does not let an administrator delete, disable or re-role themselves', async () => {
      const s = await setup();
      fails(await s.api.del(`/api/users/${s.admin.id}`), 409, 'CONFLICT');
      fails(await s.api.patch(`/api/users/${s.admin.id}`, { disabled: true }), 409, 'CONFLICT');
      fails(await s.api.patch(`/api/users/${s.admin.id}`, { roleIds: [s.roleId('agent')] }), 409, 'CONFLICT');
      const me = ok(await s.api.get(`/api/users/${s.admin.id}`));
      expect(me).toMatchObject({ disabled: false, roles: [{ name: 'Admin' }] });
      // Their own name is theirs to change.
      expect(ok(await s.api.patch(`/api/users/${s.admin.id}`, { name: 'Chief' })).name).toBe('Chief');
    });

    it('refuses login to a disabled user and ends their sessions', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const userClient = await loginAs(u);
      ok(await s.api.patch(`/api/users/${u.id}`, { disabled: true }));
      fails(await userClient.get('/api/me'), 401, 'UNAUTHENTICATED');
      fails(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } }), 403, 'ACCOUNT_DISABLED');
      ok(await s.api.patch(`/api/users/${u.id}`, { disabled: false }));
      await login(t.app, u);
    });

    it('ends the sessions of a user whose password an administrator resets', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const userClient = await loginAs(u);
      ok(await userClient.get('/api/me'));
      fails(await s.api.post(`/api/users/${u.id}/password`, { newPassword: 'short' }), 400, 'VALIDATION_FAILED');
      ok(await userClient.get('/api/me')); // a refused reset changes nothing
      ok(await s.api.post(`/api/users/${u.id}/password`, { newPassword: 'Brand-New-Secret-9' }), 204);
      fails(await userClient.get('/api/me'), 401, 'UNAUTHENTICATED');
      fails(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } }), 401, 'INVALID_CREDENTIALS');
      await login(t.app, { email: u.email, password: 'Brand-New-Secret-9' });
      expect((await auditOf(s.api, { resourceId: u.id, action: 'USER_PASSWORD_RESET' })).items).toHaveLength(1);
    });

    it('does not let a user manager take over or change a more privileged user', async () => {
      const s = await setup();
      const manager = await makeUser(t, s.tenantId, { permissions: ['users.manage'] });
      const admin2 = await makeUser(t, s.tenantId, { roles: ['admin'] });
      const peer = await makeUser(t, s.tenantId, { permissions: ['users.manage'] });
      const m = await loginAs(manager);
      // Resetting an admin's password would hand the manager every permission.
      fails(await m.post(`/api/users/${admin2.id}/password`, { newPassword: 'Taken-Over-123' }), 403, 'FORBIDDEN');
      fails(await m.patch(`/api/users/${admin2.id}`, { email: email('hijack') }), 403, 'FORBIDDEN');
      fails(await m.patch(`/api/users/${admin2.id}`, { disabled: true }), 403, 'FORBIDDEN');
      fails(await m.del(`/api/users/${admin2.id}`), 403, 'FORBIDDEN');
      await login(t.app, admin2); // untouched
      // Regression: unlocking skipped this rule.
      fails(await m.post(`/api/users/${admin2.id}/unlock`), 403, 'FORBIDDEN');
      // A user holding no more than the manager can be managed.
      ok(await m.post(`/api/users/${peer.id}/password`, { newPassword: 'Peer-Password-123' }), 204);
      ok(await m.patch(`/api/users/${peer.id}`, { name: 'Peer' }));
    });
  });

  describe('passwords and API tokens', () => {
    const tokenOf = async (c: Client, name: string, expiresInDays = 30) =>
      ok(await c.post('/api/me/tokens', { name, expiresInDays })) as { token: string; item: { id: string } };
    const bearer = (token: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });

    it('revokes every API token of a user whose password they change or an administrator resets, and audits each', async () => {
      // Regression: a changed or reset password left the API tokens working, so a leaked token outlived the response to the leak.
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const uc = await loginAs(u);
      const [a, b] = [await tokenOf(uc, 'script a'), await tokenOf(uc, 'script b')];
      ok(await bearer(a.token));
      ok(await uc.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'Changed-Secret-88' }), 204);
      for (const tk of [a, b]) fails(await bearer(tk.token), 401, 'UNAUTHENTICATED');
      expect(ok(await uc.get('/api/me/tokens')).items).toEqual([]);
      for (const tk of [a, b]) {
        const [ev] = (await auditOf(s.api, { resourceId: tk.item.id, action: 'TOKEN_REVOKE' })).items;
        expect(ev).toMatchObject({ initiatorId: u.id });
        expect(ev!.details).toMatch(/password was changed/);
      }

      const c = await tokenOf(uc, 'script c');
      ok(await bearer(c.token));
      ok(await s.api.post(`/api/users/${u.id}/password`, { newPassword: 'Reset-By-Admin-99' }), 204);
      fails(await bearer(c.token), 401, 'UNAUTHENTICATED');
      const [ev] = (await auditOf(s.api, { resourceId: c.item.id, action: 'TOKEN_REVOKE' })).items;
      expect(ev).toMatchObject({ initiatorId: s.admin.id });
      expect(ev!.details).toMatch(/administrator reset the password/);
    });

    it('makes an administrator give their current password to change their own', async () => {
      // Regression: the admin reset route set the caller's own password without the current one (a stolen session sufficed).
      const s = await setup();
      const e = fails(await s.api.post(`/api/users/${s.admin.id}/password`, { newPassword: 'No-Current-Needed-1' }), 403, 'FORBIDDEN');
      expect(e.message).toMatch(/Change password/);
      fails(await s.api.post('/api/me/password', { currentPassword: 'not-it-at-all', newPassword: 'No-Current-Needed-1' }), 401, 'INVALID_CREDENTIALS');
      await login(t.app, s.admin); // unchanged
      ok(await s.api.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'With-Current-Given-1' }), 204);
    });

    it('caps the lifetime of API tokens by the apiTokenMaxDays setting', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const uc = await loginAs(u);
      expect(ok(await uc.get('/api/me/tokens')).maxDays).toBeNull();
      const old = ok(await uc.post('/api/me/tokens', { name: 'forever' }));
      const older = await tokenOf(uc, 'a year', 365);

      ok(await s.api.patch('/api/settings', { apiTokenMaxDays: 30 }));
      const [ev] = (await auditOf(s.api, { action: 'SETTINGS_UPDATE' })).items;
      expect(ev!.changes).toEqual([{ field: 'apiTokenMaxDays', old: 0, new: 30 }]);
      expect(ok(await uc.get('/api/me/tokens')).maxDays).toBe(30);
      for (const body of [{ name: 'no expiry' }, { name: 'too long', expiresInDays: 31 }]) {
        const err = fails(await uc.post('/api/me/tokens', body), 400, 'VALIDATION_FAILED', 'TOKEN_LIFETIME_TOO_LONG');
        expect(err.details).toMatchObject({ field: 'expiresInDays', maxDays: 30 });
      }
      expect(ok(await uc.get('/api/me/tokens')).items).toHaveLength(2);
      const fine = await tokenOf(uc, 'a month', 30);
      ok(await bearer(fine.token));
      // Tokens made before the cap follow it too, counted from their creation.
      ok(await bearer(old.token));
      const longAgo = new Date(Date.now() - 31 * 86400_000).toISOString();
      await t.db.updateTable('api_tokens').set({ created_at: longAgo }).where('id', 'in', [old.item.id, older.item.id]).execute();
      fails(await bearer(old.token), 401, 'TOKEN_EXPIRED');
      fails(await bearer(older.token), 401, 'TOKEN_EXPIRED');
      ok(await s.api.patch('/api/settings', { apiTokenMaxDays: 0 }));
      ok(await bearer(old.token));
    });
  });

  describe('roles', () => {
    it('creates, edits and deletes a custom role', async () => {
      const s = await setup();
      const role = ok(await s.api.post('/api/roles', { name: 'Auditor', description: 'Reads the trail', permissions: ['jobs.view', 'audit.view'] }));
      // Stored in catalogue order, whatever order was given.
      expect(role).toMatchObject({ name: 'Auditor', description: 'Reads the trail', builtinKey: null, permissions: ['audit.view', 'jobs.view'], userCount: 0 });
      fails(await s.api.post('/api/roles', { name: 'Auditor', permissions: [] }), 409, 'ALREADY_EXISTS');

      const edited = ok(await s.api.patch(`/api/roles/${role.id}`, { name: 'Senior auditor', permissions: ['audit.view', 'reports.view'] }));
      expect(edited).toMatchObject({ name: 'Senior auditor', permissions: ['reports.view', 'audit.view'] });
      const listed = ok(await s.api.get('/api/roles')).items.find((r: { id: string }) => r.id === role.id);
      expect(listed.permissions.sort()).toEqual(['audit.view', 'reports.view']);
      const [upd] = (await auditOf(s.api, { resourceId: role.id, action: 'ROLE_UPDATE' })).items;
      expect(upd!.changes).toEqual([
        { field: 'name', old: 'Auditor', new: 'Senior auditor' },
        { field: 'permissions', old: ['audit.view', 'jobs.view'], new: ['reports.view', 'audit.view'] },
      ]);

      // A holder of the role gets its permissions at once.
      const u = ok(await s.api.post('/api/users', { email: email('aud'), name: 'Aud', password: PASSWORD, roleIds: [role.id] }));
      const uc = await loginAs({ email: u.email, password: PASSWORD });
      expect(ok(await uc.get('/api/me')).permissions).toEqual(['audit.view', 'reports.view']);
      ok(await s.api.patch(`/api/roles/${role.id}`, { permissions: ['reports.view'] }));
      fails(await uc.get('/api/audit'), 403, 'FORBIDDEN');

      ok(await s.api.del(`/api/users/${u.id}`), 204);
      ok(await s.api.del(`/api/roles/${role.id}`), 204);
      expect(ok(await s.api.get('/api/roles')).items.some((r: { id: string }) => r.id === role.id)).toBe(false);
      fails(await s.api.del(`/api/roles/${role.id}`), 404, 'NOT_FOUND');
    });

    it('refuses an unknown permission with 400', async () => {
      const s = await setup();
      const e = fails(await s.api.post('/api/roles', { name: 'Bad', permissions: ['audit.view', 'launch.missiles'] }), 400, 'VALIDATION_FAILED');
      expect(e.message).toContain('launch.missiles');
      const role = ok(await s.api.post('/api/roles', { name: 'Good', permissions: [] }));
      fails(await s.api.patch(`/api/roles/${role.id}`, { permissions: ['launch.missiles'] }), 400, 'VALIDATION_FAILED');
    });

    it('keeps built-in roles read-only', async () => {
      const s = await setup();
      for (const key of ['admin', 'agent']) {
        fails(await s.api.patch(`/api/roles/${s.roleId(key)}`, { name: 'Renamed' }), 403, 'FORBIDDEN');
        fails(await s.api.del(`/api/roles/${s.roleId(key)}`), 403, 'FORBIDDEN');
      }
      const agent = ok(await s.api.get('/api/roles')).items.find((r: { builtinKey: string }) => r.builtinKey === 'agent');
      expect(agent.name).toBe('Agent');
    });

    it('refuses to delete a role someone holds (409 IN_USE)', async () => {
      const s = await setup();
      const role = ok(await s.api.post('/api/roles', { name: 'Held', permissions: ['reports.view'] }));
      const u = ok(await s.api.post('/api/users', { email: email('held'), name: 'Holder', password: PASSWORD, roleIds: [role.id] }));
      expect(ok(await s.api.get('/api/roles')).items.find((r: { id: string }) => r.id === role.id).userCount).toBe(1);
      fails(await s.api.del(`/api/roles/${role.id}`), 409, 'IN_USE');
      ok(await s.api.patch(`/api/users/${u.id}`, { roleIds: [] }));
      ok(await s.api.del(`/api/roles/${role.id}`), 204);
    });

    it('does not let a role manager grant a permission they lack', async () => {
      const s = await setup();
      const rm = await loginAs(await makeUser(t, s.tenantId, { permissions: ['roles.manage', 'reports.view'] }));
      fails(await rm.post('/api/roles', { name: 'Escalate', permissions: ['audit.view'] }), 403, 'FORBIDDEN');
      fails(await rm.post('/api/roles', { name: 'Escalate', permissions: ['reports.view', 'users.manage'] }), 403, 'FORBIDDEN');
      const mine = ok(await rm.post('/api/roles', { name: 'Reporter', permissions: ['reports.view'] }));
      fails(await rm.patch(`/api/roles/${mine.id}`, { permissions: ['reports.view', 'audit.view'] }), 403, 'FORBIDDEN');
      expect(ok(await s.api.get('/api/roles')).items.find((r: { id: string }) => r.id === mine.id).permissions).toEqual(['reports.view']);
      expect(ok(await s.api.get('/api/roles')).items.some((r: { name: string }) => r.name === 'Escalate')).toBe(false);
    });

    it('does not let a user manager grant a role with permissions they lack', async () => {
      const s = await setup();
      const managerUser = await makeUser(t, s.tenantId, { permissions: ['users.manage', ...AGENT_PERMISSIONS] });
      const um = await loginAs(managerUser);
      // The compliance analyst role holds audit.view, which the manager lacks.
      fails(await um.post('/api/users', { email: email('esc'), name: 'Esc', password: PASSWORD, roleIds: [s.roleId('compliance_analyst')] }), 403, 'FORBIDDEN');
      fails(await um.post('/api/users', { email: email('esc'), name: 'Esc', password: PASSWORD, roleIds: [s.roleId('admin')] }), 403, 'FORBIDDEN');
      const agent = ok(await um.post('/api/users', { email: email('agent'), name: 'Agent', password: PASSWORD, roleIds: [s.roleId('agent')] }));
      fails(await um.patch(`/api/users/${agent.id}`, { roleIds: [s.roleId('agent'), s.roleId('compliance_analyst')] }), 403, 'FORBIDDEN');
      expect(ok(await s.api.get(`/api/users/${agent.id}`)).roles.map((r: { name: string }) => r.name)).toEqual(['Agent']);
      // Nor give themselves more: their own roles are not theirs to change.
      fails(await um.patch(`/api/users/${managerUser.id}`, { roleIds: [s.roleId('agent')] }), 409, 'CONFLICT');
    });
  });

  describe('groups and sites', () => {
    it("refuses the organisation's audit trail and jobs list to a holder of the permissions scoped to some groups", async () => {
      const s = await setup();
      const A = ok(await s.api.post('/api/groups', { name: 'A' })).id as string;
      const urls = ['/api/audit', '/api/audit/vocabulary', '/api/audit/verify', '/api/jobs'];
      // Both lists span every group (other groups' playbacks, exports, job errors): not cut down, refused.
      const scoped = await loginAs(await makeUser(t, s.tenantId, { permissions: ['audit.view', 'jobs.view'], groupId: A }));
      for (const url of urls) expect(fails(await scoped.get(url), 403, 'FORBIDDEN').message).toMatch(/whole organisation/);
      const orgWide = await loginAs(await makeUser(t, s.tenantId, { permissions: ['audit.view', 'jobs.view'] }));
      for (const url of urls) ok(await orgWide.get(url));
      // The UI learns it from the user's own profile, to leave those tabs out.
      expect(ok(await scoped.get('/api/me')).organisationWide).toBe(false);
      expect(ok(await orgWide.get('/api/me')).organisationWide).toBe(true);
    });

    it('scopes a group manager to their subtree', async () => {
      const s = await setup();
      const mk = async (name: string, parentId?: string) => ok(await s.api.post('/api/groups', { name, ...(parentId ? { parentId } : {}) })).id as string;
      const A = await mk('A');
      const A1 = await mk('A1', A);
      const A1a = await mk('A1a', A1);
      const B = await mk('B');
      const groups = ok(await s.api.get('/api/groups')).items as Array<{ id: string; parentId: string | null }>;
      expect(groups.find((g) => g.id === A1a)!.parentId).toBe(A1);

      const uA = await makeUser(t, s.tenantId, { roles: ['agent'], groupId: A });
      const uA1 = await makeUser(t, s.tenantId, { roles: ['agent'], groupId: A1 });
      const uA1a = await makeUser(t, s.tenantId, { roles: ['agent'], groupId: A1a });
      const uB = await makeUser(t, s.tenantId, { roles: ['agent'], groupId: B });
      // The manager also holds what agents hold, so it is the group scope, not the privilege rule, that limits them here.
      const managerUser = await makeUser(t, s.tenantId, { permissions: ['users.manage', ...AGENT_PERMISSIONS], groupId: A });
      const m = await loginAs(managerUser);

      const visible = (ok(await m.get('/api/users')).items as Array<{ id: string }>).map((u) => u.id).sort();
      expect(visible).toEqual([uA.id, uA1.id, uA1a.id, managerUser.id].sort());
      expect(ok(await m.get('/api/users')).total).toBe(4);
      fails(await m.get(`/api/users/${uB.id}`), 404, 'NOT_FOUND');
      fails(await m.get(`/api/users/${s.admin.id}`), 404, 'NOT_FOUND');
      fails(await m.patch(`/api/users/${uB.id}`, { name: 'X' }), 404, 'NOT_FOUND');
      ok(await m.get(`/api/users/${uA1a.id}`));
      expect((ok(await m.get('/api/groups')).items as Array<{ id: string }>).map((g) => g.id).sort()).toEqual([A, A1, A1a].sort());

      // New users land inside the manager's subtree, never outside it or above every group.
      fails(await m.post('/api/users', { email: email('out'), name: 'Out', password: PASSWORD, roleIds: [], groupId: B }), 403, 'FORBIDDEN');
      fails(await m.post('/api/users', { email: email('top'), name: 'Top', password: PASSWORD, roleIds: [], groupId: null }), 403, 'FORBIDDEN');
      fails(await m.post('/api/users', { email: email('none'), name: 'None', password: PASSWORD, roleIds: [] }), 403, 'FORBIDDEN');
      ok(await m.post('/api/users', { email: email('in'), name: 'In', password: PASSWORD, roleIds: [], groupId: A1 }));
      fails(await m.patch(`/api/users/${uA1.id}`, { groupId: B }), 403, 'FORBIDDEN');
      fails(await m.patch(`/api/users/${uA1.id}`, { groupId: null }), 403, 'FORBIDDEN');

      // The scope follows the hierarchy as it is now: move B below A1 and its user comes into view.
      ok(await s.api.patch(`/api/groups/${B}`, { parentId: A1 }));
      ok(await m.get(`/api/users/${uB.id}`));
    });

    it('refuses to move a group below itself or one of its descendants', async () => {
      const s = await setup();
      const A = ok(await s.api.post('/api/groups', { name: 'A' })).id;
      const A1 = ok(await s.api.post('/api/groups', { name: 'A1', parentId: A })).id;
      const A1a = ok(await s.api.post('/api/groups', { name: 'A1a', parentId: A1 })).id;
      fails(await s.api.patch(`/api/groups/${A}`, { parentId: A1a }), 400, 'VALIDATION_FAILED');
      fails(await s.api.patch(`/api/groups/${A}`, { parentId: A1 }), 400, 'VALIDATION_FAILED');
      fails(await s.api.patch(`/api/groups/${A}`, { parentId: A }), 400, 'VALIDATION_FAILED');
      fails(await s.api.patch(`/api/groups/${A}`, { parentId: newId() }), 400, 'VALIDATION_FAILED');
      fails(await s.api.post('/api/groups', { name: 'Orphan', parentId: newId() }), 400, 'VALIDATION_FAILED');
      // Moving the other way is fine, and is audited.
      expect(ok(await s.api.patch(`/api/groups/${A1a}`, { parentId: A })).parentId).toBe(A);
      const [moved] = (await auditOf(s.api, { resourceId: A1a, action: 'GROUP_UPDATE' })).items;
      expect(moved!.changes).toEqual([{ field: 'parentId', old: A1, new: A }]);
      expect(ok(await s.api.patch(`/api/groups/${A1a}`, { parentId: null })).parentId).toBeNull();
    });

    it('refuses to delete a group that still has subgroups or users (409 IN_USE)', async () => {
      const s = await setup();
      const A = ok(await s.api.post('/api/groups', { name: 'A' })).id;
      const A1 = ok(await s.api.post('/api/groups', { name: 'A1', parentId: A })).id;
      const u = await makeUser(t, s.tenantId, { groupId: A1 });
      fails(await s.api.del(`/api/groups/${A}`), 409, 'IN_USE');
      fails(await s.api.del(`/api/groups/${A1}`), 409, 'IN_USE');
      ok(await s.api.patch(`/api/users/${u.id}`, { groupId: null }));
      ok(await s.api.del(`/api/groups/${A1}`), 204);
      ok(await s.api.del(`/api/groups/${A}`), 204);
      expect(ok(await s.api.get('/api/groups')).items).toEqual([]);
      fails(await s.api.del(`/api/groups/${A}`), 404, 'NOT_FOUND');
    });

    it('creates sites with IANA time zones and refuses to delete one in use', async () => {
      const s = await setup();
      const paris = ok(await s.api.post('/api/sites', { name: 'Paris', timeZone: 'Europe/Paris' }));
      expect(paris).toMatchObject({ name: 'Paris', timeZone: 'Europe/Paris' });
      fails(await s.api.post('/api/sites', { name: 'Olympus', timeZone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED');
      fails(await s.api.patch(`/api/sites/${paris.id}`, { timeZone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED');
      fails(await s.api.post('/api/sites', { name: 'Paris', timeZone: 'UTC' }), 409, 'ALREADY_EXISTS');
      expect(ok(await s.api.patch(`/api/sites/${paris.id}`, { timeZone: 'America/Sao_Paulo' })).timeZone).toBe('America/Sao_Paulo');
      expect(ok(await s.api.get('/api/sites')).items).toEqual([{ id: paris.id, name: 'Paris', timeZone: 'America/Sao_Paulo' }]);

      const u = ok(await s.api.post('/api/users', { email: email('site'), name: 'Sited', password: PASSWORD, roleIds: [], siteId: paris.id }));
      expect(u.siteId).toBe(paris.id);
      fails(await s.api.del(`/api/sites/${paris.id}`), 409, 'IN_USE');
      ok(await s.api.patch(`/api/users/${u.id}`, { siteId: null }));
      const g = ok(await s.api.post('/api/groups', { name: 'Sited group', siteId: paris.id }));
      fails(await s.api.del(`/api/sites/${paris.id}`), 409, 'IN_USE');
      ok(await s.api.del(`/api/groups/${g.id}`), 204);
      ok(await s.api.del(`/api/sites/${paris.id}`), 204);
      expect(ok(await s.api.get('/api/sites')).items).toEqual([]);
    });
  });

  describe('settings', () => {
    it('reads and changes settings, audits the change and refuses out-of-range values', async () => {
      const s = await setup();
      expect(ok(await s.api.get('/api/settings'))).toEqual({
        name: s.name,
        language: 'en',
        sessionTimeoutHours: 12,
        lockoutThreshold: 5,
        lockoutMinutes: 90,
        passwordMinLength: 10,
        searchLanguage: 'en',
        silenceMinSeconds: 5,
        crosstalkMinSeconds: 1,
        apiTokenMaxDays: 0,
        speechEngine: 'auto',
        speechEngineByLanguage: {},
        speechVocabulary: [],
        piiTypes: ['card_number', 'card_expiry', 'card_security_code', 'phone_number', 'email', 'date_of_birth', 'national_id', 'street_address'],
        smtpHost: '',
        smtpPort: 587,
        smtpSecurity: 'starttls',
        smtpUser: '',
        smtpFrom: '',
        smtpPasswordSet: false,
        qualityRequireAcknowledgement: false,
        qualityAutoAcknowledgeDays: 0,
      });
      for (const bad of [
        { speechEngine: 'whisper' },
        { speechEngineByLanguage: { english: 'pocketsphinx' } },
        { speechEngineByLanguage: { en: 'nope' } },
        { speechVocabulary: ['x'.repeat(101)] },
        { piiTypes: ['card_number', 'shoe_size'] },
        { lockoutThreshold: 2 },
        { lockoutThreshold: 21 },
        { lockoutMinutes: 0 },
        { passwordMinLength: 7 },
        { sessionTimeoutHours: 721 },
        { apiTokenMaxDays: -1 },
        { apiTokenMaxDays: 3651 },
        { language: 'xx' },
        { name: '  ' },
      ]) {
        fails(await s.api.patch('/api/settings', bad), 400, 'VALIDATION_FAILED');
      }
      expect(ok(await s.api.get('/api/settings')).lockoutThreshold).toBe(5);
      expect((await auditOf(s.api, { action: 'SETTINGS_UPDATE' })).items).toEqual([]);

      const after = ok(await s.api.patch('/api/settings', { lockoutThreshold: 3, passwordMinLength: 12 }));
      expect(after).toMatchObject({ lockoutThreshold: 3, passwordMinLength: 12, lockoutMinutes: 90 });
      expect(ok(await s.api.get('/api/settings'))).toMatchObject({ lockoutThreshold: 3, passwordMinLength: 12 });
      const [event] = (await auditOf(s.api, { action: 'SETTINGS_UPDATE' })).items;
      expect(event!.changes).toEqual([
        { field: 'lockoutThreshold', old: 5, new: 3 },
        { field: 'passwordMinLength', old: 10, new: 12 },
      ]);
      // The new minimum length applies to new passwords.
      fails(await s.api.post('/api/users', { email: email('len'), name: 'Len', password: 'Eleven-char', roleIds: [] }), 400, 'VALIDATION_FAILED');

      // The lower lockout threshold takes effect: the third wrong password locks the account.
      const u = await makeUser(t, s.tenantId, {});
      const attempt = () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: 'wrong-password' } });
      fails(await attempt(), 401, 'INVALID_CREDENTIALS');
      fails(await attempt(), 401, 'INVALID_CREDENTIALS');
      fails(await attempt(), 401, 'INVALID_CREDENTIALS');
      fails(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } }), 423, 'ACCOUNT_LOCKED');
    });

    it('changes the speech settings: lists are cleaned, compared by value and audited', async () => {
      const s = await setup();
      const after = ok(
        await s.api.patch('/api/settings', {
          speechEngine: 'pocketsphinx',
          speechEngineByLanguage: { fr: 'none' },
          speechVocabulary: [' Fiber  Max ', 'Fiber Max', 'Brightline'],
          piiTypes: ['card_number', 'email'],
        }),
      );
      expect(after).toMatchObject({ speechEngine: 'pocketsphinx', speechEngineByLanguage: { fr: 'none' }, speechVocabulary: ['Fiber Max', 'Brightline'] });
      const [event] = (await auditOf(s.api, { action: 'SETTINGS_UPDATE' })).items;
      expect(event!.changes!.map((c: { field: string }) => c.field)).toEqual(['speechEngine', 'speechEngineByLanguage', 'speechVocabulary', 'piiTypes']);
      // The same lists again are no change (compared by value, not by reference): nothing more is audited.
      ok(await s.api.patch('/api/settings', { speechVocabulary: ['Fiber Max', 'Brightline'], piiTypes: ['card_number', 'email'] }));
      expect((await auditOf(s.api, { action: 'SETTINGS_UPDATE' })).items).toHaveLength(1);
    });

    it('refuses to rename the organisation to the name of another one', async () => {
      const s = await setup();
      const other = await makeTenant(t);
      fails(await s.api.patch('/api/settings', { name: other.name }), 409, 'ALREADY_EXISTS');
      fails(await s.api.patch('/api/settings', { name: other.name.toUpperCase() }), 409, 'ALREADY_EXISTS');
      expect(ok(await s.api.get('/api/settings')).name).toBe(s.name);
      const renamed = `${s.name}-renamed`;
      expect(ok(await s.api.patch('/api/settings', { name: renamed })).name).toBe(renamed);
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const s = await setup();
      const cookie = await login(t.app, s.admin);
      const res = await t.app.inject({ method: 'POST', url: '/api/groups', headers: { cookie, 'content-type': 'application/json' }, payload: '{"name": "A",' });
      fails(res, 400, 'MALFORMED_JSON');
      const login400 = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{email' });
      fails(login400, 400, 'MALFORMED_JSON');
    });

    it('keeps every change when admins save different settings at the same moment', async () => {
      const s = await setup();
      const second = await signIn(t.app, s.admin);
      // Each request changes one field; before the tenant row was locked, each wrote back the copy it had read, so
      // all but one change were lost on PostgreSQL.
      const patches = [{ lockoutThreshold: 7 }, { passwordMinLength: 14 }, { silenceMinSeconds: 9 }, { crosstalkMinSeconds: 4 }, { apiTokenMaxDays: 45 }];
      await Promise.all(patches.map((p, i) => (i % 2 ? second : s.api).patch('/api/settings', p).then(ok)));
      expect(ok(await s.api.get('/api/settings'))).toMatchObject(Object.assign({}, ...patches));
    });

    it('refuses a property the schema does not know with 400', async () => {
      const s = await setup();
      const e = fails(await s.api.post('/api/groups', { name: 'A', colour: 'red' }), 400, 'VALIDATION_FAILED');
      expect(e.message).toMatch(/additional/i);
      fails(await s.api.patch('/api/settings', { lockoutThreshold: 5, superuser: true }), 400, 'VALIDATION_FAILED');
      fails(await s.api.post('/api/users', { email: email('x'), name: 'X', password: PASSWORD, roleIds: [], isAdmin: true }), 400, 'VALIDATION_FAILED');
      expect(ok(await s.api.get('/api/groups')).items).toEqual([]);
    });

    describe('with a 1 KB body limit', () => {
      let small: Awaited<ReturnType<typeof createTestApp>>;
      beforeAll(async () => {
        small = await createTestApp(engine, { EARSHOT_BODY_LIMIT_KB: '1' });
      });
      afterAll(() => small?.cleanup());

      it('answers a larger body with 413 PAYLOAD_TOO_LARGE', async () => {
        const tenant = await makeTenant(small);
        const c = await signIn(small.app, tenant.admin);
        fails(await c.post('/api/roles', { name: 'Big', description: 'x'.repeat(2000), permissions: [] }), 413, 'PAYLOAD_TOO_LARGE');
        fails(
          await small.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.c', password: 'x'.repeat(1500) } }),
          413,
          'PAYLOAD_TOO_LARGE',
        );
        // Just under the limit passes.
        ok(await c.post('/api/roles', { name: 'Small', description: 'x'.repeat(400), permissions: [] }));
      });
    });
  });

  describe('audit trail search', () => {
    it('filters by action, resource type, initiator and text in details or changes', async () => {
      const s = await setup();
      const zelda = await makeUser(t, s.tenantId, { roles: ['admin'], name: 'Zelda Auditrix' });
      const z = await loginAs(zelda);
      const site = ok(await s.api.post('/api/sites', { name: 'Quixotic Site', timeZone: 'Europe/Paris' }));
      const g1 = ok(await s.api.post('/api/groups', { name: 'G1' }));
      const g2 = ok(await z.post('/api/groups', { name: 'G2' }));
      const u = ok(await s.api.post('/api/users', { email: email('plain'), name: 'Plain Name', password: PASSWORD, roleIds: [] }));
      ok(await s.api.patch(`/api/users/${u.id}`, { name: 'Zanzibar Person' }));
      // Another tenant's events never show.
      const other = await makeTenant(t);
      const foreign = await signIn(t.app, other.admin);
      ok(await foreign.post('/api/groups', { name: 'Foreign' }));

      const byAction = (await auditOf(s.api, { action: 'GROUP_CREATE' })).items;
      expect(byAction.map((e) => e.resourceId).sort()).toEqual([g1.id, g2.id].sort());

      const byType = (await auditOf(s.api, { resourceType: 'site' })).items;
      expect(byType.map((e) => [e.action, e.resourceId])).toEqual([['SITE_CREATE', site.id]]);

      const byInitiator = (await auditOf(s.api, { initiator: 'zelda' })).items;
      expect(byInitiator.length).toBeGreaterThanOrEqual(2); // her login and her group
      expect(byInitiator.every((e) => e.initiatorName === 'Zelda Auditrix')).toBe(true);
      expect(byInitiator.map((e) => e.action)).toEqual(expect.arrayContaining(['LOGIN', 'GROUP_CREATE']));
      expect((await auditOf(s.api, { initiator: zelda.id })).items.map((e) => e.seq)).toEqual(
        byInitiator.filter((e) => e.initiatorId === zelda.id).map((e) => e.seq),
      );

      const inDetails = (await auditOf(s.api, { q: 'QUIXOTIC' })).items;
      expect(inDetails.map((e) => e.action)).toEqual(['SITE_CREATE']);

      const inChanges = (await auditOf(s.api, { q: 'zanzibar' })).items;
      expect(inChanges.map((e) => e.action)).toEqual(['USER_UPDATE']);
      expect(inChanges[0]!.details.toLowerCase()).not.toContain('zanzibar'); // found through its changes only
      expect(inChanges[0]!.changes).toEqual([{ field: 'name', old: 'Plain Name', new: 'Zanzibar Person' }]);

      expect((await auditOf(s.api, { q: 'Foreign' })).items).toEqual([]);
      expect((await auditOf(s.api, { action: 'GROUP_CREATE', resourceType: 'site' })).items).toEqual([]);
      // Wildcards in the text are taken literally.
      expect((await auditOf(s.api, { q: '%' })).items).toEqual([]);
    });

    it('filters by date range', async () => {
      const s = await setup();
      ok(await s.api.post('/api/groups', { name: 'Before' }));
      await sleep(15);
      const from = new Date().toISOString();
      await sleep(5);
      const inside = [ok(await s.api.post('/api/groups', { name: 'In 1' })).id, ok(await s.api.post('/api/groups', { name: 'In 2' })).id];
      await sleep(5);
      const to = new Date().toISOString();
      await sleep(15);
      ok(await s.api.post('/api/groups', { name: 'After' }));

      const range = (await auditOf(s.api, { from, to })).items;
      expect(range.map((e) => e.resourceId).sort()).toEqual([...inside].sort());
      expect(range.every((e) => e.at >= from && e.at <= to)).toBe(true);
      expect((await auditOf(s.api, { from: to, action: 'GROUP_CREATE' })).items).toHaveLength(1);
      expect((await auditOf(s.api, { to: from, action: 'GROUP_CREATE' })).items).toHaveLength(1);
      fails(await s.api.get(`/api/audit?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`), 400, 'VALIDATION_FAILED');
      fails(await s.api.get('/api/audit?from=yesterday'), 400, 'VALIDATION_FAILED');
    });

    it('pages with a cursor to the next older events, without overlap', async () => {
      const s = await setup();
      for (let i = 0; i < 7; i++) ok(await s.api.post('/api/groups', { name: `G${i}` }));
      const all = (await auditOf(s.api, { limit: 500 })).items;
      expect(all.length).toBeGreaterThanOrEqual(9);

      const pages: AuditItem[][] = [];
      let cursor: string | null = null;
      do {
        const page: { items: AuditItem[]; nextCursor: string | null } = await auditOf(s.api, { limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        if (page.nextCursor) expect(page.items).toHaveLength(3);
        pages.push(page.items);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 20);
      expect(cursor).toBeNull();
      expect(pages.length).toBe(Math.ceil(all.length / 3));
      const seqs = pages.flat().map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(all.map((e) => e.seq));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeLessThan(seqs[i - 1]!);
      // Filters and the cursor combine.
      const first = await auditOf(s.api, { action: 'GROUP_CREATE', limit: 4 });
      const second = await auditOf(s.api, { action: 'GROUP_CREATE', limit: 4, cursor: first.nextCursor! });
      expect(first.items).toHaveLength(4);
      expect(second.items).toHaveLength(3);
      expect(second.nextCursor).toBeNull();
      expect([...first.items, ...second.items].map((e) => e.details)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Created group "G${i}"`));
    });
  });
});
