// Audio files of an import: read one into an UploadedFile, and tell mono from stereo from the header alone
// (to choose a default channel map) without decoding; the ingest decodes and checks everything itself.
import path from 'node:path';
import { invalid } from '../../platform/errors.ts';
import { detectContainer } from '../../media/decode.ts';
import { parseWav } from '../../media/wav.ts';
import { readRegularFile } from './safe-read.ts';
import type { BufferedFile as UploadedFile } from '../ingest/calls.ts';

export const AUDIO_EXTENSIONS = new Set(['.wav', '.mp3']);

export const isAudioName = (name: string) => AUDIO_EXTENSIONS.has(path.extname(name).toLowerCase());

const CONTENT_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg' };

/**
 * Reads an audio file for ingest. `fieldName` is how the metadata's `audio` list names it (a path relative to
 * the sidecar); `fileName` is its own base name. Links, devices and files over `maxBytes` are refused.
 */
export async function readAudio(absPath: string, fieldName: string, what: string, maxBytes: number): Promise<UploadedFile> {
  let data: Buffer;
  try {
    data = await readRegularFile(absPath, what, fieldName, maxBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw invalid(`${what} "${fieldName}" does not exist`, { reason: 'MISSING_FILE' });
    if (code === 'EISDIR') throw invalid(`${what} "${fieldName}" is a folder, not an audio file`, { reason: 'MISSING_FILE' });
    throw err;
  }
  return { fieldName, fileName: path.basename(absPath), contentType: CONTENT_TYPES[path.extname(absPath).toLowerCase()] ?? 'application/octet-stream', data };
}

/** MPEG audio frame header at `off` (sync, valid version/layer/bitrate/sample rate): its channel count. */
function mpegFrameChannels(b: Uint8Array, off: number): number | null {
  if (off + 4 > b.length || b[off] !== 0xff || (b[off + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[off + 1]! >> 3) & 0x03;
  const layer = (b[off + 1]! >> 1) & 0x03;
  const bitrate = b[off + 2]! >> 4;
  const rate = (b[off + 2]! >> 2) & 0x03;
  if (version === 1 || layer === 0 || bitrate === 0x0f || rate === 3) return null;
  return b[off + 3]! >> 6 === 3 ? 1 : 2;
}

/**
 * The number of channels of a WAV or MP3 file from its header; null when the header does not say (the ingest
 * then reports what is wrong with the file). A broken WAV header throws the media DomainError that says why.
 */
export function sniffChannels(buf: Uint8Array, fileName: string): number | null {
  const container = detectContainer(buf);
  if (container === 'wav') return parseWav(buf, fileName).channels;
  if (container !== 'mp3') return null;
  let off = 0;
  while (off + 10 <= buf.length && buf[off] === 0x49 && buf[off + 1] === 0x44 && buf[off + 2] === 0x33) {
    const size = ((buf[off + 6]! & 0x7f) << 21) | ((buf[off + 7]! & 0x7f) << 14) | ((buf[off + 8]! & 0x7f) << 7) | (buf[off + 9]! & 0x7f);
    off += 10 + size + (buf[off + 5]! & 0x10 ? 10 : 0);
  }
  for (const end = Math.min(buf.length, off + 64 * 1024); off < end; off++) {
    const channels = mpegFrameChannels(buf, off);
    if (channels !== null) return channels;
  }
  return null;
}
