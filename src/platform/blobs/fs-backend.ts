// Objects as files under one folder. Writes go to `.tmp/` (same file system), are fsynced, then renamed into place.
import type fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BlobObjectMissingError, BlobObjectTruncatedError, checkKey, type BlobBackend, type PutOptions, type StoredObject } from './object-store.ts';

const TMP_DIR = '.tmp';
// Gather small buffers (ciphertext + tag pairs) into one writev of about this size; at most
// WRITE_BATCH * (MAX_INFLIGHT_WRITES + 1) bytes of ciphertext wait in memory per upload.
const WRITE_BATCH = 1024 * 1024;
const MAX_INFLIGHT_WRITES = 4;
const EARLY_SYNC_BYTES = 32 * 1024 * 1024;
const DEFAULT_READ_BLOCK = 1024 * 1024;
const MAX_CACHED_HANDLES = 64;
const HANDLE_TTL_MS = 5000;

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

export class FsBackend implements BlobBackend {
  readonly kind = 'fs' as const;
  readonly root: string;
  readonly tmpDir: string;

  private readonly handles = new HandleCache();

  constructor(dir: string) {
    this.root = path.resolve(dir);
    this.tmpDir = path.join(this.root, TMP_DIR);
  }

  /** Closes cached read handles (they also close themselves after a few idle seconds). */
  async close(): Promise<void> {
    await this.handles.clear();
  }

  private file(key: string): string {
    checkKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: AsyncIterable<Buffer>, opts: PutOptions = {}): Promise<void> {
    const dest = this.file(key);
    await fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
    const fh = await fsp.open(tmp, 'wx', 0o600);
    let closed = false;
    // Positional writes, a few in flight, so encryption (main thread) overlaps disk I/O (thread pool); a datasync
    // now and then starts write-back early, so the final fsync has little left to do.
    const inflight = new Set<Promise<unknown>>();
    let syncing: Promise<unknown> | undefined;
    const settle = async () => {
      await Promise.allSettled([...inflight, syncing]);
    };
    try {
      let batch: Buffer[] = [];
      let batchLen = 0;
      let pos = 0;
      let sinceSync = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        while (inflight.size >= MAX_INFLIGHT_WRITES) await Promise.race(inflight);
        const bufs = batch;
        const p = handled(writeAll(fh, bufs, pos).then(() => opts.written && bufs.forEach(opts.written)));
        inflight.add(p);
        void p.then(
          () => inflight.delete(p),
          () => {},
        );
        pos += batchLen;
        sinceSync += batchLen;
        batch = [];
        batchLen = 0;
        if (sinceSync >= EARLY_SYNC_BYTES && !syncing) {
          sinceSync = 0;
          syncing = handled(fh.datasync()).finally(() => (syncing = undefined));
        }
      };
      for await (const buf of body) {
        if (buf.length === 0) continue;
        batch.push(buf);
        batchLen += buf.length;
        if (batchLen >= WRITE_BATCH || batch.length >= 512) await flush();
      }
      await flush();
      await Promise.all([...inflight]);
      await syncing;
      await fh.sync();
      await fh.close();
      closed = true;
      const created = await fsp.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      this.handles.invalidate(dest);
      await fsp.rename(tmp, dest);
      await fsyncDirs(path.dirname(dest), created);
    } catch (err) {
      await settle();
      if (!closed) await fh.close().catch(() => {});
      await fsp.rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  }

  /** Small ranged reads (seeking) reuse a recently opened handle: open + close cost more than the read itself. */
  async readRange(key: string, start: number, endInclusive: number): Promise<Buffer> {
    const file = this.file(key);
    const lease = await this.handles.acquire(file).catch((err: unknown) => {
      throw isNotFound(err) ? new BlobObjectMissingError(key) : err;
    });
    try {
      const buf = Buffer.allocUnsafe(endInclusive - start + 1);
      await readFully(lease.fh, buf, start, key);
      return buf;
    } finally {
      lease.release();
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
    const file = this.file(key);
    this.handles.invalidate(file);
    await fsp.rm(file, { force: true });
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

  async *listIncomplete(): AsyncGenerator<{ name: string; lastModified: Date }> {
    let names: string[];
    try {
      names = await fsp.readdir(this.tmpDir);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const name of names.sort()) {
      try {
        yield { name: `${TMP_DIR}/${name}`, lastModified: (await fsp.stat(path.join(this.tmpDir, name))).mtime };
      } catch (err) {
        if (!isNotFound(err)) throw err; // finished or removed meanwhile
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

interface CachedHandle {
  fh: fsp.FileHandle;
  refs: number;
  expires: number;
  dead: boolean;
}

/**
 * A few recently used read handles, each kept at most HANDLE_TTL_MS so a file replaced behind our back is seen
 * again soon (and deleted files do not stay pinned). Our own put/delete invalidate at once.
 */
class HandleCache {
  private readonly entries = new Map<string, Promise<CachedHandle>>();
  private timer: NodeJS.Timeout | undefined;

  async acquire(file: string): Promise<{ fh: fsp.FileHandle; release(): void }> {
    for (;;) {
      let p = this.entries.get(file);
      if (!p) {
        const opening = fsp.open(file, 'r').then((fh) => ({ fh, refs: 0, expires: Date.now() + HANDLE_TTL_MS, dead: false }));
        p = opening;
        this.entries.set(file, opening);
        opening.catch(() => this.entries.get(file) === opening && this.entries.delete(file));
        this.evictOverflow();
        this.timer ??= setInterval(() => this.expire(), HANDLE_TTL_MS).unref();
      }
      const h = await p; // an open error (ENOENT) goes to the caller
      if (h.dead) continue; // invalidated while we waited
      if (h.expires < Date.now()) {
        if (this.entries.get(file) === p) this.drop(file, h);
        continue;
      }
      if (this.entries.get(file) === p) {
        this.entries.delete(file); // most recently used goes last
        this.entries.set(file, p);
      }
      h.refs++;
      return {
        fh: h.fh,
        release: () => {
          h.refs--;
          if (h.dead && h.refs === 0) void h.fh.close().catch(() => {});
        },
      };
    }
  }

  invalidate(file: string): void {
    const p = this.entries.get(file);
    if (!p) return;
    this.entries.delete(file);
    void p.then(
      (h) => this.kill(h),
      () => {},
    );
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(
      all.map((p) =>
        p.then(
          (h) => this.kill(h),
          () => {},
        ),
      ),
    );
  }

  private drop(file: string, h: CachedHandle): void {
    this.entries.delete(file);
    this.kill(h);
  }

  private kill(h: CachedHandle): void {
    if (h.dead) return;
    h.dead = true;
    if (h.refs === 0) void h.fh.close().catch(() => {});
  }

  private evictOverflow(): void {
    while (this.entries.size > MAX_CACHED_HANDLES) this.invalidate(this.entries.keys().next().value!);
  }

  private expire(): void {
    const now = Date.now();
    for (const [file, p] of this.entries) {
      void p.then(
        (h) => {
          if (h.expires < now && this.entries.get(file) === p) this.drop(file, h);
        },
        () => {},
      );
    }
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

/** Marks a promise as handled now (it is awaited later), so an early rejection is not an unhandled one. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

async function writeAll(fh: fsp.FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let list = bufs;
  let pos = position;
  while (list.length) {
    const { bytesWritten } = await fh.writev(list, pos);
    pos += bytesWritten;
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
