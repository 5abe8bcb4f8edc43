// The two commands from a newcomer's point of view: `earshot serve` on an empty data dir, and bad config.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './postgres.ts';

const BIN = path.resolve('bin/earshot.js');
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function run(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  return spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
}

describe('earshot CLI', () => {
  it('stops on invalid configuration with one line naming the variable', () => {
    const r = run(['migrate'], { EARSHOT_DATA_DIR: tmp(), PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^earshot: invalid configuration: PORT: /);
  });

  it('tightens a data dir an older version left open and names the files still readable by others', () => {
    const dataDir = tmp();
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, 'earshot.db'), '', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'earshot.db'), 0o644);
    const r = run(['migrate'], { EARSHOT_DATA_DIR: dataDir, EARSHOT_LOG_LEVEL: 'info' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(r.stdout).toContain('changed it to 0700');
    expect(r.stdout).toContain(`readable by other users: ${path.join(dataDir, 'earshot.db')}`);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('serves a fresh data dir: migrates, creates a 0600 master key, seeds the demo once, answers health and login', async () => {
    const dataDir = tmp();
    const port = await freePort();
    const env = { ...process.env, EARSHOT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', EARSHOT_LOG_LEVEL: 'warn' };
    const proc = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 45_000;
      for (;;) {
        const ok = await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`server did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(path.join(dataDir, 'earshot.db'))).toBe(true);
      // Nothing in the data directory is readable by another local user: the folder 0700, files 0600, the WAL included.
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.existsSync(path.join(dataDir, 'earshot.db-wal'))).toBe(true);
      for (const e of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
        const p = path.join(e.parentPath, e.name);
        expect(fs.statSync(p).mode & 0o777, p).toBe(e.isDirectory() ? 0o700 : 0o600);
      }
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.earshot.local', password: 'Admin-Demo-2026!' }),
      });
      expect(login.status).toBe(200);
      expect(login.headers.get('set-cookie')).toMatch(/earshot_session=.*HttpOnly.*SameSite=Strict/i);
      const res = await fetch(`${base}/api/health`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
    // A second run of the demo seed changes nothing.
    // It first finishes the demo conversations the stopped server had begun: minutes on a loaded machine.
    const again = run(['demo'], { EARSHOT_DATA_DIR: dataDir }, 240_000);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already exists/);
    const verify = run(['verify'], { EARSHOT_DATA_DIR: dataDir }, 120_000);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain .*: intact/);
  }, 420_000); // a real server, then the demo CLI resuming the seed in a second process

  it('verify lists orphaned media (rows nothing references, objects without a row) and still exits 0', async () => {
    const dataDir = tmp();
    expect(run(['migrate'], { EARSHOT_DATA_DIR: dataDir }).status).toBe(0);
    // What a crash leaves: a blob stored but never referenced, and an object whose row was never written.
    const { loadConfig } = await import('../src/config.ts');
    const { openDatabase } = await import('../src/platform/db/index.ts');
    const { loadOrCreateMasterKey } = await import('../src/platform/crypto/keys.ts');
    const { createBlobBackend } = await import('../src/platform/blobs/backend.ts');
    const { BlobStore, storageKeyFor } = await import('../src/platform/blobs/service.ts');
    const { createTenant } = await import('../src/platform/blobs/testing.ts');
    const { newId } = await import('../src/platform/ids.ts');
    const config = loadConfig({ EARSHOT_DATA_DIR: dataDir });
    const { db, adapter, close } = openDatabase(config.databaseUrl);
    const backend = createBlobBackend(config.media);
    let blobId: string;
    let key: string;
    try {
      const store = new BlobStore({ db, adapter, backend, keyring: loadOrCreateMasterKey(config) });
      const tenantId = await createTenant(db, adapter);
      blobId = (await store.put(tenantId, Buffer.from('left behind'), { contentType: 'audio/wav' })).id;
      key = storageKeyFor(tenantId, newId(), new Date().toISOString());
      await backend.put(
        key,
        (async function* () {
          yield Buffer.from('no row');
        })(),
      );
    } finally {
      await backend.close?.();
      await close();
    }
    const verify = run(['verify'], { EARSHOT_DATA_DIR: dataDir });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Media objects checked: 1, failed: 0/);
    expect(verify.stdout).toMatch(/Orphaned media rows \(nothing references them\): 1\n/);
    expect(verify.stdout).toContain(`ORPHAN blob ${blobId}`);
    expect(verify.stdout).toMatch(/Orphaned media objects \(no row\): 1\n/);
    expect(verify.stdout).toContain(`ORPHAN object ${key}`);
    expect(verify.stdout).toMatch(/Integrity verified; 2 orphan\(s\) listed above/);
    expect(verify.stdout).not.toMatch(/Everything verified/);
  }, 60_000);
});
