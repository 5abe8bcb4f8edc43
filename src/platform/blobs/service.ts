// The encrypted media store: every object is chunk-encrypted under its own data key (see crypto/envelope.ts), the data
// key is wrapped by the tenant key, and the row carries the plaintext SHA-256 and an Ed25519 watermark.
// Plaintext exists only in memory: it is encrypted as it streams in, and decrypted chunk by chunk as it streams out.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../db/index.ts';
import type { DialectAdapter } from '../db/adapter.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import {
  DEFAULT_CHUNK_SIZE,
  DEK_SIZE,
  EnvelopeError,
  MAX_CHUNK_SIZE,
  Encryptor,
  checkChunkSize,
  decryptAll,
  decryptRange,
  RangeDecryptor,
  encryptBufferStream,
  encryptStream,
  rangeLayout,
  releaseNow,
  storedSize,
  TAG_SIZE,
  type DecryptParams,
  type RangeLayout,
} from '../crypto/envelope.ts';
import { signIdentity, verifyIdentity, type Keyring } from '../crypto/keys.ts';
import { OffThreadSha256 } from '../crypto/sha256-thread.ts';
import { BlobObjectMissingError, BlobObjectTruncatedError, type BlobBackend, type StoredObject } from './backend.ts';
import * as repo from './repository.ts';
import type { BlobReference, BlobRow } from './repository.ts';
import { recoverPendingRotation } from './rotate.ts';
import { ReadCache, dekCopy } from './read-cache.ts';

export interface BlobInfo {
  id: string;
  tenantId: string;
  size: number;
  sha256: string;
  contentType: string;
  createdAt: string;
}

export type { BlobReference } from './repository.ts';

/** What put() accepts: bytes in memory, any (async) iterable of chunks, or a Node readable stream. */
export type BlobBody = Buffer | Uint8Array | AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array> | NodeJS.ReadableStream;

/** Plaintext byte range, both ends inclusive (as in HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobVerification {
  id: string;
  tenantId: string;
  ok: boolean;
  reason?: string;
}

export interface VerifyAllProgress {
  checked: number;
  failed: number;
  total: number;
}

export interface VerifyAllResult {
  checked: number;
  failed: Array<{ id: string; tenantId: string; reason: string }>;
}

export interface SweepResult {
  /** Blob rows nothing references (an interrupted or superseded analysis, a crash before the referencing commit). */
  rowsRemoved: number;
  /** Stored objects without a row (a write that crashed between object and row, or a failed delete). */
  objectsRemoved: number;
  /** Temp files / unfinished multipart uploads. */
  incompleteRemoved: number;
  /** Columns that look like blob references but are not declared; while any exist no row is judged orphaned. */
  unregisteredReferences: string[];
}

export interface OrphanReport {
  /** Unreferenced blob rows; `sweepable` once older than the grace period (younger ones may be a write in progress). */
  rows: Array<{ id: string; tenantId: string; createdAt: string; sweepable: boolean }>;
  /** Stored objects without a row, by storage key. */
  objects: Array<{ key: string; size: number; lastModified: string; sweepable: boolean }>;
  /** Temp files / unfinished uploads of interrupted writes (none listed where the store cannot list them). */
  incomplete: Array<{ name: string; lastModified: string; sweepable: boolean }>;
  /** Row orphans were not looked for: these columns look like blob references but are not declared. */
  unregisteredReferences: string[];
  /** Row orphans were not looked for: the store was built without its reference list. */
  rowsUnchecked: boolean;
}

export interface OrphanGrace {
  /** Objects without a row and temp files younger than this are left alone (default one hour). */
  olderThanMs?: number;
  /**
   * Unreferenced rows younger than this are left alone (default one day). A row's created_at is taken when its write
   * starts, and the row that references it commits only after every file of the call (or analysis) is stored, so
   * this grace covers the longest upload, not just the gap between two statements.
   */
  rowsOlderThanMs?: number;
}

