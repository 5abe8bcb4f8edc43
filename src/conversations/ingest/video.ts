// Recognises screen-recording video files and reads their duration without decoding them.
import { spawn } from 'node:child_process';
import { DomainError } from '../../platform/errors.ts';
import { findFfmpeg } from '../../media/ffmpeg.ts';

export interface VideoProbe {
  container: 'mp4' | 'webm';
  durationMs: number;
}

/** The movie header (moov/mvhd) holds the timescale and the duration. */
function mp4Duration(buf: Buffer): number | null {
  const find = (start: number, end: number, type: string): [number, number] | null => {
    let off = start;
    while (off + 8 <= end) {
      let size = buf.readUInt32BE(off);
      let header = 8;
      if (size === 1 && off + 16 <= end) {
        size = Number(buf.readBigUInt64BE(off + 8));
        header = 16;
      } else if (size === 0) size = end - off;
      if (size < header || off + size > end) return null;
      if (buf.toString('latin1', off + 4, off + 8) === type) return [off + header, off + size];
      off += size;
    }
    return null;
  };
  const moov = find(0, buf.length, 'moov');
  const mvhd = moov && find(moov[0], moov[1], 'mvhd');
  if (!mvhd) return null;
  const v = buf[mvhd[0]];
  if (v === 1) {
    const timescale = buf.readUInt32BE(mvhd[0] + 20);
    return timescale ? Math.round((Number(buf.readBigUInt64BE(mvhd[0] + 24)) / timescale) * 1000) : null;
  }
  const timescale = buf.readUInt32BE(mvhd[0] + 12);
  return timescale ? Math.round((buf.readUInt32BE(mvhd[0] + 16) / timescale) * 1000) : null;
}

function ffprobeDuration(buf: Buffer): Promise<number | null> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) return Promise.resolve(null);
  const ffprobe = ffmpeg.replace(/ffmpeg$/, 'ffprobe');
  return new Promise((resolve) => {
    const p = spawn(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', '-i', 'pipe:0'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', () => resolve(null));
    p.on('close', () => {
      const s = Number.parseFloat(out.trim());
      resolve(Number.isFinite(s) ? Math.round(s * 1000) : null);
    });
    p.stdin.on('error', () => {});
    p.stdin.end(buf);
  });
}

export async function probeVideo(buf: Buffer, fileName: string): Promise<VideoProbe> {
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const durationMs = mp4Duration(buf);
    if (durationMs === null) throw new DomainError('VALIDATION_FAILED', `"${fileName}" looks like MP4 but has no readable movie header (truncated or corrupt)`, { reason: 'CORRUPT_VIDEO' });
    return { container: 'mp4', durationMs };
  }
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x1a45dfa3) {
    return { container: 'webm', durationMs: (await ffprobeDuration(buf)) ?? 0 };
  }
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `"${fileName}" is not an MP4 or WebM video`, { reason: 'UNSUPPORTED_VIDEO' });
}
