// The same contract for both backends: fs (a temp folder) and S3 (s3rver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startS3rver, type TestS3 } from '../../../test/s3.ts';
import { BlobObjectMissingError, BlobObjectTruncatedError, createBlobBackend, type BlobBackend } from './backend.ts';
import { type FsBackend } from './fs-backend.ts';
import { type S3Backend } from './s3-backend.ts';
import { collect, randomPieces } from './testing.ts';

async function listAll(b: BlobBackend, prefix?: string) {
  const out: string[] = [];
  for await (const o of b.list(prefix)) out.push(o.key);
  return out.sort();
}

describe.each(['fs', 's3'] as const)('%s backend', (kind) => {
  let backend: BlobBackend;
  let dir: string;
  let s3: TestS3 | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-media-'));
    if (kind === 's3') {
      s3 = await startS3rver();
      backend = createBlobBackend(s3.media('media'));
    } else {
      backend = createBlobBackend({ backend: 'fs', dir });
    }
  });
  afterAll(async () => {
    await s3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports each buffer of a put as written only after it is stored (fs), so the caller may free it', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 3);
    const pieces: Buffer[] = [];
    for (let off = 0; off < data.length; off += pieces.at(-1)!.length) pieces.push(data.subarray(off, off + 1 + Math.floor(Math.random() * 300_000)));
    const written: Buffer[] = [];
    let yielded = 0;
    async function* body() {
      for (const p of pieces) {
        yielded++;
        yield p;
      }
    }
    await backend.put('w1/2024/01/a', body(), {
      written: (b) => {
        // Never a buffer the backend has not been handed yet.
        expect(pieces.indexOf(b)).toBeLessThan(yielded);
        written.push(b);
      },
    });
    expect((await backend.readRange('w1/2024/01/a', 0, data.length - 1)).equals(data)).toBe(true);
    if (kind === 'fs') expect(new Set(written)).toEqual(new Set(pieces));
    else expect(written.length).toBe(0); // S3 uploads parts its own way and does not report
    expect(written.length).toBe(new Set(written).size);
    await backend.delete('w1/2024/01/a');
  });

  it('stores, reads ranges, streams, sizes, lists and deletes', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5);
    await backend.put('t1/2024/01/a', randomPieces(data, 200_000));
    await backend.put('t1/2024/02/b', (async function* () {})());
    await backend.put('t2/2024/01/c', [Buffer.from('hello')] as unknown as AsyncIterable<Buffer>);
    expect(await backend.size('t1/2024/01/a')).toBe(data.length);
    expect(await backend.size('t1/2024/02/b')).toBe(0);
    expect(await backend.size('nope/x')).toBeNull();
    expect((await backend.readRange('t1/2024/01/a', 10, 19)).equals(data.subarray(10, 20))).toBe(true);
    const streamed = await collect(backend.readStream('t1/2024/01/a', 1000, data.length - 1, { blockSize: 65_000 }));
    expect(streamed.equals(data.subarray(1000))).toBe(true);

    expect(await listAll(backend)).toEqual(['t1/2024/01/a', 't1/2024/02/b', 't2/2024/01/c']);
    expect(await listAll(backend, 't1/')).toEqual(['t1/2024/01/a', 't1/2024/02/b']);
    expect(await listAll(backend, 't1/2024/0')).toEqual(['t1/2024/01/a', 't1/2024/02/b']);
    expect(await listAll(backend, 't2')).toEqual(['t2/2024/01/c']);
    for await (const o of backend.list('t2/')) {
      expect(o.size).toBe(5);
      expect(Math.abs(o.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    }

    await backend.delete('t1/2024/01/a');
    await backend.delete('t1/2024/01/a'); // idempotent
    expect(await backend.size('t1/2024/01/a')).toBeNull();
    await expect(backend.readRange('t1/2024/01/a', 0, 1)).rejects.toBeInstanceOf(BlobObjectMissingError);
    await expect(backend.readRange('t2/2024/01/c', 3, 10)).rejects.toBeInstanceOf(BlobObjectTruncatedError);
    for (const k of ['t1/2024/02/b', 't2/2024/01/c']) await backend.delete(k);
  });

  it('leaves nothing visible when the body fails mid-write', async () => {
    async function* failing() {
      yield randomBytes(9 * 1024 * 1024); // past one multipart part on S3 (8 MiB)
      throw new Error('source broke');
    }
    await expect(backend.put('t3/broken', failing())).rejects.toThrow('source broke');
    expect(await backend.size('t3/broken')).toBeNull();
    expect(await listAll(backend, 't3/')).toEqual([]);
    if (kind === 'fs') expect(fs.readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  });

  it('reads what was last written under a key (no stale cached handle)', async () => {
    await backend.put('t5/x', randomPieces(Buffer.from('first version'), 4));
    expect((await backend.readRange('t5/x', 0, 4)).toString()).toBe('first');
    await backend.put('t5/x', randomPieces(Buffer.from('second version'), 4));
    expect((await backend.readRange('t5/x', 0, 5)).toString()).toBe('second');
    await backend.delete('t5/x');
    await expect(backend.readRange('t5/x', 0, 1)).rejects.toBeInstanceOf(BlobObjectMissingError);
    await backend.put('t5/x', randomPieces(Buffer.from('third'), 4));
    expect((await backend.readRange('t5/x', 0, 4)).toString()).toBe('third');
    const many = await Promise.all(Array.from({ length: 20 }, () => backend.readRange('t5/x', 1, 3)));
    expect(many.every((b) => b.toString() === 'hir')).toBe(true);
    await backend.delete('t5/x');
  });

  it('refuses keys that escape the store', async () => {
    for (const k of ['../x', 'a/../../x', '/abs', 'a//b', '.tmp/x', 'a\\b', '']) {
      await expect(backend.put(k, randomPieces(Buffer.from('x'), 1)), k).rejects.toThrow(/invalid storage key/);
    }
  });

  it.runIf(kind === 's3')('keeps objects under the configured prefix', async () => {
    await backend.put('t4/x', randomPieces(Buffer.from('abc'), 2));
    const raw = await (backend as S3Backend).client.send(new (await import('@aws-sdk/client-s3')).HeadObjectCommand({ Bucket: s3!.bucket, Key: 'media/t4/x' }));
    expect(raw.ContentLength).toBe(3);
    await backend.delete('t4/x');
  });

  it.runIf(kind === 'fs')('sweeps stale temp files only', async () => {
    const b = backend as FsBackend;
    fs.mkdirSync(b.tmpDir, { recursive: true });
    const stale = path.join(b.tmpDir, 'stale.part');
    const fresh = path.join(b.tmpDir, 'fresh.part');
    fs.writeFileSync(stale, 'x');
    fs.writeFileSync(fresh, 'y');
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, old, old);
    expect(await b.sweepIncomplete(3600_000)).toBe(1);
    expect(fs.readdirSync(b.tmpDir)).toEqual(['fresh.part']);
    expect(await b.sweepIncomplete(0)).toBe(1);
  });
});