export interface BlobStoreDeps {
  db: Db;
  adapter: DialectAdapter;
  backend: BlobBackend;
  keyring: Keyring;
  /** Plaintext bytes per encrypted chunk for new objects (64 KiB); stored per row, so it may change any time. */
  chunkSize?: number;
  /**
   * Every column that holds blob ids (src/blob-references.ts). Without it no blob row is ever judged orphaned: the
   * store cannot know what points at its rows.
   */
  references?: readonly BlobReference[];
  /** Rows and unwrapped data keys of recently read blobs, in memory only (default 512 blobs for 30 s). */
  readCache?: { maxEntries?: number; ttlMs?: number };
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const STORAGE_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** tenant/yyyy/mm/dd/blob-id: folders stay small and a tenant's media can be listed (or exported) by prefix. */
export function storageKeyFor(tenantId: string, blobId: string, createdAt: string): string {
  return `${tenantId}/${createdAt.slice(0, 4)}/${createdAt.slice(5, 7)}/${createdAt.slice(8, 10)}/${blobId}`;
}
const CONTENT_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;.*)?$/;
// Read about 1 MiB of stored bytes per I/O, in whole frames so frames need no re-assembly.
const READ_TARGET = 1024 * 1024;
const SINGLE_READ_MAX = 2 * 1024 * 1024;
const SPLIT_MIN_BYTES = 256 * 1024;
const SPLIT_MAX_PARTS = 4;
const OFF_THREAD_HASH_MIN = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const ORPHAN_PAGE = 500;

function toInfo(r: BlobRow): BlobInfo {
  return { id: r.id, tenantId: r.tenant_id, size: Number(r.size), sha256: r.sha256, contentType: r.content_type, createdAt: r.created_at };
}

function integrity(row: Pick<BlobRow, 'id'>, err: unknown): unknown {
  if (err instanceof EnvelopeError || err instanceof BlobObjectMissingError || err instanceof BlobObjectTruncatedError) {
    return new DomainError('INTEGRITY_FAILURE', `Blob ${row.id} failed its integrity check: ${err.message}`, { blobId: row.id });
  }
  return err;
}

export class BlobStore {
  readonly db: Db;
  readonly adapter: DialectAdapter;
  readonly backend: BlobBackend;
  readonly keyring: Keyring;
  readonly chunkSize: number;
  /** The columns that hold blobs (records left out). */
  readonly references: readonly BlobReference[] | undefined;
  /** Every declared column, holders and records: a blob-like column outside this set stops the sweep. */
  private readonly declaredColumns: ReadonlySet<string> | undefined;
  private readonly cache: ReadCache;
  private readonly splitReads: boolean;
  private recovery: Promise<unknown> | undefined;
  private readonly registeredSigningKeys = new Set<string>();

  constructor(deps: BlobStoreDeps) {
    this.db = deps.db;
    this.adapter = deps.adapter;
    this.backend = deps.backend;
    this.keyring = deps.keyring;
    this.chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.references = deps.references?.filter((r) => !r.record);
    this.declaredColumns = deps.references && new Set(deps.references.map((r) => `${r.table}.${r.column}`));
    this.cache = new ReadCache(deps.readCache?.maxEntries, deps.readCache?.ttlMs);
    this.splitReads = deps.backend.kind === 's3';
    checkChunkSize(this.chunkSize);
  }

  /** Settles an interrupted key rotation and records the current public key, once, before the first write. */
  private async prepare(): Promise<void> {
    if (this.keyring.pendingRotation) {
      this.recovery ??= recoverPendingRotation({ db: this.db, keyring: this.keyring });
      await this.recovery;
    }
    const sk = this.keyring.signingKey();
    if (!this.registeredSigningKeys.has(sk.id)) {
      await repo.insertSigningKey(this.db, { id: sk.id, publicKeyPem: sk.publicKeyPem, createdAt: nowIso() });
      this.registeredSigningKeys.add(sk.id);
    }
  }

