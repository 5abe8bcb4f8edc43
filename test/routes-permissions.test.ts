// The generated access test: every route the app registers is called anonymously, by a user holding every permission
// except the one(s) it needs, and by a user holding exactly what it needs. A new route is covered the day it is added.
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { PERMISSION_IDS, type Permission } from '../src/auth/permissions.ts';
import { AUTHENTICATED, requiredPermissions } from '../src/platform/http/access.ts';
import { installAuth, type RouteInfo } from '../src/platform/http/auth.ts';
import { installErrorHandling } from '../src/platform/http/errors.ts';
import { newId } from '../src/platform/ids.ts';
import { ENGINES, type Engine } from './db.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { login, makeTenant, makeUser } from './helpers/factories.ts';

/** Builds the app as production does, with a web build present so the static '/*' route is registered too. */
async function startApp(engine: Engine): Promise<TestContext & BuiltApp> {
  // Every positive control logs in afresh: keep the login rate limit out of the way (it has its own test).
  const ctx = await createTestContext(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
  const webDir = path.join(ctx.dataDir, 'web');
  fs.mkdirSync(webDir, { recursive: true });
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Earshot</title>');
  const built = await buildApp(ctx, { webDir });
  return { ...ctx, ...built, async cleanup() { await built.app.close(); await ctx.cleanup(); } };
}

// The route list is needed when the tests are collected, before any beforeAll runs: build the app once to read it.
const catalog: RouteInfo[] = await (async () => {
  const probe = await startApp('sqlite');
  try {
    return [...probe.routes];
  } finally {
    await probe.cleanup();
  }
})();

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const isPublic = (r: RouteInfo) => 'public' in r.access;
const guarded = catalog.filter((r) => !isPublic(r));
const withPermission = guarded.filter((r) => requiredPermissions(r.access).length > 0);

/** A concrete URL for a route pattern: every :param and wildcard gets a fresh id. */
function concreteUrl(url: string) {
  return url.replace(/:[A-Za-z0-9_]+/g, () => newId()).replace(/\*/g, () => newId());
}

function request(r: RouteInfo, headers: Record<string, string> = {}) {
  const hasBody = ['POST', 'PATCH', 'PUT'].includes(r.method);
  return {
    method: r.method as 'GET',
    url: concreteUrl(r.url),
    headers,
    ...(hasBody ? { payload: {} } : {}),
  };
}

const errorCode = (body: string) => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

describe('the route catalogue', () => {
  it('is non-trivial, so the generated tests cannot pass vacuously', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(30);
    expect(guarded.length).toBeGreaterThanOrEqual(20);
    expect(withPermission.length).toBeGreaterThanOrEqual(15);
    // Every method/url pair appears once.
    expect(new Set(catalog.map(key)).size).toBe(catalog.length);
  });

  it('has exactly the expected public routes', () => {
    const publicRoutes = catalog.filter(isPublic).map(key);
    const fixed = ['GET /api/health', 'GET /api/config/public', 'POST /api/auth/login', 'GET /api/openapi.json', 'GET /metrics', 'GET /*'];
    const docs = publicRoutes.filter((k) => k.startsWith('GET /api/docs'));
    expect(docs).toContain('GET /api/docs');
    expect(publicRoutes.sort()).toEqual([...fixed, ...docs].sort());
  });

  it('declares only known permissions', () => {
    for (const r of withPermission) for (const p of requiredPermissions(r.access)) expect(PERMISSION_IDS, key(r)).toContain(p);
  });

  it('refuses to build an app with a route that declares no access', async () => {
    const t = await createTestContext('sqlite');
    try {
      // Control: a route that declares its access registers and is catalogued.
      const good = Fastify();
      const goodRoutes: RouteInfo[] = [];
      installAuth(good, t, goodRoutes);
      good.get('/with-access', { config: { access: AUTHENTICATED } }, () => 'ok');
      await good.ready();
      expect(goodRoutes).toEqual([{ method: 'GET', url: '/with-access', access: AUTHENTICATED }]);
      await good.close();

      const bad = Fastify();
      installAuth(bad, t, []);
      const attempt = async () => {
        bad.get('/no-access', () => 'oops');
        await bad.ready();
      };
      await expect(attempt()).rejects.toThrow(/GET \/no-access declares no access/);
      await bad.close().catch(() => {});

      // Inside a plugin too (as every feature registers its routes).
      const nested = Fastify();
      installAuth(nested, t, []);
      nested.register(async (child) => {
        child.post('/nested', () => 'oops');
      });
      await expect(nested.ready()).rejects.toThrow(/POST \/nested declares no access/);
      await nested.close().catch(() => {});
    } finally {
      await t.cleanup();
    }
  });

  it('checks access before validation and answers with the stable error body', async () => {
    // A bare app with the same auth and error handling: an anonymous request with an invalid body is refused as unauthenticated.
    const t = await createTestContext('sqlite');
    try {
      const app = Fastify();
      installErrorHandling(app);
      installAuth(app, t, []);
      app.post('/strict', { config: { access: AUTHENTICATED }, schema: { body: { type: 'object', required: ['x'], properties: { x: { type: 'string' } } } } }, () => 'ok');
      const res = await app.inject({ method: 'POST', url: '/strict', payload: {} });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
      await app.close();
    } finally {
      await t.cleanup();
    }
  });
});

