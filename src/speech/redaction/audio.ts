// The redacted audio of one party: its PCM with every PII span replaced by a quiet 1 kHz tone (so a listener hears
// that something was removed, and the timeline keeps its length). Spans are padded, because word times from a
// recogniser are approximate and a syllable left at either edge can give a digit away.

/** Added before and after each span. */
export const REDACTION_PAD_MS = 150;
/** The tone replacing PII: 1 kHz at −24 dBFS. */
export const REDACTION_TONE_HZ = 1000;
export const REDACTION_TONE_AMPLITUDE = Math.round(32767 * 10 ** (-24 / 20));
/** Fade in and out of the tone, so its edges do not click. */
const RAMP_MS = 5;

export interface TimeSpan {
  startMs: number;
  endMs: number;
}

/** Spans sorted, padded, clipped to [0, durationMs] and merged where they touch. */
export function paddedSpans(spans: readonly TimeSpan[], durationMs: number, padMs = REDACTION_PAD_MS): TimeSpan[] {
  const out: TimeSpan[] = [];
  for (const s of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    const startMs = Math.max(0, s.startMs - padMs);
    const endMs = Math.min(durationMs, s.endMs + padMs);
    if (endMs <= startMs) continue;
    const prev = out[out.length - 1];
    if (prev && startMs <= prev.endMs) prev.endMs = Math.max(prev.endMs, endMs);
    else out.push({ startMs, endMs });
  }
  return out;
}

/** A copy of `pcm` with each span (ms in this audio's time base, already padded) replaced by the tone, or silence. */
export function redactPcm(pcm: Int16Array, sampleRate: number, spans: readonly TimeSpan[], mode: 'tone' | 'silence' = 'tone'): Int16Array {
  const out = new Int16Array(pcm);
  const ramp = Math.max(1, Math.round((RAMP_MS * sampleRate) / 1000));
  for (const s of spans) {
    const a = Math.max(0, Math.floor((s.startMs * sampleRate) / 1000));
    const b = Math.min(out.length, Math.ceil((s.endMs * sampleRate) / 1000));
    for (let i = a; i < b; i++) {
      if (mode === 'silence') {
        out[i] = 0;
        continue;
      }
      const gain = Math.min(1, (i - a + 1) / ramp, (b - i) / ramp);
      out[i] = Math.round(REDACTION_TONE_AMPLITUDE * gain * Math.sin((2 * Math.PI * REDACTION_TONE_HZ * (i - a)) / sampleRate));
    }
  }
  return out;
}
