// Media errors: a DomainError with a stable code plus a stable `details.reason` sub-code that says what is wrong
// with the file. The code (HTTP status) follows from the reason, so the pair is decided in this one table.
import { DomainError } from '../platform/errors.ts';

export const MEDIA_ERROR_CODES = {
  /** The bytes are not a WAV file (parseWav only; decodeToPcm16 says UNKNOWN_CONTAINER). */
  NOT_WAV: 'UNSUPPORTED_MEDIA_TYPE',
  /** No known audio container magic (WAV, MP3, AAC, Ogg, MP4/M4A, FLAC, WebM). */
  UNKNOWN_CONTAINER: 'UNSUPPORTED_MEDIA_TYPE',
  /** A codec or sample layout we do not decode (ADPCM, float, 32-bit PCM, unknown EXTENSIBLE GUID, ...). */
  UNSUPPORTED_CODEC: 'UNSUPPORTED_MEDIA_TYPE',
  /** More channels than MAX_CHANNELS. */
  UNSUPPORTED_CHANNELS: 'UNSUPPORTED_MEDIA_TYPE',
  /** A sample rate outside MIN_SAMPLE_RATE..MAX_SAMPLE_RATE. */
  UNSUPPORTED_SAMPLE_RATE: 'UNSUPPORTED_MEDIA_TYPE',
  /** ffmpeg is needed for this container and is not installed. */
  FFMPEG_MISSING: 'UNSUPPORTED_MEDIA_TYPE',
  /** The file claims to be audio but its structure is broken (bad header, missing chunk, undecodable). */
  CORRUPT_AUDIO: 'VALIDATION_FAILED',
  /** The file ends before its header or its declared audio data does. */
  TRUNCATED_AUDIO: 'VALIDATION_FAILED',
  /** Zero bytes, or a well-formed file with zero audio frames. */
  EMPTY_AUDIO: 'VALIDATION_FAILED',
  /** The channel map does not match the file's channels. */
  CHANNEL_MAP_MISMATCH: 'VALIDATION_FAILED',
  /** Decoded PCM would exceed the configured size limit. */
  AUDIO_TOO_LONG: 'VALIDATION_FAILED',
  /** ffmpeg did not finish within the time limit. */
  DECODE_TIMEOUT: 'VALIDATION_FAILED',
} as const;

export type MediaErrorReason = keyof typeof MEDIA_ERROR_CODES;

/** Builds the DomainError for a media problem; `details` always holds `reason` (and `filename` when given). */
export function mediaError(reason: MediaErrorReason, message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(MEDIA_ERROR_CODES[reason], message, { reason, ...details });
}

/** The media reason of an error, or undefined when it is not a media DomainError. */
export function mediaErrorReason(err: unknown): MediaErrorReason | undefined {
  if (!(err instanceof DomainError)) return undefined;
  const reason = err.details?.reason;
  return typeof reason === 'string' && reason in MEDIA_ERROR_CODES ? (reason as MediaErrorReason) : undefined;
}

/** A file name fit for a message: quoted, control characters removed, at most 120 characters. */
export function quoteName(filename: string): string {
  let name = String(filename ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (!name) name = 'audio';
  if (name.length > 120) name = `${name.slice(0, 117)}...`;
  return `"${name}"`;
}

/** Seconds with at most 3 decimals, for messages. */
export function seconds(s: number): string {
  return `${Number(s.toFixed(3))} s`;
}
