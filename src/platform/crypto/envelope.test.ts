import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_CHUNK_SIZE,
  HEADER_SIZE,
  TAG_SIZE,
  Encryptor,
  EnvelopeError,
  RangeDecryptor,
  chunkCount,
  decryptAll,
  decryptBuffer,
  decryptChunk,
  decryptRange,
  encryptBuffer,
  encryptBufferStream,
  encryptStream,
  frameLength,
  frameOffset,
  rangeLayout,
  releaseNow,
  splitFrames,
  storedSize,
  type DecryptParams,
} from './envelope.ts';
import { createDecipheriv, createHash } from 'node:crypto';

const dek = randomBytes(32);
const blobId = '0190f3a2-0000-7000-8000-000000000001';

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
}

/** Cuts a buffer into random pieces, as a network or file stream would. */
function* randomPieces(buf: Buffer, max: number): Generator<Buffer> {
  let off = 0;
  while (off < buf.length) {
    const n = 1 + Math.floor(Math.random() * max);
    yield buf.subarray(off, off + n);
    off += n;
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('envelope: size math', () => {
  it('counts chunks and stored bytes', () => {
    expect(chunkCount(0, 10)).toBe(1);
    expect(chunkCount(1, 10)).toBe(1);
    expect(chunkCount(10, 10)).toBe(1);
    expect(chunkCount(11, 10)).toBe(2);
    expect(storedSize(0, 10)).toBe(HEADER_SIZE + TAG_SIZE);
    expect(storedSize(25, 10)).toBe(HEADER_SIZE + 25 + 3 * TAG_SIZE);
    expect(frameOffset(2, 10)).toBe(HEADER_SIZE + 2 * 26);
    expect(frameLength(2, 25, 10)).toBe(5 + TAG_SIZE);
  });

  it('maps a range to the chunks it touches only', () => {
    const l = rangeLayout(100, 10, 15, 34);
    expect(l).toMatchObject({ firstChunk: 1, lastChunk: 3, skip: 5, length: 20 });
    expect(l.storedStart).toBe(frameOffset(1, 10));
    expect(l.storedEnd).toBe(frameOffset(4, 10) - 1);
    expect(() => rangeLayout(100, 10, 50, 100)).toThrow(EnvelopeError);
    expect(() => rangeLayout(100, 10, 5, 4)).toThrow(EnvelopeError);
    expect(() => rangeLayout(0, 10, 0, 0)).toThrow(EnvelopeError);
  });
});

describe('envelope: round trip', () => {
  const cs = DEFAULT_CHUNK_SIZE;
  const sizes = [0, 1, cs - 1, cs, cs + 1, 2 * cs, 5 * 1024 * 1024 + 123];

  it.each(sizes)('size %i, fed whole, in random pieces and from memory', async (size) => {
    const plain = randomBytes(size);
    const p = { dek, blobId, chunkSize: cs };

    const whole = encryptBuffer(p, plain);
    expect(whole.stored.length).toBe(storedSize(size, cs));
    expect(whole.sha256).toBe(sha(plain));

    const enc = new Encryptor(p);
    const pieces = await collect(encryptStream(randomPieces(plain, 100_000), enc));
    // The nonce is the chunk index, so the same key and id give the same bytes however the input was cut.
    expect(pieces.equals(whole.stored)).toBe(true);
    expect(enc.size).toBe(size);
    expect(enc.sha256).toBe(sha(plain));

    const enc2 = new Encryptor(p);
    const mem = await collect(encryptBufferStream(plain, enc2, { sliceSize: cs * 3 }));
    expect(mem.equals(whole.stored)).toBe(true);

    const dp: DecryptParams = { ...p, size };
    expect((await decryptBuffer(dp, whole.stored)).equals(plain)).toBe(true);
    expect((await collect(decryptAll(dp, randomPieces(whole.stored, 70_000)))).equals(plain)).toBe(true);
  });

  it('handles a one-byte chunk size and byte-by-byte input', async () => {
    const plain = randomBytes(37);
    const p = { dek, blobId, chunkSize: 1 };
    const stored = await collect(encryptStream(randomPieces(plain, 1), new Encryptor(p)));
    expect(stored.length).toBe(storedSize(37, 1));
    expect((await decryptBuffer({ ...p, size: 37 }, stored)).equals(plain)).toBe(true);
  });

  it('decrypts every possible range on a small chunk size', async () => {
    const chunkSize = 7;
    for (const size of [1, 6, 7, 8, 21, 50]) {
      const plain = randomBytes(size);
      const p: DecryptParams = { dek, blobId, chunkSize, size };
      const { stored } = encryptBuffer(p, plain);
      for (let start = 0; start < size; start++) {
        for (let end = start; end < size; end++) {
          const l = rangeLayout(size, chunkSize, start, end);
          const slice = stored.subarray(l.storedStart, l.storedEnd + 1);
          const got = await collect(decryptRange(p, l, randomPieces(slice, 13)));
          expect(got.equals(plain.subarray(start, end + 1)), `${size}: ${start}-${end}`).toBe(true);
        }
      }
    }
  });

  it('decrypts every possible range in place, inside the buffer the stored bytes were read into', () => {
    const chunkSize = 7;
    for (const size of [1, 6, 7, 8, 21, 50]) {
      const plain = randomBytes(size);
      const p: DecryptParams = { dek, blobId, chunkSize, size };
      const { stored } = encryptBuffer(p, plain);
      const dec = new RangeDecryptor(p);
      for (let start = 0; start < size; start++) {
        for (let end = start; end < size; end++) {
          const l = rangeLayout(size, chunkSize, start, end);
          const own = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
          const got = dec.decryptInPlace(l, own);
          expect(got.equals(plain.subarray(start, end + 1)), `${size}: ${start}-${end}`).toBe(true);
          expect(got.buffer).toBe(own.buffer); // a view, not a copy
        }
      }
    }
  });

  it('fails in-place decryption of a tampered chunk', () => {
    const p: DecryptParams = { dek, blobId, chunkSize: 16, size: 40 };
    const { stored } = encryptBuffer(p, randomBytes(40));
    const l = rangeLayout(40, 16, 5, 39);
    const own = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
    own[own.length - 1]! ^= 1; // the last tag
    expect(() => new RangeDecryptor(p).decryptInPlace(l, own)).toThrow(/chunk 2 failed authentication/);
  });

  it('still decrypts an object written by the first release (format v1, fixed vector), whole and in place', async () => {
    // Produced by encryptBuffer before the read path changed; the bytes on disk must keep decrypting forever.
    const stored = Buffer.from(
      '4553424c4f420100000000100000000024b9d6c193fd7fc88469f901a8143bcbf0f2168291a4bf8c641475eafd53152b103e884052299a62' +
        '499b03273d8d1b0ca8459aa7c4bc46620deb546f21586176cb4b8013c13a9645146fd46f027b4e378cbedc83a49bc6f8',
      'hex',
    );
    const p: DecryptParams = { dek: Buffer.alloc(32, 7), blobId: '0190f3a2-0000-7000-8000-00000000f1xd', chunkSize: 16, size: 40 };
    const plain = 'Earshot envelope v1 fixed vector: 40 b!!';
    expect((await decryptBuffer(p, stored)).toString()).toBe(plain);
    const l = rangeLayout(40, 16, 3, 35);
    expect(new RangeDecryptor(p).decryptInPlace(l, Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1))).toString()).toBe(plain.slice(3, 36));
  });

  it('decrypts a single chunk by index', () => {
    const plain = randomBytes(20);
    const p: DecryptParams = { dek, blobId, chunkSize: 8, size: 20 };
    const { stored } = encryptBuffer(p, plain);
    const frame = stored.subarray(frameOffset(2, 8), frameOffset(2, 8) + frameLength(2, 20, 8));
    expect(decryptChunk(p, 2, frame).equals(plain.subarray(16))).toBe(true);
  });
});

