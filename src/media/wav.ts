// RIFF/WAVE header parsing and sample reading, from a Buffer.
//
// The parser walks the chunk list rather than assuming a 44-byte header: LIST/fact/bext/junk chunks may sit
// before `data`, chunks of odd size are padded to an even length (and some writers forget the pad byte, which
// the walk detects), WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID, and streaming
// writers (ffmpeg on a pipe, recorders that crashed) leave a `data` size of 0 or 0xFFFFFFFF meaning "to the end of
// the file". RF64/BW64 (the 64-bit variant) is read through its ds64 chunk.
//
// Supported: PCM 8-bit unsigned, 16-bit and 24-bit signed little-endian; G.711 mu-law (tag 7) and A-law (tag 6);
// 1 to 8 channels; 4 kHz to 192 kHz. Everything else is rejected with a DomainError naming the file and the
// problem (see errors.ts for the reason codes).
import { alawToPcm16, mulawToPcm16 } from './g711.ts';
import { mediaError, quoteName, seconds } from './errors.ts';

export type WavFormat = 'pcm' | 'mulaw' | 'alaw';

export interface WavInfo {
  format: WavFormat;
  /** Bits per sample as stored: 8, 16 or 24 for PCM, 8 for G.711. */
  bitsPerSample: number;
  sampleRate: number;
  channels: number;
  /** Byte offset of the first sample in the buffer. */
  dataOffset: number;
  /** Bytes of whole frames from dataOffset (a trailing partial frame is dropped). */
  dataBytes: number;
  /** Sample frames (one sample per channel). */
  frames: number;
  /** frames / sampleRate in milliseconds, rounded to the nearest millisecond. */
  durationMs: number;
  /** Bytes per frame (channels * bitsPerSample / 8). */
  blockAlign: number;
}

export const MAX_CHANNELS = 8;
export const MIN_SAMPLE_RATE = 4000;
export const MAX_SAMPLE_RATE = 192000;

export const WAVE_FORMAT = {
  PCM: 0x0001,
  ALAW: 0x0006,
  MULAW: 0x0007,
  EXTENSIBLE: 0xfffe,
} as const;

/** Names of WAVE format tags we may meet but do not decode, for the error message. */
const FORMAT_TAG_NAMES: Record<number, string> = {
  0x0000: 'Unknown format',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0010: 'OKI ADPCM',
  0x0011: 'IMA ADPCM',
  0x0014: 'G.723 ADPCM',
  0x0022: 'DSP Group TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0042: 'G.723.1',
  0x0045: 'G.726 ADPCM',
  0x0050: 'MPEG audio',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x0064: 'G.726 ADPCM',
  0x0065: 'G.722 ADPCM',
  0x0083: 'G.729',
  0x00ff: 'AAC',
  0x0160: 'Windows Media Audio',
  0x0161: 'Windows Media Audio',
  0x028f: 'G.722 ADPCM',
  0x1610: 'HE-AAC',
  0x2000: 'Dolby AC-3',
  0x566f: 'Vorbis',
  0xf1ac: 'FLAC',
};

/** The 12 bytes shared by every KSDATAFORMAT_SUBTYPE_* GUID after the format tag: -0000-0010-8000-00AA00389B71. */
const KS_GUID_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

function fourcc(b: Buffer, off: number): string {
  return b.toString('latin1', off, off + 4);
}

