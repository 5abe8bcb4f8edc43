import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/context.ts';

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
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('earshot_http_request_duration_seconds');
  });

  it('gives unknown API routes a JSON 404 with a stable code', async () => {
    const res = await t.app.inject({ url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /api/no-such-thing' } });
  });

  it('tells the browser only the public configuration', async () => {
    const res = await t.app.inject({ url: '/api/config/public' });
    expect(Object.keys(res.json()).sort()).toEqual(['demo', 'languages', 'version']);
    expect(res.body).not.toMatch(/master|database|s3/i);
  });
});
