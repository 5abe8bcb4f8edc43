// What assurance concludes from one ended recording session (pure): the flags with a sentence each, and the per-leg
// quality rows with a "poor" verdict. The media pool already raises empty, one-sided, clipped, long gaps, unsupported
// codec and recovered from what it received (src/recorder/media/finalise.ts); this adds what only the session's end
// can tell — signalled but not recorded, or ended by a timeout or error before its BYE — and words for each.
import { estimateMos } from '../rtp/quality.ts';
import type { RecorderCall } from '../calls/repository.ts';
import type { AssuranceFlag, StreamQuality } from '../model.ts';

/** ITU-T G.107: below 3.6 many users are dissatisfied. */
export const POOR_MOS = 3.6;
/** Lost (and late) packets above this share make a leg poor whatever the MOS says. */
export const POOR_LOSS = 0.05;

export interface CallControlFacts {
  mode: string;
  policyRecord: boolean;
  policyRuleName: string | null;
  /** Someone started an on-demand recording. */
  started: boolean;
}

export interface Finding {
  flag: AssuranceFlag;
  detail: string;
}

export interface QualityInterval {
  offsetMs: number;
  mos: number | null;
  lossPercent: number;
  jitterMs: number;
  poor: boolean;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function isPoor(q: Pick<StreamQuality, 'mos' | 'packetsExpected' | 'packetsLost' | 'packetsLate'>): boolean {
  const loss = q.packetsExpected > 0 ? (q.packetsLost + q.packetsLate) / q.packetsExpected : 0;
  return (q.mos !== null && q.mos < POOR_MOS) || (q.packetsExpected >= 50 && loss > POOR_LOSS);
}

/** Per 5 s interval, the E-model MOS of that interval alone (the quality lane). */
export function intervalsOf(q: StreamQuality): QualityInterval[] {
  return (q.intervals ?? []).map((i) => {
    const loss = i.expected > 0 ? i.lost / i.expected : 0;
    const mos = i.expected >= 10 ? estimateMos(loss, i.jitterMs) : null;
    return {
      offsetMs: i.offsetMs,
      mos,
      lossPercent: Math.round(loss * 1000) / 10,
      jitterMs: Math.round(i.jitterMs * 10) / 10,
      poor: (mos !== null && mos < POOR_MOS) || (i.expected >= 10 && loss > POOR_LOSS),
    };
  });
}

export function assessCall(call: RecorderCall, control: CallControlFacts | null): Finding[] {
  const out = new Map<AssuranceFlag, string>();
  const who = (label: string) => {
    const p = call.participants.find((x) => x.sends.includes(label));
    return p ? (p.name ?? p.number ?? p.aor ?? label) : `leg ${label}`;
  };
  const expected = control ? control.policyRecord && (control.mode !== 'on_demand' || control.started) : true;
  const legs = call.quality;
  if (expected && !call.conversationId && call.endReason !== 'cancel') {
    out.set(
      'not_recorded',
      `The call was signalled (${call.participants.length} parties) but no recording was kept${call.endReason ? ` (ended by ${call.endReason})` : ''}`,
    );
  }
  for (const f of call.flags) {
    if (f === 'empty') out.set(f, 'The recording holds no audio: no RTP packet arrived on any leg');
    else if (f === 'one_sided') {
      const silent = legs.filter((q) => q.packetsReceived === 0).map((q) => who(q.label));
      out.set(f, silent.length ? `One-sided: nothing was received from ${silent.join(', ')}` : 'One-sided: one leg is silent or missing');
    } else if (f === 'long_gaps') {
      const worst = [...legs].sort((a, b) => b.longestGapMs - a.longestGapMs)[0];
      out.set(f, worst ? `Long gap without audio: ${seconds(worst.longestGapMs)} on ${who(worst.label)}` : 'A leg has long gaps without audio');
    } else if (f === 'clipped') out.set(f, 'The audio stops well before the call ended (before its BYE)');
    else if (f === 'unsupported_codec') {
      const raw = call.streams.filter((s) => s.storedRaw).map((s) => `${who(s.label)}: ${s.reason ?? 'unsupported codec'}`);
      out.set(f, `Stored as received, not playable: ${raw.join('; ') || 'unsupported codec'}`);
    } else if (f === 'recovered') out.set(f, 'The recorder restarted during the call: the recording was recovered (at most the last second is missing)');
    else if (f === 'not_recorded') out.set(f, out.get(f) ?? 'The call was signalled but not recorded');
  }
  if (expected && call.conversationId && !out.has('clipped') && (call.endReason === 'timeout' || call.endReason === 'error' || call.endReason === 'shutdown'))
    out.set('clipped', `The recording session ended by ${call.endReason}, not by the call's BYE: its end may be missing`);
  return [...out].map(([flag, detail]) => ({ flag, detail }));
}
