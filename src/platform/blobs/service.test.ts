import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createTestDb, ENGINES, type TestDb } from '../../../test/db.ts';
import { startS3rver, type TestS3 } from '../../../test/s3.ts';
import { DomainError } from '../errors.ts';
import { Keyring } from '../crypto/keys.ts';
import { DEFAULT_CHUNK_SIZE, HEADER_SIZE, TAG_SIZE, storedSize } from '../crypto/envelope.ts';
import type { BlobBackend } from './backend.ts';
import { FsBackend } from './fs-backend.ts';
import { S3Backend } from './s3-backend.ts';
import { BlobStore, storageKeyFor } from './service.ts';
import { newId } from '../ids.ts';
import { collect, createTenant, randomPieces } from './testing.ts';

const CHUNK = 4096;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Wraps a backend and counts the stored bytes read, to prove ranged reads touch only their chunks. */
function countingBackend(inner: BlobBackend) {
  const counter = { bytes: 0, openStreams: 0 };
  const b: BlobBackend = {
    kind: inner.kind,
    put: (k, body) => inner.put(k, body),
    readRange: async (k, s, e) => {
      counter.bytes += e - s + 1;
      return inner.readRange(k, s, e);
    },
    async *readStream(k, s, e, o) {
      counter.openStreams++;
      try {
        for await (const c of inner.readStream(k, s, e, o)) {
          counter.bytes += c.length;
          yield c;
        }
      } finally {
        counter.openStreams--;
      }
    },
    size: (k) => inner.size(k),
    delete: (k) => inner.delete(k),
    list: (p) => inner.list(p),
    listIncomplete: () => inner.listIncomplete(),
    sweepIncomplete: (ms) => inner.sweepIncomplete(ms),
  };
  return { backend: b, counter };
}