  async put(tenantId: string, body: BlobBody, opts: { contentType: string }): Promise<BlobInfo> {
    checkTenantId(tenantId);
    const contentType = opts.contentType?.trim() ?? '';
    if (!CONTENT_TYPE.test(contentType) || contentType.length > 255) {
      throw new DomainError('VALIDATION_FAILED', `content type "${opts.contentType}" is not a valid media type (type/subtype)`);
    }
    await this.prepare();
    const id = newId();
    const createdAt = nowIso();
    const storageKey = storageKeyFor(tenantId, id, createdAt);
    const dek = randomBytes(DEK_SIZE);
    const inMemory = Buffer.isBuffer(body) || body instanceof Uint8Array ? asBuf(body) : undefined;
    // Large or streamed bodies are hashed on the hash thread while this thread encrypts.
    const hasher = inMemory === undefined || inMemory.length >= OFF_THREAD_HASH_MIN ? new OffThreadSha256() : undefined;
    const enc = new Encryptor({ dek, blobId: id, chunkSize: this.chunkSize }, { hash: !hasher });
    let stored = false;
    try {
      const source = inMemory ? encryptBufferStream(inMemory, enc, { hasher }) : encryptStream(asIterable(body), enc, hasher);
      // The encryptor's output is ours alone (fresh buffers from the cipher): freed as soon as it is written.
      await this.backend.put(storageKey, source, { written: releaseNow });
      stored = true;
      const sha256 = hasher ? await hasher.digest() : enc.sha256;
      // Wrap and sign at the end, with the key current then, so a rotation that ran meanwhile is honoured.
      const kekId = this.keyring.kekId;
      const { wrappedKey } = this.keyring.wrapDek(tenantId, id, dek, kekId);
      const sk = this.keyring.signingKey(kekId);
      const row: BlobRow = {
        id,
        tenant_id: tenantId,
        storage_key: storageKey,
        content_type: contentType,
        size: enc.size,
        stored_size: storedSize(enc.size, this.chunkSize),
        chunk_size: this.chunkSize,
        sha256,
        wrapped_key: wrappedKey,
        kek_id: kekId,
        signature: signIdentity(sk, { id, tenantId, size: enc.size, sha256 }),
        signing_key_id: sk.id,
        created_at: createdAt,
      };
      await repo.insertBlob(this.db, row);
      if (this.keyring.kekId !== kekId) {
        // A rotation committed between wrap and insert; its straggler pass may have missed this row.
        await repo.updateWrappedKey(this.db, id, this.keyring.wrapDek(tenantId, id, dek).wrappedKey, this.keyring.kekId);
      }
      return toInfo(row);
    } catch (err) {
      hasher?.abort();
      if (stored) await this.backend.delete(storageKey).catch(() => {});
      throw err;
    } finally {
      dek.fill(0);
    }
  }

  async stat(tenantId: string, id: string): Promise<BlobInfo> {
    return toInfo(await this.row(tenantId, id));
  }

  /**
   * Plaintext of the blob, or of `range` (inclusive ends). Only the chunks the range touches are fetched and
   * decrypted, one at a time. Rejects (rather than failing the stream) when the blob, its key or its first chunk
   * is unusable, so an HTTP handler can still answer with a proper status.
   */
  async read(tenantId: string, id: string, range?: ByteRange): Promise<Readable> {
    return this.withBlob(tenantId, id, async (row, dek) => {
      const it = this.plaintext(row, range, dek);
      const first = await it.next();
      async function* rest(): AsyncGenerator<Buffer> {
        if (first.done) return;
        yield first.value;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      }
      const stream = Readable.from(rest(), { objectMode: false });
      // A consumer that goes away early (client disconnect) must still release the file handle and wipe the key.
      stream.once('close', () => void it.return(undefined).catch(() => {}));
      return stream;
    });
  }

  /** The whole plaintext (or `range`) in one Buffer; for small objects. */
  async readAll(tenantId: string, id: string, range?: ByteRange): Promise<Buffer> {
    return this.withBlob(tenantId, id, async (row, dek) => {
      const it = this.plaintext(row, range, dek);
      try {
        const { length } = this.resolveRange(row, range);
        const parts: Buffer[] = [];
        let n = 0;
        for await (const pt of it) {
          parts.push(pt);
          n += pt.length;
        }
        if (n !== length) throw new DomainError('INTEGRITY_FAILURE', `Blob ${row.id} decrypted to ${n} bytes, expected ${length}`);
        // A range inside one chunk is already one buffer: no copy.
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
      } finally {
        dek.fill(0);
      }
    });
  }

  /** Deletes the row, then the object. Once the row (the wrapped data key) is gone the object is unreadable anyway. */
  async delete(tenantId: string, id: string): Promise<void> {
    this.cache.delete(id);
    const row = await repo.deleteBlob(this.db, tenantId, id);
    if (!row) throw notFound('Blob', id);
    // A failed object delete leaves an orphan that sweepOrphans() removes.
    await this.backend.delete(row.storage_key).catch(() => {});
  }

