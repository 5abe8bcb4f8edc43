// One received stream's timeline: reorder, duplicates, gaps, DTMF, CN and pause, turned into a continuous run of
// G.711 bytes (one byte per 8 kHz sample) whose position is the call's wall-clock time, so every leg of a call lines
// up sample for sample. Output is always µ-law: A-law packets are converted as they are written. Runs inside an RTP worker for every packet: no allocation on the in-order path (payloads are
// copied straight from the datagram into the stream's preallocated output buffer).
//
// Position of a packet = anchor + (extended RTP timestamp − anchor timestamp). The anchor is taken from the arrival
// time of the first packet (and again after a pause, an SSRC change or a jump of more than MAX_DRIFT against the
// wall clock), so RTP timestamps give sample accuracy and the wall clock only places whole talk spurts.
import type { RtpHeader } from './packet.ts';
import { alawDecodeSample, mulawEncodeSample } from '../../media/g711.ts';

export const ULAW_SILENCE = 0xff;
/** G.711 A-law → µ-law by way of the linear value (the conversion is exact for all but the quietest codes). */
export const ALAW_TO_ULAW: Uint8Array = Uint8Array.from({ length: 256 }, (_, a) => mulawEncodeSample(alawDecodeSample(a)));

export type AudioCodec = 'pcmu' | 'pcma';

export interface TimelineOptions {
  /** Payload type → G.711 law for the audio payload types this stream accepts (A-law is stored as µ-law). */
  audioPts: Map<number, AudioCodec>;
  /** RFC 4733 telephone-event payload type, or null. */
  dtmfPt: number | null;
  /** Comfort-noise payload types (PT 13, or a dynamic CN). */
  cnPts: Set<number>;
  /** Called with whole chunks (multiples of chunkBytes) when seal() runs or the output buffer is full. */
  onSeal: (bytes: Buffer) => void;
  /** A gap longer than the output buffer (a stall, a long hold without CN) as a count of silent samples (whole
   * chunks, after onSeal of what came before), so it is never materialised here; without it, it goes to onSeal. */
  onSilence?: (samples: number) => void;
  chunkBytes: number;
  /** Packets held for reordering before a missing one is given up (default 16 = 320 ms at 20 ms). */
  reorderDepth?: number;
  /** Held packets older than this are released even if the hole stays (default 300 ms: a recording can wait, and
   * live listen-in stays well under a second). */
  maxHoldMs?: number;
  /** Output buffer capacity (default 4 s). */
  capacityBytes?: number;
  /** RTP timestamp units per ms, for jitter (default 8; Opus streams kept for decoding run 48). */
  tsPerMs?: number;
}

export interface DtmfEvent {
  digit: string;
  offsetMs: number;
  durationMs: number;
}

export interface TimelineStats {
  received: number;
  expected: number;
  late: number;
  duplicate: number;
  /** Packets that arrived while paused (dropped, not counted as received). */
  discarded: number;
  jitterMs: number;
  longestGapMs: number;
  /** Re-anchors (SSRC change, timestamp jump against the wall clock). */
  discontinuities: number;
  /** Samples written (audio + filled silence). */
  samples: number;
  /** Samples of real audio received. */
  audioSamples: number;
  /** Packets received but shed by the worker's spool under overload (counted as lost: not in `received`). */
  shed: number;
}

const RATE = 8; // samples per ms
const MAX_DRIFT = 2000 * RATE;
const DUP_WINDOW = 1024;
const SLOT = 480;
const DTMF_DIGITS = '0123456789*#ABCD';

interface Held {
  ext: number;
  extTs: number;
  pt: number;
  arrival: number;
  len: number;
  data: Buffer;
}

/** Counters of a stream that has received nothing. */
export const emptyStats = (): TimelineStats => ({
  received: 0,
  expected: 0,
  late: 0,
  duplicate: 0,
  discarded: 0,
  jitterMs: 0,
  longestGapMs: 0,
  discontinuities: 0,
  samples: 0,
  audioSamples: 0,
  shed: 0,
});

