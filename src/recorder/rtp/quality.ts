// Per-leg network quality as the StreamQuality shape: RFC 3550 counters and an estimated MOS from a simplified ITU-T
// G.107 E-model (G.711 with packet-loss concealment: Ie = 0, Bpl = 25.1; delay taken as the jitter buffer's
// depth, since a recorder sees no round trip).
import type { StreamQuality } from '../model.ts';
import type { TimelineStats } from './timeline.ts';

export function estimateMos(lossFraction: number, jitterMs: number, bpl = 25.1, ie = 0): number {
  const ppl = Math.max(0, Math.min(1, lossFraction)) * 100;
  const ieEff = ie + (95 - ie) * (ppl / (ppl + bpl));
  // One-way delay: packetisation (20 ms) + a jitter buffer of twice the jitter + network (assume 40 ms).
  const d = 20 + 2 * jitterMs + 40;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const r = Math.max(0, Math.min(100, 93.2 - id - ieEff));
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.round(Math.max(1, Math.min(4.5, mos)) * 100) / 100;
}

export function toQuality(label: string, s: TimelineStats, intervals?: StreamQuality['intervals']): StreamQuality {
  const lost = Math.max(0, s.expected - s.received);
  return {
    label,
    packetsExpected: s.expected,
    packetsReceived: s.received,
    packetsLost: lost,
    packetsLate: s.late,
    packetsDuplicate: s.duplicate,
    jitterMs: Math.round(s.jitterMs * 100) / 100,
    // Late packets are lost to playout too.
    mos: s.expected >= 50 ? estimateMos((lost + s.late) / s.expected, s.jitterMs) : null,
    longestGapMs: Math.round(s.longestGapMs),
    ...(intervals ? { intervals } : {}),
  };
}
