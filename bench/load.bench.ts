// `npm run bench:load`: the real server under 20 concurrent users — requests per second and latency (p50, p99) of the
// Conversations list, a text search and audio playback, with the server's resident memory after every round, so a
// leak shows up as RSS climbing round after round once warmed up (issue 15: "keep RSS flat across runs").
//
//   npm run bench:load -- --connections 20 --seconds 10 --rounds 3 --demo-percent 100
//
// It seeds the demo (--demo-percent of it) and runs `earshot serve` as child processes on 127.0.0.1 with a temporary data folder (SQLite,
// demo conversations), waits until their jobs are done, makes one user per connection (searches are fair-shared per
// user), then runs one warm-up round and `rounds` measured rounds of each endpoint with autocannon. About 3 minutes
// with the defaults; everything is removed afterwards.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../test/postgres.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'earshot.js');
const ADMIN = { email: 'admin@demo.earshot.local', password: 'Admin-Demo-2026!' };

function option(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a whole number`);
  return n;
}

const CONNECTIONS = option('connections', 20);
/** Percent of the full demo to seed (100 = the full demo). */
const DEMO_PERCENT = option('demo-percent', 100);
const SECONDS = option('seconds', 10);
const ROUNDS = option('rounds', 3);

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    EARSHOT_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    EARSHOT_LOG_LEVEL: 'warn',
    EARSHOT_DEMO: 'false',
    EARSHOT_LOGIN_RATE_LIMIT: '1000',
    EARSHOT_METRICS: 'false',
  };
  let server: ChildProcess | null = null;
  try {
    console.log(
      `load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (${os.availableParallelism()} CPUs)`,
    );
    const t0 = Date.now();
    // The demo (optionally scaled down) seeded by a separate process, so the server's memory starts clean.
    const seed = `const { loadConfig } = await import(${JSON.stringify(path.join(ROOT, 'src/config.ts'))});
      const { createContext } = await import(${JSON.stringify(path.join(ROOT, 'src/context.ts'))});
      const { FEATURES } = await import(${JSON.stringify(path.join(ROOT, 'src/features.ts'))});
      const { seedDemo } = await import(${JSON.stringify(path.join(ROOT, 'src/demo/seed.ts'))});
      const ctx = await createContext(loadConfig(), { features: FEATURES });
      await seedDemo(ctx, { scale: ${DEMO_PERCENT / 100} });
      await ctx.close();`;
    const seedFile = path.join(dataDir, 'seed.mts');
    fs.writeFileSync(seedFile, seed);
    execFileSync(process.execPath, ['--import', 'tsx', seedFile], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const pid = server.pid!;
    await until(async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok === true, 120_000, 'the server did not start');
    const admin = await login(base, ADMIN.email, ADMIN.password);
    const get = async (url: string, cookie = admin) => {
      const res = await fetch(base + url, { headers: { cookie } });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of loosely typed JSON
      return res.json() as Promise<any>;
    };
    // The demo's ingest queued indexing and media analysis: measure once they are done.
    await until(
      async () => {
        const [queued, running] = await Promise.all([get('/api/jobs?status=queued'), get('/api/jobs?status=running')]);
        return (queued.items ?? queued).length === 0 && (running.items ?? running).length === 0;
      },
      900_000,
      'the demo jobs did not finish',
    );
    const all = await get(`/api/conversations?filter=${encodeURIComponent(JSON.stringify({ period: null }))}&limit=1`);
    console.log(`demo ready in ${Math.round((Date.now() - t0) / 1000)} s: ${all.total} conversations`);

    // One user per connection: the search gives each user a fair share of its workers, as 20 people would get.
    const roles = await get('/api/roles');
    const manager = (roles.items ?? roles).find((r: { builtinKey?: string; name: string }) => r.builtinKey === 'cc_manager' || r.name === 'CC Manager');
    const cookies: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const email = `load-${i}@bench.test`;
      const res = await fetch(`${base}/api/users`, {
        method: 'POST',
        headers: { cookie: admin, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: `Load ${i}`, password: 'Load-Bench-2026!', roleIds: [manager.id], groupId: null }),
      });
      if (!res.ok) throw new Error(`creating a bench user: ${res.status} ${await res.text()}`);
      cookies.push(await login(base, email, 'Load-Bench-2026!'));
    }

    // What to ask: the first page of the list, a text search, and a ranged read of a call's stereo mix.
    const word = 'invoice';
    const calls = await get(`/api/conversations?filter=${encodeURIComponent(JSON.stringify({ period: null, channels: ['call'] }))}&limit=20`);
    let playUrl: string | null = null;
    for (const c of calls.items) {
      const m = await get(`/api/conversations/${c.id}/media`).catch(() => null);
      const seg = m?.segments?.find((s: { id: string; streams?: unknown[] }) => (s.streams?.length ?? 0) > 0);
      if (seg) {
        playUrl = `/api/conversations/${c.id}/segments/${seg.id}/mix.wav`;
        break;
      }
    }
    if (!playUrl) throw new Error('no call with playable media in the demo');
    const targets: Array<{ name: string; url: string; headers: Record<string, string> }> = [
      { name: 'list', url: '/api/conversations?limit=50', headers: {} },
      { name: 'search', url: `/api/conversations?limit=50&q=${word}&filter=${encodeURIComponent(JSON.stringify({ period: null }))}`, headers: {} },
      { name: 'playback', url: playUrl, headers: { range: 'bytes=0-262143' } },
    ];

    const rows: string[][] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      for (const target of targets) {
        let n = 0;
        const r = await autocannon({
          url: base + target.url,
          connections: CONNECTIONS,
          duration: SECONDS,
          headers: target.headers,
          setupClient: (client) => client.setHeaders({ ...target.headers, cookie: cookies[n++ % cookies.length]! }),
        });
        const rss = rssMb(pid);
        const bad = r.non2xx + r.errors + r.timeouts;
        rows.push([
          round === 0 ? 'warm-up' : String(round),
          target.name,
          r.requests.average.toFixed(0),
          String(r.latency.p50),
          String(r.latency.p99),
          String(bad),
          String(rss),
        ]);
        console.log(
          `round ${round === 0 ? 'warm-up' : round} ${target.name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${bad} failed, server RSS ${rss} MB`,
        );
      }
    }
    console.log('');
    console.log('| round | endpoint | req/s | p50 ms | p99 ms | failed | server RSS MB |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    console.log(
      `\nload average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('earshot_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

async function until(check: () => Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(what);
}

await main();
