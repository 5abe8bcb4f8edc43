// Crosstalk is two parties speaking at once, which only separate recordings of the parties can show: on a mono mix
// (one channel for everyone) overlapping voices are one signal, so an empty crosstalk list would claim "nobody
// interrupted" when it was never measured. Callers say so instead.
export type CrosstalkUnmeasurableReason = 'SINGLE_CHANNEL';

export interface CrosstalkCoverage {
  measurable: boolean;
  /** Why it was not measured; null when measured, or when there is no audio at all (nothing to say). */
  reason: CrosstalkUnmeasurableReason | null;
  message: string | null;
}

export const SINGLE_CHANNEL_MESSAGE = 'Crosstalk is not measurable on a single-channel recording';

/**
 * Whether crosstalk could be measured: some recorded piece (a call segment) has audio of two parties or more on
 * separate streams. `segments` lists, per segment, the parties of its decoded streams.
 */
export function crosstalkCoverage(segments: ReadonlyArray<ReadonlyArray<string>>): CrosstalkCoverage {
  const withAudio = segments.filter((parties) => parties.length > 0);
  if (withAudio.length === 0) return { measurable: false, reason: null, message: null };
  if (withAudio.some((parties) => new Set(parties).size >= 2)) return { measurable: true, reason: null, message: null };
  return { measurable: false, reason: 'SINGLE_CHANNEL', message: SINGLE_CHANNEL_MESSAGE };
}
