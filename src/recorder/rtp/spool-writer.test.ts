// The spool writer against a disk that stops taking writes (overload, a stalled disk): what it holds stays under
// its cap, the shed audio is counted and becomes silence of the same length (the leg stays aligned), and what it
// wrote decrypts as a valid spool. Without the cap (the old writer) the queue grew with every sealed second.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Encryptor } from '../../platform/crypto/envelope.ts';
import { readSpool } from '../media/spool.ts';
import { SPOOL_QUEUE_MAX_BYTES, SpoolWriter, WRITE_BATCH_BYTES, type SpoolKind, type SpoolSink } from './spool-writer.ts';
import { StreamTimeline, ULAW_SILENCE } from './timeline.ts';
import { buildRtp, newHeader, parseRtp } from './packet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-spool-writer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sink that holds every write until release(): a stalled disk. */
function stalledSink() {
  const written: Buffer[] = [];
  const waiting: (() => void)[] = [];
  let stalled = true;
  let largest = 0;
  const sink: SpoolSink = (buf, done) => {
    largest = Math.max(largest, buf.length);
    const finish = () => {
      written.push(Buffer.from(buf));
      done(null);
    };
    if (stalled) waiting.push(finish);
    else setImmediate(finish);
  };
  return {
    sink,
    written,
    get largest() {
      return largest;
    },
    release() {
      stalled = false;
      for (const w of waiting.splice(0)) w();
    },
  };
}

function writer(kind: SpoolKind, sink: SpoolSink) {
  const dek = randomBytes(32);
  const spoolId = `spool-${randomBytes(4).toString('hex')}`;
  const enc = new Encryptor({ dek, blobId: spoolId, chunkSize: 800 }, { hash: false });
  return { w: new SpoolWriter(sink, enc, kind), dek, spoolId };
}

async function decrypt(bufs: Buffer[], spoolId: string, dek: Buffer) {
  const file = path.join(dir, `${spoolId}.esblob`);
  fs.writeFileSync(file, Buffer.concat(bufs));
  const state = { complete: false, bytes: 0 };
  const out: Buffer[] = [];
  for await (const b of readSpool(file, spoolId, dek, state)) out.push(b);
  return { plain: Buffer.concat(out), complete: state.complete };
}

const second = (i: number) => Buffer.alloc(8000, i + 1);

