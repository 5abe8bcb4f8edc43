// The encrypted object format ("ESBLOB v1"). Pure functions: no I/O, no keys management.
//
//   header (16 bytes): "ESBLOB" | version u8 | 0 | chunkSize u32 BE | 0 0 0 0
//   frame i:           AES-256-GCM(ciphertext of plaintext chunk i) | tag (16 bytes)
//
// Every chunk holds `chunkSize` plaintext bytes except the last one (1..chunkSize bytes; an empty object has one
// empty final chunk, so even "nothing" is authenticated). The nonce is the chunk index: safe because the data key is
// random per object. The AAD binds the header, the blob id, the chunk index and a final-chunk flag, so truncation,
// reordering and moving chunks between objects all fail authentication.
import { createCipheriv, createDecipheriv, createHash, type Hash } from 'node:crypto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 16;
export const TAG_SIZE = 16;
export const DEK_SIZE = 32;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAGIC = Buffer.from('ESBLOB', 'latin1');
const CIPHER = 'aes-256-gcm';

export class EnvelopeError extends Error {
  constructor(
    message: string,
    readonly chunk?: number,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface EnvelopeParams {
  dek: Buffer;
  blobId: string;
  chunkSize: number;
}

/** Something that hashes plaintext elsewhere (see sha256-thread.ts); update() may ask the caller to wait. */
export interface PlaintextHasher {
  update(data: Buffer): Promise<void> | void;
}

function checkParams(p: EnvelopeParams): void {
  if (p.dek.length !== DEK_SIZE) throw new EnvelopeError(`data key must be ${DEK_SIZE} bytes`);
  checkChunkSize(p.chunkSize);
  if (!p.blobId) throw new EnvelopeError('blob id is required');
}

export function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new EnvelopeError(`chunk size must be a whole number between 1 and ${MAX_CHUNK_SIZE}, got ${chunkSize}`);
  }
}

// ---- size math ------------------------------------------------------------------------------------------------

export function chunkCount(size: number, chunkSize: number): number {
  return size === 0 ? 1 : Math.ceil(size / chunkSize);
}

export function storedSize(size: number, chunkSize: number): number {
  return HEADER_SIZE + size + chunkCount(size, chunkSize) * TAG_SIZE;
}

/** Plaintext bytes in chunk `index` of an object of `size` bytes. */
export function plainChunkLength(index: number, size: number, chunkSize: number): number {
  const last = chunkCount(size, chunkSize) - 1;
  if (index < 0 || index > last) throw new EnvelopeError(`chunk ${index} is out of range`, index);
  return index < last ? chunkSize : size - last * chunkSize;
}

export function frameOffset(index: number, chunkSize: number): number {
  return HEADER_SIZE + index * (chunkSize + TAG_SIZE);
}

export function frameLength(index: number, size: number, chunkSize: number): number {
  return plainChunkLength(index, size, chunkSize) + TAG_SIZE;
}

export interface RangeLayout {
  firstChunk: number;
  lastChunk: number;
  /** Byte range of the stored object holding those chunks (inclusive). */
  storedStart: number;
  storedEnd: number;
  /** Plaintext bytes to drop from the front of the first chunk. */
  skip: number;
  /** Plaintext bytes the range holds. */
  length: number;
}

/** Which chunks (and which stored bytes) hold plaintext bytes start..endInclusive. */
export function rangeLayout(size: number, chunkSize: number, start: number, endInclusive: number): RangeLayout {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start || endInclusive >= size) {
    throw new EnvelopeError(`range ${start}-${endInclusive} is outside 0-${size - 1}`);
  }
  const firstChunk = Math.floor(start / chunkSize);
  const lastChunk = Math.floor(endInclusive / chunkSize);
  return {
    firstChunk,
    lastChunk,
    storedStart: frameOffset(firstChunk, chunkSize),
    storedEnd: frameOffset(lastChunk, chunkSize) + frameLength(lastChunk, size, chunkSize) - 1,
    skip: start - firstChunk * chunkSize,
    length: endInclusive - start + 1,
  };
}

// ---- header, nonce, AAD ---------------------------------------------------------------------------------------

export function encodeHeader(chunkSize: number): Buffer {
  checkChunkSize(chunkSize);
  const h = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(h, 0);
  h[6] = FORMAT_VERSION;
  h.writeUInt32BE(chunkSize, 8);
  return h;
}

