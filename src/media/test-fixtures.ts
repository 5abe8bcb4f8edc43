// Builders for WAV files assembled chunk by chunk in memory, for tests (broken headers, odd layouts), and the
// helpers tests share. Not used by production code.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { DomainError } from '../platform/errors.ts';
import { findFfmpeg } from './ffmpeg.ts';

/** One RIFF chunk: id, size, body and the pad byte when the body is odd (unless pad is false). */
export function chunk(id: string, body: Uint8Array, options: { pad?: boolean; size?: number } = {}): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(options.size ?? body.length, 4);
  const pad = body.length & 1 && options.pad !== false ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([head, body, pad]);
}

/** A RIFF/WAVE file from chunks (RIFF size computed unless given). */
export function riff(chunks: Buffer[], options: { magic?: string; form?: string; size?: number } = {}): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write(options.magic ?? 'RIFF', 0, 'latin1');
  head.writeUInt32LE(options.size ?? body.length + 4, 4);
  head.write(options.form ?? 'WAVE', 8, 'latin1');
  return Buffer.concat([head, body]);
}

export interface FmtFields {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bits?: number;
  blockAlign?: number;
  /** For EXTENSIBLE (tag 0xFFFE): the sub-format GUID (16 bytes) */
  guid?: Buffer;
  /** Extra bytes after the 16 standard ones (cbSize and what follows), for non-EXTENSIBLE tags. */
  extra?: Buffer;
}

/** The body of a fmt chunk. */
export function fmtBody(f: FmtFields = {}): Buffer {
  const tag = f.tag ?? 1;
  const channels = f.channels ?? 1;
  const sampleRate = f.sampleRate ?? 8000;
  const bits = f.bits ?? 16;
  const blockAlign = f.blockAlign ?? (channels * bits) / 8;
  const b = Buffer.alloc(tag === 0xfffe ? 40 : 16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(sampleRate, 4);
  b.writeUInt32LE(Math.floor(sampleRate * blockAlign), 8);
  b.writeUInt16LE(blockAlign, 12);
  b.writeUInt16LE(bits, 14);
  if (tag === 0xfffe) {
    b.writeUInt16LE(22, 16);
    b.writeUInt16LE(bits, 18);
    b.writeUInt32LE(3, 20);
    (f.guid ?? ksGuid(1)).copy(b, 24);
  }
  return f.extra ? Buffer.concat([b, f.extra]) : b;
}

/** KSDATAFORMAT_SUBTYPE GUID for a format tag. */
export function ksGuid(tag: number): Buffer {
  const g = Buffer.from('00000000000010008000' + '00aa00389b71', 'hex');
  g.writeUInt32LE(tag, 0);
  return g;
}

/** Asserts that fn throws (or the promise rejects with) a media DomainError with this code and reason. */
export async function expectMediaError(
  fn: () => unknown,
  code: 'VALIDATION_FAILED' | 'UNSUPPORTED_MEDIA_TYPE',
  reason: string,
  message?: RegExp,
): Promise<DomainError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${code}/${reason}`).toBeInstanceOf(DomainError);
  const err = caught as DomainError;
  expect({ code: err.code, reason: err.details?.reason }).toEqual({ code, reason });
  if (message) expect(err.message).toMatch(message);
  return err;
}

/** Whether ffmpeg can run here. In CI it must (the suites that need it fail instead of skipping). */
export function haveFfmpeg(): boolean {
  const bin = findFfmpeg();
  const ok = !!bin && spawnSync(bin, ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.CI) throw new Error('ffmpeg is required in CI (apt-get install ffmpeg)');
  return ok;
}

/** Runs ffmpeg with the given arguments and input on stdin; returns stdout. Throws on failure. */
export function runFfmpeg(args: string[], input?: Uint8Array): Buffer {
  const bin = findFfmpeg();
  if (!bin) throw new Error('ffmpeg not found');
  const r = spawnSync(bin, ['-hide_banner', '-loglevel', 'error', ...args], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}