/** True when 4 bytes at off look like a chunk id (printable ASCII). */
function looksLikeChunkId(b: Buffer, off: number): boolean {
  if (off + 4 > b.length) return false;
  for (let i = off; i < off + 4; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function guidString(g: Buffer): string {
  const h = (s: number, e: number, le: boolean) => {
    const part = Buffer.from(g.subarray(s, e));
    if (le) part.reverse();
    return part.toString('hex');
  };
  return `{${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}}`.toUpperCase();
}

function tagName(tag: number): string {
  return FORMAT_TAG_NAMES[tag] ?? 'Format';
}

/** True when the buffer starts like a WAV file (RIFF, RF64 or BW64 with form type WAVE). */
export function isWav(buf: Uint8Array): boolean {
  if (buf.length < 12) return false;
  const b = asBuffer(buf);
  const magic = fourcc(b, 0);
  return (magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && fourcc(b, 8) === 'WAVE';
}

interface Fmt {
  format: WavFormat;
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
}

function parseFmt(b: Buffer, body: number, size: number, name: string, details: Record<string, unknown>): Fmt {
  if (size < 16) {
    throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: its fmt chunk is ${size} bytes long (at least 16 expected)`, details);
  }
  const tag = b.readUInt16LE(body);
  const channels = b.readUInt16LE(body + 2);
  const sampleRate = b.readUInt32LE(body + 4);
  const bits = b.readUInt16LE(body + 14);
  let effective = tag;
  let via = '';
  if (tag === WAVE_FORMAT.EXTENSIBLE) {
    if (size < 40) {
      throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: its WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes long (40 expected)`, details);
    }
    const guid = b.subarray(body + 24, body + 40);
    const subTag = guid.readUInt32LE(0);
    if (!guid.subarray(4).equals(KS_GUID_TAIL) || subTag > 0xffff) {
      throw mediaError(
        'UNSUPPORTED_CODEC',
        `${name} uses an unknown WAVE_FORMAT_EXTENSIBLE sub-format ${guidString(guid)}, which is not supported; convert to PCM or G.711`,
        { ...details, subFormat: guidString(guid) },
      );
    }
    effective = subTag;
    via = ', in WAVE_FORMAT_EXTENSIBLE';
  }

  let format: WavFormat;
  let bitsPerSample = bits;
  if (effective === WAVE_FORMAT.PCM) {
    if (bits !== 8 && bits !== 16 && bits !== 24) {
      throw mediaError('UNSUPPORTED_CODEC', `${name} is ${bits}-bit PCM, which is not supported (8-, 16- and 24-bit PCM are); convert to 16-bit PCM or G.711`, {
        ...details,
        formatTag: effective,
        bitsPerSample: bits,
      });
    }
    format = 'pcm';
  } else if (effective === WAVE_FORMAT.MULAW || effective === WAVE_FORMAT.ALAW) {
    format = effective === WAVE_FORMAT.MULAW ? 'mulaw' : 'alaw';
    const blockAlign = b.readUInt16LE(body + 12);
    // G.711 is 8 bits a sample; accept a wrong bits field when the block alignment still says one byte a sample.
    if (bits !== 8 && blockAlign !== channels) {
      throw mediaError(
        'CORRUPT_AUDIO',
        `${name} is not a valid WAV file: G.711 ${format === 'mulaw' ? 'mu-law' : 'A-law'} with ${bits} bits per sample (8 expected)`,
        details,
      );
    }
    bitsPerSample = 8;
  } else {
    throw mediaError('UNSUPPORTED_CODEC', `${name}: ${tagName(effective)} (tag ${hex(effective)}${via}) is not supported; convert to PCM or G.711`, {
      ...details,
      formatTag: effective,
    });
  }

  if (channels === 0) {
    throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: its header declares 0 channels`, details);
  }
  if (channels > MAX_CHANNELS) {
    throw mediaError('UNSUPPORTED_CHANNELS', `${name} has ${channels} channels; at most ${MAX_CHANNELS} are supported`, { ...details, channels });
  }
  if (sampleRate === 0) {
    throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: its header declares a sample rate of 0 Hz`, details);
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw mediaError(
      'UNSUPPORTED_SAMPLE_RATE',
      `${name} has a sample rate of ${sampleRate} Hz, outside the supported ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz`,
      { ...details, sampleRate },
    );
  }
  return { format, bitsPerSample, channels, sampleRate };
}

/**
 * Parses a WAV header and locates the sample data. Reads only the chunk headers (cost independent of the audio
 * length). Throws a media DomainError (see errors.ts) for anything it cannot decode.
 *
 * `totalBytes` is for a buffer that holds only the beginning of a longer file (at least up to the start of the
 * data): sizes are then checked against the whole file's length.
 */