export function parseHeader(h: Buffer): { version: number; chunkSize: number } {
  if (h.length < HEADER_SIZE || !h.subarray(0, MAGIC.length).equals(MAGIC)) throw new EnvelopeError('not an encrypted blob (bad magic)');
  const version = h[6]!;
  if (version !== FORMAT_VERSION) throw new EnvelopeError(`unsupported blob format version ${version}`);
  return { version, chunkSize: h.readUInt32BE(8) };
}

/** Per-object nonce/AAD builder; the buffers are reused, createCipheriv copies them. */
class ChunkContext {
  private readonly nonce = Buffer.alloc(12);
  private readonly aad: Buffer;
  private readonly indexAt: number;

  constructor(readonly p: EnvelopeParams) {
    checkParams(p);
    const id = Buffer.from(p.blobId, 'utf8');
    if (id.length > 255) throw new EnvelopeError('blob id is too long');
    // header | len(id) | id | index u64 | final u8
    this.aad = Buffer.alloc(HEADER_SIZE + 1 + id.length + 8 + 1);
    encodeHeader(p.chunkSize).copy(this.aad, 0);
    this.aad[HEADER_SIZE] = id.length;
    id.copy(this.aad, HEADER_SIZE + 1);
    this.indexAt = HEADER_SIZE + 1 + id.length;
  }

  private set(index: number, final: boolean): void {
    this.nonce.writeBigUInt64BE(BigInt(index), 4);
    this.aad.writeBigUInt64BE(BigInt(index), this.indexAt);
    this.aad[this.indexAt + 8] = final ? 1 : 0;
  }

  encrypt(index: number, final: boolean, plain: Buffer): [Buffer, Buffer] {
    this.set(index, final);
    const c = createCipheriv(CIPHER, this.p.dek, this.nonce);
    c.setAAD(this.aad);
    const ct = c.update(plain);
    c.final();
    return [ct, c.getAuthTag()];
  }

  decrypt(index: number, final: boolean, frame: Buffer): Buffer {
    if (frame.length < TAG_SIZE) throw new EnvelopeError(`chunk ${index} is truncated`, index);
    this.set(index, final);
    const d = createDecipheriv(CIPHER, this.p.dek, this.nonce);
    d.setAAD(this.aad);
    d.setAuthTag(frame.subarray(frame.length - TAG_SIZE));
    const pt = d.update(frame.subarray(0, frame.length - TAG_SIZE));
    try {
      d.final();
    } catch {
      throw new EnvelopeError(`chunk ${index} failed authentication`, index);
    }
    return pt;
  }

  /** decrypt() into the frame's own bytes (the plaintext is shorter): returns the view of `frame` holding it. */
  decryptInPlace(index: number, final: boolean, frame: Buffer): Buffer {
    const pt = this.decrypt(index, final, frame);
    const n = pt.copy(frame, 0);
    releaseNow(pt);
    return frame.subarray(0, n);
  }
}

let sink: MessagePort | undefined;
const RELEASE_MIN = 4096;

/**
 * Frees the memory of a buffer that decipher.update() (or cipher.update()) returned, now rather than at the next
 * garbage collection.
 * update() allocates a fresh buffer per call (and zero-fills and copies it: Node sizes the first one a byte too long
 * for GCM); left to the collector, every chunk of a range lands on new memory the kernel must fault in, which cost more
 * than the AES itself. Transferring the ArrayBuffer to a closed port detaches it and drops its memory at once (the
 * HTML spec's postMessage, as Node implements it), so the next chunk gets the same warm block back. Only for a buffer
 * that owns its whole ArrayBuffer and that nothing else references.
 */
export function releaseNow(buf: Buffer): void {
  const ab = buf.buffer;
  // Small buffers come from malloc's warm free lists anyway; handing them back would cost more than it saves.
  if (buf.length < RELEASE_MIN || buf.byteOffset !== 0 || !(ab instanceof ArrayBuffer) || ab.byteLength !== buf.length) return;
  if (!sink) {
    const ch = new MessageChannel();
    ch.port2.close();
    sink = ch.port1;
    sink.close();
  }
  try {
    sink.postMessage(null, [ab]);
  } catch {
    // not transferable: the collector frees it as before
  }
}