describe.each(ENGINES)('route access on %s', (engine) => {
  let t: TestContext & BuiltApp;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  /** Cookies of users holding every permission except a set, by the sorted set. */
  const allButCookies = new Map<string, Promise<string>>();
  /** Users holding exactly one permission set (an empty set: authenticated, no permission). */
  const exactUsers = new Map<string, Promise<{ email: string; password: string }>>();

  beforeAll(async () => {
    t = await startApp(engine);
    tenant = await makeTenant(t);
  });
  afterAll(() => t?.cleanup());

  function allBut(excluded: Permission[]) {
    const k = [...excluded].sort().join(',');
    let c = allButCookies.get(k);
    if (!c) {
      c = (async () => {
        const perms = PERMISSION_IDS.filter((p) => !excluded.includes(p));
        const u = await makeUser(t, tenant.tenantId, { permissions: perms });
        return login(t.app, u);
      })();
      allButCookies.set(k, c);
    }
    return c;
  }

  function exactly(perms: Permission[]) {
    const k = [...perms].sort().join(',');
    let u = exactUsers.get(k);
    if (!u) {
      u = makeUser(t, tenant.tenantId, { permissions: perms });
      exactUsers.set(k, u);
    }
    return u;
  }

  it('registers the same routes as the catalogue read at collection time', () => {
    expect(t.routes.map(key).sort()).toEqual(catalog.map(key).sort());
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s refuses an anonymous caller with 401 UNAUTHENTICATED', async (_k, r) => {
    const res = await t.app.inject(request(r));
    expect(res.statusCode, res.body).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s refuses a bad session cookie, a bad Bearer token and other schemes with 401', async (_k, r) => {
    const bad: Array<Record<string, string>> = [{ cookie: 'earshot_session=not-a-session' }, { authorization: 'Bearer esk_not-a-token' }, { authorization: 'Basic YTpi' }];
    for (const headers of bad) {
      const res = await t.app.inject(request(r, headers));
      expect(res.statusCode, res.body).toBe(401);
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
    }
  });

  it.each(withPermission.map((r) => [key(r), r] as const))('%s refuses a user holding every other permission with 403 FORBIDDEN', async (_k, r) => {
    const required = requiredPermissions(r.access);
    const cookie = await allBut(required);
    const res = await t.app.inject(request(r, { cookie }));
    expect(res.statusCode, res.body).toBe(403);
    expect(errorCode(res.body)).toBe('FORBIDDEN');
  });

  it.each(guarded.map((r) => [key(r), r] as const))('%s lets in a user holding exactly what it needs', async (_k, r) => {
    const required = requiredPermissions(r.access);
    // Each alternative of an any-of list must be enough on its own; AUTHENTICATED needs no permission at all.
    const sets: Permission[][] = required.length ? required.map((p) => [p]) : [[]];
    for (const perms of sets) {
      const user = await exactly(perms);
      // A fresh session per request: a route under test (logout, password change…) may end the session it runs in.
      const cookie = await login(t.app, user);
      const res = await t.app.inject(request(r, { cookie }));
      expect(res.statusCode, `${perms.join(',') || 'no permission'}: ${res.body}`).not.toBe(401);
      expect(res.statusCode, `${perms.join(',') || 'no permission'}: ${res.body}`).not.toBe(403);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
  });
});
