#!/usr/bin/env node
// Regenerates the committed demo fixtures in demo-fixtures/ (needs ffmpeg on the PATH).
//
// screen-640x360.mp4: the screen recording the demo seed attaches to a few calls when ffmpeg is not installed on the
// machine that seeds (with ffmpeg, the seed makes videos of the right length itself). 20 s of ffmpeg's test pattern,
// 640×360 at 5 fps, H.264, moov first (+faststart) so it streams; about 70 KB.
//
// Usage: node scripts/generate-demo-fixtures.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'demo-fixtures');
fs.mkdirSync(outDir, { recursive: true });

const fixtures = [
  {
    file: 'screen-640x360.mp4',
    args: [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x360:rate=5',
      '-t',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-map_metadata',
      '-1',
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
    ],
  },
];

let total = 0;
for (const f of fixtures) {
  const out = path.join(outDir, f.file);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...f.args, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    console.error(`ffmpeg failed for ${f.file}${r.error ? `: ${r.error.message}` : ''} (is ffmpeg with libx264 installed?)`);
    process.exit(1);
  }
  const size = fs.statSync(out).size;
  total += size;
  console.log(`${path.relative(root, out)}: ${(size / 1024).toFixed(0)} KB`);
}
const LIMIT = 20 * 1024 * 1024;
if (total > LIMIT) {
  console.error(`The fixtures total ${total} bytes, over the 20 MB limit`);
  process.exit(1);
}