// ---- encryption -----------------------------------------------------------------------------------------------

/**
 * Incremental encryptor: feed plaintext with update(), then final(). Each returns the stored bytes produced so far
 * (header, ciphertexts and tags as separate buffers, never concatenated). Also hashes the plaintext.
 *
 * A chunk is encrypted as soon as we know whether it is the last one: a full chunk waits for the next byte.
 * Whole chunks followed by more bytes in the same input are encrypted in place (no copy).
 */
export class Encryptor {
  private readonly ctx: ChunkContext;
  private readonly hash: Hash | undefined;
  private readonly pending: Buffer;
  private pendingLen = 0;
  private index = 0;
  private total = 0;
  private started = false;
  private finished = false;
  private digest: string | undefined;

  /** `hash: false` when the caller hashes the plaintext itself (off the main thread). */
  constructor(p: EnvelopeParams, opts: { hash?: boolean } = {}) {
    this.ctx = new ChunkContext(p);
    this.pending = Buffer.allocUnsafe(p.chunkSize);
    this.hash = opts.hash === false ? undefined : createHash('sha256');
  }

  get size(): number {
    return this.total;
  }

  /** Hex SHA-256 of the plaintext; available after final(). */
  get sha256(): string {
    if (this.digest === undefined) throw new EnvelopeError('sha256 is known only after final(), and only when this encryptor hashes');
    return this.digest;
  }

  /** `moreFollows`: the caller knows more plaintext comes, so a chunk ending exactly here can be sealed now. */
  update(input: Buffer, moreFollows = false): Buffer[] {
    if (this.finished) throw new EnvelopeError('encryptor is finished');
    const out: Buffer[] = [];
    if (!this.started) {
      out.push(encodeHeader(this.p.chunkSize));
      this.started = true;
    }
    if (input.length === 0) return out;
    this.hash?.update(input);
    this.total += input.length;
    const cs = this.p.chunkSize;
    let off = 0;
    while (off < input.length) {
      if (this.pendingLen === cs) {
        out.push(...this.ctx.encrypt(this.index++, false, this.pending));
        this.pendingLen = 0;
      }
      const left = input.length - off;
      if (this.pendingLen === 0 && (left > cs || (moreFollows && left === cs))) {
        out.push(...this.ctx.encrypt(this.index++, false, input.subarray(off, off + cs)));
        off += cs;
        continue;
      }
      const n = Math.min(cs - this.pendingLen, input.length - off);
      input.copy(this.pending, this.pendingLen, off, off + n);
      this.pendingLen += n;
      off += n;
    }
    if (moreFollows && this.pendingLen === cs) {
      out.push(...this.ctx.encrypt(this.index++, false, this.pending));
      this.pendingLen = 0;
    }
    return out;
  }

  final(): Buffer[] {
    if (this.finished) throw new EnvelopeError('encryptor is finished');
    this.finished = true;
    const out = this.started ? [] : [encodeHeader(this.p.chunkSize)];
    this.started = true;
    out.push(...this.ctx.encrypt(this.index++, true, this.pending.subarray(0, this.pendingLen)));
    this.pendingLen = 0;
    this.digest = this.hash?.digest('hex');
    return out;
  }

  private get p(): EnvelopeParams {
    return this.ctx.p;
  }
}

/** Converts anything a caller may hand us (Buffer, Uint8Array, string) to a Buffer without copying bytes. */
export function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError(`expected Buffer, Uint8Array or string chunks, got ${typeof chunk}`);
}

/** Streaming form of Encryptor: yields the stored object. Read `enc.size`/`enc.sha256` after it is drained. */
export async function* encryptStream(source: AsyncIterable<unknown> | Iterable<unknown>, enc: Encryptor, hasher?: PlaintextHasher): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const b = asBuffer(chunk);
    if (hasher) await hasher.update(b);
    for (const o of enc.update(b)) yield o;
  }
  for (const o of enc.final()) yield o;
}

