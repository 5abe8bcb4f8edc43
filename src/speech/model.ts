// The speech feature's shared vocabulary: what an engine returns, what a stored transcript looks like, and the PII
// spans redaction marks on it. Engines (src/speech/engines/), the transcription job, spotting, redaction, search
// indexing and the transcript panel all speak these types.
import { meetsConfidence, type ConfidenceLevel } from '../search/filters/loose-input.ts';

/** One recognised word; times in ms (from the start of the audio given to the engine, or of the conversation once stored). */
export interface TranscriptWord {
  /** The word as recognised, lower case, no punctuation. */
  w: string;
  s: number;
  e: number;
  /** 0–1, or null where the engine gives none. */
  c: number | null;
  /** True where the time was spread over a segment by us, not given per word by the engine. */
  a?: boolean;
}

export type PiiType = 'card_number' | 'card_expiry' | 'card_security_code' | 'phone_number' | 'email' | 'date_of_birth' | 'national_id' | 'street_address';

export const PII_TYPES: readonly PiiType[] = [
  'card_number',
  'card_expiry',
  'card_security_code',
  'phone_number',
  'email',
  'date_of_birth',
  'national_id',
  'street_address',
];

/** A PII span on one utterance, by word index (inclusive), with its time for silencing the audio. */
export interface PiiSpan {
  type: PiiType;
  firstWord: number;
  lastWord: number;
  startMs: number;
  endMs: number;
}

export type SpeakerRole = 'agent' | 'customer' | 'unknown';

/** An utterance as an engine returns it (times relative to the audio it was given). */
export interface AsrUtterance {
  startMs: number;
  endMs: number;
  words: TranscriptWord[];
  /** Mean word confidence, or a segment-level figure where the engine gives one; null where none. */
  confidence: number | null;
}

/** A stretch of the audio with speech in it (the media pipeline's voice activity), in ms from the audio start. */
export interface SpeechRegion {
  startMs: number;
  endMs: number;
}

/** Words the tenant expects to hear (indicator phrases, speech tags, product and company names, agent names). */
export interface Vocabulary {
  phrases: string[];
}

export interface AsrInput {
  /** One party's mono 16-bit PCM. */
  pcm: Int16Array;
  sampleRate: number;
  /** Where there is speech; the engine never gets the silence between. */
  speech: SpeechRegion[];
  /** BCP 47 primary language, e.g. "en". */
  language: string;
  vocabulary: Vocabulary;
  signal?: AbortSignal;
}

export interface SpottedPhrase {
  phrase: string;
  startMs: number;
  endMs: number;
  /** 0–1. */
  confidence: number;
}

/** Why an engine cannot run here now, in words an administrator can act on. */
export type EngineAvailability = { ok: true } | { ok: false; reason: string };

/**
 * A speech-to-text engine, one party's audio at a time. Implementations: pocketsphinx (offline, zero downloads),
 * an OpenAI-compatible HTTP server, and a local model (sherpa-onnx) the administrator supplies.
 */
export interface AsrEngine {
  /** Stable id stored on transcripts and chosen in Settings: "pocketsphinx", "openai", "local". */
  readonly id: string;
  readonly label: string;
  /** Primary language codes the engine can transcribe, or "*" for any. */
  readonly languages: readonly string[] | '*';
  /** Sample rates it accepts; audio outside is resampled by the caller. */
  readonly sampleRates: { min: number; max: number; preferred: number };
  available(): Promise<EngineAvailability>;
  transcribe(input: AsrInput): Promise<AsrUtterance[]>;
  /** Optional acoustic phrase spotting; engines without it are spotted on their transcript instead. */
  spot?(input: AsrInput, phrases: string[]): Promise<SpottedPhrase[]>;
}

/** Speech tag confidence levels (seed 000): the one threshold table is the search filter's; below "maybe" is not a hit. */
export type { ConfidenceLevel };

export function confidenceLevel(confidence: number): ConfidenceLevel | null {
  for (const level of ['certainly', 'probably', 'maybe'] as const) if (meetsConfidence(level, confidence)) return level;
  return null;
}

/** The speech state of a conversation, as shown on it and counted in /api/health. */
export type SpeechStatus = 'pending' | 'ready' | 'no_speech' | 'no_engine' | 'failed';
