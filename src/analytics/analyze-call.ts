// The audio analysis of one conversation, the single entry point of the media pipeline job: peaks per stream,
// voice activity (speech, music, tones) per stream, speech events, hold count and talk time. Synchronous, pure
// (no I/O): the job decodes the audio before and stores the results after.
import { computePeaks, encodePeaks } from '../media/peaks.ts';
import { analyzeVoice, type Interval, type SoundInterval, type VoiceOptions } from '../media/vad.ts';
import { computeSpeechEvents, unionIntervals, type CallControlEvent, type SpeechEvent, type SpeechEventThresholds } from './speech-events.ts';
import { crosstalkCoverage, type CrosstalkCoverage } from './crosstalk-coverage.ts';

export interface AnalysisStreamInput {
  /** Passed through to the result (e.g. the stream's row id). */
  id?: string;
  /** Party key heard on this stream (for a mono mix of everyone, a key such as "mix"). */
  party: string;
  /** The party's role (agent, customer, other): talk time is also summed per role. */
  role?: string;
  /** Mono 16-bit samples. */
  samples: Int16Array;
  sampleRate: number;
  /** Where the stream starts on the conversation timeline (its segment's start), default 0. */
  offsetMs?: number;
}

export interface AnalyzeStreamsInput {
  streams: readonly AnalysisStreamInput[];
  /** Call control events from the metadata (hold/resume are used), offsets on the conversation timeline. */
  events?: readonly CallControlEvent[];
  /** Conversation length; default the end of the last stream. */
  durationMs?: number;
  /** Time ranges that have media; default the streams' own ranges. Gaps are what lies between them. */
  segments?: readonly { startMs: number; endMs: number }[];
  thresholds?: Partial<SpeechEventThresholds>;
  /** Voice activity and music/tone detection settings (the defaults are tuned on the corpus). */
  vad?: VoiceOptions;
}

export interface AnalyzedStream {
  id?: string;
  party: string;
  role?: string;
  offsetMs: number;
  durationMs: number;
  /** Encoded waveform peaks (see media/peaks.ts), ready to store. */
  peaks: Buffer;
  /** On the conversation timeline (offsetMs added). */
  speech: Interval[];
  /** Talk time of this stream alone. */
  talkMs: number;
  /** Music and tones, on the conversation timeline. */
  sounds: SoundInterval[];
  noiseFloorDb: number;
}

export interface CallAnalysis {
  durationMs: number;
  /** In input order. */
  streams: AnalyzedStream[];
  /** Speech per party (union over its streams), on the conversation timeline. */
  speech: Record<string, Interval[]>;
  events: SpeechEvent[];
  /** Whether the crosstalk events could be measured at all (not on a single-channel mix). */
  crosstalk: CrosstalkCoverage;
  holdCount: number;
  talkTimeMs: Record<string, number>;
  /** Union of the speech of all parties with the role (the corpus' agent_talk_s is this, for "agent"). */
  talkTimeByRoleMs: Record<string, number>;
}

const shift = (ivs: Interval[], by: number): Interval[] => (by ? ivs.map(([s, e]) => [s + by, e + by] as Interval) : ivs);

/**
 * Analyses the audio streams of one conversation (one per party and segment, each placed at its segment's offset):
 * peaks, speech, music and tones per stream, then the conversation's speech events, hold count and talk time.
 */
export function analyzeStreams(input: AnalyzeStreamsInput): CallAnalysis {
  const streams: AnalyzedStream[] = input.streams.map((s) => {
    const offsetMs = s.offsetMs ?? 0;
    const v = analyzeVoice(s.samples, s.sampleRate, input.vad);
    return {
      id: s.id,
      party: s.party,
      role: s.role,
      offsetMs,
      durationMs: v.durationMs,
      peaks: encodePeaks(computePeaks(s.samples, s.sampleRate)),
      speech: shift(v.speech, offsetMs),
      talkMs: v.speech.reduce((t, [a, b]) => t + b - a, 0),
      sounds: offsetMs ? v.sounds.map((x) => ({ ...x, startMs: x.startMs + offsetMs, endMs: x.endMs + offsetMs })) : v.sounds,
      noiseFloorDb: v.noiseFloorDb,
    };
  });
  const durationMs = input.durationMs ?? streams.reduce((m, s) => Math.max(m, s.offsetMs + s.durationMs), 0);
  const segments = input.segments ?? streams.map((s) => ({ startMs: s.offsetMs, endMs: s.offsetMs + s.durationMs }));
  const result = computeSpeechEvents({
    parties: streams.map((s) => ({ party: s.party, speech: s.speech, sounds: s.sounds })),
    durationMs,
    events: input.events,
    segments,
    thresholds: input.thresholds,
  });

  const speech: Record<string, Interval[]> = {};
  const byRole = new Map<string, Interval[]>();
  for (const s of streams) {
    speech[s.party] = (speech[s.party] ?? []).concat(s.speech);
    if (s.role) byRole.set(s.role, (byRole.get(s.role) ?? []).concat(s.speech));
  }
  for (const party of Object.keys(speech)) speech[party] = unionIntervals(speech[party]!, 0, durationMs);
  const talkTimeByRoleMs: Record<string, number> = {};
  for (const [role, ivs] of byRole) talkTimeByRoleMs[role] = unionIntervals(ivs, 0, durationMs).reduce((t, [s, e]) => t + e - s, 0);

  // Streams of one recorded piece share its offset on the conversation timeline.
  const pieces = new Map<number, string[]>();
  for (const s of streams) pieces.set(s.offsetMs, [...(pieces.get(s.offsetMs) ?? []), s.party]);
  const crosstalk = crosstalkCoverage([...pieces.values()]);

  return { durationMs, streams, speech, events: result.events, crosstalk, holdCount: result.holdCount, talkTimeMs: result.talkTimeMs, talkTimeByRoleMs };
}