/** Encrypts a plaintext already in memory, a slice at a time so ciphertext never piles up. */
export async function* encryptBufferStream(plain: Buffer, enc: Encryptor, opts: { sliceSize?: number; hasher?: PlaintextHasher } = {}): AsyncGenerator<Buffer> {
  const sliceSize = opts.sliceSize ?? 1024 * 1024;
  for (let off = 0; off < plain.length; off += sliceSize) {
    const end = Math.min(off + sliceSize, plain.length);
    const slice = plain.subarray(off, end);
    if (opts.hasher) await opts.hasher.update(slice);
    for (const b of enc.update(slice, end < plain.length)) yield b;
  }
  for (const b of enc.final()) yield b;
}

/** Encrypts a whole buffer in one go (small objects, tests). */
export function encryptBuffer(p: EnvelopeParams, plain: Buffer): { stored: Buffer; sha256: string } {
  const enc = new Encryptor(p);
  const parts = [...enc.update(plain), ...enc.final()];
  return { stored: Buffer.concat(parts), sha256: enc.sha256 };
}

// ---- decryption -----------------------------------------------------------------------------------------------

export interface DecryptParams extends EnvelopeParams {
  /** Plaintext size of the whole object (from the metadata row). */
  size: number;
}

/** Decrypts one frame (ciphertext + tag) of chunk `index`. */
export function decryptChunk(p: DecryptParams, index: number, frame: Buffer): Buffer {
  const expected = frameLength(index, p.size, p.chunkSize);
  if (frame.length !== expected) throw new EnvelopeError(`chunk ${index} has ${frame.length} bytes, expected ${expected}`, index);
  const final = index === chunkCount(p.size, p.chunkSize) - 1;
  return new ChunkContext(p).decrypt(index, final, frame);
}

/**
 * Re-cuts a byte stream into pieces of the lengths `next()` asks for (undefined = stop). Pieces that fall inside
 * one source buffer are zero-copy views; only pieces spanning buffers are copied. Throws if the source ends early
 * or holds extra bytes.
 */
export async function* splitFrames(source: AsyncIterable<Buffer> | Iterable<Buffer>, next: () => number | undefined): AsyncGenerator<Buffer> {
  let want = next();
  let acc: Buffer | undefined; // partial piece being assembled
  let accLen = 0;
  for await (const chunk of source) {
    let off = 0;
    while (off < chunk.length) {
      if (want === undefined) throw new EnvelopeError('stored object has trailing bytes');
      if (acc === undefined && chunk.length - off >= want) {
        const piece = chunk.subarray(off, off + want);
        off += want;
        want = next();
        yield piece;
        continue;
      }
      if (acc === undefined) {
        acc = Buffer.allocUnsafe(want);
        accLen = 0;
      }
      const n = Math.min(want - accLen, chunk.length - off);
      chunk.copy(acc, accLen, off, off + n);
      accLen += n;
      off += n;
      if (accLen === want) {
        const piece = acc;
        acc = undefined;
        want = next();
        yield piece;
      }
    }
  }
  if (want !== undefined) throw new EnvelopeError('stored object is truncated');
}

export interface StreamDecryptOptions {
  /**
   * Decrypt each chunk into the stored bytes it came from and yield views of them, instead of a new buffer per chunk.
   * Only for stored buffers the caller owns and will not read again (a backend's read blocks); the bytes outside each
   * frame are never touched.
   */
  inPlace?: boolean;
}

/**
 * Decrypts the frames of chunks layout.firstChunk..lastChunk (as stored, starting at layout.storedStart) and yields
 * exactly the plaintext bytes of the range, one chunk at a time.
 */
export async function* decryptRange(
  p: DecryptParams,
  layout: RangeLayout,
  stored: AsyncIterable<Buffer> | Iterable<Buffer>,
  opts: StreamDecryptOptions = {},
): AsyncGenerator<Buffer> {
  const ctx = new ChunkContext(p);
  const lastOfObject = chunkCount(p.size, p.chunkSize) - 1;
  let i = layout.firstChunk;
  let remaining = layout.length;
  let next = layout.firstChunk;
  const frames = splitFrames(stored, () => (next <= layout.lastChunk ? frameLength(next++, p.size, p.chunkSize) : undefined));
  for await (const frame of frames) {
    let pt = opts.inPlace ? ctx.decryptInPlace(i, i === lastOfObject, frame) : ctx.decrypt(i, i === lastOfObject, frame);
    if (i === layout.firstChunk && layout.skip > 0) pt = pt.subarray(layout.skip);
    if (pt.length > remaining) pt = pt.subarray(0, remaining);
    remaining -= pt.length;
    i++;
    if (pt.length > 0) yield pt;
  }
}

