import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/context.ts';
import { login, makeTenant } from '../../../test/helpers/factories.ts';
import { startMetricsServer } from './metrics.ts';

describe('HTTP edge', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.cleanup());

  it('documents every API route in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { summary?: string }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const apiRoutes = t.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');
    expect(apiRoutes.length).toBeGreaterThan(25);
    for (const r of apiRoutes) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
      expect(doc.paths[p]![r.method.toLowerCase()]!.summary, `${r.method} ${r.url} has a summary`).toBeTruthy();
    }
    expect((await t.app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
  });

  it('answers health, exposes metrics and sends security headers', async () => {
    const health = await t.app.inject({ url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(String(health.headers['content-security-policy'])).toContain("default-src 'self'");
    // Without EARSHOT_METRICS_TOKEN the API port does not serve metrics.
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(403);
    expect(metrics.body).not.toContain('earshot_http_request_duration_seconds');
  });

  it('gives unknown API routes a JSON 404 with a stable code', async () => {
    const res = await t.app.inject({ url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /api/no-such-thing' } });
  });

  it('names the allowed values when a field must be one of several', async () => {
    const { admin } = await makeTenant(t);
    const cookie = await login(t.app, admin);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie }, payload: { timeDisplay: 'moon' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Invalid body field "timeDisplay": must be one of "site", "mine"' });
  });

  it('tells the browser only the public configuration', async () => {
    const res = await t.app.inject({ url: '/api/config/public' });
    expect(Object.keys(res.json()).sort()).toEqual(['demo', 'languages', 'version']);
    expect(res.body).not.toMatch(/master|database|s3/i);
  });
});

// A page on another port of the same host is the same *site*: SameSite=Strict still sends the session cookie.
describe('CSRF guard', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let cookie: string;
  const names: string[] = [];
  const createTag = (headers: Record<string, string>) => {
    const name = `tag-${names.length}`;
    names.push(name);
    return t.app.inject({ method: 'POST', url: '/api/tags', headers: { cookie, host: '127.0.0.1:8080', ...headers }, payload: { name, color: '#228be6' } });
  };
  beforeAll(async () => {
    t = await createTestApp('sqlite', { EARSHOT_TRUST_PROXY: 'true', EARSHOT_ALLOWED_ORIGINS: 'https://ui.example.test' });
    const { admin } = await makeTenant(t);
    cookie = await login(t.app, admin);
  });
  afterAll(() => t.cleanup());

  it('refuses a cookie-authenticated change from another origin of the same host, and writes nothing', async () => {
    const res = await createTag({ origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site' });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('CSRF_REJECTED');
    for (const origin of ['http://127.0.0.1:9999', 'https://127.0.0.1:8080', 'http://localhost:8080', 'null']) {
      expect((await createTag({ origin })).json().error?.code, origin).toBe('CSRF_REJECTED');
    }
    // No Origin, but the browser says the request comes from elsewhere.
    expect((await createTag({ 'sec-fetch-site': 'cross-site' })).json().error?.code).toBe('CSRF_REJECTED');
    expect((await createTag({ 'sec-fetch-site': 'same-site' })).json().error?.code).toBe('CSRF_REJECTED');
    const list = await t.app.inject({ url: '/api/tags', headers: { cookie, origin: 'http://127.0.0.1:9999' } });
    expect(list.statusCode).toBe(200);
    expect((list.json().items as Array<{ name: string }>).filter((x) => names.includes(x.name))).toEqual([]);
  });

  it('refuses a cross-origin login and logout too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'http://127.0.0.1:9999' },
      payload: { email: 'x@example.test', password: 'x' },
    });
    expect(res.json().error.code).toBe('CSRF_REJECTED');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: 'http://127.0.0.1:9999' } });
    expect(out.json().error.code).toBe('CSRF_REJECTED');
  });

  it('accepts the browser on our own origin, behind a trusted proxy, from an allowed origin, and scripts without Origin', async () => {
    expect((await createTag({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await createTag({ origin: 'http://127.0.0.1:8080' })).statusCode).toBe(200);
    expect(
      (await createTag({ origin: 'https://earshot.example.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'earshot.example.test' })).statusCode,
    ).toBe(200);
    expect((await createTag({ origin: 'https://ui.example.test' })).statusCode).toBe(200);
    expect((await createTag({})).statusCode).toBe(200);
    expect((await createTag({ 'sec-fetch-site': 'none' })).statusCode).toBe(200);
  });

  it('does not check Bearer-token calls, which carry no ambient credential', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: { cookie }, payload: { name: 'ci' } });
    const token = created.json().token as string;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tags',
      headers: { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:9999' },
      payload: { name: 'by-token', color: '#228be6' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('Prometheus metrics', () => {
  it('need the metrics token on the API port', async () => {
    const t = await createTestApp('sqlite', { EARSHOT_METRICS_TOKEN: 's3cret-scrape' });
    try {
      const none = await t.app.inject({ url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('UNAUTHENTICATED');
      expect((await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      const ok = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer s3cret-scrape' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('earshot_http_request_duration_seconds');
    } finally {
      await t.cleanup();
    }
  });

  it('are served without a token on the separate metrics address, and nothing else is', async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('earshot_jobs_finished_total');
      expect((await fetch(`http://127.0.0.1:${server.port}/api/health`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