describe('envelope: tamper detection', () => {
  const chunkSize = 16;
  const size = 40; // chunks of 16, 16, 8
  const plain = randomBytes(size);
  const p: DecryptParams = { dek, blobId, chunkSize, size };
  const { stored } = encryptBuffer(p, plain);
  const frame = (i: number) => stored.subarray(frameOffset(i, chunkSize), frameOffset(i, chunkSize) + frameLength(i, size, chunkSize));

  it('detects a flipped bit anywhere in the stored object', async () => {
    for (let i = 0; i < stored.length; i++) {
      const bad = Buffer.from(stored);
      bad[i]! ^= 0x01;
      await expect(decryptBuffer(p, bad), `byte ${i}`).rejects.toThrow(EnvelopeError);
    }
  });

  it('detects truncation, even when the size is adjusted to match', async () => {
    await expect(decryptBuffer(p, stored.subarray(0, stored.length - 1))).rejects.toThrow(/truncated/);
    const twoChunks = stored.subarray(0, frameOffset(2, chunkSize));
    // Dropping the last chunk and claiming size 32 fails: chunk 1 was sealed as "not final".
    await expect(decryptBuffer({ ...p, size: 32 }, twoChunks)).rejects.toThrow(/chunk 1 failed authentication/);
    await expect(decryptBuffer(p, Buffer.concat([stored, Buffer.alloc(1)]))).rejects.toThrow(/trailing/);
  });

  it('detects reordered chunks', async () => {
    const swapped = Buffer.concat([stored.subarray(0, HEADER_SIZE), frame(1), frame(0), frame(2)]);
    await expect(decryptBuffer(p, swapped)).rejects.toThrow(/chunk 0 failed authentication/);
  });

  it('detects a chunk moved from another object, even under the same data key', async () => {
    const otherPlain = randomBytes(size);
    const other = encryptBuffer({ ...p, blobId: 'another-blob' }, otherPlain).stored;
    const mixed = Buffer.from(stored);
    other.copy(mixed, frameOffset(1, chunkSize), frameOffset(1, chunkSize), frameOffset(2, chunkSize));
    await expect(decryptBuffer(p, mixed)).rejects.toThrow(/chunk 1 failed authentication/);
    await expect(decryptBuffer({ ...p, blobId: 'another-blob' }, stored)).rejects.toThrow(EnvelopeError);
  });

  it('rejects a wrong data key, a wrong chunk size and a bad header', async () => {
    await expect(decryptBuffer({ ...p, dek: randomBytes(32) }, stored)).rejects.toThrow(/failed authentication/);
    await expect(decryptBuffer({ ...p, chunkSize: 8 }, stored)).rejects.toThrow(EnvelopeError);
    const badMagic = Buffer.from(stored);
    badMagic[0] = 0x41;
    await expect(decryptBuffer(p, badMagic)).rejects.toThrow(/magic/);
  });

  it('detects a tampered chunk inside a range read', async () => {
    const l = rangeLayout(size, chunkSize, 20, 30);
    const slice = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
    slice[3]! ^= 0x80;
    await expect(collect(decryptRange(p, l, [slice]))).rejects.toThrow(/chunk 1 failed authentication/);
  });
});

