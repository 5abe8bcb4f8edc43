// Audit append rate and login latency, on SQLite and (when available) PostgreSQL.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext, type AppContext } from '../src/context.ts';
import { FEATURES } from '../src/features.ts';
import { buildApp } from '../src/app.ts';
import { bootstrapUser, createTenant } from '../src/auth/tenants.ts';
import { findPgBin, startPostgres } from '../test/postgres.ts';

async function contextFor(databaseUrl: string | null) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    ...(databaseUrl ? { EARSHOT_DATABASE_URL: databaseUrl } : {}),
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  return {
    ctx,
    done: async () => {
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function auditRate(ctx: AppContext, seconds = 3, concurrency = 1) {
  const who = { userId: null, name: 'bench', ip: '127.0.0.1', application: 'cli' as const };
  let n = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await ctx.audit.append({
          tenantId: 'bench',
          initiator: who,
          resourceType: 'user',
          resourceId: String(n),
          action: 'USER_UPDATE',
          details: `bench event ${n}`,
          changes: [{ field: 'name', old: 'a', new: 'b' }],
        });
        n++;
      }
    }),
  );
  const verified = await ctx.audit.verifyChain('bench');
  return { perSecond: n / seconds, events: n, intact: verified.intact };
}

async function loginLatency(ctx: AppContext, n = 100) {
  const tenantId = await createTenant(ctx, { name: `bench-${randomBytes(3).toString('hex')}` });
  await bootstrapUser(ctx, tenantId, { email: 'bench@example.test', name: 'Bench', password: 'Bench-Password-1!', roles: ['admin'] });
  const { app } = await buildApp({ ...ctx, config: { ...ctx.config, loginRateLimitPerMinute: 1_000_000 } });
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@example.test', password: 'Bench-Password-1!' } });
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  }
  await app.close();
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { p50: q(0.5), p95: q(0.95), max: times[times.length - 1]! };
}

export async function runPlatformBench() {
  const engines: Array<[string, string | null]> = [['sqlite', null]];
  const pg = findPgBin() ? await startPostgres() : null;
  if (pg) engines.push(['postgres', pg.url]);
  try {
    for (const [name, url] of engines) {
      const { ctx, done } = await contextFor(url);
      try {
        const a1 = await auditRate(ctx, 3, 1);
        const a8 = await auditRate(ctx, 3, 8);
        console.log(
          `audit append (${name}): ${a1.perSecond.toFixed(0)} events/s sequential, ${a8.perSecond.toFixed(0)} events/s with 8 concurrent writers; chain intact: ${a1.intact && a8.intact}`,
        );
        const l = await loginLatency(ctx);
        console.log(
          `login (${name}, argon2id m=19MiB t=2, 100 sequential logins): p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`,
        );
      } finally {
        await done();
      }
    }
  } finally {
    await pg?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPlatformBench();
