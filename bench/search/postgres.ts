// The PostgreSQL data set: a persistent cluster under bench/.cache/pg-<N>-<seed>/ (initdb as the postgres system user
// when running as root, as test/postgres.ts does), migrated and set up through the application, conversations loaded
// with multi-row INSERT … SELECT FROM unnest(…) batches (documents, then their terms: search_vectors), the GIN index
// built after the load, then VACUUM ANALYZE.
// A `complete.json` beside the data directory marks a finished build; without it the directory is rebuilt.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { preferredDocKey } from '../../src/search/index/document.ts';
import { findPgBin, freePort } from '../../test/postgres.ts';
import { ConversationGenerator, verifySample } from './generate.ts';
import { generateBatches, progress, type WireDoc } from './pipeline.ts';
import { benchContext, createSetup } from './setup.ts';
import type { BuildReport, Meta } from './sqlite.ts';

export const DATABASE = 'earshot_bench';

/** Server settings of the bench cluster (printed with the results). Durability is off: it is a throwaway data set. */
export const PG_SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  effective_cache_size: '4GB',
  maintenance_work_mem: '1GB',
  work_mem: '16MB',
  // Recycled WAL segments stay in the cache directory: keep them bounded (8GB here left 6 GB of pg_wal after a 1M load).
  max_wal_size: '2GB',
  checkpoint_timeout: '30min',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