describe('envelope: decrypting into the stored bytes (no buffer per chunk)', () => {
  // Real chunk size: every chunk goes through the path that hands decipher.update()'s buffer back at once.
  const chunkSize = DEFAULT_CHUNK_SIZE;
  const size = 40 * chunkSize + 777;
  const plain = randomBytes(size);
  const p: DecryptParams = { dek, blobId, chunkSize, size };
  const { stored } = encryptBuffer(p, plain);
  const middle = 20; // a chunk in the middle of a large range

  it('decrypts large ranges in place, the same bytes as the copying path, streamed in blocks of whole frames or not', async () => {
    for (const [start, end] of [
      [0, size - 1],
      [3, 30 * chunkSize + 5],
      [7 * chunkSize - 1, 7 * chunkSize],
      [size - 10, size - 1],
    ] as const) {
      const l = rangeLayout(size, chunkSize, start, end);
      const want = plain.subarray(start, end + 1);
      const block = 4 * (chunkSize + TAG_SIZE);
      const own = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
      const blocks = Array.from({ length: Math.ceil(own.length / block) }, (_, k) => own.subarray(k * block, (k + 1) * block));
      const views = await collect(decryptRange(p, l, blocks, { inPlace: true }));
      expect(views.equals(want), `${start}-${end} in blocks`).toBe(true);
      const pieces = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
      expect((await collect(decryptRange(p, l, randomPieces(pieces, 50_000), { inPlace: true }))).equals(want), `${start}-${end} in pieces`).toBe(true);
      const whole = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
      expect(new RangeDecryptor(p).decryptInPlace(l, whole).equals(want), `${start}-${end} one buffer`).toBe(true);
    }
    const all = await collect(decryptAll(p, [Buffer.from(stored)], { inPlace: true }));
    expect(sha(all)).toBe(sha(plain));
  });

  it("yields views of the stored buffers in place, and leaves the caller's bytes alone without inPlace", async () => {
    const l = rangeLayout(size, chunkSize, 0, 3 * chunkSize - 1);
    const own = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
    const out: Buffer[] = [];
    for await (const pt of decryptRange(p, l, [own], { inPlace: true })) out.push(pt);
    expect(out.every((b) => b.buffer === own.buffer)).toBe(true);
    // Bytes outside the frames' plaintext are untouched: each chunk's plaintext sits at the start of its own frame.
    expect(own.subarray(chunkSize, chunkSize + TAG_SIZE).equals(stored.subarray(l.storedStart + chunkSize, l.storedStart + chunkSize + TAG_SIZE))).toBe(true);

    const theirs = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
    const copy = Buffer.from(theirs);
    expect((await collect(decryptRange(p, l, [theirs]))).equals(plain.subarray(0, 3 * chunkSize))).toBe(true);
    expect(theirs.equals(copy)).toBe(true);
  });

  it('refuses a tampered chunk in the middle of a large range on every in-place path, and yields none of its bytes', async () => {
    const l = rangeLayout(size, chunkSize, 5, 35 * chunkSize);
    const at = frameOffset(middle, chunkSize) - l.storedStart + 100;
    const tampered = () => {
      const b = Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1));
      b[at]! ^= 0x04;
      return b;
    };
    expect(() => new RangeDecryptor(p).decryptInPlace(l, tampered())).toThrow(new RegExp(`chunk ${middle} failed authentication`));

    const got: Buffer[] = [];
    const read = async () => {
      for await (const pt of decryptRange(p, l, randomPieces(tampered(), 300_000), { inPlace: true })) got.push(Buffer.from(pt));
    };
    await expect(read()).rejects.toThrow(new RegExp(`chunk ${middle} failed authentication`));
    // Everything yielded before the failure is authentic plaintext of the chunks before the tampered one.
    const before = Buffer.concat(got);
    expect(before.length).toBe(middle * chunkSize - 5);
    expect(before.equals(plain.subarray(5, middle * chunkSize))).toBe(true);

    const whole = Buffer.from(stored);
    whole[frameOffset(middle, chunkSize) + 7]! ^= 0x01;
    await expect(collect(decryptAll(p, [whole], { inPlace: true }))).rejects.toThrow(new RegExp(`chunk ${middle} failed authentication`));
  });

  it('decrypts correctly when many ranges reuse the memory handed back (no stale or shared bytes)', () => {
    const dec = new RangeDecryptor(p);
    const results: Array<[Buffer, Buffer]> = [];
    for (let k = 0; k < 30; k++) {
      const start = Math.floor(Math.random() * (size - 1));
      const end = Math.min(size - 1, start + Math.floor(Math.random() * 6 * chunkSize));
      const l = rangeLayout(size, chunkSize, start, end);
      results.push([dec.decryptInPlace(l, Buffer.from(stored.subarray(l.storedStart, l.storedEnd + 1))), plain.subarray(start, end + 1)]);
    }
    // Checked only at the end: a later read reusing freed memory must not have changed an earlier result.
    for (const [got, want] of results) expect(got.equals(want)).toBe(true);
  });
});