export function parseWav(buf: Uint8Array, filename = 'audio', totalBytes = buf.length): WavInfo {
  const b = asBuffer(buf);
  const total = Math.max(totalBytes, b.length);
  const name = quoteName(filename);
  const details = { filename };
  if (total === 0) throw mediaError('EMPTY_AUDIO', `${name} is empty (0 bytes)`, details);
  const magic = b.length >= 4 ? fourcc(b, 0) : '';
  if (magic !== 'RIFF' && magic !== 'RF64' && magic !== 'BW64') {
    throw mediaError('NOT_WAV', `${name} is not a WAV file (it does not start with "RIFF")`, details);
  }
  if (b.length < 12) {
    throw mediaError('TRUNCATED_AUDIO', `${name} is truncated: the file ends inside the WAV header (${b.length} bytes)`, details);
  }
  const form = fourcc(b, 8);
  if (form !== 'WAVE') {
    throw mediaError('NOT_WAV', `${name} is a RIFF file of type "${form.replace(/[^\x20-\x7e]/g, '?')}", not a WAV file`, details);
  }
  const rf64 = magic !== 'RIFF';

  let fmt: Fmt | undefined;
  let dataOffset = -1;
  let declared = -1; // -1: to the end of the file
  let ds64DataSize: number | undefined;
  let off = 12;
  while (off + 8 <= b.length) {
    const id = fourcc(b, off);
    const size = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'data') {
      dataOffset = body;
      if (rf64 && size === 0xffffffff && ds64DataSize !== undefined) declared = ds64DataSize;
      else declared = size === 0 || size === 0xffffffff ? -1 : size;
      // The walk stops at the audio unless the fmt chunk is still to come after a data chunk of known size.
      if (fmt || declared < 0 || body + declared >= total) break;
      off = body + declared + (declared & 1);
      continue;
    }
    if (body + size > total) {
      throw mediaError(
        'TRUNCATED_AUDIO',
        `${name} is truncated: its "${id.replace(/[^\x20-\x7e]/g, '?')}" chunk declares ${size} bytes but the file ends ${total - body} bytes into it, before any audio data`,
        details,
      );
    }
    if (id === 'fmt ') {
      fmt = parseFmt(b, body, size, name, details);
      if (dataOffset >= 0) break; // fmt after data: both found
    } else if (id === 'ds64' && rf64 && size >= 16) {
      ds64DataSize = Number(b.readBigUInt64LE(body + 8));
    }
    let next = body + size;
    if (size & 1) {
      // Odd chunks are padded to even length; some writers omit the pad byte. Follow whichever lands on a chunk id.
      next = !looksLikeChunkId(b, next + 1) && looksLikeChunkId(b, next) ? next : next + 1;
    }
    off = next;
  }

  if (!fmt) {
    if (dataOffset < 0 && off < total) {
      throw mediaError('TRUNCATED_AUDIO', `${name} is truncated: the file ends inside the WAV header, before the fmt chunk`, details);
    }
    throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: it has no fmt chunk (the audio format description)`, details);
  }
  if (dataOffset < 0) {
    if (off < total) {
      throw mediaError('TRUNCATED_AUDIO', `${name} is truncated: the file ends inside the WAV header, before the data chunk`, details);
    }
    throw mediaError('CORRUPT_AUDIO', `${name} is not a valid WAV file: it has no data chunk (no audio)`, details);
  }

  const blockAlign = fmt.channels * (fmt.bitsPerSample >> 3);
  const available = total - dataOffset;
  let dataBytes = available;
  if (declared >= 0) {
    if (declared > available) {
      const missing = declared - available;
      if (missing > blockAlign) {
        const bytesPerSecond = blockAlign * fmt.sampleRate;
        throw mediaError(
          'TRUNCATED_AUDIO',
          `${name} is truncated: its data chunk declares ${declared} bytes (${seconds(declared / bytesPerSecond)}) ` +
            `but only ${available} are present; ${seconds(missing / bytesPerSecond)} (${missing} bytes) of audio are missing`,
          { ...details, declaredBytes: declared, presentBytes: available, missingBytes: missing },
        );
      }
    } else {
      dataBytes = declared;
    }
  }
  const frames = Math.floor(dataBytes / blockAlign);
  if (frames === 0) {
    throw mediaError('EMPTY_AUDIO', `${name} contains no audio (its data chunk holds 0 sample frames)`, details);
  }
  return {
    format: fmt.format,
    bitsPerSample: fmt.bitsPerSample,
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    dataOffset,
    dataBytes: frames * blockAlign,
    frames,
    durationMs: Math.round((frames * 1000) / fmt.sampleRate),
    blockAlign,
  };
}

/**
 * Reads the samples described by `info` as interleaved 16-bit PCM (a new array; the input is not retained).
 * 8-bit is scaled up, 24-bit keeps its 16 most significant bits, G.711 goes through the decode tables.
 */
export function readWavSamples(buf: Uint8Array, info: WavInfo): Int16Array {
  const src = asBuffer(buf).subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  const n = info.frames * info.channels;
  const out = new Int16Array(n);
  if (info.format === 'mulaw') return mulawToPcm16(src, out);
  if (info.format === 'alaw') return alawToPcm16(src, out);
  switch (info.bitsPerSample) {
    case 16:
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer, out.byteOffset, n * 2).set(src.subarray(0, n * 2));
      else for (let i = 0; i < n; i++) out[i] = src.readInt16LE(i * 2);
      return out;
    case 8:
      for (let i = 0; i < n; i++) out[i] = (src[i]! - 128) << 8;
      return out;
    case 24:
      for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = ((src[j + 2]! << 24) >> 16) | src[j + 1]!;
      return out;
    default:
      throw new RangeError(`unsupported bits per sample ${info.bitsPerSample}`);
  }
}