  /**
   * Deletes blobs their caller stopped pointing at (a superseded rendition, an earlier redacted copy), except those
   * something else still references: anonymization makes the redacted copy a rendition's only audio, so "the earlier
   * copy" of one column can be the current blob of another. Never throws; what stays is left to the orphan sweep.
   */
  async release(tenantId: string, ids: Iterable<string | null | undefined>): Promise<void> {
    // Without the declared references nothing can be judged unreferenced: keep everything.
    if (!this.references) return;
    for (const id of new Set(ids)) {
      if (!id) continue;
      try {
        const key = await repo.deleteTenantBlobIfUnreferenced(this.db, this.references, tenantId, id);
        if (key === undefined) continue;
        this.cache.delete(id);
        await this.backend.delete(key);
      } catch {
        // The sweep removes what a failed delete leaves.
      }
    }
  }

  /**
   * Crypto-shred, second half (src/compliance/deletion): the caller deleted the rows (the wrapped data keys) in its own
   * transaction; this drops any cached copy of their keys and removes the objects. A missing object is not an error,
   * so a run repeated after a crash finishes the job.
   */
  async removeShredded(objects: ReadonlyArray<{ blobId: string; storageKey: string }>): Promise<void> {
    for (const o of objects) this.cache.delete(o.blobId);
    for (const o of objects) await this.backend.delete(o.storageKey);
  }

  /** Full check of one blob: watermark, stored size, every GCM tag, plaintext size and SHA-256. */
  async verifyBlob(id: string, opts: { tenantId?: string } = {}): Promise<BlobVerification> {
    const row = await repo.findBlob(this.db, id);
    if (!row || (opts.tenantId !== undefined && row.tenant_id !== opts.tenantId)) throw notFound('Blob', id);
    return this.check(row, new Map());
  }

