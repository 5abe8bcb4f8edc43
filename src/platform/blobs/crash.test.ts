// kill -9 in the middle of a write: no row, no visible object, and sweepOrphans() clears what is left. kill -9 after
// the blob is stored but before anything references it: an orphaned row (or, killed between object and row, an
// object without a row) that findOrphans() lists and sweepOrphans() removes once past its grace period.
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
import { BLOB_REFERENCES } from '../../blob-references.ts';
import { createTenant } from './testing.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'crash-writer.script.ts');
const root = path.resolve(here, '../../..');
const MARKER = Buffer.from('PLAINTEXT-MARKER-do-not-store-me!');

/** Starts the writer, waits until it printed `marker` (and `ready()` holds), then SIGKILLs it. */
async function writeAndKill(env: Record<string, string>, ready: () => boolean, marker = 'WRITING'): Promise<{ signal: NodeJS.Signals | null; out: string }> {
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
  while (!(out.includes(marker) && ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`writer did not get going (exit ${child.exitCode}):\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  const signal = await exited;
  expect(out).not.toContain('FINISHED');
  return { signal, out };
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
    Number(
      (
        await tdb.db
          .selectFrom('blobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('fs: leaves only a ciphertext temp file, which sweepOrphans removes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-crash-'));
    try {
      const media: Config['media'] = { backend: 'fs', dir };
      const backend = new FsBackend(dir);
      const tmpFiles = () => (fs.existsSync(backend.tmpDir) ? fs.readdirSync(backend.tmpDir) : []);
      const tmpBytes = () => tmpFiles().reduce((n, f) => n + fs.statSync(path.join(backend.tmpDir, f)).size, 0);
      const { signal } = await writeAndKill(
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

      const store = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring: new Keyring(masterKey), references: BLOB_REFERENCES });
      const report = await store.findOrphans();
      expect(report.incomplete).toEqual([{ name: `.tmp/${left[0]}`, lastModified: expect.any(String), sweepable: false }]);
      const none = { rowsRemoved: 0, objectsRemoved: 0, incompleteRemoved: 0, unregisteredReferences: [] };
      expect(await store.sweepOrphans()).toEqual(none); // too young for the default
      expect(await store.sweepOrphans({ olderThanMs: 0 })).toEqual({ ...none, incompleteRemoved: 1 });
      expect(tmpFiles()).toEqual([]);
      expect((await store.findOrphans()).incomplete).toEqual([]);
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
      const { signal } = await writeAndKill(
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
      expect((await store.sweepOrphans({ olderThanMs: 0 })).objectsRemoved).toBe(0);
    } finally {
      await s3?.stop();
    }
  });

  // After the write: the blob is complete but the process dies before the row that references it commits.
  describe.each(['fs', 's3'] as const)('killed after the blob is stored (%s)', (kind) => {
    let s3: TestS3 | undefined;
    let dir: string;
    let media: Config['media'];
    let backend: BlobBackend;
    let store: BlobStore;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-crash-'));
      if (kind === 's3') s3 = await startS3rver();
      media = kind === 's3' ? s3!.media('media/') : { backend: 'fs', dir };
      backend = createBlobBackend(media);
      store = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring: new Keyring(masterKey), references: BLOB_REFERENCES });
    });
    afterAll(async () => {
      await backend?.close?.();
      await s3?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const run = (mode: string) =>
      writeAndKill(
        {
          CRASH_DB_URL: tdb.url,
          CRASH_MEDIA: JSON.stringify(media),
          CRASH_MASTER_KEY: masterKey.toString('base64'),
          CRASH_TENANT: tenant,
          CRASH_MODE: mode,
          CRASH_ANNOUNCE_BYTES: '0',
        },
        () => true,
        'STORED ',
      );
    const stored = (out: string) => /STORED (\S+)/.exec(out)![1]!;

    it('leaves a row nothing references: listed by findOrphans, swept only past the grace period', async () => {
      const { signal, out } = await run('stored');
      expect(signal).toBe('SIGKILL');
      const id = stored(out);
      const row = await tdb.db.selectFrom('blobs').select(['id', 'storage_key']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(await backend.size(row.storage_key)).toBeGreaterThan(0);

      const report = await store.findOrphans();
      expect(report.rows).toEqual([{ id, tenantId: tenant, createdAt: expect.any(String), sweepable: false }]);
      expect(report.objects).toEqual([]);
      expect(report.unregisteredReferences).toEqual([]);

      expect((await store.sweepOrphans()).rowsRemoved).toBe(0); // within a day: may be an upload still going on
      expect(await store.sweepOrphans({ rowsOlderThanMs: 0, olderThanMs: 0 })).toMatchObject({ rowsRemoved: 1, objectsRemoved: 0 });
      expect(await rowCount()).toBe(0);
      expect(await backend.size(row.storage_key)).toBeNull();
      expect((await store.findOrphans()).rows).toEqual([]);
    });

    it('leaves an object without a row: listed, then swept past the grace period', async () => {
      const { signal, out } = await run('object-only');
      expect(signal).toBe('SIGKILL');
      const key = stored(out);
      const report = await store.findOrphans();
      expect(report.objects).toEqual([{ key, size: expect.any(Number), lastModified: expect.any(String), sweepable: false }]);
      expect((await store.sweepOrphans()).objectsRemoved).toBe(0);
      expect((await store.sweepOrphans({ olderThanMs: 0 })).objectsRemoved).toBe(1);
      expect(await backend.size(key)).toBeNull();
      expect((await store.findOrphans()).objects).toEqual([]);
    });
  });
});
