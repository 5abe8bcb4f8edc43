// What a compressed audio upload (MP3, Opus, M4A, ...) holds, read by streaming it from the media store through
// ffmpeg: the stream line gives codec, rate and channels, and decoding to nowhere checks that it decodes and
// gives its exact length (encoder delay and padding trimmed). Memory stays at a pipe buffer whatever the
// file's size, where the in-memory probe held the file and its decoded PCM.
import type { Readable } from 'node:stream';
import type { AudioProbe, Container } from '../../media/decode.ts';
import { mediaError, quoteName } from '../../media/errors.ts';
import { findFfmpeg } from '../../media/ffmpeg.ts';
import { spawnTied } from '../../platform/process/tied.ts';

/** The demuxer is forced from the detected container: ffmpeg must not guess (a playlist format could open files). */
const DEMUXERS: Record<Exclude<Container, 'wav'>, string> = { mp3: 'mp3', aac: 'aac', ogg: 'ogg', mp4: 'mov', flac: 'flac', webm: 'matroska' };
const TIMEOUT_MS = 10 * 60_000;

const LAYOUT_CHANNELS: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '4.1': 5, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8 };

/** Null when there is no ffmpeg (the caller then falls back to the in-memory probe, which says so). */
export async function probeCompressedStream(
  input: () => Promise<Readable>,
  fileName: string,
  container: Exclude<Container, 'wav'>,
): Promise<AudioProbe | null> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) return null;
  const source = await input();
  const name = quoteName(fileName);
  let timedOut = false;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-protocol_whitelist',
      'pipe',
      '-f',
      DEMUXERS[container],
      '-i',
      'pipe:0',
      '-map',
      '0:a:0',
      '-f',
      'null',
      '-progress',
      'pipe:1',
      '-',
    ];
    const p = spawnTied(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, TIMEOUT_MS);
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-4096)));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(0, 64 * 1024)));
    p.on('error', () => resolve({ code: -1, stdout: out, stderr: err }));
    p.on('close', (c) => {
      clearTimeout(timer);
      source.destroy();
      resolve({ code: c, stdout: out, stderr: err });
    });
    p.stdin.on('error', () => {}); // ffmpeg may stop reading early (bad input): not our error
    source.on('error', () => p.stdin.destroy());
    source.pipe(p.stdin);
  });
  if (timedOut) throw mediaError('DECODE_TIMEOUT', `Reading ${name} took longer than ${TIMEOUT_MS / 60_000} minutes and was stopped`, { filename: fileName });
  const stream = /Stream #\d+:\d+[^:]*: Audio: ([\w-]+)[^,\n]*, (\d+) Hz, ([^,\n]+)/.exec(stderr);
  if (code !== 0 || !stream) {
    throw mediaError('CORRUPT_AUDIO', `${name} could not be read as ${container.toUpperCase()} audio (no audio stream found)`, {
      filename: fileName,
      container,
    });
  }
  const layout = stream[3]!.trim();
  const channels = LAYOUT_CHANNELS[layout] ?? Number(/^(\d+) channels/.exec(layout)?.[1] ?? 0);
  const micros = [...stdout.matchAll(/out_time_us=(\d+)/g)].map((m) => Number(m[1]));
  const durationMs = Math.round((micros[micros.length - 1] ?? 0) / 1000);
  if (!channels)
    throw mediaError('CORRUPT_AUDIO', `${name} has an audio stream whose channel layout (${layout}) cannot be read`, { filename: fileName, container });
  if (durationMs <= 0) throw mediaError('EMPTY_AUDIO', `${name} contains no audio`, { filename: fileName, container });
  return { container, codec: stream[1]!, sampleRate: Number(stream[2]), channels, durationMs };
}
