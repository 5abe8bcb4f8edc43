// What a ranged read needs besides the bytes: the blob's row and its unwrapped data key. A player seeking through a
// recording asks for dozens of ranges of the same few blobs a second; looking the row up and unwrapping the key each
// time cost more than decrypting the range. Kept in memory only, for a short time and a bounded number of blobs;
// a data key is zeroed when its entry leaves the cache, and every reader gets its own copy (which it zeroes itself),
// so eviction never pulls a key from under a read in progress.
import type { BlobRow } from './repository.ts';

export interface ReadEntry {
  row: BlobRow;
  /** The unwrapped data key; never handed out (see dekCopy). */
  dek: Buffer;
  expires: number;
}

export class ReadCache {
  // A Map iterates in insertion order: re-inserting on every hit makes the first key the least recently used.
  private readonly entries = new Map<string, ReadEntry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly maxEntries = 512,
    readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): ReadEntry | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.delete(id);
      return undefined;
    }
    this.entries.delete(id);
    this.entries.set(id, e);
    return e;
  }

  /** Takes ownership of `dek` (zeroed on eviction). */
  set(row: BlobRow, dek: Buffer): ReadEntry {
    this.delete(row.id);
    const e = { row, dek, expires: this.now() + this.ttlMs };
    this.entries.set(row.id, e);
    while (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value!);
    // Keys of blobs nobody reads any more must not linger until the cache fills up.
    this.timer ??= setInterval(() => this.purgeExpired(), this.ttlMs).unref();
    return e;
  }

  purgeExpired(): void {
    const now = this.now();
    for (const [id, e] of [...this.entries]) if (e.expires <= now) this.delete(id);
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  delete(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    e.dek.fill(0);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.delete(id);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** A reader's own copy of the key (not from the shared Buffer pool, so zeroing it touches nothing else). */
export function dekCopy(e: ReadEntry): Buffer {
  const k = Buffer.allocUnsafeSlow(e.dek.length);
  e.dek.copy(k);
  return k;
}
