// Decoding through ffmpeg (the system one, else the one shipped in @ffmpeg-installer/ffmpeg): the file bytes go in on stdin, 16-bit PCM comes out on stdout as a
// streamed WAV (so rate and channel count travel with the samples), nothing touches the disk.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DomainError } from '../platform/errors.ts';
import { mediaError, quoteName } from './errors.ts';
import { spawnTied } from '../platform/process/tied.ts';

let configuredPath: string | null | undefined;
let discovered: string | undefined;

/**
 * Sets the ffmpeg binary: a path to use it (EARSHOT_FFMPEG), null to behave as if ffmpeg were not installed,
 * undefined (the default) to look for `ffmpeg` on PATH and then for the one shipped in @ffmpeg-installer/ffmpeg.
 */
export function setFfmpegPath(binary: string | null | undefined): void {
  configuredPath = binary;
  discovered = undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The static ffmpeg that the npm package @ffmpeg-installer/<platform> carries, when it is installed for this platform. */
export function bundledFfmpeg(): string | undefined {
  try {
    const p = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: string }).path;
    return p && isExecutable(p) ? p : undefined;
  } catch {
    // not installed, or no build for this platform (the package throws a string)
    return undefined;
  }
}

/**
 * Where ffmpeg is, given a PATH: the system one first (usually newer, and what the operator chose), else the
 * bundled one, so MP3/Opus/M4A work on a machine without ffmpeg installed.
 */
export function resolveFfmpeg(searchPath: string | undefined, bundled: () => string | undefined = bundledFfmpeg): string | undefined {
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = path.join(dir, n);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return bundled();
}

/** The ffmpeg binary to run, or undefined when there is none. A hit is cached; a miss is not. */
export function findFfmpeg(): string | undefined {
  if (configuredPath === null) return undefined;
  if (configuredPath !== undefined) return configuredPath;
  return (discovered ??= resolveFfmpeg(process.env.PATH));
}

export interface FfmpegDecodeRequest {
  filename: string;
  /** Human name of the container for messages, e.g. "MP3". */
  label: string;
  /** Our container id, for error details. */
  container: string;
  /** ffmpeg demuxer to force (-f), so a crafted file cannot pick a demuxer that opens other files or URLs. */
  demuxer: string;
  /** Stop and fail (AUDIO_TOO_LONG) once ffmpeg has produced this many bytes. */
  maxOutputBytes: number;
  /** Kill ffmpeg and fail (DECODE_TIMEOUT) after this long. */
  timeoutMs: number;
}

export interface FfmpegDecodeResult {
  /** stdout chunks: a WAV header (sizes 0xFFFFFFFF, as a streaming writer leaves them) then 16-bit PCM. */
  chunks: Buffer[];
  totalBytes: number;
  /** ffmpeg's codec name of the input audio stream (e.g. "mp3", "aac", "opus"), when it printed one. */
  inputCodec?: string;
  /** The last error ffmpeg logged, even on success (it may have skipped damaged frames). */
  lastError?: string;
}

const LEVEL = /\[(panic|fatal|error|warning|info|verbose|debug|trace)\]\s?(.*)$/;
const INPUT_AUDIO = /Stream #\d+:\d+.*?: Audio: ([A-Za-z0-9_]+)/;

/** Runs ffmpeg on the bytes and collects its WAV output. Rejects with a media DomainError. */
export function ffmpegDecode(input: Buffer, req: FfmpegDecodeRequest): Promise<FfmpegDecodeResult> {
  const name = quoteName(req.filename);
  const details = { filename: req.filename, container: req.container };
  const missing = () =>
    mediaError('FFMPEG_MISSING', `ffmpeg is needed to decode ${req.label}; install it (for example "apt-get install ffmpeg") to accept ${name}`, details);
  const bin = findFfmpeg();
  if (!bin) return Promise.reject(missing());

  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'level+info',
    '-protocol_whitelist',
    'pipe',
    '-f',
    req.demuxer,
    '-i',
    'pipe:0',
    '-map',
    '0:a:0',
    '-c:a',
    'pcm_s16le',
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-f',
    'wav',
    'pipe:1',
  ];

  return new Promise<FfmpegDecodeResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let failure: DomainError | undefined;
    let settled = false;
    let inputCodec: string | undefined;
    let inOutputSection = false;
    let lastError: string | undefined;
    let pending = '';

    const child = spawnTied(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const finish = (err: Error | undefined, result?: FfmpegDecodeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(result!);
    };
    const stop = (err: DomainError) => {
      failure ??= err;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(mediaError('DECODE_TIMEOUT', `Decoding ${name} took longer than ${Math.round(req.timeoutMs / 1000)} s and was stopped`, details)),
      req.timeoutMs,
    );

    const onLine = (line: string) => {
      const m = LEVEL.exec(line);
      const level = m?.[1];
      const msg = (m?.[2] ?? line).trim();
      if (!msg) return;
      if (/^Output #\d+/.test(msg)) inOutputSection = true;
      if (!inOutputSection && !inputCodec) inputCodec = INPUT_AUDIO.exec(msg)?.[1];
      if ((level === 'error' || level === 'fatal' || level === 'panic') && !/^Conversion failed/.test(msg)) {
        lastError = msg.replace(/^pipe:0:\s*/, '').slice(0, 300);
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > req.maxOutputBytes) {
        stop(
          mediaError('AUDIO_TOO_LONG', `${name} decodes to more than ${Math.round(req.maxOutputBytes / 2 ** 20)} MiB of PCM, more than this server accepts`, {
            ...details,
            maxOutputBytes: req.maxOutputBytes,
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      pending += text;
      const lines = pending.split(/\r\n|\r|\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      if (pending.length > 65536) pending = pending.slice(-4096);
    });
    // ffmpeg may stop reading early (corrupt input, kill): the resulting EPIPE is expected.
    child.stdin.on('error', () => {});
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(err.code === 'ENOENT' || err.code === 'EACCES' ? missing() : err);
    });
    child.on('close', (code) => {
      if (pending) onLine(pending);
      if (failure) return finish(failure);
      if (code !== 0) {
        return finish(
          mediaError('CORRUPT_AUDIO', `${name} could not be decoded as ${req.label}: ${lastError ?? `ffmpeg exited with code ${code}`}`, {
            ...details,
            ffmpeg: lastError ?? null,
          }),
        );
      }
      finish(undefined, { chunks, totalBytes: total, inputCodec, lastError });
    });
    child.stdin.end(input);
  });
}
