// What a storage backend is: the interface, its errors and the key rule. Kept apart from backend.ts (the factory)
// so the backends can import it without importing the factory that imports them (a cycle).
export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  /**
   * Called with each buffer of `body` once the backend has written it and will not touch it again, so the caller can
   * free it at once (the store hands over its encryption output this way). Backends may skip it.
   */
  written?: (buf: Buffer) => void;
}

export interface BlobBackend {
  readonly kind: 'fs' | 's3';
  /**
   * Stores `body` under `key`. The object becomes visible only once complete (fs: temp file + fsync + rename;
   * S3: single PUT or completed multipart upload), so a crash mid-write leaves nothing readable behind.
   */
  put(key: string, body: AsyncIterable<Buffer>, opts?: PutOptions): Promise<void>;
  /** Bytes start..endInclusive, in a buffer the caller owns (it is decrypted in place); throws BlobObjectMissingError / BlobObjectTruncatedError. */
  readRange(key: string, start: number, endInclusive: number): Promise<Buffer>;
  /** Same bytes as a stream; `blockSize` is a hint for backends that read in blocks (fs). */
  readStream(key: string, start: number, endInclusive: number, opts?: { blockSize?: number }): AsyncIterable<Buffer>;
  /** Size in bytes, or null when the object does not exist. */
  size(key: string): Promise<number | null>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  /** Complete objects only (never temp files or unfinished uploads). */
  list(prefix?: string): AsyncIterable<StoredObject>;
  /** Temp files / unfinished multipart uploads (what sweepIncomplete removes), for reports; [] where the store cannot list them. */
  listIncomplete(): AsyncIterable<{ name: string; lastModified: Date }>;
  /** Removes temp files / unfinished multipart uploads older than `olderThanMs`; returns how many. */
  sweepIncomplete(olderThanMs: number): Promise<number>;
  /** Releases cached handles / connections (shutdown). */
  close?(): Promise<void>;
}

export class BlobObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`stored object ${key} is missing`);
    this.name = 'BlobObjectMissingError';
  }
}

export class BlobObjectTruncatedError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`stored object ${key} is truncated: ${detail}`);
    this.name = 'BlobObjectTruncatedError';
  }
}

/** Rejects keys that could escape the store or collide with its own bookkeeping. */
export function checkKey(key: string): void {
  const parts = key.split('/');
  if (key.length === 0 || key.length > 512 || /[\\\0]/.test(key) || parts.some((p) => p === '' || p === '.' || p === '..') || parts[0]!.startsWith('.')) {
    throw new Error(`invalid storage key "${key}"`);
  }
}