export class StreamTimeline {
  private readonly o: Required<Omit<TimelineOptions, 'onSeal' | 'onSilence'>> & Pick<TimelineOptions, 'onSeal' | 'onSilence'>;
  /** Output not sealed yet: out[0] is at absolute sample `base`. */
  private readonly out: Buffer;
  private base = 0;
  private outLen = 0;
  private readonly held: Held[] = [];
  private readonly free: Held[] = [];
  private readonly seen = new Int32Array(DUP_WINDOW).fill(-1);
  // sequence / timestamp state of the current source
  private ssrc = -1;
  private maxExt = -1;
  private baseExt = 0;
  private refTs = 0;
  private refExtTs = 0;
  private nextRelease = -1;
  private needAnchor = true;
  private anchorPos = 0;
  private anchorTs = 0;
  /** NaN: none yet (a number field, so storing a fractional arrival's transit allocates nothing). */
  private lastTransit = NaN;
  private lastArrival = -1;
  private lastDtmfTs = -1;
  private paused = false;
  private expectedBefore = 0;
  readonly dtmf: DtmfEvent[] = [];
  readonly stats: TimelineStats = emptyStats();
  private jitter = 0;
  /** Absolute sample up to which live frames were handed out. */
  private liveSent = 0;

  constructor(
    opts: TimelineOptions,
    /** ms clock of the call's start: positions are (arrival − openedAt) × 8 at the anchor. */
    private readonly openedAt: number,
  ) {
    this.o = { reorderDepth: 16, maxHoldMs: 300, capacityBytes: 4 * 8000, tsPerMs: RATE, ...opts } as typeof this.o;
    this.out = Buffer.alloc(Math.max(this.o.capacityBytes, opts.chunkBytes * 2));
    for (let i = 0; i <= this.o.reorderDepth; i++) this.free.push({ ext: 0, extTs: 0, pt: 0, arrival: 0, len: 0, data: Buffer.allocUnsafe(SLOT) });
  }

  /** Bytes written and not sealed yet. */
  get unsealedBytes(): number {
    return this.outLen;
  }

  /** The absolute sample the next written byte lands on (= the leg's length so far). */
  get end(): number {
    return this.base + this.outLen;
  }

  setOptions(patch: Partial<Pick<TimelineOptions, 'audioPts' | 'dtmfPt' | 'cnPts' | 'tsPerMs'>>) {
    Object.assign(this.o, patch);
  }

  /** One received packet (already decrypted). `buf[h.payloadStart..h.payloadEnd]` is the payload. */
  push(buf: Buffer, h: RtpHeader, arrival: number): void {
    if (this.paused) {
      this.stats.discarded++;
      return;
    }
    if (h.ssrc !== this.ssrc || this.maxExt < 0) {
      this.restart(h, arrival);
    }
    let d = (h.seq - (this.maxExt & 0xffff)) & 0xffff;
    if (d >= 0x8000) d -= 0x10000;
    if (d > 3000 || d < -3000) {
      // A sequence jump no reordering explains: the source restarted its numbering.
      this.restart(h, arrival);
      d = 0;
    }
    const ext = this.maxExt + d;
    const slot = ext & (DUP_WINDOW - 1);
    if (this.seen[slot] === ext) {
      this.stats.duplicate++;
      return;
    }
    this.seen[slot] = ext;
    this.stats.received++;
    const extTs = this.refExtTs + ((h.ts - this.refTs) | 0);
    if (d > 0) {
      this.maxExt = ext;
      this.refTs = h.ts;
      this.refExtTs = extTs;
    }
    if (this.lastArrival >= 0) {
      const gap = arrival - this.lastArrival;
      if (gap > this.stats.longestGapMs) this.stats.longestGapMs = gap;
    }
    this.lastArrival = arrival;
    if (h.pt !== this.o.dtmfPt) {
      // RFC 3550 A.8 interarrival jitter, in timestamp units.
      const transit = arrival * this.o.tsPerMs - extTs;
      if (!Number.isNaN(this.lastTransit)) {
        const dd = Math.abs(transit - this.lastTransit);
        this.jitter += (dd - this.jitter) / 16;
      }
      this.lastTransit = transit;
    }
    if (ext < this.nextRelease) {
      this.stats.late++;
      return;
    }
    if (ext === this.nextRelease && this.held.length === 0) {
      this.release(ext, extTs, h.pt, arrival, buf, h.payloadStart, h.payloadEnd);
      return;
    }
    this.hold(ext, extTs, h.pt, arrival, buf, h.payloadStart, h.payloadEnd);
    this.drain(arrival, false);
  }