describe('SpoolWriter', () => {
  it('writes a sealed second at once when the disk keeps up (the crash bound: nothing waits in memory)', async () => {
    const written: Buffer[] = [];
    const { w } = writer('pcm', (buf, done) => {
      written.push(Buffer.from(buf));
      setImmediate(() => done(null));
    });
    w.push(second(0));
    expect(written.length).toBe(1);
    expect(w.queuedBytes).toBe(0);
    await new Promise((r) => setImmediate(r));
    w.push(second(1));
    expect(written.length).toBe(2);
    expect(w.peakQueuedBytes).toBe(0);
  });

  it('keeps under its cap on a stalled disk: the oldest audio is shed as silence, counted, and the leg stays aligned', async () => {
    const s = stalledSink();
    const { w, dek, spoolId } = writer('pcm', s.sink);
    const seconds = 60;
    for (let i = 0; i < seconds; i++) {
      w.push(second(i));
      expect(w.queuedBytes).toBeLessThanOrEqual(SPOOL_QUEUE_MAX_BYTES);
    }
    // A 2-minute stall's silence is a count, not 960 kB.
    w.pushSilence(120 * 8000);
    expect(w.queuedBytes).toBeLessThanOrEqual(SPOOL_QUEUE_MAX_BYTES);
    // Second 0 was written before the disk stalled; the next ones were shed (one merged silence); the newest wait.
    const kept = SPOOL_QUEUE_MAX_BYTES / 8000;
    expect(w.pending()).toBeLessThanOrEqual(kept + 2);
    expect(w.shedBytes).toBe((seconds - 1 - kept) * 8000);
    w.finish(Buffer.alloc(0));
    const closed = w.close();
    s.release();
    await closed;
    expect(w.failed).toBeNull();
    expect(s.largest).toBeLessThanOrEqual(WRITE_BATCH_BYTES + 2 * 16 * Math.ceil(WRITE_BATCH_BYTES / 800) + 64);
    const { plain, complete } = await decrypt(s.written, spoolId, dek);
    expect(complete).toBe(true);
    expect(plain.length).toBe((seconds + 120) * 8000);
    expect(w.bytes).toBe(plain.length);
    const at = (i: number) => plain.subarray(i * 8000, (i + 1) * 8000);
    expect(at(0).equals(second(0))).toBe(true);
    for (let i = 1; i < seconds - kept; i++) expect(at(i).every((b) => b === ULAW_SILENCE)).toBe(true);
    for (let i = seconds - kept; i < seconds; i++) expect(at(i).equals(second(i))).toBe(true);
    expect(plain.subarray(seconds * 8000).every((b) => b === ULAW_SILENCE)).toBe(true);
  });

  it('drops whole raw records beyond the cap (each carries its own time) and counts them', async () => {
    const s = stalledSink();
    const { w, dek, spoolId } = writer('records', s.sink);
    const record = (i: number) => Buffer.alloc(166, i & 0xff);
    const n = 3000; // 60 s of 20 ms records
    for (let i = 0; i < n; i++) w.push(record(i));
    expect(w.queuedBytes).toBeLessThanOrEqual(SPOOL_QUEUE_MAX_BYTES);
    const keptRecords = Math.floor(SPOOL_QUEUE_MAX_BYTES / 166);
    expect(w.shedRecords).toBe(n - 1 - keptRecords);
    w.finish(Buffer.alloc(0));
    const closed = w.close();
    s.release();
    await closed;
    const { plain } = await decrypt(s.written, spoolId, dek);
    expect(plain.length).toBe((1 + keptRecords) * 166);
    expect(plain.subarray(0, 166).equals(record(0))).toBe(true);
    expect(plain.subarray(166, 332).equals(record(n - keptRecords))).toBe(true);
    expect(plain.subarray(plain.length - 166).equals(record(n - 1))).toBe(true);
  });
});

describe('StreamTimeline with the spool writer', () => {
  it('hands a gap longer than its buffer to the spool as a count of silence, keeping the next audio in place', async () => {
    const s = stalledSink();
    const { w, dek, spoolId } = writer('pcm', s.sink);
    const t = new StreamTimeline(
      {
        audioPts: new Map([[0, 'pcmu' as const]]),
        dtmfPt: null,
        cnPts: new Set(),
        chunkBytes: 800,
        onSeal: (b) => w.push(b),
        onSilence: (n) => w.pushSilence(n),
      },
      0,
    );
    const h = newHeader();
    const push = (seq: number, arrival: number) => {
      const p = buildRtp({ pt: 0, seq, ts: seq * 160, ssrc: 9 }, Buffer.alloc(160, 0x10 + (seq % 50)));
      parseRtp(p, p.length, h);
      t.push(p, h, arrival);
    };
    for (let i = 0; i < 10; i++) push(i, i * 20);
    // The worker stalls for 100 s; the next packets are taken with the wall clock 100 s later.
    for (let i = 10; i < 20; i++) push(i, 100_000 + i * 20);
    expect(w.queuedBytes).toBeLessThanOrEqual(SPOOL_QUEUE_MAX_BYTES);
    expect(w.pending()).toBeLessThan(4);
    w.finish(Buffer.from(t.finish()));
    const closed = w.close();
    s.release();
    await closed;
    const { plain } = await decrypt(s.written, spoolId, dek);
    const resumeAt = (100_000 + 200) * 8;
    expect(plain.length).toBe(resumeAt + 10 * 160);
    expect(plain.subarray(0, 160).every((b) => b === 0x10)).toBe(true);
    expect(plain.subarray(1600, resumeAt).every((b) => b === ULAW_SILENCE)).toBe(true);
    expect(plain.subarray(resumeAt, resumeAt + 160).every((b) => b === 0x10 + 10)).toBe(true);
    expect(t.stats.samples).toBe(plain.length);
  });
});
