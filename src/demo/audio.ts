// Demo call audio: windows cut from the source calls on utterance boundaries, joined with line-noise padding and hold
// music, with per-channel gain, encoded as stereo G.711 mu-law WAV (channel 0 = agent, channel 1 = the other party).
import { encodeWav } from '../media/wav-write.ts';
import { SAMPLE_RATE, lineNoise, type SourceCall } from './corpus.ts';
import type { Rng } from './random.ts';

export type Piece =
  /** Seconds of a source call, both channels. */
  | { kind: 'window'; call: SourceCall; start: number; end: number }
  /** Line noise on both channels. */
  | { kind: 'silence'; seconds: number }
  /** Hold music on the agent channel (what the customer hears), line noise on the customer channel. */
  | { kind: 'hold'; seconds: number };

export interface Window {
  call: SourceCall;
  start: number;
  end: number;
  fromGreeting: boolean;
}

const PRE_PAD = 0.35;
const POST_PAD = 0.6;

/**
 * Every window of a call that starts and ends on utterance boundaries, never cuts a hold in two, and never spans a
 * transfer (the two agents of a transfer call are two segments).
 */
export function windowsOf(call: SourceCall): Window[] {
  const out: Window[] = [];
  const us = call.utterances;
  for (let i = 0; i < us.length; i++) {
    for (let j = i; j < us.length; j++) {
      const start = Math.max(0, us[i]!.start - PRE_PAD);
      const end = Math.min(call.durationS, us[j]!.end + POST_PAD);
      if (call.holds.some((h) => start < h.end && end > h.start && !(start <= h.start && end >= h.end))) continue;
      if (call.transfers.some((t) => start < t.end && end > t.start)) continue;
      // An opening: the first utterance, or the first words of a second agent after a transfer.
      const opening = i === 0 || (us[i]!.role === 'agent' && !us.slice(0, i).some((u) => u.speaker === us[i]!.speaker));
      out.push({ call, start, end, fromGreeting: opening });
    }
  }
  return out;
}

export class WindowPicker {
  private readonly cache = new Map<SourceCall, Window[]>();

  private all(call: SourceCall) {
    let w = this.cache.get(call);
    if (!w) {
      w = windowsOf(call);
      this.cache.set(call, w);
    }
    return w;
  }

  /**
   * A window between min and max seconds long (the closest one when none fits). `greeting`: true = starts with the
   * agent's greeting, false = does not, undefined = either.
   */
  pick(rng: Rng, call: SourceCall, min: number, max: number, opts: { greeting?: boolean; hold?: boolean } = {}): Window {
    let pool = this.all(call);
    if (opts.greeting !== undefined) {
      const f = pool.filter((w) => w.fromGreeting === opts.greeting);
      if (f.length) pool = f;
    }
    if (opts.hold !== undefined) {
      const f = pool.filter((w) => call.holds.some((h) => w.start <= h.start && w.end >= h.end) === opts.hold);
      if (f.length) pool = f;
    }
    const fit = pool.filter((w) => w.end - w.start >= min && w.end - w.start <= max);
    if (fit.length) return rng.pick(fit);
    const target = (min + max) / 2;
    // Always draw once, so the sequence of draws does not depend on which branch ran.
    rng.float();
    return pool.reduce((best, w) => (Math.abs(w.end - w.start - target) < Math.abs(best.end - best.start - target) ? w : best));
  }
}

export const pieceSeconds = (p: Piece) => (p.kind === 'window' ? p.end - p.start : p.seconds);

export interface RenderOptions {
  /** Linear gain of the agent and the other channel. */
  gain: [number, number];
  /** Swap the channels of the source (the source customer voice becomes channel 0). */
  swap?: boolean;
  /** Extra noise amplitude on the other channel (a bad line), 0 for none. */
  noise?: number;
}

export interface RenderedCall {
  wav: Buffer;
  durationMs: number;
}

