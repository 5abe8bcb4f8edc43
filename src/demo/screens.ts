// Screen-recording videos for the demo: made with ffmpeg's test sources when ffmpeg is on the PATH (small MP4s of the
// call's length), else the tiny committed fixture (demo-fixtures/, made by scripts/generate-demo-fixtures.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFfmpeg } from '../media/ffmpeg.ts';

export const SCREEN_FIXTURE = fileURLToPath(new URL('../../demo-fixtures/screen-640x360.mp4', import.meta.url));

/** One test pattern per monitor, so the monitors of one call look different. */
const PATTERNS = ['testsrc', 'smptebars', 'rgbtestsrc'];

function runFfmpeg(ffmpeg: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${err.trim().slice(-300)}`))));
  });
}

/** An MP4 of `seconds` at 640×360, 5 fps: ffmpeg to a temp file (+faststart needs a seekable output), read back. */
export async function makeScreenVideo(ffmpeg: string, seconds: number, monitor: number): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-demo-video-'));
  const file = path.join(dir, 'screen.mp4');
  try {
    const pattern = PATTERNS[monitor % PATTERNS.length];
    await runFfmpeg(ffmpeg, [
      '-v',
      'error',
      '-nostdin',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `${pattern}=size=640x360:rate=5`,
      '-t',
      String(seconds),
      '-pix_fmt',
      'yuv420p',
      '-preset',
      'veryfast',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      file,
    ]);
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Videos on demand, at most two ffmpeg runs at once, each made once. */
export class ScreenVideos {
  private readonly ffmpeg = findFfmpeg();
  private readonly cache = new Map<string, Promise<Buffer | null>>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** Starts making a video now (so it is ready when the call is ingested); null when there is no way to make one. */
  get(seconds: number, monitor: number): Promise<Buffer | null> {
    const key = `${seconds}/${monitor}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.make(seconds, monitor);
      p.catch(() => {});
      this.cache.set(key, p);
    }
    return p;
  }

  private async make(seconds: number, monitor: number): Promise<Buffer | null> {
    if (this.ffmpeg) {
      if (this.running >= 2) await new Promise<void>((r) => this.waiting.push(r));
      this.running++;
      try {
        return await makeScreenVideo(this.ffmpeg, seconds, monitor);
      } catch {
        // fall back to the fixture
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    }
    try {
      return fs.readFileSync(SCREEN_FIXTURE);
    } catch {
      return null;
    }
  }
}