  /** Releases held packets whose hole has lasted too long; called on a timer. */
  tick(now: number): void {
    if (this.held.length) this.drain(now, false);
  }

  /** Seals every whole chunk written so far (the caller staggers this once a second per stream). */
  seal(): void {
    const n = this.outLen - (this.outLen % this.o.chunkBytes);
    if (n === 0) return;
    this.o.onSeal(this.out.subarray(0, n));
    this.out.copyWithin(0, n, this.outLen);
    this.outLen -= n;
    this.base += n;
  }

  /** At close: releases everything held and returns the unsealed remainder (a view, valid until the next call). */
  finish(): Buffer {
    this.drain(0, true);
    this.seal();
    return this.out.subarray(0, this.outLen);
  }

  /** Pause (PCI): what is held is kept (it arrived before), everything after is dropped until resume. */
  pause(): void {
    if (this.paused) return;
    this.drain(0, true);
    this.paused = true;
  }

  /** Resume: the next packet anchors again on the wall clock, so the paused time becomes silence of its length. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.closeSequenceRun();
    this.maxExt = -1;
    this.lastArrival = -1;
    this.lastTransit = NaN;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Packets expected so far (RFC 3550 A.3), summed over sources and resumes. */
  expected(): number {
    return this.expectedBefore + (this.maxExt >= 0 ? this.maxExt - this.baseExt + 1 : 0);
  }

  snapshot(): TimelineStats {
    this.stats.expected = this.expected();
    this.stats.jitterMs = this.jitter / this.o.tsPerMs;
    return { ...this.stats };
  }

  /**
   * Live listen: the 20 ms µ-law frames completed since the last call (A-law converted). Positions before
   * `fromSample` are skipped, so a new listener starts at the live edge.
   */
  liveFrames(emit: (frame: Buffer, atMs: number) => void): void {
    if (this.liveSent < this.base) this.liveSent = this.base + (this.outLen - (this.outLen % 160));
    while (this.liveSent + 160 <= this.end) {
      const off = this.liveSent - this.base;
      const frame = Buffer.from(this.out.subarray(off, off + 160));
      emit(frame, this.liveSent / RATE);
      this.liveSent += 160;
    }
  }

  /** Starts live frames at the current edge (a new listener does not get the backlog). */
  liveFromNow(): void {
    this.liveSent = this.end - ((this.end - this.base) % 160);
  }

  private restart(h: RtpHeader, arrival: number) {
    if (this.maxExt >= 0) {
      this.drain(arrival, true);
      this.closeSequenceRun();
      this.stats.discontinuities++;
    }
    this.ssrc = h.ssrc;
    // Extended numbers start high enough that reordering before the first packet stays positive.
    this.maxExt = 0x10000 + h.seq;
    this.baseExt = this.maxExt;
    this.refTs = h.ts;
    this.refExtTs = 0x100000000 + h.ts;
    this.nextRelease = this.maxExt;
    this.seen.fill(-1);
    this.needAnchor = true;
    this.lastTransit = NaN;
  }

  private closeSequenceRun() {
    if (this.maxExt >= 0) this.expectedBefore += this.maxExt - this.baseExt + 1;
  }

