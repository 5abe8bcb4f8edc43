// Which ffmpeg runs: the system one on PATH, else the static build shipped in @ffmpeg-installer/ffmpeg, so MP3
// export and MP3/Opus/M4A ingest work on a machine without ffmpeg installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledFfmpeg, resolveFfmpeg } from './ffmpeg.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-ffmpeg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ffmpeg resolution', () => {
  it('ships an ffmpeg with the MP3 encoder for this platform', () => {
    const bin = bundledFfmpeg();
    expect(bin).toMatch(/@ffmpeg-installer/);
    const encoders = spawnSync(bin!, ['-hide_banner', '-encoders'], { encoding: 'utf8' }).stdout;
    expect(encoders).toContain('libmp3lame');
  });

  it('prefers ffmpeg on PATH, falls back to the bundled one, and reports none when neither exists', () => {
    const dir = path.join(tmp, 'bin');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'ffmpeg'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(resolveFfmpeg(['/nonexistent', dir].join(path.delimiter))).toBe(path.join(dir, 'ffmpeg'));
    expect(resolveFfmpeg('/nonexistent')).toBe(bundledFfmpeg());
    expect(resolveFfmpeg(undefined, () => undefined)).toBeUndefined();
  });

  it('encodes and decodes MP3 in a process whose PATH has no ffmpeg', () => {
    // A child process, so the resolver really starts from an ffmpeg-less PATH (and no EARSHOT_FFMPEG).
    const script = `
      const { encodeMp3 } = await import(${JSON.stringify(path.resolve('src/media/mp3.ts'))});
      const { decodeToPcm16 } = await import(${JSON.stringify(path.resolve('src/media/decode.ts'))});
      const { findFfmpeg } = await import(${JSON.stringify(path.resolve('src/media/ffmpeg.ts'))});
      const samples = new Int16Array(8000 * 2);
      for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
      const stream = await encodeMp3([{ segmentId: 's', sampleRate: 8000, parties: [{ samples, side: 'calling' }] }], { channels: 1 });
      const chunks = [];
      for await (const c of stream) chunks.push(c);
      const mp3 = Buffer.concat(chunks);
      const decoded = await decodeToPcm16(mp3, 'tone.mp3');
      console.log(JSON.stringify({ bin: findFfmpeg(), mp3Bytes: mp3.length, head: mp3.subarray(0, 3).toString('hex'), sampleRate: decoded.sampleRate, durationMs: decoded.durationMs }));
    `;
    const env: Record<string, string> = { PATH: path.join(tmp, 'empty'), HOME: os.tmpdir() };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { bin: string; mp3Bytes: number; head: string; sampleRate: number; durationMs: number };
    expect(out.bin).toMatch(/@ffmpeg-installer/);
    expect(out.mp3Bytes).toBeGreaterThan(1000);
    expect(out.head === '494433' || out.head.startsWith('fff')).toBe(true); // ID3 tag or an MPEG frame sync
    expect(out.sampleRate).toBe(16000);
    expect(Math.abs(out.durationMs - 2000)).toBeLessThan(200);
  });
});
