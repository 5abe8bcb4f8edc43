// Objects as files under one folder. Writes go to `.tmp/` (same file system), are fsynced, then renamed into place.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BlobObjectMissingError, BlobObjectTruncatedError, checkKey, type BlobBackend, type StoredObject } from './backend.ts';

const TMP_DIR = '.tmp';
// Gather small buffers (ciphertext + tag pairs) into one writev of about this size.
const WRITE_BATCH = 1024 * 1024;
const DEFAULT_READ_BLOCK = 1024 * 1024;

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

export class FsBackend implements BlobBackend {
  readonly kind = 'fs' as const;
  readonly root: string;
  readonly tmpDir: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
    this.tmpDir = path.join(this.root, TMP_DIR);
  }

  private file(key: string): string {
    checkKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: AsyncIterable<Buffer>): Promise<void> {
    const dest = this.file(key);
    await fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
    const fh = await fsp.open(tmp, 'wx', 0o600);
    let closed = false;
    // One writev in flight while the next batch is produced: encryption (main thread) overlaps disk I/O (pool).
    let inflight: Promise<unknown> | undefined;
    try {
      let batch: Buffer[] = [];
      let batchLen = 0;
      const flush = async () => {
        if (inflight) await inflight;
        inflight = batch.length ? handled(writeAll(fh, batch)) : undefined;
        batch = [];
        batchLen = 0;
      };
      for await (const buf of body) {
        if (buf.length === 0) continue;
        batch.push(buf);
        batchLen += buf.length;
        if (batchLen >= WRITE_BATCH || batch.length >= 512) await flush();
      }
      await flush();
      if (inflight) await inflight;
      await fh.sync();
      await fh.close();
      closed = true;
      const created = await fsp.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      await fsp.rename(tmp, dest);
      await fsyncDirs(path.dirname(dest), created);
    } catch (err) {
      await inflight?.catch(() => {});
      if (!closed) await fh.close().catch(() => {});
      await fsp.rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  }

  async readRange(key: string, start: number, endInclusive: number): Promise<Buffer> {
    const len = endInclusive - start + 1;
    const fh = await this.open(key);
    try {
      const buf = Buffer.allocUnsafe(len);
      await readFully(fh, buf, start, key);
      return buf;
    } finally {
      await fh.close();
    }
  }

  async *readStream(key: string, start: number, endInclusive: number, opts: { blockSize?: number } = {}): AsyncGenerator<Buffer> {
    const block = Math.max(1, opts.blockSize ?? DEFAULT_READ_BLOCK);
    const fh = await this.open(key);
    try {
      let pos = start;
      const readNext = () => {
        if (pos > endInclusive) return undefined;
        const buf = Buffer.allocUnsafe(Math.min(block, endInclusive - pos + 1));
        const p = handled(readFully(fh, buf, pos, key).then(() => buf));
        pos += buf.length;
        return p;
      };
      // Read one block ahead so the disk works while the consumer decrypts.
      let next = readNext();
      try {
        while (next) {
          const buf = await next;
          next = readNext();
          yield buf;
        }
      } finally {
        await next?.catch(() => {}); // consumer stopped early: let the read-ahead settle before closing
      }
    } finally {
      await fh.close();
    }
  }

  private async open(key: string): Promise<fsp.FileHandle> {
    try {
      return await fsp.open(this.file(key), 'r');
    } catch (err) {
      if (isNotFound(err)) throw new BlobObjectMissingError(key);
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fsp.stat(this.file(key))).size;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
  }

  async *list(prefix = ''): AsyncGenerator<StoredObject> {
    // Start at the deepest folder the prefix names, then filter.
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash) : '';
    if (base && base.split('/').some((p) => p === '..' || p === '.' || p === '')) return;
    yield* this.walk(base, prefix);
  }

  private async *walk(rel: string, prefix: string): AsyncGenerator<StoredObject> {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(path.join(this.root, ...rel.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (rel === '' && e.name.startsWith('.')) continue; // .tmp and friends
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (prefix.startsWith(key + '/') || (key + '/').startsWith(prefix)) yield* this.walk(key, prefix);
      } else if (e.isFile() && key.startsWith(prefix)) {
        try {
          const st = await fsp.stat(path.join(this.root, ...key.split('/')));
          yield { key, size: st.size, lastModified: st.mtime };
        } catch (err) {
          if (!isNotFound(err)) throw err; // deleted while listing
        }
      }
    }
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await fsp.readdir(this.tmpDir);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    const cutoff = Date.now() - olderThanMs;
    for (const name of names) {
      const p = path.join(this.tmpDir, name);
      try {
        const st = await fsp.stat(p);
        if (st.mtimeMs <= cutoff) {
          await fsp.rm(p, { force: true, recursive: true });
          removed++;
        }
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return removed;
  }
}

/** Marks a promise as handled now (it is awaited later), so an early rejection is not an unhandled one. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

async function writeAll(fh: fsp.FileHandle, bufs: Buffer[]): Promise<void> {
  let list = bufs;
  while (list.length) {
    const { bytesWritten } = await fh.writev(list);
    // Partial writes are rare but legal: drop what was written and retry the rest.
    let n = bytesWritten;
    let i = 0;
    while (i < list.length && n >= list[i]!.length) n -= list[i++]!.length;
    list = list.slice(i);
    if (n > 0) list[0] = list[0]!.subarray(n);
  }
}

async function readFully(fh: fsp.FileHandle, buf: Buffer, position: number, key: string): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) throw new BlobObjectTruncatedError(key, `ends before byte ${position + off}`);
    off += bytesRead;
  }
}

/** fsync the folder that got the new name, and every folder mkdir just created (their parents gained entries). */
async function fsyncDirs(dir: string, firstCreated: string | undefined): Promise<void> {
  const dirs = [dir];
  if (firstCreated) {
    for (let d = dir; d.length >= firstCreated.length; d = path.dirname(d)) dirs.push(path.dirname(d));
  }
  for (const d of new Set(dirs)) {
    let h: fsp.FileHandle | undefined;
    try {
      h = await fsp.open(d, 'r');
      await h.sync();
    } catch {
      // Not every platform can fsync a directory.
    } finally {
      await h?.close();
    }
  }
}