export interface PgServer {
  url: string;
  version: string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;
const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

function pgBin(): string {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (apt-get install postgresql)');
  return bin;
}

/** A postmaster left running on this data directory by an interrupted bench run: stop it (it is ours). */
async function stopLeftover(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive: boolean;
  try {
    alive = pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
  } catch {
    alive = false;
  }
  if (!alive) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Starts a postmaster on `dataDir` (initdb first when `init`). */
export async function startServer(dataDir: string, init: boolean, extra: Record<string, string> = {}): Promise<PgServer> {
  const bin = pgBin();
  if (init) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) execFileSync('chown', ['-R', 'postgres', dataDir]);
    const [c, a] = wrap(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    execFileSync(c, a, { stdio: 'pipe' });
  } else {
    await stopLeftover(dataDir);
  }
  const port = await freePort();
  const settings = { ...PG_SETTINGS, ...extra };
  const [c, a] = wrap(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=50',
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ]);
  const proc: ChildProcess = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d) => (log += d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`postgres exited: ${log}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok && /ready to accept connections/.test(log)) break;
    if (Date.now() > deadline) throw new Error(`postgres did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new pg.Client(url);
  await client.connect();
  const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  return {
    url,
    version,
    async stop() {
      if (proc.exitCode !== null) return;
      // SIGINT = fast shutdown with a checkpoint, so the next start needs no recovery. Signal the postmaster itself
      // (runuser may not forward signals).
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
      if (pid > 0) process.kill(pid, 'SIGINT');
      else proc.kill('SIGINT');
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          r();
        }, 60_000);
        proc.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

export const databaseUrl = (server: PgServer) => server.url.replace(/\/[^/]*$/, `/${DATABASE}`);

// ---- loading -----------------------------------------------------------------------------------------------------

async function insertBatch(client: pg.Client, tenantId: string, adminId: string, docs: WireDoc[], keys: number[]) {
  const col = <T>(f: (c: WireDoc) => T) => docs.map(f);
  const parts = docs.flatMap((c) => c.participants.map((x) => ({ c, x })));
  const values = docs.flatMap((c) => c.values.map((v) => ({ c, v })));
  const tags = docs.flatMap((c) => c.tags.map((t) => ({ c, t })));
  await client.query(
    `INSERT INTO conversations (id, tenant_id, engagement_id, title, direction, started_at, ended_at, talk_time_ms, has_call, has_chat, has_email, has_screen,
       reviewable, agent_user_id, group_id, site_id, customer_phone, custom_data, created_at, updated_at, local_date, local_weekday, local_minute, doc_key)
     SELECT id, $1, NULL, title, direction, started_at, ended_at, talk, has_call, has_chat, has_email, has_screen, reviewable, agent, grp, site, phone,
       custom::jsonb, started_at, ended_at, local_date, local_weekday, local_minute, doc_key
     FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bigint[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[],
       $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::int[], $20::int[], $21::bigint[])
       AS u(id, title, direction, started_at, ended_at, talk, has_call, has_chat, has_email, has_screen, reviewable, agent, grp, site, phone, custom, local_date,
         local_weekday, local_minute, doc_key)`,
    [
      tenantId,
      col((c) => c.id),
      col((c) => c.title),
      col((c) => c.direction),
      col((c) => c.startedAt),
      col((c) => c.endedAt),
      col((c) => c.talkTimeMs),
      col((c) => (c.channel === 'call' ? 1 : 0)),
      col((c) => (c.channel === 'chat' ? 1 : 0)),
      col((c) => (c.channel === 'email' ? 1 : 0)),
      col((c) => c.hasScreen),
      col((c) => c.reviewable),
      col((c) => c.agent?.id ?? null),
      col((c) => c.agent?.groupId ?? null),
      col((c) => c.siteId),
      col((c) => c.customerPhone),
      col((c) => JSON.stringify(c.customData)),
      col((c) => c.local.date),
      col((c) => c.local.weekday),
      col((c) => c.local.minute),
      keys,
    ],
  );
  await client.query(
    `INSERT INTO conversation_participants (id, conversation_id, party_key, role, name, phone, email, extension, external_id, user_id, created_at)
     SELECT id, conv, party_key, role, name, phone, email, extension, NULL, user_id, created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
       AS u(id, conv, party_key, role, name, phone, email, extension, user_id, created_at)`,
    [
      parts.map((p) => p.x.id),
      parts.map((p) => p.c.id),
      parts.map((p) => p.x.partyKey),
      parts.map((p) => p.x.role),
      parts.map((p) => p.x.name),
      parts.map((p) => p.x.phone),
      parts.map((p) => p.x.email),
      parts.map((p) => p.x.extension),
      parts.map((p) => p.x.userId),
      parts.map((p) => p.c.startedAt),
    ],
  );
  await client.query(
    `INSERT INTO conversation_field_values (conversation_id, field_id, value, value_folded, value_number, started_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[])`,
    [
      values.map((p) => p.c.id),
      values.map((p) => p.v.fieldId),
      values.map((p) => p.v.value),
      values.map((p) => p.v.folded),
      values.map((p) => p.v.number),
      values.map((p) => p.c.startedAt),
    ],
  );
  if (tags.length) {
    await client.query(
      `INSERT INTO conversation_tags (id, conversation_id, tag_id, comment, created_by, created_at, updated_at)
       SELECT id, conv, tag, comment, $1, at, at FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS u(id, conv, tag, comment, at)`,
      [adminId, tags.map((p) => p.t.id), tags.map((p) => p.c.id), tags.map((p) => p.t.tagId), tags.map((p) => p.t.comment), tags.map((p) => p.c.endedAt)],
    );
  }
  await client.query(
    `INSERT INTO search_docs (conversation_id, tenant_id, doc_key, language, texts, indexed_at)
     SELECT conv, $1, doc_key, 'en', texts, at FROM unnest($2::text[], $3::bigint[], $4::bytea[], $5::timestamptz[]) AS u(conv, doc_key, texts, at)`,
    [tenantId, col((c) => c.id), keys, col((c) => c.texts), col((c) => c.endedAt)],
  );
  await client.query(
    `INSERT INTO search_vectors (conversation_id, tenant_id, doc_key, tsv)
     SELECT conv, $1, doc_key, tsv::tsvector FROM unnest($2::text[], $3::bigint[], $4::text[]) AS u(conv, doc_key, tsv)`,
    [tenantId, col((c) => c.id), keys, col((c) => c.tsv)],
  );
}

export async function buildPostgres(
  dir: string,
  n: number,
  seed: number,
  now: number,
  workers: number,
  spokenWords: number,
): Promise<{ meta: Meta; server: PgServer }> {
  const started = performance.now();
  const dataDir = path.join(dir, 'data');
  fs.rmSync(path.join(dir, 'complete.json'), { force: true });
  fs.mkdirSync(dir, { recursive: true });
  const server = await startServer(dataDir, true);
  try {
    const admin = new pg.Client(server.url);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const url = databaseUrl(server);
    const { ctx, close } = await benchContext(url);
    const setup = await createSetup(ctx, n, seed, now, spokenWords);
    await close();
    const verified = verifySample(new ConversationGenerator(setup));

    const client = new pg.Client(url);
    await client.connect();
    await client.query('DROP INDEX search_vectors_tsv_idx');
    // Foreign-key triggers off for the bulk load (the generator only points at rows that exist).
    await client.query("SET session_replication_role = 'replica'");
    const usedKeys = new Set<number>();
    const p = progress(`PostgreSQL, generating and loading ${n.toLocaleString('en')} conversations`, n);
    let done = 0;
    let spoken = 0;
    let calls = 0;
    let inflight: Promise<unknown> = Promise.resolve();
    let dbSeconds = 0;
    for await (const docs of generateBatches(setup, { tsv: true, workers, batch: 2000 })) {
      const keys = docs.map((c) => {
        let key = preferredDocKey(c.startedAt, c.id);
        while (usedKeys.has(key)) key++;
        usedKeys.add(key);
        return key;
      });
      await inflight;
      inflight = (async () => {
        const t0 = performance.now();
        await client.query('BEGIN');
        await insertBatch(client, setup.tenantId, setup.adminId, docs, keys);
        await client.query('COMMIT');
        dbSeconds += (performance.now() - t0) / 1000;
      })();
      done += docs.length;
      for (const c of docs) {
        if (c.channel !== 'call') continue;
        calls++;
        spoken += c.spoken;
      }
      p.update(done);
    }
    await inflight;
    const loadSeconds = p.done();
    console.log(`  (time in INSERTs: ${dbSeconds.toFixed(0)} s of ${loadSeconds.toFixed(0)} s)`);
    const t = performance.now();
    process.stdout.write('  PostgreSQL: CREATE INDEX search_vectors_tsv_idx (GIN), VACUUM ANALYZE … ');
    await client.query('CREATE INDEX search_vectors_tsv_idx ON search_vectors USING gin (tsv)');
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
    const size = Number((await client.query<{ s: string }>('SELECT pg_database_size(current_database()) AS s')).rows[0]!.s);
    await client.end();
    const finishSeconds = (performance.now() - t) / 1000;
    console.log(`${finishSeconds.toFixed(0)} s`);
    const build: BuildReport = {
      seconds: (performance.now() - started) / 1000,
      loadSeconds,
      finishSeconds,
      rowsPerSecond: n / loadSeconds,
      sizeMb: size / 1e6,
      verified,
      spokenPerCall: spoken / Math.max(1, calls),
    };
    const meta: Meta = { setup, build };
    fs.writeFileSync(path.join(dir, 'complete.json'), JSON.stringify(meta));
    return { meta, server };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** The cached cluster, started; null when there is none (or an unfinished one). */
export async function openPostgres(dir: string): Promise<{ meta: Meta; server: PgServer } | null> {
  const marker = path.join(dir, 'complete.json');
  if (!fs.existsSync(marker)) return null;
  const meta = JSON.parse(fs.readFileSync(marker, 'utf8')) as Meta;
  const server = await startServer(path.join(dir, 'data'), false);
  return { meta, server };
}
