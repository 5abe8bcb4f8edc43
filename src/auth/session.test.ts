// Sign-in through the HTTP API: cookie, lockout and its end, logout, API tokens, own password, rate limit, tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { PASSWORD, login, makeTenant, makeUser, type TestUser } from '../../test/helpers/factories.ts';
import { fails, ok } from '../../test/helpers/http.ts';
import type { App } from '../platform/http/types.ts';
import { PERMISSION_IDS } from './permissions.ts';
import { SESSION_COOKIE } from './tokens.ts';

describe.each(ENGINES)('sessions and tokens on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    // The lockout tests alone make dozens of attempts: the rate limit is tested on its own app below.
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
  });
  afterAll(() => t?.cleanup());

  const attempt = (body: { email: string; password: string; tenant?: string }, app: App = t.app, remoteAddress?: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: body, ...(remoteAddress ? { remoteAddress } : {}) });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  async function setup() {
    const tenant = await makeTenant(t);
    const adminCookie = await login(t.app, tenant.admin);
    return { ...tenant, adminCookie, asAdmin: { cookie: adminCookie } };
  }

  async function auditFor(adminCookie: string, query: Record<string, string>) {
    return ok(await get(`/api/audit?${new URLSearchParams({ limit: '500', ...query })}`, { cookie: adminCookie })).items as Array<{
      action: string;
      application: string;
      initiatorId: string | null;
      resourceId: string | null;
      details: string;
      changes: unknown;
    }>;
  }

  /** Five wrong passwords lock the account; the lock shows only to the right password (a 423 with the time). */
  async function lockOut(u: TestUser) {
    for (let i = 1; i <= 5; i++) fails(await attempt({ email: u.email, password: `wrong-${i}` }), 401, 'INVALID_CREDENTIALS');
    return fails(await attempt({ email: u.email, password: u.password }), 423, 'ACCOUNT_LOCKED');
  }

  it('sets an httpOnly, SameSite=Strict session cookie that opens /api/me with the permissions', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { permissions: ['jobs.view', 'audit.view'], name: 'Perm Holder' });
    const before = Date.now();
    const res = await attempt({ email: ` ${u.email.toUpperCase()} `, password: u.password });
    const body = ok(res);
    expect(body.user).toMatchObject({ id: u.id, email: u.email, tenantId: s.tenantId, tenantName: s.name, permissions: ['audit.view', 'jobs.view'] });
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value.length).toBeGreaterThanOrEqual(40);
    // The session lasts the tenant's session timeout (12 h by default).
    const expires = (cookie.expires as Date).getTime();
    expect(Math.abs(expires - (before + 12 * 3600_000))).toBeLessThan(60_000);

    const me = ok(await get('/api/me', { cookie: `${SESSION_COOKIE}=${cookie.value}` }));
    expect(me).toMatchObject({ id: u.id, name: 'Perm Holder', permissions: ['audit.view', 'jobs.view'], passwordMinLength: 10 });
    expect(ok(await get('/api/me', { cookie: s.adminCookie })).permissions).toEqual([...PERMISSION_IDS].sort());
    // Only the hash of the cookie is stored.
    const stored = await t.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).not.toBe(cookie.value);
    expect(await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGIN' })).toHaveLength(1);
  });

  it('answers a wrong password and an unknown email alike with 401 INVALID_CREDENTIALS', async () => {
    const s = await setup();
    const wrong = fails(await attempt({ email: s.admin.email, password: 'not-the-password' }), 401, 'INVALID_CREDENTIALS');
    const unknown = fails(await attempt({ email: 'nobody@example.test', password: 'whatever' }), 401, 'INVALID_CREDENTIALS');
    expect(unknown.message).toBe(wrong.message);
    fails(await attempt({ email: '', password: 'x' }), 400, 'VALIDATION_FAILED');
    fails(await t.app.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');
  });

  it('locks an account for 90 minutes after 5 wrong passwords, refusing even the right one', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const before = Date.now();
    const locked = await lockOut(u);
    const until = new Date(locked.details!.lockedUntil as string).getTime();
    expect(Math.abs(until - (before + 90 * 60_000))).toBeLessThan(60_000);

    let failed = await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGIN_FAILED' });
    expect(failed).toHaveLength(6);
    const lockEvents = await auditFor(s.adminCookie, { resourceId: u.id, action: 'ACCOUNT_LOCKED' });
    expect(lockEvents).toHaveLength(1);
    expect(lockEvents[0]!.changes).toEqual([{ field: 'lockedUntil', old: null, new: locked.details!.lockedUntil }]);

    fails(await attempt({ email: u.email, password: u.password }), 423, 'ACCOUNT_LOCKED');
    failed = await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGIN_FAILED' });
    expect(failed).toHaveLength(7);
    expect(failed[0]!.details).toMatch(/locked/);
    // The admin sees the lock.
    expect(ok(await get(`/api/users/${u.id}`, { cookie: s.adminCookie })).lockedUntil).toBe(locked.details!.lockedUntil);
  });

  it('answers a locked account, an unknown email and a wrong password with the same 401 body', async () => {
    // Regression: a locked account answered 423 to any password, telling an attacker which accounts exist.
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const wrong = await attempt({ email: u.email, password: 'not-it' });
    const unknown = await attempt({ email: `nobody-${u.id.slice(-6)}@example.test`, password: 'not-it' });
    await lockOut(u);
    const lockedWrong = await attempt({ email: u.email, password: 'still-not-it' });
    for (const res of [wrong, unknown, lockedWrong]) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json()).toEqual(wrong.json());
    }
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    // The holder of the right password is told about the lock and its end.
    const locked = fails(await attempt({ email: u.email, password: u.password }), 423, 'ACCOUNT_LOCKED');
    expect(new Date(locked.details!.lockedUntil as string).getTime()).toBeGreaterThan(Date.now());
  });

  it('locks an account under 15 concurrent wrong passwords from 15 addresses', async () => {
    // Regression: the failure count was read, then written after the (slow) password check, so concurrent attempts
    // overwrote each other's count and none of 15 locked the account.
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt({ email: u.email, password: `guess-${i}` }, t.app, `198.51.100.${i + 1}`)));
    const bodies = new Set(results.map((r) => `${r.statusCode} ${r.body}`));
    expect([...bodies]).toEqual([`401 ${JSON.stringify(results[0]!.json())}`]);
    const row = await t.db.selectFrom('users').select('locked_until').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
    // Few passwords were actually checked: five before the lock, at most five more during it (when the scheduler runs
    // the attempts one after another); the rest were refused unchecked.
    const failed = await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGIN_FAILED' });
    expect(failed).toHaveLength(15);
    expect(failed.filter((e) => e.details.startsWith('Wrong password')).length).toBeLessThanOrEqual(10);
    expect(await auditFor(s.adminCookie, { resourceId: u.id, action: 'ACCOUNT_LOCKED' })).toHaveLength(1);
    // Even the right password does not get in now (423 with the lock's end, or the common 401 if the attempts during
    // the lock are spent; lockOut above shows the 423 deterministically).
    const right = await attempt({ email: u.email, password: u.password }, t.app, '203.0.113.9');
    expect([401, 423], right.body).toContain(right.statusCode);
  });

  it('checks at most five passwords more while locked, from any address', async () => {
    // Only the right password learns of a lock: bounded per account (not per address), so guessing during a lock stays limited.
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    for (let i = 1; i <= 5; i++) fails(await attempt({ email: u.email, password: `wrong-${i}` }, t.app, `192.0.2.${i}`), 401, 'INVALID_CREDENTIALS');
    for (let i = 6; i <= 10; i++) fails(await attempt({ email: u.email, password: `wrong-${i}` }, t.app, `192.0.2.${i}`), 401, 'INVALID_CREDENTIALS');
    // The lock's budget is spent: the right password is not even checked, and gets the common answer.
    fails(await attempt({ email: u.email, password: u.password }, t.app, '192.0.2.11'), 401, 'INVALID_CREDENTIALS');
    const failed = await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGIN_FAILED' });
    expect(failed[0]!.details).toMatch(/too many attempts/);
    // Once the lock has run out, the account works again.
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', u.id)
      .execute();
    ok(await attempt({ email: u.email, password: u.password }));
  });

  it('restores a locked account by itself once the lock has run out', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    await lockOut(u);
    // Ninety minutes pass.
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', u.id)
      .execute();
    expect(ok(await get(`/api/users/${u.id}`, { cookie: s.adminCookie })).lockedUntil).toBeNull();
    // Counting starts again: one wrong password does not lock it at once.
    fails(await attempt({ email: u.email, password: 'wrong-again' }), 401, 'INVALID_CREDENTIALS');
    const me = ok(await attempt({ email: u.email, password: u.password }));
    expect(me.user.id).toBe(u.id);
    const row = await t.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
    // And a fresh run of wrong passwords locks it again after five.
    await lockOut(u);
  });

  it('counts only consecutive failures: a good login resets the count', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    for (let i = 0; i < 4; i++) fails(await attempt({ email: u.email, password: 'wrong' }), 401, 'INVALID_CREDENTIALS');
    ok(await attempt({ email: u.email, password: u.password }));
    for (let i = 0; i < 4; i++) fails(await attempt({ email: u.email, password: 'wrong' }), 401, 'INVALID_CREDENTIALS');
    ok(await attempt({ email: u.email, password: u.password }));
  });

  it('lets an administrator unlock an account early', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const locked = await lockOut(u);
    const unlocked = ok(await send('POST', `/api/users/${u.id}/unlock`, s.asAdmin));
    expect(unlocked).toMatchObject({ id: u.id, lockedUntil: null });
    ok(await attempt({ email: u.email, password: u.password }));
    const [event] = await auditFor(s.adminCookie, { resourceId: u.id, action: 'USER_UNLOCK' });
    expect(event).toMatchObject({ initiatorId: s.admin.id, changes: [{ field: 'lockedUntil', old: locked.details!.lockedUntil, new: null }] });
  });

  it('ends the session on logout', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const cookie = await login(t.app, u);
    const other = await login(t.app, u);
    ok(await get('/api/me', { cookie }));
    const res = await send('POST', '/api/auth/logout', { cookie });
    ok(res, 204);
    const cleared = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cleared.value).toBe('');
    expect((cleared.expires as Date).getTime()).toBeLessThanOrEqual(Date.now());
    fails(await get('/api/me', { cookie }), 401, 'UNAUTHENTICATED');
    fails(await send('POST', '/api/auth/logout', { cookie }), 401, 'UNAUTHENTICATED');
    ok(await get('/api/me', { cookie: other })); // only that session ended
    expect(await auditFor(s.adminCookie, { resourceId: u.id, action: 'LOGOUT' })).toHaveLength(1);
  });

  it('refuses an expired session', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const cookie = await login(t.app, u);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', u.id)
      .execute();
    fails(await get('/api/me', { cookie }), 401, 'UNAUTHENTICATED');
    expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
  });

  describe('API tokens', () => {
    it('authenticates with Bearer, records "api" in the audit trail, and stops when revoked', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { permissions: ['reports.view'] });
      const cookie = await login(t.app, u);
      const created = ok(await send('POST', '/api/me/tokens', { cookie }, { name: 'CI script', expiresInDays: 30 }));
      expect(created.token).toMatch(/^esk_[A-Za-z0-9_-]{40,}$/);
      expect(created.item).toMatchObject({ name: 'CI script', prefix: created.token.slice(0, 10), lastUsedAt: null });
      expect(Math.abs(new Date(created.item.expiresAt).getTime() - (Date.now() + 30 * 86400_000))).toBeLessThan(60_000);
      const bearer = { authorization: `Bearer ${created.token}` };

      const me = ok(await get('/api/me', bearer));
      expect(me).toMatchObject({ id: u.id, permissions: ['reports.view'] });
      // A token carries its owner's permissions, no more.
      fails(await get('/api/users', bearer), 403, 'FORBIDDEN');

      ok(await send('PATCH', '/api/me', bearer, { name: 'Renamed by script' }));
      ok(await send('PATCH', '/api/me', { cookie }, { language: 'fr' }));
      const updates = await auditFor(s.adminCookie, { resourceId: u.id, action: 'USER_UPDATE' });
      expect(updates.map((e) => [e.application, e.initiatorId])).toEqual([
        ['web', u.id],
        ['api', u.id],
      ]);

      const listed = ok(await get('/api/me/tokens', { cookie })).items;
      expect(listed).toHaveLength(1);
      expect(listed[0].lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain(created.token);

      ok(await send('DELETE', `/api/me/tokens/${created.item.id}`, { cookie }), 204);
      fails(await get('/api/me', bearer), 401, 'UNAUTHENTICATED');
      expect(ok(await get('/api/me/tokens', { cookie })).items).toEqual([]);
      fails(await send('DELETE', `/api/me/tokens/${created.item.id}`, { cookie }), 404, 'NOT_FOUND');
      expect(await auditFor(s.adminCookie, { resourceId: created.item.id })).toEqual([
        expect.objectContaining({ action: 'TOKEN_REVOKE' }),
        expect.objectContaining({ action: 'TOKEN_CREATE' }),
      ]);
    });

    it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const cookie = await login(t.app, u);
      const created = ok(await send('POST', '/api/me/tokens', { cookie }, { name: 'short-lived', expiresInDays: 1 }));
      const bearer = { authorization: `Bearer ${created.token}` };
      ok(await get('/api/me', bearer));
      await t.db
        .updateTable('api_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', created.item.id)
        .execute();
      fails(await get('/api/me', bearer), 401, 'TOKEN_EXPIRED');
    });

    it("does not let one user revoke another user's token", async () => {
      const s = await setup();
      const a = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const created = ok(await send('POST', '/api/me/tokens', { cookie: await login(t.app, a) }, { name: 'mine' }));
      fails(await send('DELETE', `/api/me/tokens/${created.item.id}`, { cookie: s.adminCookie }), 404, 'NOT_FOUND');
      ok(await get('/api/me', { authorization: `Bearer ${created.token}` }));
    });

    it('stops working for a disabled user', async () => {
      const s = await setup();
      const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
      const created = ok(await send('POST', '/api/me/tokens', { cookie: await login(t.app, u) }, { name: 'mine' }));
      ok(await send('PATCH', `/api/users/${u.id}`, s.asAdmin, { disabled: true }));
      fails(await get('/api/me', { authorization: `Bearer ${created.token}` }), 401, 'UNAUTHENTICATED');
    });
  });

  it('changes the own password, ending the other sessions but not the current one', async () => {
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const current = await login(t.app, u);
    const other = await login(t.app, u);
    const change = (body: object) => send('POST', '/api/me/password', { cookie: current }, body);

    fails(await change({ currentPassword: 'not-my-password', newPassword: 'Another-Secret-77' }), 401, 'INVALID_CREDENTIALS');
    fails(await change({ currentPassword: PASSWORD, newPassword: 'short' }), 400, 'VALIDATION_FAILED');
    fails(await change({ currentPassword: PASSWORD, newPassword: PASSWORD }), 400, 'VALIDATION_FAILED');
    ok(await get('/api/me', { cookie: other })); // refused changes end nothing
    expect(await auditFor(s.adminCookie, { resourceId: u.id, action: 'PASSWORD_CHANGE_FAILED' })).toHaveLength(1);

    ok(await change({ currentPassword: PASSWORD, newPassword: 'Another-Secret-77' }), 204);
    ok(await get('/api/me', { cookie: current }));
    fails(await get('/api/me', { cookie: other }), 401, 'UNAUTHENTICATED');
    fails(await attempt({ email: u.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    ok(await attempt({ email: u.email, password: 'Another-Secret-77' }));
    const [event] = await auditFor(s.adminCookie, { resourceId: u.id, action: 'PASSWORD_CHANGE' });
    expect(event).toMatchObject({ initiatorId: u.id, application: 'web' });
  });

  it('counts wrong current passwords on the password change against the same lockout', async () => {
    // Regression: the password change checked the current password outside the lockout count, so a stolen session
    // could guess it without limit (only the per-address rate limit slowed it).
    const s = await setup();
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const cookie = await login(t.app, u);
    const change = (currentPassword: string) => send('POST', '/api/me/password', { cookie }, { currentPassword, newPassword: 'Guessed-Then-Set-1' });
    for (let i = 1; i <= 5; i++) fails(await change(`guess-${i}`), 401, 'INVALID_CREDENTIALS');
    expect(await auditFor(s.adminCookie, { resourceId: u.id, action: 'ACCOUNT_LOCKED' })).toHaveLength(1);
    // Locked: the right current password changes nothing, and sign-in is locked too.
    fails(await change(PASSWORD), 423, 'ACCOUNT_LOCKED');
    fails(await attempt({ email: u.email, password: PASSWORD }), 423, 'ACCOUNT_LOCKED');
    ok(await get('/api/me', { cookie })); // the session itself goes on
  });

  it('asks for the organisation when an email exists in two tenants', async () => {
    const one = await makeTenant(t);
    const two = await makeTenant(t);
    const shared = `shared-${one.tenantId.slice(-8)}@example.test`;
    const a = await makeUser(t, one.tenantId, { email: shared, roles: ['agent'] });
    const b = await makeUser(t, two.tenantId, { email: shared, roles: ['evaluator'] });
    expect(a.id).not.toBe(b.id);

    const e = fails(await attempt({ email: shared, password: PASSWORD }), 400, 'VALIDATION_FAILED');
    expect(e.details).toMatchObject({ field: 'tenant', reason: 'TENANT_REQUIRED' });
    expect(ok(await attempt({ email: shared, password: PASSWORD, tenant: one.name })).user).toMatchObject({ id: a.id, tenantId: one.tenantId });
    expect(ok(await attempt({ email: shared, password: PASSWORD, tenant: two.name.toLowerCase() })).user).toMatchObject({ id: b.id, tenantId: two.tenantId });
    fails(await attempt({ email: shared, password: PASSWORD, tenant: 'No such organisation' }), 401, 'INVALID_CREDENTIALS');
    // Naming an organisation also works for an email that exists once.
    ok(await attempt({ email: one.admin.email, password: PASSWORD, tenant: one.name }));
    fails(await attempt({ email: one.admin.email, password: PASSWORD, tenant: two.name }), 401, 'INVALID_CREDENTIALS');
  });

  describe('with a login rate limit of 3 a minute', () => {
    let limited: Awaited<ReturnType<typeof createTestApp>>;
    beforeAll(async () => {
      limited = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '3' });
    });
    afterAll(() => limited?.cleanup());

    it('answers 429 RATE_LIMITED after 3 attempts, even with the right password', async () => {
      const tenant = await makeTenant(limited);
      const creds = { email: tenant.admin.email, password: PASSWORD };
      fails(await attempt({ ...creds, password: 'wrong' }, limited.app), 401, 'INVALID_CREDENTIALS');
      fails(await attempt({ ...creds, password: 'wrong' }, limited.app), 401, 'INVALID_CREDENTIALS');
      ok(await attempt(creds, limited.app));
      fails(await attempt(creds, limited.app), 429, 'RATE_LIMITED');
      fails(await attempt({ ...creds, password: 'wrong' }, limited.app), 429, 'RATE_LIMITED');
      // The refused attempts never reached the password check: the account is not closer to a lockout.
      const row = await limited.db.selectFrom('users').select('failed_logins').where('id', '=', tenant.admin.id).executeTakeFirstOrThrow();
      expect(row.failed_logins).toBe(0);
      // The limit is per client address.
      ok(await attempt(creds, limited.app, '10.1.2.3'));
    });
  });
});
