// Audio probing and decoding to 16-bit PCM. The container is recognised by its magic bytes, never by the file
// name. WAV (PCM and G.711) is decoded here in TypeScript; MP3, AAC, Ogg (Opus/Vorbis), MP4/M4A, FLAC and WebM go
// through the system ffmpeg over pipes.
import { mediaError, mediaErrorReason, quoteName } from './errors.ts';
import { ffmpegDecode, type FfmpegDecodeResult } from './ffmpeg.ts';
import { faststartMp4 } from './mp4.ts';
import { parseWav, readWavSamples, type WavInfo } from './wav.ts';

export type Container = 'wav' | 'mp3' | 'aac' | 'ogg' | 'mp4' | 'flac' | 'webm';

export interface DecodedAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples (frames * channels). */
  samples: Int16Array;
  /** frames / sampleRate in milliseconds, rounded. */
  durationMs: number;
}

export interface AudioProbe {
  container: Container;
  /** ffmpeg-style codec name: pcm_u8, pcm_s16le, pcm_s24le, pcm_mulaw, pcm_alaw, mp3, aac, opus, vorbis, flac, ... */
  codec: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

export interface DecodeOptions {
  /** Largest decoded PCM accepted from ffmpeg, in bytes (default 2 GiB: 37 h of 8 kHz stereo, 3 h of 48 kHz stereo). */
  maxPcmBytes?: number;
  /** Time limit for one ffmpeg run (default 10 minutes). */
  timeoutMs?: number;
}

const DEFAULT_MAX_PCM_BYTES = 2 * 2 ** 30;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

const CONTAINER_INFO: Record<Exclude<Container, 'wav'>, { label: string; demuxer: string; codec: string }> = {
  mp3: { label: 'MP3', demuxer: 'mp3', codec: 'mp3' },
  aac: { label: 'AAC', demuxer: 'aac', codec: 'aac' },
  ogg: { label: 'Ogg (Opus/Vorbis)', demuxer: 'ogg', codec: 'unknown' },
  mp4: { label: 'M4A/MP4', demuxer: 'mov', codec: 'unknown' },
  flac: { label: 'FLAC', demuxer: 'flac', codec: 'flac' },
  webm: { label: 'WebM/Matroska', demuxer: 'matroska', codec: 'unknown' },
};

function ascii(b: Uint8Array, off: number, text: string): boolean {
  if (off + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[off + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** What an MPEG-style frame header at `off` is: MPEG audio (MP3/MP2), ADTS AAC, or neither. */
function frameSync(b: Uint8Array, off: number): 'mp3' | 'aac' | undefined {
  if (off + 2 > b.length || b[off] !== 0xff || (b[off + 1]! & 0xe0) !== 0xe0) return undefined;
  const b1 = b[off + 1]!;
  if ((b1 & 0x06) === 0) return (b1 & 0x10) === 0x10 ? 'aac' : undefined; // layer 0: ADTS (12-bit sync)
  if (((b1 >> 3) & 0x03) === 0x01) return undefined; // reserved MPEG version
  return 'mp3';
}

/** Recognises the audio container from the first bytes; undefined when it is none we know. */
export function detectContainer(buf: Uint8Array): Container | undefined {
  if (buf.length >= 12 && (ascii(buf, 0, 'RIFF') || ascii(buf, 0, 'RF64') || ascii(buf, 0, 'BW64')) && ascii(buf, 8, 'WAVE')) {
    return 'wav';
  }
  if (ascii(buf, 0, 'OggS')) return 'ogg';
  if (ascii(buf, 0, 'fLaC')) return 'flac';
  if (buf.length >= 4 && buf[0] === 0x1a && buf[1] === 0x45 && buf[2] === 0xdf && buf[3] === 0xa3) return 'webm';
  if (ascii(buf, 4, 'ftyp')) return 'mp4';
  if (ascii(buf, 0, 'ID3')) {
    // Skip ID3v2 tags (there may be several) to see what they precede; MP3 unless it is recognisably FLAC or AAC.
    let off = 0;
    while (ascii(buf, off, 'ID3') && off + 10 <= buf.length) {
      const size = ((buf[off + 6]! & 0x7f) << 21) | ((buf[off + 7]! & 0x7f) << 14) | ((buf[off + 8]! & 0x7f) << 7) | (buf[off + 9]! & 0x7f);
      off += 10 + size + (buf[off + 5]! & 0x10 ? 10 : 0);
    }
    if (ascii(buf, off, 'fLaC')) return 'flac';
    return frameSync(buf, off) === 'aac' ? 'aac' : 'mp3';
  }
  return frameSync(buf, 0);
}

function firstBytes(buf: Uint8Array): string {
  return Array.from(buf.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function requireContainer(buf: Uint8Array, filename: string): Container {
  if (buf.length === 0) throw mediaError('EMPTY_AUDIO', `${quoteName(filename)} is empty (0 bytes)`, { filename });
  const container = detectContainer(buf);
  if (!container) {
    throw mediaError(
      'UNKNOWN_CONTAINER',
      `${quoteName(filename)} is not a recognised audio file (WAV, MP3, AAC, Ogg/Opus, M4A, FLAC or WebM expected; it starts with ${firstBytes(buf)})`,
      { filename, firstBytes: firstBytes(buf) },
    );
  }
  return container;
}

function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

function wavCodec(info: WavInfo): string {
  if (info.format === 'mulaw') return 'pcm_mulaw';
  if (info.format === 'alaw') return 'pcm_alaw';
  return info.bitsPerSample === 8 ? 'pcm_u8' : `pcm_s${info.bitsPerSample}le`;
}

/** Decodes a WAV file synchronously (PCM 8/16/24-bit, G.711). */
export function decodeWav(buf: Uint8Array, filename: string): DecodedAudio {
  const info = parseWav(buf, filename);
  return { sampleRate: info.sampleRate, channels: info.channels, samples: readWavSamples(buf, info), durationMs: info.durationMs };
}

interface FfmpegAudio {
  decoded: DecodedAudio;
  codec: string;
}

/** Runs ffmpeg and turns its streamed WAV into samples, copying chunk by chunk (peak memory about the PCM size). */
async function decodeWithFfmpeg(buf: Buffer, filename: string, container: Exclude<Container, 'wav'>, options: DecodeOptions): Promise<FfmpegAudio> {
  const info = CONTAINER_INFO[container];
  const input = container === 'mp4' ? faststartMp4(buf) : buf;
  const result: FfmpegDecodeResult = await ffmpegDecode(input, {
    filename,
    label: info.label,
    container,
    demuxer: info.demuxer,
    maxOutputBytes: options.maxPcmBytes ?? DEFAULT_MAX_PCM_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const { chunks, totalBytes } = result;
  const name = quoteName(filename);
  const nothingDecoded = () =>
    result.lastError
      ? mediaError('CORRUPT_AUDIO', `${name} could not be decoded as ${info.label}: ${result.lastError}`, { filename, container, ffmpeg: result.lastError })
      : mediaError('EMPTY_AUDIO', `${name} contains no audio`, { filename, container });

  // The header is at the start (ffmpeg on a pipe leaves its sizes at 0xFFFFFFFF, "to the end"): parse a prefix
  // against the total length rather than joining all the output into one more copy.
  const head: Buffer[] = [];
  let headBytes = 0;
  for (const c of chunks) {
    if (headBytes >= 65536) break;
    head.push(c);
    headBytes += c.length;
  }
  if (totalBytes <= 44) throw nothingDecoded();
  let wav: WavInfo;
  try {
    wav = parseWav(Buffer.concat(head, headBytes), filename, totalBytes);
  } catch (err) {
    if (mediaErrorReason(err) === 'EMPTY_AUDIO') throw nothingDecoded();
    throw err;
  }
  const frames = wav.frames;
  if (wav.format !== 'pcm' || wav.bitsPerSample !== 16) {
    throw new Error(`ffmpeg produced ${wav.format} ${wav.bitsPerSample}-bit audio; 16-bit PCM expected`);
  }
  const samples = new Int16Array(frames * wav.channels);
  const out = new Uint8Array(samples.buffer);
  let skip = wav.dataOffset;
  let at = 0;
  for (let i = 0; i < chunks.length && at < out.length; i++) {
    let c = chunks[i]!;
    (chunks as (Buffer | undefined)[])[i] = undefined; // let the chunk go as soon as it is copied
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    if (skip) {
      c = c.subarray(skip);
      skip = 0;
    }
    const n = Math.min(c.length, out.length - at);
    out.set(c.subarray(0, n), at);
    at += n;
  }
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    for (let i = 0; i < samples.length; i++) samples[i] = ((samples[i]! & 0xff) << 8) | ((samples[i]! >> 8) & 0xff);
  }
  return {
    decoded: { sampleRate: wav.sampleRate, channels: wav.channels, samples, durationMs: wav.durationMs },
    codec: result.inputCodec ?? info.codec,
  };
}

/**
 * Decodes an audio file to interleaved 16-bit PCM at its own sample rate and channel count. WAV is decoded in
 * process; other containers need ffmpeg (UNSUPPORTED_MEDIA_TYPE / FFMPEG_MISSING without it). Errors are media
 * DomainErrors naming the file (see errors.ts).
 */
export async function decodeToPcm16(buf: Uint8Array, filename: string, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const container = requireContainer(buf, filename);
  if (container === 'wav') return decodeWav(buf, filename);
  return (await decodeWithFfmpeg(asBuffer(buf), filename, container, options)).decoded;
}

/**
 * Describes an audio file: for WAV from the header alone (constant cost); for other containers by decoding it
 * with ffmpeg (exact duration, no reliance on container metadata).
 */
export async function probeAudio(buf: Uint8Array, filename: string, options: DecodeOptions = {}): Promise<AudioProbe> {
  const container = requireContainer(buf, filename);
  if (container === 'wav') {
    const info = parseWav(buf, filename);
    return { container, codec: wavCodec(info), sampleRate: info.sampleRate, channels: info.channels, durationMs: info.durationMs };
  }
  const { decoded, codec } = await decodeWithFfmpeg(asBuffer(buf), filename, container, options);
  return { container, codec, sampleRate: decoded.sampleRate, channels: decoded.channels, durationMs: decoded.durationMs };
}
