// The header of a PCM WAV file whose samples are produced later (streamed or rendered by range), so the sizes must
// be known up front. The layout itself comes from encodeWav (wav-write.ts): it is asked for an empty file and the
// two size fields are filled in, so there is one writer of the WAV format in the codebase.
import { encodeWav } from './wav-write.ts';

export interface WavHeaderFields {
  sampleRate: number;
  channels: number;
  bitsPerSample: 8 | 16 | 24;
  /** Bytes of sample data that will follow the header (whole frames). */
  dataBytes: number;
  /** WAVE_FORMAT_EXTENSIBLE (68-byte header). Default: only for more than 2 channels, as encodeWav does. */
  extensible?: boolean;
}

/** Size of the canonical PCM header (RIFF + fmt(16) + data chunk headers). */
export const WAV_HEADER_BYTES = 44;

const EMPTY = new Int16Array(0);

/**
 * The bytes before the samples of a PCM WAV file: 44 bytes for mono and stereo, 68 with WAVE_FORMAT_EXTENSIBLE.
 * The data chunk is the last thing in the header, so the samples follow it directly.
 */
export function wavHeader(fields: WavHeaderFields): Buffer {
  const { dataBytes, channels, bitsPerSample } = fields;
  const blockAlign = channels * (bitsPerSample >> 3);
  const header = encodeWav({
    sampleRate: fields.sampleRate,
    channels,
    samples: EMPTY,
    bitsPerSample,
    extensible: fields.extensible ?? channels > 2,
  });
  if (!Number.isSafeInteger(dataBytes) || dataBytes < 0 || dataBytes % blockAlign !== 0) {
    throw new RangeError(`dataBytes must be a whole number of ${blockAlign}-byte frames (got ${dataBytes})`);
  }
  // RIFF sizes are 32-bit; an odd data size would also need a pad byte after the samples.
  if (dataBytes + header.length - 8 > 0xffffffff || dataBytes % 2 !== 0) {
    throw new RangeError(dataBytes % 2 ? `dataBytes must be even (got ${dataBytes})` : 'audio too long for a WAV file (4 GiB limit)');
  }
  header.writeUInt32LE(header.length - 8 + dataBytes, 4);
  header.writeUInt32LE(dataBytes, header.length - 4);
  return header;
}
