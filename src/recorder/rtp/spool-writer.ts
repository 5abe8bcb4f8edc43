// One stream's spool file writer inside an RTP worker: plaintext in (sealed seconds of µ-law, or raw/coded packet
// records), encrypted chunks out through asynchronous writes, so the receive loop never waits on the disk.
//
// Bounded by policy. A worker that falls behind (overload, a stalled disk, a machine that starves it) used to queue
// every sealed second, and after a stall the seconds of silence that keep the legs aligned, as encrypted buffers:
// 1,500 SRTP calls on one core grew a worker to 12 GB. Now:
// - Silence is queued as a count, not as bytes: a 2-minute stall costs one entry, materialised chunk by chunk as the
//   disk takes it.
// - Audio waiting for the disk is capped at `maxQueuedBytes` per stream (SPOOL_QUEUE_MAX_BYTES, 8 s of G.711).
//   Beyond it the OLDEST queued audio is shed: G.711 bytes become silence of the same length (the leg stays aligned
//   with the others), raw/coded records are dropped whole (each carries its own time). Shed audio is counted
//   (`shedBytes`, `shedRecords`) and the worker reports it as lost packets, so the leg's loss, MOS and the
//   assurance flags show an overloaded recorder instead of the worker exhausting memory.
// - A write takes at most WRITE_BATCH_BYTES of plaintext (one write in flight per stream), so a worker's memory is
//   bounded by streams × (maxQueuedBytes + WRITE_BATCH_BYTES) whatever the load.
// Encryption happens when the data is taken for writing (in chunk order, so shedding never leaves a hole in the
// chunk index). Under normal load the queue is empty when a second is sealed and that second is encrypted and
// written at once, so a crash still loses at most the last unsealed second.
import fs from 'node:fs';
import type { Encryptor } from '../../platform/crypto/envelope.ts';
import { ULAW_SILENCE } from './timeline.ts';

/** Audio a stream may have waiting for the disk before the oldest is shed: 8 s of G.711 (64 kB; a disk hiccup of a
 * few seconds on a busy host sheds nothing, 2,000 streams hold at most 128 MB). */
export const SPOOL_QUEUE_MAX_BYTES = 8 * 8000;
/** Plaintext taken per write (also the most silence materialised at once). */
export const WRITE_BATCH_BYTES = 4 * 8000;

/** 'pcm': a continuous run of samples (shed audio becomes silence); 'records': self-timed records (shed = dropped). */
export type SpoolKind = 'pcm' | 'records';

/** Where encrypted bytes go: appends `buf`, then calls `done` (the worker's is fs.write on the spool file). */
export type SpoolSink = (buf: Buffer, done: (err: Error | null) => void) => void;

type Entry = { buf: Buffer; silence: 0 } | { buf: null; silence: number };

let SILENCE: Buffer | null = null;

export function fileSink(fd: number): SpoolSink {
  return (buf, done) => fs.write(fd, buf, 0, buf.length, null, (err) => done(err));
}

export class SpoolWriter {
  private readonly queue: Entry[] = [];
  private head = 0;
  private writing = false;
  private finalPending = false;
  private finalised = false;
  private closed: (() => void) | null = null;
  /** Plaintext bytes in the spool (shed G.711 counts: it is there, as silence; shed records do not). */
  bytes = 0;
  /** Audio bytes queued for the disk now (silence not counted: it is a number). */
  queuedBytes = 0;
  /** Most audio ever queued at once (tests, the bench). */
  peakQueuedBytes = 0;
  /** G.711 bytes shed under overload (written as silence). */
  shedBytes = 0;
  /** Raw/coded records shed under overload (not written). */
  shedRecords = 0;
  failed: Error | null = null;

  constructor(
    private readonly sink: SpoolSink,
    readonly enc: Encryptor,
    private readonly kind: SpoolKind,
    private readonly maxQueuedBytes = SPOOL_QUEUE_MAX_BYTES,
  ) {}

