// Recognises screen-recording video files and reads their duration without decoding them (nor reading them whole).
import { Readable } from 'node:stream';
import { DomainError } from '../../platform/errors.ts';
import { findFfmpeg } from '../../media/ffmpeg.ts';
import { spawnTied } from '../../platform/process/tied.ts';

export interface VideoProbe {
  container: 'mp4' | 'webm';
  durationMs: number;
}

/**
 * A video file, in memory or in the media store: read by box headers and byte ranges, so a stored screen
 * recording is probed without being read whole.
 */
export interface VideoSource {
  size: number;
  /** At least the first 12 bytes (or the whole file when shorter). */
  head: Buffer;
  read(offset: number, length: number): Promise<Buffer>;
  stream(): Promise<Readable>;
}

export function bufferSource(buf: Buffer): VideoSource {
  return { size: buf.length, head: buf.subarray(0, 64), read: async (o, l) => buf.subarray(o, o + l), stream: async () => Readable.from([buf]) };
}

/** The movie header (moov/mvhd) holds the timescale and the duration. */
async function mp4Duration(src: VideoSource): Promise<number | null> {
  const find = async (start: number, end: number, type: string): Promise<[number, number] | null> => {
    let off = start;
    while (off + 8 <= end) {
      const h = await src.read(off, 16);
      if (h.length < 8) return null;
      let size = h.readUInt32BE(0);
      let header = 8;
      if (size === 1 && h.length >= 16 && off + 16 <= end) {
        size = Number(h.readBigUInt64BE(8));
        header = 16;
      } else if (size === 0) size = end - off;
      if (size < header || off + size > end) return null;
      if (h.toString('latin1', 4, 8) === type) return [off + header, off + size];
      off += size;
    }
    return null;
  };
  const moov = await find(0, src.size, 'moov');
  const mvhd = moov && (await find(moov[0], moov[1], 'mvhd'));
  if (!mvhd) return null;
  const box = await src.read(mvhd[0], 32);
  const v = box[0];
  if (v === 1) {
    if (box.length < 32) return null;
    const timescale = box.readUInt32BE(20);
    return timescale ? Math.round((Number(box.readBigUInt64BE(24)) / timescale) * 1000) : null;
  }
  if (box.length < 20) return null;
  const timescale = box.readUInt32BE(12);
  return timescale ? Math.round((box.readUInt32BE(16) / timescale) * 1000) : null;
}

function ffprobeDuration(input: Readable): Promise<number | null> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) {
    input.destroy();
    return Promise.resolve(null);
  }
  const ffprobe = ffmpeg.replace(/ffmpeg$/, 'ffprobe');
  return new Promise((resolve) => {
    // The demuxer is forced and only the pipe allowed: ffprobe must not guess a format that opens other files.
    const args = ['-v', 'error', '-protocol_whitelist', 'pipe', '-f', 'matroska', '-show_entries', 'format=duration', '-of', 'csv=p=0', '-i', 'pipe:0'];
    const p = spawnTied(ffprobe, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', () => resolve(null));
    p.on('close', () => {
      input.destroy();
      const s = Number.parseFloat(out.trim());
      resolve(Number.isFinite(s) ? Math.round(s * 1000) : null);
    });
    p.stdin.on('error', () => {});
    input.on('error', () => p.stdin.destroy());
    input.pipe(p.stdin);
  });
}

export async function probeVideo(src: VideoSource | Buffer, fileName: string): Promise<VideoProbe> {
  const source = Buffer.isBuffer(src) ? bufferSource(src) : src;
  const head = source.head;
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const durationMs = await mp4Duration(source);
    if (durationMs === null)
      throw new DomainError('VALIDATION_FAILED', `"${fileName}" looks like MP4 but has no readable movie header (truncated or corrupt)`, {
        reason: 'CORRUPT_VIDEO',
      });
    return { container: 'mp4', durationMs };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    return { container: 'webm', durationMs: (await ffprobeDuration(await source.stream())) ?? 0 };
  }
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `"${fileName}" is not an MP4 or WebM video`, { reason: 'UNSUPPORTED_VIDEO' });
}
