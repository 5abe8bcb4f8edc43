// A small RTP/SRTP sender for the recorder's tests and bench: SIPp sends one stream per call, this sends any number,
// paced on one 20 ms timer (drift-corrected), with optional impairments (reordering, duplicates, loss), sequence and
// timestamp wrap, RFC 4733 DTMF in place of audio, and SRTP through either implementation.
import dgram from 'node:dgram';
import { buildRtp } from '../../../src/recorder/rtp/packet.ts';
import { createSrtpSession, type SrtpImpl, type SrtpSession, type SrtpSuite } from '../../../src/recorder/srtp/srtp.ts';

export interface StreamPlan {
  address: string;
  port: number;
  /** µ-law (or A-law) bytes, one per 8 kHz sample: 160 per 20 ms packet. */
  audio: Buffer;
  pt?: number;
  ssrc?: number;
  seq?: number;
  ts?: number;
  srtp?: { suite: SrtpSuite; keyParams: string; impl?: SrtpImpl };
  /** Swap every Nth packet with the next one. */
  reorderEvery?: number;
  /** Send every Nth packet twice. */
  duplicateEvery?: number;
  /** Never send every Nth packet. */
  dropEvery?: number;
  /** RFC 4733 events (payload type dtmfPt) replacing the audio of [atMs, atMs + durationMs). */
  dtmf?: { atMs: number; event: number; durationMs: number }[];
  dtmfPt?: number;
  /** Packets (20 ms) to skip before the first one: the leg starts later. */
  startPacket?: number;
}

interface Live {
  plan: StreamPlan;
  packets: Buffer[];
  next: number;
  srtp: SrtpSession | null;
  sent: number;
}

/** Builds every packet of a stream up front (the bench must not spend its CPU building them while timing). */
export function buildPackets(plan: StreamPlan): Buffer[] {
  const pt = plan.pt ?? 0;
  const ssrc = plan.ssrc ?? 0x1a2b3c4d;
  let seq = plan.seq ?? 1000;
  const ts0 = plan.ts ?? 0;
  const dtmfPt = plan.dtmfPt ?? 101;
  const out: Buffer[] = [];
  const n = Math.floor(plan.audio.length / 160);
  for (let i = 0; i < n; i++) {
    const atMs = i * 20;
    const ev = plan.dtmf?.find((d) => atMs >= d.atMs && atMs < d.atMs + d.durationMs);
    let pkts: Buffer[];
    if (ev) {
      const start = ts0 + (ev.atMs / 20) * 160;
      const dur = atMs - ev.atMs + 20;
      const isLast = atMs + 20 >= ev.atMs + ev.durationMs;
      const body = Buffer.from([ev.event, isLast ? 0x80 | 10 : 10, (dur * 8) >> 8, (dur * 8) & 0xff]);
      const p = buildRtp({ pt: dtmfPt, seq: seq & 0xffff, ts: start >>> 0, ssrc, marker: atMs === ev.atMs }, body);
      // The end packet is sent three times with the same sequence number (RFC 4733 §2.5.1.4).
      pkts = isLast ? [p, Buffer.from(p), Buffer.from(p)] : [p];
    } else {
      pkts = [buildRtp({ pt, seq: seq & 0xffff, ts: (ts0 + i * 160) >>> 0, ssrc }, plan.audio.subarray(i * 160, i * 160 + 160))];
    }
    seq++;
    out.push(...pkts);
  }
  return out;
}

function impair(plan: StreamPlan, packets: Buffer[]): Buffer[] {
  let list = packets;
  if (plan.dropEvery) list = list.filter((_, i) => (i + 1) % plan.dropEvery! !== 0);
  if (plan.duplicateEvery) list = list.flatMap((p, i) => ((i + 1) % plan.duplicateEvery! === 0 ? [p, Buffer.from(p)] : [p]));
  if (plan.reorderEvery) {
    list = [...list];
    for (let i = plan.reorderEvery - 1; i + 1 < list.length; i += plan.reorderEvery) [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
  }
  return list;
}

export class RtpSender {
  private readonly socket = dgram.createSocket('udp4');
  private readonly streams: Live[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private ticks = 0;
  private doneResolve: (() => void) | null = null;
  readonly done: Promise<void>;

  constructor() {
    this.done = new Promise((r) => (this.doneResolve = r));
    this.socket.bind(0, '127.0.0.1');
  }

  add(plan: StreamPlan, packets = buildPackets(plan)): void {
    const srtp = plan.srtp ? createSrtpSession(plan.srtp.suite, plan.srtp.keyParams, 'outbound', plan.srtp.impl) : null;
    const list = impair(plan, packets).map((p) => {
      if (!srtp) return p;
      const b = Buffer.alloc(p.length + 16);
      p.copy(b);
      return b.subarray(0, srtp.protect(b, p.length));
    });
    this.streams.push({ plan, packets: list, next: -(plan.startPacket ?? 0), srtp, sent: 0 });
  }

  /** Packets per 20 ms tick: an audio packet each (DTMF end packets go out together). */
  start(): void {
    this.startedAt = performance.now();
    const step = () => {
      this.ticks++;
      let open = 0;
      for (const s of this.streams) {
        if (s.next < 0) {
          s.next++;
          open++;
          continue;
        }
        if (s.next >= s.packets.length) continue;
        open++;
        // One tick = one 20 ms frame: a DTMF end packet's two repeats ride along.
        let p = s.packets[s.next++]!;
        this.socket.send(p, s.plan.port, s.plan.address);
        s.sent++;
        while (s.next < s.packets.length && s.packets[s.next]!.equals(p)) {
          p = s.packets[s.next++]!;
          this.socket.send(p, s.plan.port, s.plan.address);
          s.sent++;
        }
      }
      if (open === 0) {
        this.timer = null;
        setTimeout(() => this.doneResolve!(), 50);
        return;
      }
      const due = this.startedAt + this.ticks * 20;
      this.timer = setTimeout(step, Math.max(0, due - performance.now()));
    };
    step();
  }

  get sent(): number {
    return this.streams.reduce((n, s) => n + s.sent, 0);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.streams) s.srtp?.close();
    this.socket.close();
  }
}

/** A deterministic speech-like µ-law signal (different per seed), for comparing what was recorded. */
export function testAudio(ms: number, seed: number): Buffer {
  const n = ms * 8;
  const out = Buffer.alloc(n);
  let x = (seed * 7919) >>> 0;
  for (let i = 0; i < n; i++) {
    // 32-bit LCG in integer arithmetic (a double product would lose bits and cycle early).
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    // Never 0xff/0x7f (µ-law zero), so a recorded byte of silence is told from a sent byte.
    out[i] = (x >>> 24) % 0x7e;
  }
  return out;
}