  /** Queues plaintext (copied if it has to wait: `plain` may be a view the caller reuses). */
  push(plain: Buffer): void {
    if (this.finalPending) throw new Error('spool writer is finishing');
    if (plain.length === 0) return;
    this.bytes += plain.length;
    if (!this.writing && this.pending() === 0) {
      // The common case: nothing waits, so this is encrypted and written now (no copy).
      this.write(this.encrypt([plain], false));
      return;
    }
    this.queue.push({ buf: Buffer.from(plain), silence: 0 });
    this.queuedBytes += plain.length;
    if (this.queuedBytes > this.maxQueuedBytes) this.shed();
    if (this.queuedBytes > this.peakQueuedBytes) this.peakQueuedBytes = this.queuedBytes;
    this.pump();
  }

  /** Queues `n` bytes of µ-law silence without holding them (a gap, a stall, a shed second). */
  pushSilence(n: number): void {
    if (this.finalPending) throw new Error('spool writer is finishing');
    if (n <= 0) return;
    this.bytes += n;
    this.addSilence(this.queue.length, n);
    this.pump();
  }

  /** Last plaintext (may be empty) and the final chunk; then close() resolves once everything is written. */
  finish(rest: Buffer): void {
    if (rest.length) this.push(rest);
    this.finalPending = true;
    this.pump();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.closed = resolve;
      if (!this.writing && this.pending() === 0) this.finishClose();
    });
  }

  /** Entries waiting (not yet taken for writing). */
  pending(): number {
    return this.queue.length - this.head;
  }

  private addSilence(at: number, n: number) {
    const prev = at > this.head ? this.queue[at - 1] : undefined;
    if (at === this.queue.length && prev && prev.buf === null) prev.silence += n;
    else this.queue.splice(at, 0, { buf: null, silence: n });
  }

  /** Drops the oldest queued audio until the queue fits its cap again. */
  private shed() {
    for (let i = this.head; i < this.queue.length && this.queuedBytes > this.maxQueuedBytes; i++) {
      const e = this.queue[i]!;
      if (e.buf === null) continue;
      const n = e.buf.length;
      this.queuedBytes -= n;
      if (this.kind === 'pcm') {
        this.shedBytes += n;
        this.queue[i] = { buf: null, silence: n };
        // Merge with a silence before it, so a long overload stays a few entries.
        const prev = i > this.head ? this.queue[i - 1]! : null;
        if (prev && prev.buf === null) {
          prev.silence += n;
          this.queue.splice(i, 1);
          i--;
        }
      } else {
        this.shedRecords++;
        this.bytes -= n;
        this.queue.splice(i, 1);
        i--;
      }
    }
  }

  private pump() {
    if (this.writing) return;
    if (this.pending() === 0) {
      if (this.finalPending && !this.finalised) {
        this.finalised = true;
        this.write(this.encrypt([], true));
        return;
      }
      if (this.closed && !this.writing) this.finishClose();
      return;
    }
    const parts: Buffer[] = [];
    let budget = WRITE_BATCH_BYTES;
    while (budget > 0 && this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (e.buf !== null) {
        const take = Math.min(budget, e.buf.length);
        parts.push(e.buf.subarray(0, take));
        this.queuedBytes -= take;
        budget -= take;
        if (take === e.buf.length) this.head++;
        else e.buf = e.buf.subarray(take);
      } else {
        const take = Math.min(budget, e.silence);
        SILENCE ??= Buffer.alloc(WRITE_BATCH_BYTES, ULAW_SILENCE);
        parts.push(SILENCE.subarray(0, take));
        budget -= take;
        e.silence -= take;
        if (e.silence === 0) this.head++;
      }
    }
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    const last = this.finalPending && this.pending() === 0;
    if (last) this.finalised = true;
    this.write(this.encrypt(parts, last));
  }

  private encrypt(parts: Buffer[], final: boolean): Buffer {
    const out: Buffer[] = [];
    // The last part of the final write keeps its last whole chunk back, so it is sealed as the final one (an empty
    // final chunk after a whole one is outside the chunk format).
    parts.forEach((p, i) => out.push(...this.enc.update(p, !(final && i === parts.length - 1))));
    if (final) out.push(...this.enc.final());
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  private write(buf: Buffer) {
    if (buf.length === 0) return this.pump();
    this.writing = true;
    this.sink(buf, (err) => {
      this.writing = false;
      if (err) this.failed ??= err;
      this.pump();
    });
  }

  private finishClose() {
    const done = this.closed!;
    this.closed = null;
    done();
  }
}