  /** Verifies every blob, walking rows by id in batches. */
  async verifyAll(opts: { onProgress?: (p: VerifyAllProgress) => void; batchSize?: number; concurrency?: number } = {}): Promise<VerifyAllResult> {
    const batchSize = opts.batchSize ?? 200;
    const concurrency = Math.max(1, opts.concurrency ?? 2);
    const total = await repo.countBlobs(this.db);
    const keys = new Map<string, string | null>();
    const failed: VerifyAllResult['failed'] = [];
    let checked = 0;
    let after: string | null = null;
    for (;;) {
      const rows: BlobRow[] = await repo.listBlobsAfter(this.db, after, batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          const r = await this.check(row, keys);
          checked++;
          if (!r.ok) failed.push({ id: r.id, tenantId: r.tenantId, reason: r.reason! });
          opts.onProgress?.({ checked, failed: failed.length, total: Math.max(total, checked) });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    }
    failed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { checked, failed };
  }

  /**
   * Lists what the sweep removes, without removing anything: unreferenced rows, objects without a row. Every orphan
   * is listed with `sweepable` telling whether it is past the grace period. `limit` caps each list (counting goes on).
   */
  async findOrphans(opts: OrphanGrace & { limit?: number } = {}): Promise<OrphanReport & { rowCount: number; objectCount: number }> {
    const limit = opts.limit ?? Infinity;
    const { rowCutoff, objectCutoff } = cutoffs(opts);
    const report: OrphanReport & { rowCount: number; objectCount: number } = {
      rows: [],
      objects: [],
      incomplete: [],
      unregisteredReferences: [],
      rowsUnchecked: false,
      rowCount: 0,
      objectCount: 0,
    };
    const refs = await this.checkedReferences(report);
    if (refs) {
      const now = new Date(Date.now() + 1000).toISOString(); // every row, young ones included
      for await (const r of this.unreferencedRows(refs, now)) {
        report.rowCount++;
        if (report.rows.length < limit) report.rows.push({ id: r.id, tenantId: r.tenant_id, createdAt: r.created_at, sweepable: r.created_at < rowCutoff });
      }
    }
    for await (const o of this.rowlessObjects(Infinity)) {
      report.objectCount++;
      if (report.objects.length < limit) {
        report.objects.push({ key: o.key, size: o.size, lastModified: o.lastModified.toISOString(), sweepable: o.lastModified.getTime() <= objectCutoff });
      }
    }
    for await (const i of this.backend.listIncomplete()) {
      report.incomplete.push({ name: i.name, lastModified: i.lastModified.toISOString(), sweepable: i.lastModified.getTime() <= objectCutoff });
    }
    return report;
  }

  /**
   * Removes orphans past their grace period: blob rows that no declared reference points at (with their objects),
   * stored objects that have no row, and stale temp files / unfinished uploads. The grace periods keep writes in
   * progress safe: an object is stored before its row, and a row before the row that references it.
   */
  async sweepOrphans(opts: OrphanGrace = {}): Promise<SweepResult> {
    const olderThanMs = opts.olderThanMs ?? HOUR_MS;
    const { rowCutoff, objectCutoff } = cutoffs(opts);
    const result: SweepResult = { rowsRemoved: 0, objectsRemoved: 0, incompleteRemoved: 0, unregisteredReferences: [] };
    const refs = await this.checkedReferences(result);
    if (refs) {
      for await (const r of this.unreferencedRows(refs, rowCutoff)) {
        let key: string | undefined;
        try {
          key = await repo.deleteUnreferencedBlob(this.db, refs, r.id, rowCutoff);
        } catch {
          continue; // a reference committed meanwhile (foreign key): the row is live after all
        }
        if (key === undefined) continue;
        this.cache.delete(r.id);
        result.rowsRemoved++;
        // The object goes next; if that fails it is an object without a row, which the pass below (or the next
        // sweep) removes.
        await this.backend.delete(key).catch(() => {});
      }
    }
    const batch: string[] = [];
    for await (const o of this.rowlessObjects(objectCutoff)) {
      batch.push(o.key);
      if (batch.length >= ORPHAN_PAGE) result.objectsRemoved += await this.deleteRowless(batch.splice(0));
    }
    result.objectsRemoved += await this.deleteRowless(batch);
    result.incompleteRemoved = await this.backend.sweepIncomplete(olderThanMs);
    return result;
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  /** The declared references, or undefined (and why, in `out`) when rows cannot safely be judged. */
  private async checkedReferences(out: { unregisteredReferences: string[]; rowsUnchecked?: boolean }): Promise<readonly BlobReference[] | undefined> {
    if (!this.references || !this.declaredColumns) {
      out.rowsUnchecked = true;
      return undefined;
    }
    // A column added by a later feature and not declared would make its blobs look orphaned: judge nothing then.
    const declared = this.declaredColumns;
    out.unregisteredReferences = (await repo.blobReferenceLikeColumns(this.db)).filter((c) => !declared.has(c));
    if (out.unregisteredReferences.length) {
      out.rowsUnchecked = true;
      return undefined;
    }
    return this.references;
  }

  private async *unreferencedRows(refs: readonly BlobReference[], createdBefore: string) {
    let after: string | null = null;
    for (;;) {
      const rows = await repo.listUnreferencedBlobsAfter(this.db, refs, createdBefore, after, ORPHAN_PAGE);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield* rows;
    }
  }

  /** Stored objects named like this store's, last modified at or before `cutoff` (ms), that have no row. */
  private async *rowlessObjects(cutoff: number): AsyncGenerator<StoredObject> {
    let batch: StoredObject[] = [];
    const rowless = async () => {
      const known = await repo.existingStorageKeys(
        this.db,
        batch.map((o) => o.key),
      );
      const out = batch.filter((o) => !known.has(o.key));
      batch = [];
      return out;
    };
    for await (const o of this.backend.list()) {
      // Only names this store creates: a shared bucket or folder may hold other things.
      if (o.lastModified.getTime() > cutoff || !STORAGE_KEY.test(o.key)) continue;
      batch.push(o);
      if (batch.length >= ORPHAN_PAGE) yield* await rowless();
    }
    yield* await rowless();
  }

  /** Deletes the objects of `keys` that still have no row (checked again just before). */
  private async deleteRowless(keys: string[]): Promise<number> {
    const known = await repo.existingStorageKeys(this.db, keys);
    let n = 0;
    for (const key of keys) {
      if (known.has(key)) continue;
      await this.backend.delete(key);
      n++;
    }
    return n;
  }

  /** The row and a copy of its data key (the caller zeroes it), from the read cache or the database. */
  private async load(tenantId: string, id: string): Promise<{ row: BlobRow; dek: Buffer; cached: boolean }> {
    const hit = this.cache.get(id);
    if (hit && hit.row.tenant_id === tenantId) return { row: hit.row, dek: dekCopy(hit), cached: true };
    const row = await this.row(tenantId, id);
    const { dek } = this.params(row);
    const copy = Buffer.allocUnsafeSlow(dek.length);
    dek.copy(copy);
    this.cache.set(row, dek);
    return { row, dek: copy, cached: false };
  }

  /**
   * Runs a read with the blob's row and key. A cached entry that fails (the blob deleted or its row changed by another
   * process since) is dropped and the read retried once from the database, which then answers truly (not found,
   * or the integrity failure).
   */
  private async withBlob<T>(tenantId: string, id: string, read: (row: BlobRow, dek: Buffer) => Promise<T>): Promise<T> {
    const a = await this.load(tenantId, id);
    try {
      return await read(a.row, a.dek);
    } catch (err) {
      this.cache.delete(id);
      if (!a.cached || !(err instanceof DomainError && err.code === 'INTEGRITY_FAILURE')) throw err;
    }
    const b = await this.load(tenantId, id);
    return read(b.row, b.dek);
  }

  private async row(tenantId: string, id: string): Promise<BlobRow> {
    const row = typeof tenantId === 'string' && typeof id === 'string' ? await repo.findTenantBlob(this.db, tenantId, id) : undefined;
    if (!row) throw notFound('Blob', id);
    const problem = rowProblem(row);
    if (problem) throw new DomainError('INTEGRITY_FAILURE', `Blob ${row.id} failed its integrity check: ${problem}`, { blobId: row.id });
    return row;
  }

  private resolveRange(row: BlobRow, range: ByteRange | undefined): { start: number; end: number; length: number } {
    const size = Number(row.size);
    if (range === undefined) return { start: 0, end: size - 1, length: size };
    const { start, end } = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end >= size) {
      throw new DomainError(
        'VALIDATION_FAILED',
        size === 0
          ? `Range ${start}-${end} is not satisfiable: blob ${row.id} is empty`
          : `Range ${start}-${end} is not satisfiable: blob ${row.id} has ${size} bytes, so a range must satisfy 0 <= start <= end <= ${size - 1} (end inclusive)`,
        { size, start, end },
      );
    }
    return { start, end, length: end - start + 1 };
  }

  private params(row: BlobRow): DecryptParams {
    if (!this.keyring.has(row.kek_id)) {
      throw new DomainError('INTEGRITY_FAILURE', `Blob ${row.id} is wrapped by master key ${row.kek_id}, which is not loaded`, { blobId: row.id });
    }
    const dek = this.keyring.unwrapDek(row.tenant_id, row.id, row.wrapped_key, row.kek_id);
    return { dek, blobId: row.id, chunkSize: row.chunk_size, size: Number(row.size) };
  }

  private blockSize(chunkSize: number): number {
    const frame = chunkSize + TAG_SIZE;
    return frame * Math.max(1, Math.floor(READ_TARGET / frame));
  }

  /** Owns `dek`: zeroes it when done, however it ends. */
  private async *plaintext(row: BlobRow, range: ByteRange | undefined, dek: Buffer): AsyncGenerator<Buffer> {
    try {
      const { start, end, length } = this.resolveRange(row, range);
      if (length === 0) return;
      const p: DecryptParams = { dek, blobId: row.id, chunkSize: row.chunk_size, size: Number(row.size) };
      try {
        const layout = rangeLayout(p.size, p.chunkSize, start, end);
        if (layout.storedEnd - layout.storedStart < SINGLE_READ_MAX) {
          // Small ranges (a player seeking): cheaper than the streaming path. From S3, a few ranged GETs at once,
          // each decrypted as soon as it lands, so decryption overlaps the network; from a local file one read,
          // because every extra read is another trip through the thread pool.
          const pieces = this.splitReads ? splitRange(p.size, p.chunkSize, start, end) : [layout];
          const parts = pieces.map((l) => ({
            layout: l,
            data: handled(this.backend.readRange(row.storage_key, l.storedStart, l.storedEnd)),
          }));
          const dec = new RangeDecryptor(p);
          // Each part's bytes are read into a buffer of their own, so they can be decrypted in place.
          for (const part of parts) yield dec.decryptInPlace(part.layout, await part.data);
          return;
        }
        const stored = this.backend.readStream(row.storage_key, layout.storedStart, layout.storedEnd, {
          blockSize: this.blockSize(p.chunkSize),
        });
        // The read blocks are ours alone: decrypted where they lie, no second buffer per chunk.
        yield* decryptRange(p, layout, stored, { inPlace: true });
      } catch (err) {
        throw integrity(row, err);
      }
    } finally {
      dek.fill(0);
    }
  }

  private async check(row: BlobRow, signingKeys: Map<string, string | null>): Promise<BlobVerification> {
    const reasons: string[] = [];
    const size = Number(row.size);
    const identity = { id: row.id, tenantId: row.tenant_id, size, sha256: row.sha256 };
    const problem = rowProblem(row);
    if (problem) return { id: row.id, tenantId: row.tenant_id, ok: false, reason: problem };
    try {
      let pem = signingKeys.get(row.signing_key_id);
      if (pem === undefined) {
        pem = (await repo.findSigningKey(this.db, row.signing_key_id))?.public_key ?? null;
        signingKeys.set(row.signing_key_id, pem);
      }
      if (pem === null) reasons.push(`signing key ${row.signing_key_id} is not registered`);
      else if (!verifyIdentity(pem, identity, row.signature)) reasons.push('watermark signature does not match the metadata');

      const expected = storedSize(size, row.chunk_size);
      if (Number(row.stored_size) !== expected) reasons.push(`stored_size ${row.stored_size} does not match size ${size}`);
      const actual = await this.backend.size(row.storage_key);
      if (actual === null) {
        reasons.push('stored object is missing');
      } else {
        if (actual !== expected) reasons.push(`stored object has ${actual} bytes, expected ${expected}`);
        const p = this.params(row);
        try {
          const hash = createHash('sha256');
          let n = 0;
          const stored = this.backend.readStream(row.storage_key, 0, Math.min(actual, expected) - 1, {
            blockSize: this.blockSize(row.chunk_size),
          });
          for await (const pt of decryptAll(p, stored, { inPlace: true })) {
            hash.update(pt);
            n += pt.length;
          }
          if (n !== size) reasons.push(`decrypted ${n} bytes, expected ${size}`);
          else if (hash.digest('hex') !== row.sha256) reasons.push('SHA-256 of the content does not match the metadata');
        } finally {
          p.dek.fill(0);
        }
      }
    } catch (err) {
      reasons.push(err instanceof Error ? err.message : String(err));
    }
    return reasons.length ? { id: row.id, tenantId: row.tenant_id, ok: false, reason: reasons.join('; ') } : { id: row.id, tenantId: row.tenant_id, ok: true };
  }
}

function cutoffs(g: OrphanGrace): { rowCutoff: string; objectCutoff: number } {
  const now = Date.now();
  return { rowCutoff: new Date(now - (g.rowsOlderThanMs ?? DAY_MS)).toISOString(), objectCutoff: now - (g.olderThanMs ?? HOUR_MS) };
}

/** Metadata no correct write produces (a damaged or edited row); reading on would be meaningless. */
function rowProblem(row: BlobRow): string | undefined {
  const size = Number(row.size);
  if (!Number.isSafeInteger(size) || size < 0) return `size ${row.size} is invalid`;
  if (!Number.isInteger(row.chunk_size) || row.chunk_size < 1 || row.chunk_size > MAX_CHUNK_SIZE) return `chunk size ${row.chunk_size} is invalid`;
  return undefined;
}

/** Cuts start..end into up to SPLIT_MAX_PARTS chunk-aligned pieces of at least SPLIT_MIN_BYTES. */
function splitRange(size: number, chunkSize: number, start: number, end: number): RangeLayout[] {
  const first = Math.floor(start / chunkSize);
  const last = Math.floor(end / chunkSize);
  const chunks = last - first + 1;
  const n = Math.max(1, Math.min(SPLIT_MAX_PARTS, Math.floor((chunks * chunkSize) / SPLIT_MIN_BYTES)));
  const per = Math.ceil(chunks / n);
  const out: RangeLayout[] = [];
  for (let a = first; a <= last; a += per) {
    const b = Math.min(last, a + per - 1);
    out.push(rangeLayout(size, chunkSize, a === first ? start : a * chunkSize, b === last ? end : (b + 1) * chunkSize - 1));
  }
  return out;
}

/** Marks a promise as handled now (it is awaited later), so an early rejection is not an unhandled one. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

function checkTenantId(tenantId: string): void {
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
    throw new DomainError('VALIDATION_FAILED', 'tenant id must be 1-64 letters, digits, "-" or "_"');
  }
}

function asBuf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function asIterable(body: BlobBody): AsyncIterable<unknown> | Iterable<unknown> {
  if (body && typeof body === 'object' && (Symbol.asyncIterator in body || Symbol.iterator in body)) {
    return body as AsyncIterable<unknown> | Iterable<unknown>;
  }
  throw new DomainError('VALIDATION_FAILED', 'blob body must be a Buffer, an iterable of Buffers or a readable stream');
}