/** Waits until every stored stream is closed (a read-ahead in flight settles first; slow on a loaded machine). */
async function released(counter: { openStreams: number }): Promise<void> {
  for (const deadline = Date.now() + 5000; counter.openStreams > 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
  expect(counter.openStreams).toBe(0);
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

async function expectCode(p: Promise<unknown>, code: string, message?: RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  if (message) expect((err as DomainError).message).toMatch(message);
}

describe.each(ENGINES)('BlobStore on %s', (engine) => {
  describe.each(['fs', 's3'] as const)('with the %s backend', (kind) => {
    let tdb: TestDb;
    let s3: TestS3 | undefined;
    let dir: string; // where bytes land on disk (media folder, or s3rver's folder)
    let backend: BlobBackend;
    let keyring: Keyring;
    let store: BlobStore;
    let tenant: string;
    let other: string;

    beforeAll(async () => {
      tdb = await createTestDb(engine);
      if (kind === 's3') {
        s3 = await startS3rver();
        dir = s3.directory;
        backend = new S3Backend(s3.media('media/'));
      } else {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-media-'));
        backend = new FsBackend(dir);
      }
      keyring = new Keyring(randomBytes(32));
      store = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring, chunkSize: CHUNK });
      tenant = await createTenant(tdb.db, tdb.adapter);
      other = await createTenant(tdb.db, tdb.adapter);
    });
    afterAll(async () => {
      try {
        await s3?.stop();
        if (kind === 'fs') fs.rmSync(dir, { recursive: true, force: true });
      } finally {
        await tdb?.cleanup();
      }
    });

    it('round-trips every size around the chunk boundary', async () => {
      for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 200_003]) {
        const plain = randomBytes(size);
        const info = await store.put(tenant, plain, { contentType: 'audio/wav' });
        expect(info).toMatchObject({ tenantId: tenant, size, sha256: sha(plain), contentType: 'audio/wav' });
        expect((await store.readAll(tenant, info.id)).equals(plain), `size ${size}`).toBe(true);
        expect((await collect(await store.read(tenant, info.id))).equals(plain)).toBe(true);
        expect(await store.stat(tenant, info.id)).toEqual(info);
        const row = await tdb.db.selectFrom('blobs').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ kek_id: keyring.kekId, signing_key_id: keyring.signingKey().id, chunk_size: CHUNK });
        expect(Number(row.stored_size)).toBe(storedSize(size, CHUNK));
        expect(await backend.size(row.storage_key)).toBe(storedSize(size, CHUNK));
      }
      const key = await tdb.db.selectFrom('signing_keys').selectAll().where('id', '=', keyring.signingKey().id).executeTakeFirst();
      expect(key?.public_key).toBe(keyring.signingKey().publicKeyPem);
    });

    it('accepts streams and async iterables of any chunking, with the default chunk size', async () => {
      const big = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring });
      const plain = randomBytes(3 * 1024 * 1024 + 77);
      const a = await big.put(tenant, Readable.from(randomPieces(plain, 100_000)), { contentType: 'audio/mpeg' });
      const b = await big.put(tenant, randomPieces(plain, 9_000), { contentType: 'audio/mpeg' });
      const c = await big.put(tenant, new Uint8Array(plain), { contentType: 'audio/mpeg' });
      for (const info of [a, b, c]) {
        expect(info.sha256).toBe(sha(plain));
        expect((await big.readAll(tenant, info.id)).equals(plain)).toBe(true);
        const row = await tdb.db.selectFrom('blobs').select('chunk_size').where('id', '=', info.id).executeTakeFirstOrThrow();
        expect(row.chunk_size).toBe(DEFAULT_CHUNK_SIZE);
      }
    });

    it('reads ranges by fetching and decrypting only the chunks they touch', async () => {
      const plain = randomBytes(50 * CHUNK + 123);
      const info = await store.put(tenant, plain, { contentType: 'audio/wav' });
      const { backend: counting, counter } = countingBackend(backend);
      const spy = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend: counting, keyring });

      counter.bytes = 0;
      expect((await spy.readAll(tenant, info.id, { start: 5000, end: 5009 })).equals(plain.subarray(5000, 5010))).toBe(true);
      expect(counter.bytes).toBe(CHUNK + TAG_SIZE); // one chunk

      counter.bytes = 0;
      const s = await spy.read(tenant, info.id, { start: CHUNK - 1, end: 3 * CHUNK });
      expect((await collect(s)).equals(plain.subarray(CHUNK - 1, 3 * CHUNK + 1))).toBe(true);
      expect(counter.bytes).toBe(4 * (CHUNK + TAG_SIZE)); // chunks 0..3

      counter.bytes = 0;
      const last = plain.length - 1;
      expect((await spy.readAll(tenant, info.id, { start: last, end: last })).equals(plain.subarray(last))).toBe(true);
      expect(counter.bytes).toBe(123 + TAG_SIZE);

      for (let i = 0; i < 40; i++) {
        const start = Math.floor(Math.random() * plain.length);
        const end = start + Math.floor(Math.random() * Math.min(plain.length - start, 3 * CHUNK));
        expect((await spy.readAll(tenant, info.id, { start, end })).equals(plain.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
    });

    it('releases the stored object when the reader goes away early', async () => {
      const plain = randomBytes(2000 * CHUNK);
      const info = await store.put(tenant, plain, { contentType: 'audio/wav' });
      const { backend: counting, counter } = countingBackend(backend);
      const spy = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend: counting, keyring });
      const s = await spy.read(tenant, info.id);
      const first = await new Promise<Buffer>((resolve) => s.once('data', resolve));
      expect(first.equals(plain.subarray(0, first.length))).toBe(true);
      s.destroy();
      await released(counter);
      expect(counter.bytes).toBeLessThan(plain.length / 2);
      // Never read at all: also released.
      (await spy.read(tenant, info.id)).destroy();
      await released(counter);
    });

    it('rejects invalid ranges with a clear message', async () => {
      const info = await store.put(tenant, randomBytes(100), { contentType: 'audio/wav' });
      await expectCode(store.read(tenant, info.id, { start: 50, end: 100 }), 'VALIDATION_FAILED', /has 100 bytes.*end <= 99/);
      await expectCode(store.read(tenant, info.id, { start: 10, end: 5 }), 'VALIDATION_FAILED');
      await expectCode(store.readAll(tenant, info.id, { start: -1, end: 5 }), 'VALIDATION_FAILED');
      await expectCode(store.readAll(tenant, info.id, { start: 1.5, end: 5 }), 'VALIDATION_FAILED');
      const empty = await store.put(tenant, Buffer.alloc(0), { contentType: 'audio/wav' });
      await expectCode(store.read(tenant, empty.id, { start: 0, end: 0 }), 'VALIDATION_FAILED', /empty/);
      await expectCode(store.put(tenant, Buffer.from('x'), { contentType: 'nonsense' }), 'VALIDATION_FAILED');
      await expectCode(store.put('../etc', Buffer.from('x'), { contentType: 'audio/wav' }), 'VALIDATION_FAILED');
    });

    it('keeps tenants apart', async () => {
      const info = await store.put(tenant, randomBytes(10), { contentType: 'audio/wav' });
      await expectCode(store.stat(other, info.id), 'NOT_FOUND');
      await expectCode(store.read(other, info.id), 'NOT_FOUND');
      await expectCode(store.readAll(other, info.id), 'NOT_FOUND');
      await expectCode(store.delete(other, info.id), 'NOT_FOUND');
      await expectCode(store.verifyBlob(info.id, { tenantId: other }), 'NOT_FOUND');
      await expectCode(store.stat(tenant, 'no-such-id'), 'NOT_FOUND');
      expect((await store.stat(tenant, info.id)).id).toBe(info.id);
    });

    it('never stores plaintext', async () => {
      const marker = Buffer.from('PLAINTEXT-MARKER-0123456789');
      const plain = Buffer.concat(Array.from({ length: 20_000 }, () => marker));
      const info = await store.put(tenant, randomPieces(plain, 50_000), { contentType: 'text/plain' });
      for (const f of filesUnder(dir)) expect(fs.readFileSync(f).includes(marker), f).toBe(false);
      expect((await store.readAll(tenant, info.id)).equals(plain)).toBe(true);
    });

    it('deletes the row and the object', async () => {
      const info = await store.put(tenant, randomBytes(5000), { contentType: 'audio/wav' });
      const row = await tdb.db.selectFrom('blobs').select('storage_key').where('id', '=', info.id).executeTakeFirstOrThrow();
      await store.delete(tenant, info.id);
      await expectCode(store.stat(tenant, info.id), 'NOT_FOUND');
      expect(await backend.size(row.storage_key)).toBeNull();
    });

    it('leaves no object when the body fails mid-way', async () => {
      const before = await countObjects(backend);
      async function* broken() {
        yield randomBytes(100_000);
        throw new Error('caller went away');
      }
      await expect(store.put(tenant, broken(), { contentType: 'audio/wav' })).rejects.toThrow('caller went away');
      expect(await countObjects(backend)).toBe(before);
    });

    it('verifies blobs and detects a flipped byte, an altered sha256 and a missing object', async () => {
      const infos = [];
      for (let i = 0; i < 5; i++) infos.push(await store.put(i % 2 ? other : tenant, randomBytes(3 * CHUNK + i), { contentType: 'audio/wav' }));
      const [good, flipped, altered, missing] = infos;
      const keyOf = async (id: string) => (await tdb.db.selectFrom('blobs').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;
      expect(await store.verifyBlob(good!.id)).toEqual({ id: good!.id, tenantId: tenant, ok: true });

      // Flip one byte of the stored object (rewritten through the backend so both backends are tampered alike).
      const fk = await keyOf(flipped!.id);
      const bytes = await backend.readRange(fk, 0, (await backend.size(fk))! - 1);
      bytes[CHUNK + 40]! ^= 0x01; // inside chunk 1 (after the 16-byte header and frame 0)
      await backend.put(fk, randomPieces(bytes, 10_000));
      await tdb.db
        .updateTable('blobs')
        .set({ sha256: '0'.repeat(64) })
        .where('id', '=', altered!.id)
        .execute();
      await backend.delete(await keyOf(missing!.id));

      const r1 = await store.verifyBlob(flipped!.id);
      expect(r1).toMatchObject({ ok: false, reason: expect.stringMatching(/chunk 1 failed authentication/) });
      const r2 = await store.verifyBlob(altered!.id);
      expect(r2).toMatchObject({ ok: false, reason: expect.stringMatching(/watermark signature.*SHA-256 of the content/) });
      const r3 = await store.verifyBlob(missing!.id);
      expect(r3).toMatchObject({ ok: false, reason: 'stored object is missing' });

      // Reading a tampered blob fails loudly instead of returning bad bytes.
      await expectCode(store.readAll(other, flipped!.id), 'INTEGRITY_FAILURE', /chunk 1 failed authentication/);
      await expectCode(store.readAll(other, missing!.id), 'INTEGRITY_FAILURE', /missing/);
      expect((await store.readAll(other, flipped!.id, { start: 0, end: 10 })).length).toBe(11); // untouched chunk still reads

      const progress: number[] = [];
      const total = Number(
        (
          await tdb.db
            .selectFrom('blobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const all = await store.verifyAll({ batchSize: 3, onProgress: (p) => progress.push(p.checked) });
      expect(all.checked).toBe(total);
      expect(all.failed.map((f) => f.id).sort()).toEqual([flipped!.id, altered!.id, missing!.id].sort());
      expect(all.failed.find((f) => f.id === flipped!.id)?.tenantId).toBe(other);
      expect(progress.length).toBe(total);
      expect(progress.at(-1)).toBe(total);

      // Clean up so later tests see a healthy store.
      for (const info of [flipped!, altered!, missing!]) await store.delete(info.tenantId, info.id);
    });

    it('refuses a large streamed range with a tampered chunk in the middle, decrypting in place', async () => {
      // Over 2 MiB stored, so the range goes through the streaming path (read blocks decrypted where they lie).
      const plain = randomBytes(700 * CHUNK + 11);
      const info = await store.put(tenant, plain, { contentType: 'audio/wav' });
      const range = { start: 3, end: 690 * CHUNK };
      expect((await store.readAll(tenant, info.id, range)).equals(plain.subarray(range.start, range.end + 1))).toBe(true);
      expect((await collect(await store.read(tenant, info.id))).equals(plain)).toBe(true);

      const key = (await tdb.db.selectFrom('blobs').select('storage_key').where('id', '=', info.id).executeTakeFirstOrThrow()).storage_key;
      const bytes = await backend.readRange(key, 0, (await backend.size(key))! - 1);
      bytes[HEADER_SIZE + 350 * (CHUNK + TAG_SIZE) + 9]! ^= 0x10; // inside chunk 350
      await backend.put(key, randomPieces(bytes, 100_000));
      await expectCode(store.readAll(tenant, info.id, range), 'INTEGRITY_FAILURE', /chunk 350 failed authentication/);
      const got: Buffer[] = [];
      const stream = await store.read(tenant, info.id);
      await expect(
        (async () => {
          for await (const b of stream) got.push(Buffer.from(b as Buffer));
        })(),
      ).rejects.toThrow(/chunk 350 failed authentication/);
      expect(Buffer.concat(got).equals(plain.subarray(0, Buffer.concat(got).length))).toBe(true);
      expect(Buffer.concat(got).length).toBeLessThanOrEqual(350 * CHUNK);
      expect((await store.verifyBlob(info.id)).reason).toMatch(/chunk 350 failed authentication/);
      await store.delete(tenant, info.id);
    });

    it('refuses to read a blob whose metadata was edited', async () => {
      const info = await store.put(tenant, randomBytes(3 * CHUNK), { contentType: 'audio/wav' });
      await tdb.db.updateTable('blobs').set({ size: 100 }).where('id', '=', info.id).execute();
      await expectCode(store.readAll(tenant, info.id), 'INTEGRITY_FAILURE', /chunk 0 failed authentication/);
      expect((await store.verifyBlob(info.id)).reason).toMatch(/watermark/);
      await tdb.db
        .updateTable('blobs')
        .set({ size: 3 * CHUNK, chunk_size: 0 })
        .where('id', '=', info.id)
        .execute();
      await expectCode(store.readAll(tenant, info.id), 'INTEGRITY_FAILURE', /chunk size 0 is invalid/);
      expect(await store.verifyBlob(info.id)).toMatchObject({ ok: false, reason: 'chunk size 0 is invalid' });
      await store.delete(tenant, info.id);
    });

    it('serves repeated ranged reads from cached metadata and key, and never a blob deleted since', async () => {
      const plain = randomBytes(10 * CHUNK + 123);
      const info = await store.put(tenant, plain, { contentType: 'audio/wav' });
      for (const [a, b] of [
        [0, 99],
        [CHUNK - 5, 3 * CHUNK + 7],
        [5 * CHUNK, 10 * CHUNK + 122],
      ] as const) {
        expect((await store.readAll(tenant, info.id, { start: a, end: b })).equals(plain.subarray(a, b + 1))).toBe(true);
        expect((await collect(await store.read(tenant, info.id, { start: a, end: b }))).equals(plain.subarray(a, b + 1))).toBe(true);
      }
      await expectCode(store.readAll(other, info.id, { start: 0, end: 9 }), 'NOT_FOUND'); // cached, but not the other tenant's

      // Deleted by another process (another store on the same database and media): a cached entry must not turn
      // that into a 500; the read answers not found, as without the cache.
      const elsewhere = new BlobStore({ db: tdb.db, adapter: tdb.adapter, backend, keyring, chunkSize: CHUNK });
      await elsewhere.delete(tenant, info.id);
      await expectCode(store.readAll(tenant, info.id, { start: 0, end: 9 }), 'NOT_FOUND');
      await expectCode(store.read(tenant, info.id, { start: 0, end: 9 }), 'NOT_FOUND');

      const again = await store.put(tenant, plain, { contentType: 'audio/wav' });
      expect((await store.readAll(tenant, again.id, { start: 0, end: 9 })).equals(plain.subarray(0, 10))).toBe(true);
      await store.delete(tenant, again.id);
      await expectCode(store.readAll(tenant, again.id, { start: 0, end: 9 }), 'NOT_FOUND');
    });

    it('sweeps orphaned objects but never live blobs', async () => {
      const live = await store.put(tenant, randomBytes(1000), { contentType: 'audio/wav' });
      const orphan = storageKeyFor(tenant, newId(), '2020-01-01T00:00:00.000Z');
      await backend.put(orphan, randomPieces(randomBytes(100), 30));
      await backend.put('someone-else/notes.txt', randomPieces(randomBytes(100), 30));
      expect((await store.sweepOrphans()).objectsRemoved).toBe(0); // younger than an hour
      const r = await store.sweepOrphans({ olderThanMs: 0 });
      expect(r.objectsRemoved).toBe(1);
      expect(r.rowsRemoved).toBe(0); // a store without its reference list never judges rows
      expect(await backend.size(orphan)).toBeNull();
      expect(await backend.size('someone-else/notes.txt')).toBe(100); // not a name this store makes: left alone
      await backend.delete('someone-else/notes.txt');
      expect((await store.readAll(tenant, live.id)).length).toBe(1000);
      expect((await store.verifyAll()).failed).toEqual([]);
    });
  });
});

async function countObjects(b: BlobBackend): Promise<number> {
  let n = 0;
  for await (const _ of b.list()) n++;
  return n;
}