  private hold(ext: number, extTs: number, pt: number, arrival: number, buf: Buffer, start: number, end: number) {
    const len = end - start;
    const slot = this.free.pop() ?? { ext: 0, extTs: 0, pt: 0, arrival: 0, len: 0, data: Buffer.allocUnsafe(SLOT) };
    if (slot.data.length < len) slot.data = Buffer.allocUnsafe(len);
    buf.copy(slot.data, 0, start, end);
    slot.ext = ext;
    slot.extTs = extTs;
    slot.pt = pt;
    slot.arrival = arrival;
    slot.len = len;
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.ext > ext) i--;
    this.held.splice(i, 0, slot);
  }

  /** Releases held packets in order: consecutive ones always; past a hole when too many wait, too long, or `all`. */
  private drain(now: number, all: boolean) {
    while (this.held.length) {
      const first = this.held[0]!;
      const inOrder = first.ext === this.nextRelease;
      if (!inOrder && !all && this.held.length <= this.o.reorderDepth && now - first.arrival < this.o.maxHoldMs) return;
      this.held.shift();
      this.release(first.ext, first.extTs, first.pt, first.arrival, first.data, 0, first.len);
      this.free.push(first);
    }
  }

  private release(ext: number, extTs: number, pt: number, arrival: number, buf: Buffer, start: number, end: number) {
    this.nextRelease = ext + 1;
    if (pt === this.o.dtmfPt) {
      this.dtmfPacket(extTs, arrival, buf, start, end);
      return;
    }
    if (this.o.cnPts.has(pt)) return; // comfort noise: the next audio packet's gap fill writes the silence
    if (!this.o.audioPts.has(pt)) return;
    const len = end - start;
    let pos = this.position(extTs, arrival);
    let from = start;
    const e = this.end;
    if (pos < e) {
      const overlap = e - pos;
      if (overlap >= len) {
        this.stats.late++;
        return;
      }
      from += overlap;
      pos = e;
    }
    if (pos > e) this.fill(pos - e);
    const at = this.outLen;
    this.write(buf, from, end);
    // One law on disk whatever the SRC switches to (a re-INVITE may change PCMU ↔ PCMA mid-call).
    if (this.o.audioPts.get(pt) === 'pcma') {
      const o = this.out;
      for (let i = at; i < this.outLen; i++) o[i] = ALAW_TO_ULAW[o[i]!]!;
    }
    this.stats.audioSamples += end - from;
  }

  private position(extTs: number, arrival: number): number {
    const wall = Math.max(0, Math.round((arrival - this.openedAt) * RATE));
    if (!this.needAnchor) {
      const pos = this.anchorPos + (extTs - this.anchorTs);
      if (Math.abs(pos - wall) <= MAX_DRIFT) return pos;
      this.stats.discontinuities++;
    }
    this.needAnchor = false;
    this.anchorPos = Math.max(this.end, wall);
    this.anchorTs = extTs;
    return this.anchorPos;
  }

  private dtmfPacket(extTs: number, arrival: number, buf: Buffer, start: number, end: number) {
    if (end - start < 4) return;
    const event = buf[start]!;
    const isEnd = (buf[start + 1]! & 0x80) !== 0;
    const duration = buf.readUInt16BE(start + 2);
    if (!isEnd || this.lastDtmfTs === extTs) return; // the end packet is sent three times; one event per timestamp
    this.lastDtmfTs = extTs;
    const pos = this.needAnchor ? Math.round((arrival - this.openedAt) * RATE) - duration : this.anchorPos + (extTs - this.anchorTs);
    this.dtmf.push({ digit: DTMF_DIGITS[event] ?? `event-${event}`, offsetMs: Math.max(0, Math.round(pos / RATE)), durationMs: Math.round(duration / RATE) });
  }

  private ensure(n: number) {
    if (this.outLen + n <= this.out.length) return;
    this.seal();
    if (this.outLen + n > this.out.length) throw new Error('timeline output overflow');
  }

  private fill(n: number) {
    const cb = this.o.chunkBytes;
    if (this.o.onSilence && n > this.out.length) {
      // Up to a chunk boundary in the buffer, everything before sealed, then whole chunks as a count.
      const head = Math.min(n, (cb - (this.outLen % cb)) % cb);
      if (head) {
        this.ensure(head);
        this.out.fill(ULAW_SILENCE, this.outLen, this.outLen + head);
        this.outLen += head;
        this.stats.samples += head;
        n -= head;
      }
      this.seal();
      const whole = n - (n % cb);
      if (whole > 0) {
        this.o.onSilence(whole);
        this.base += whole;
        this.stats.samples += whole;
        n -= whole;
      }
    }
    while (n > 0) {
      const step = Math.min(n, this.out.length - this.o.chunkBytes);
      this.ensure(step);
      this.out.fill(ULAW_SILENCE, this.outLen, this.outLen + step);
      this.outLen += step;
      this.stats.samples += step;
      n -= step;
    }
  }

  private write(buf: Buffer, start: number, end: number) {
    this.ensure(end - start);
    buf.copy(this.out, this.outLen, start, end);
    this.outLen += end - start;
    this.stats.samples += end - start;
  }
}
