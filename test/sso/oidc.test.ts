// OpenID Connect sign-in against a real OpenID Provider (oidc-provider on 127.0.0.1), both engines: just-in-time
// creation with the mapping rules, a linked account's next sign-in, and the refusals — unknown user, replayed
// callback, a callback in another browser, wrong issuer — each with its reason on the sign-in page and an audit event;
// and passwords switched off except for the break-glass administrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp, type TestContext } from '../helpers/context.ts';
import { PASSWORD, makeTenant, makeUser } from '../helpers/factories.ts';
import type { BuiltApp } from '../../src/app.ts';
import { fails, ok, signIn, type Json } from '../helpers/http.ts';
import { SESSION_COOKIE } from '../../src/auth/tokens.ts';
import { signInAtProvider, startOidcProvider, type TestAccount } from './oidc-provider.ts';

const BASE = 'http://127.0.0.1:9';
const CALLBACK = `${BASE}/api/auth/sso/oidc/callback`;

describe.each(ENGINES)('OIDC sign-in (%s)', (engine) => {
  let t: TestContext & BuiltApp;
  let op: Awaited<ReturnType<typeof startOidcProvider>>;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let providerId: string;
  let supervisorRole: Json;
  let groupId: string;
  const accounts: Record<string, TestAccount> = {
    alice: { sub: 'alice-sub', email: 'alice@corp.test', name: 'Alice Martin', groups: ['earshot-supervisors', 'everyone'] },
    bob: { sub: 'bob-sub', email: 'bob@corp.test', name: 'Bob', groups: [] },
  };

  /** Start → provider → callback, as a browser does; returns the callback's answer. */
  async function flow(login: string, opts: { dropBinding?: boolean } = {}) {
    const start = await t.app.inject({ method: 'GET', url: `/api/auth/sso/${providerId}/start?returnTo=/conversations` });
    expect(start.statusCode, start.body).toBe(302);
    const binding = start.cookies.find((c) => c.name === 'earshot_sso')!;
    expect(binding.sameSite).toBe('Lax');
    const back = await signInAtProvider(start.headers.location as string, login, CALLBACK);
    const callbackPath = back.slice(BASE.length);
    const res = await t.app.inject({
      method: 'GET',
      url: callbackPath,
      headers: opts.dropBinding ? {} : { cookie: `earshot_sso=${binding.value}` },
    });
    return { res, callbackPath, binding: binding.value };
  }
  const ssoError = (res: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(res.statusCode).toBe(303);
    return new URL(String(res.headers.location), BASE).searchParams.get('sso_error');
  };

  beforeAll(async () => {
    op = await startOidcProvider({ redirectUri: CALLBACK, accounts });
    t = await createTestApp(engine, { EARSHOT_PUBLIC_URL: BASE, EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    tenant = await makeTenant(t);
    admin = await signIn(t.app, tenant.admin);
    const roles = ok(await admin.get('/api/roles')).items as Json[];
    supervisorRole = roles.find((r) => r.builtinKey === 'cc_manager')!;
    groupId = ok(await admin.post('/api/groups', { name: 'Support' })).id;
    const p = ok(
      await admin.post('/api/admin/sso/providers', {
        kind: 'oidc',
        name: 'Corp ID',
        oidc: { issuer: op.issuer, clientId: 'earshot', clientSecret: 'earshot-secret', scopes: 'openid email profile groups' },
      }),
    );
    providerId = p.id;
    expect(p.oidc.redirectUri).toBe(CALLBACK);
    expect(JSON.stringify(p)).not.toContain('earshot-secret');
  });
  afterAll(async () => {
    await t?.cleanup();
    await op?.stop();
  });

  it('lists the provider on the sign-in page', async () => {
    const o = ok(await t.app.inject({ method: 'GET', url: `/api/auth/sso/options?tenant=${encodeURIComponent(tenant.name)}` }));
    expect(o).toEqual({ tenant: tenant.name, providers: [{ id: providerId, name: 'Corp ID', kind: 'oidc' }], passwordLogin: true });
  });

  it('refuses an unknown user while accounts are not created at first sign-in', async () => {
    const { res } = await flow('alice');
    expect(ssoError(res)).toBe('SSO_NO_ACCOUNT');
    const audit = await t.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenant.tenantId).where('action', '=', 'SSO_LOGIN_FAILED').execute();
    expect(audit.some((e) => /SSO_NO_ACCOUNT/.test(e.details))).toBe(true);
  });

  it('creates the account at first sign-in, with the roles and group of the mapping rules, and signs in', async () => {
    ok(
      await admin.patch('/api/admin/sso/settings', {
        jit: true,
        mappingRules: [{ match: 'EARSHOT-supervisors', roleIds: [supervisorRole.id], groupId }],
      }),
    );
    const { res } = await flow('alice');
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/conversations');
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(session.sameSite).toBe('Strict');
    const me = ok(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${session.value}` } }));
    expect(me).toMatchObject({ email: 'alice@corp.test', name: 'Alice Martin', groupId });
    expect(me.roles.map((r: Json) => r.id)).toEqual([supervisorRole.id]);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('resource_id', '=', me.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['USER_CREATE', 'LOGIN']));
    expect(audit.find((a) => a.action === 'LOGIN')!.details).toMatch(/OIDC provider "Corp ID"/);
  });

  it('refuses a replayed callback and a callback without the browser binding', async () => {
    const first = await flow('alice');
    expect(first.res.statusCode).toBe(303);
    expect(first.res.headers.location).toBe('/conversations');
    const replay = await t.app.inject({ method: 'GET', url: first.callbackPath, headers: { cookie: `earshot_sso=${first.binding}` } });
    expect(ssoError(replay)).toBe('SSO_STATE');
    const other = await flow('alice', { dropBinding: true });
    expect(ssoError(other.res)).toBe('SSO_STATE');
  });

  it('refuses a provider whose issuer is not the configured one', async () => {
    const wrong = ok(
      await admin.post('/api/admin/sso/providers', {
        kind: 'oidc',
        name: 'Misconfigured',
        oidc: { issuer: op.issuer.replace('127.0.0.1', 'localhost'), clientId: 'earshot', clientSecret: 'earshot-secret' },
      }),
    );
    const res = await t.app.inject({ method: 'GET', url: `/api/auth/sso/${wrong.id}/start` });
    expect(ssoError(res)).toBe('OIDC_ISSUER');
    const audit = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('resource_id', '=', wrong.id)
      .where('action', '=', 'SSO_LOGIN_FAILED')
      .execute();
    expect(audit.length).toBe(1);
    ok(await admin.del(`/api/admin/sso/providers/${wrong.id}`), 204);
  });

  it('refuses a non-https issuer elsewhere than on this machine, and a missing break-glass admin', async () => {
    fails(
      await admin.post('/api/admin/sso/providers', { kind: 'oidc', name: 'X', oidc: { issuer: 'http://idp.example.com', clientId: 'c' } }),
      400,
      'VALIDATION_FAILED',
      'SSO_URL_NOT_HTTPS',
    );
    fails(await admin.patch('/api/admin/sso/settings', { passwordLogin: false }), 400, 'VALIDATION_FAILED', 'BREAK_GLASS_REQUIRED');
  });

  it('with passwords off, only the break-glass administrator signs in with a password', async () => {
    const other = await makeUser(t, tenant.tenantId, { roles: ['agent'] });
    ok(await admin.patch('/api/admin/sso/settings', { passwordLogin: false, breakGlassUserId: tenant.admin.id }));
    fails(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: other.email, password: PASSWORD } }), 403, 'PASSWORD_LOGIN_DISABLED');
    ok(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: tenant.admin.email, password: PASSWORD } }));
    const o = ok(await t.app.inject({ method: 'GET', url: `/api/auth/sso/options?tenant=${encodeURIComponent(tenant.name)}` }));
    expect(o.passwordLogin).toBe(false);
    // SSO still works for everyone.
    const { res } = await flow('alice');
    expect(res.headers.location).toBe('/conversations');
    ok(await admin.patch('/api/admin/sso/settings', { passwordLogin: true }));
  });

  it('an admin without settings.manage cannot read or change sign-in settings', async () => {
    const u = await makeUser(t, tenant.tenantId, { permissions: ['users.manage'] });
    const c = await signIn(t.app, u);
    fails(await c.get('/api/admin/sso'), 403, 'FORBIDDEN');
  });
});
