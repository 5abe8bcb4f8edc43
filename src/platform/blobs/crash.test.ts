// kill -9 in the middle of a write: no row, no visible object, and sweepOrphans() clears what is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDb, ENGINES, type TestDb } from '../../../test/db.ts';
import { startS3rver, type TestS3 } from '../../../test/s3.ts';
import type { Config } from '../../config.ts';
import { Keyring } from '../crypto/keys.ts';
import { createBlobBackend, type BlobBackend } from './backend.ts';
import { FsBackend } from './fs-backend.ts';
import { BlobStore } from './service.ts';
import { createTenant } from './testing.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'crash-writer.script.ts');
const root = path.resolve(here, '../../..');
const MARKER = Buffer.from('PLAINTEXT-MARKER-do-not-store-me!');

/** Starts the writer, waits until it has streamed `announceBytes` (and `ready()` holds), then SIGKILLs it. */
async function writeAndKill(env: Record<string, string>, ready: () => boolean): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 45_000;
  while (!(out.includes('WRITING') && ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`writer did not get going (exit ${child.exitCode}):\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  const signal = await exited;
  expect(out).not.toContain('FINISHED');
  return signal;
}

async function listKeys(b: BlobBackend): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of b.list()) keys.push(o.key);
  return keys;
}

describe.each(ENGINES)('kill -9 during a blob write (%s)', (engine) => {
  let tdb: TestDb;
  let tenant: string;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    tdb = await createTestDb(engine);
    tenant = await createTenant(tdb.db, tdb.adapter);
  });
  afterAll(async () => {
    await tdb.cleanup();
  });

  const rowCount = async () =>
    Number((await tdb.db.selectFrom('blobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('fs: leaves only a ciphertext temp file, which sweepOrphans removes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-crash-'));
    try {
      const media: Config['media'] = { backend: 'fs', dir };
      const backend = new FsBackend(dir);
      const tmpFiles = () => (fs.existsSync(backend.tmpDir) ? fs.readdirSync(backend.tmpDir) : []);
      const tmpBytes = () => tmpFiles().reduce((n, f) => n + fs.statSync(path.join(backend.tmpDir, f)).size, 0);
      const signal = await writeAndKill(
        {
          CRASH_DB_URL: tdb.url,
          CRASH_MEDIA: JSON.stringify(media),
          CRASH_MASTER_KEY: masterKey.toString('base64'),
          CRASH_TENANT: tenant,
          CRASH_ANNOUNCE_BYTES: String(4 * 1024 * 1024),
        },
        () => tmpBytes() >= 2 * 1024 * 1024,
      );
      expect(signal).toBe('SIGKILL');

      expect(await rowCount()).toBe(0);
      expect(await listKeys(backend)).toEqual([]);
      const left = tmpFiles();
      expect(left).toHaveLength(1);
      const partial = fs.readFileSync(path.join(backend.tmpDir, left[0]!));
      expect(partial.length).toBeGreaterThan(1024 * 1024);
      expect(partial.includes(MARKER)).toBe(false); // ciphertext only, even in the temp file

      const store = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring: new Keyring(masterKey) });
      expect(await store.sweepOrphans()).toEqual({ orphansRemoved: 0, incompleteRemoved: 0 }); // too young for the default
      expect(await store.sweepOrphans({ olderThanMs: 0 })).toEqual({ orphansRemoved: 0, incompleteRemoved: 1 });
      expect(tmpFiles()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('s3: an unfinished multipart upload is never visible', async () => {
    let s3: TestS3 | undefined;
    try {
      s3 = await startS3rver();
      const media = s3.media('media/');
      const backend = createBlobBackend(media);
      const signal = await writeAndKill(
        {
          CRASH_DB_URL: tdb.url,
          CRASH_MEDIA: JSON.stringify(media),
          CRASH_MASTER_KEY: masterKey.toString('base64'),
          CRASH_TENANT: tenant,
          CRASH_ANNOUNCE_BYTES: String(20 * 1024 * 1024), // past two 8 MiB parts
        },
        () => true,
      );
      expect(signal).toBe('SIGKILL');
      expect(await rowCount()).toBe(0);
      expect(await listKeys(backend)).toEqual([]);
      const store = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring: new Keyring(masterKey) });
      expect((await store.sweepOrphans({ olderThanMs: 0 })).orphansRemoved).toBe(0);
    } finally {
      await s3?.stop();
    }
  });
});