/** decryptRange for stored bytes already in one buffer (small ranges): no stream machinery, views not copies. */
export function decryptRangeSync(p: DecryptParams, layout: RangeLayout, stored: Buffer): Buffer[] {
  return new RangeDecryptor(p).decrypt(layout, stored);
}

/** decryptRangeSync for several ranges of one object, sharing the per-object setup (AAD buffer, key checks). */
export class RangeDecryptor {
  private readonly ctx: ChunkContext;
  private readonly lastOfObject: number;

  constructor(private readonly p: DecryptParams) {
    this.ctx = new ChunkContext(p);
    this.lastOfObject = chunkCount(p.size, p.chunkSize) - 1;
  }

  decrypt(layout: RangeLayout, stored: Buffer): Buffer[] {
    const p = this.p;
    if (stored.length !== layout.storedEnd - layout.storedStart + 1) throw new EnvelopeError('stored range has the wrong length');
    const out: Buffer[] = [];
    let remaining = layout.length;
    let off = 0;
    for (let i = layout.firstChunk; i <= layout.lastChunk; i++) {
      const len = frameLength(i, p.size, p.chunkSize);
      let pt = this.ctx.decrypt(i, i === this.lastOfObject, stored.subarray(off, off + len));
      off += len;
      if (i === layout.firstChunk && layout.skip > 0) pt = pt.subarray(layout.skip);
      if (pt.length > remaining) pt = pt.subarray(0, remaining);
      remaining -= pt.length;
      if (pt.length > 0) out.push(pt);
    }
    return out;
  }

  /**
   * Decrypts the frames in `stored` into `stored` itself and returns the view holding exactly the range: no buffer
   * the size of the range is allocated or copied a second time. Safe because chunk k's plaintext lands at or before
   * the start of frame k, which is already decrypted (each tag and the header keep plaintext shorter than frames).
   * On failure `stored` is left partly overwritten.
   */
  decryptInPlace(layout: RangeLayout, stored: Buffer): Buffer {
    const p = this.p;
    if (stored.length !== layout.storedEnd - layout.storedStart + 1) throw new EnvelopeError('stored range has the wrong length');
    let off = 0;
    let w = 0;
    for (let i = layout.firstChunk; i <= layout.lastChunk; i++) {
      const len = frameLength(i, p.size, p.chunkSize);
      const pt = this.ctx.decrypt(i, i === this.lastOfObject, stored.subarray(off, off + len));
      off += len;
      w += pt.copy(stored, w);
      releaseNow(pt);
    }
    return stored.subarray(layout.skip, layout.skip + layout.length);
  }
}

/**
 * Decrypts a whole stored object (header included) and checks everything the format can check by itself:
 * header, every tag, chunk count and size. Yields plaintext chunk by chunk.
 */
export async function* decryptAll(p: DecryptParams, stored: AsyncIterable<Buffer> | Iterable<Buffer>, opts: StreamDecryptOptions = {}): AsyncGenerator<Buffer> {
  const ctx = new ChunkContext(p);
  const expectedHeader = encodeHeader(p.chunkSize);
  const last = chunkCount(p.size, p.chunkSize) - 1;
  let next = -1; // -1 = the header
  const frames = splitFrames(stored, () => {
    const k = next++;
    if (k === -1) return HEADER_SIZE;
    return k <= last ? frameLength(k, p.size, p.chunkSize) : undefined;
  });
  let i = -1;
  for await (const frame of frames) {
    if (i === -1) {
      parseHeader(frame);
      if (!frame.equals(expectedHeader)) throw new EnvelopeError('header does not match the metadata (chunk size)');
    } else {
      const pt = opts.inPlace ? ctx.decryptInPlace(i, i === last, frame) : ctx.decrypt(i, i === last, frame);
      if (pt.length > 0) yield pt;
    }
    i++;
  }
}

/** Decrypts a whole stored object held in memory (small objects, tests). */
export async function decryptBuffer(p: DecryptParams, stored: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const pt of decryptAll(p, [stored])) parts.push(pt);
  return Buffer.concat(parts);
}