describe('releaseNow', () => {
  it('frees a buffer that owns its whole memory, and never one that shares it', () => {
    const own = createDecipheriv('aes-256-gcm', dek, Buffer.alloc(12)).update(randomBytes(DEFAULT_CHUNK_SIZE));
    expect(own.length).toBe(DEFAULT_CHUNK_SIZE);
    releaseNow(own);
    expect(own.length).toBe(0); // detached: its memory is gone

    const pooled = Buffer.from('from the shared pool');
    const neighbour = Buffer.from('a neighbour in the same pool');
    releaseNow(pooled);
    expect(pooled.toString()).toBe('from the shared pool');
    expect(neighbour.toString()).toBe('a neighbour in the same pool');

    const parent = Buffer.allocUnsafeSlow(2 * DEFAULT_CHUNK_SIZE).fill(1);
    const view = parent.subarray(0, DEFAULT_CHUNK_SIZE);
    releaseNow(view);
    releaseNow(parent.subarray(DEFAULT_CHUNK_SIZE));
    expect(parent.length).toBe(2 * DEFAULT_CHUNK_SIZE);
    expect(view.every((b) => b === 1)).toBe(true);
  });
});

describe('splitFrames', () => {
  it('re-cuts a stream and returns views when a piece sits in one buffer', async () => {
    const src = Buffer.from('abcdefghij');
    const lens = [3, 3, 4];
    let i = 0;
    const out: Buffer[] = [];
    for await (const f of splitFrames([src.subarray(0, 7), src.subarray(7)], () => lens[i++])) out.push(f);
    expect(out.map((b) => b.toString())).toEqual(['abc', 'def', 'ghij']);
    expect(out[0]!.buffer).toBe(src.buffer); // zero-copy
  });
});