/** Duration and hold positions of a call made of these pieces, without rendering it. */
export function layout(pieces: Piece[]): { durationMs: number; holds: Array<{ startMs: number; endMs: number }> } {
  const holds: Array<{ startMs: number; endMs: number }> = [];
  let at = 0;
  for (const p of pieces) {
    const n = Math.round(pieceSeconds(p) * SAMPLE_RATE);
    if (p.kind === 'window') {
      for (const h of p.call.holds) {
        if (h.start >= p.start && h.end <= p.end) {
          holds.push({
            startMs: Math.round(((at + (h.start - p.start) * SAMPLE_RATE) * 1000) / SAMPLE_RATE),
            endMs: Math.round(((at + (h.end - p.start) * SAMPLE_RATE) * 1000) / SAMPLE_RATE),
          });
        }
      }
    } else if (p.kind === 'hold') {
      holds.push({ startMs: Math.round((at * 1000) / SAMPLE_RATE), endMs: Math.round(((at + n) * 1000) / SAMPLE_RATE) });
    }
    at += n;
  }
  return { durationMs: Math.round((at * 1000) / SAMPLE_RATE), holds };
}

export class CallRenderer {
  private readonly noise = lineNoise(SAMPLE_RATE * 8, 77);
  private readonly badLine: Int16Array;
  private readonly music: Int16Array;

  constructor(sources: SourceCall[]) {
    const withHold = sources.find((s) => s.holds.length);
    const h = withHold?.holds[0];
    this.music = withHold && h ? withHold.agent.slice(Math.round(h.start * SAMPLE_RATE), Math.round(h.end * SAMPLE_RATE)) : lineNoise(SAMPLE_RATE, 78);
    this.badLine = lineNoise(SAMPLE_RATE * 4, 79).map((v) => v * 60);
  }

  render(pieces: Piece[], opts: RenderOptions): RenderedCall {
    const frames = pieces.reduce((n, p) => n + Math.round(pieceSeconds(p) * SAMPLE_RATE), 0);
    const out = new Int16Array(frames * 2);
    const [ga, gc] = opts.gain;
    let at = 0; // frame
    const noiseLen = this.noise.length;
    for (const p of pieces) {
      const n = Math.round(pieceSeconds(p) * SAMPLE_RATE);
      if (p.kind === 'window') {
        const from = Math.round(p.start * SAMPLE_RATE);
        const a = opts.swap ? p.call.customer : p.call.agent;
        const c = opts.swap ? p.call.agent : p.call.customer;
        for (let k = 0; k < n; k++) {
          const s = from + k;
          const va = (a[s] ?? 0) * ga;
          const vc = (c[s] ?? 0) * gc;
          const o = (at + k) * 2;
          out[o] = va > 32767 ? 32767 : va < -32768 ? -32768 : va;
          out[o + 1] = vc > 32767 ? 32767 : vc < -32768 ? -32768 : vc;
        }
      } else {
        const offset = (at * 7) % noiseLen;
        for (let k = 0; k < n; k++) {
          const o = (at + k) * 2;
          const v = this.noise[(offset + k) % noiseLen]!;
          const m = this.music[k % this.music.length]! * ga;
          out[o] = p.kind === 'hold' ? (m > 32767 ? 32767 : m < -32768 ? -32768 : m) : v;
          out[o + 1] = this.noise[(offset + k + 4000) % noiseLen]!;
        }
      }
      at += n;
    }
    if (opts.noise) {
      const g = opts.noise;
      const len = this.badLine.length;
      for (let f = 0; f < frames; f++) {
        const v = out[f * 2 + 1]! + this.badLine[f % len]! * g;
        out[f * 2 + 1] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    return {
      wav: encodeWav({ sampleRate: SAMPLE_RATE, channels: 2, samples: out, format: 'mulaw' }),
      durationMs: Math.round((frames * 1000) / SAMPLE_RATE),
    };
  }
}
