// Merged MP3 export of a conversation: every call segment in order, each rendered to the player's stereo placement
// (mix.ts), with silence between segments, encoded by the system ffmpeg (libmp3lame) over pipes.
//
// Choices:
//  - Stereo, as in the player: in crosstalk, who said what stays audible, and joint stereo makes the second
//    channel cheap (the channels are strongly correlated). `channels: 1` gives a mono mixdown for small files.
//  - 16 kHz output for 8 kHz calls: 8 kHz MP3 is MPEG-2.5, an unofficial extension some players and archive
//    tools refuse; 16 kHz is ISO MPEG-2 and plays everywhere. ffmpeg upsamples (aresample).
//  - CBR: ffmpeg cannot write a Xing/VBR header to a pipe, and with CBR a player computes duration and seeks
//    exactly from the file size alone.
//  - LAME quality 7 (its fast mode): measured 2.4x faster than ffmpeg's default here, for a small loss that
//    matters little on band-limited telephone speech at 32 kbit/s; `quality` overrides it.
//  - One ffmpeg input (pipe fd 3, 4, ...) per segment, joined by the concat filter, so segments may have
//    different sample rates and each is resampled by ffmpeg rather than by us.
//
// "No file is produced" for a broken segment: encodeMp3 first checks every segment (assertSegmentsReady), and
// only resolves once ffmpeg has produced its first bytes, so a caller can still answer with an error. A failure
// later on (a chunk that does not decrypt mid-way) fails the stream with an error that names the segment: the
// caller must discard what it wrote (a job deletes its partial blob; an HTTP response is aborted).
import { type ChildProcess } from 'node:child_process';
import { Readable, type Writable } from 'node:stream';
import { DomainError, type ErrorCode } from '../platform/errors.ts';
import { mediaError } from './errors.ts';
import { findFfmpeg } from './ffmpeg.ts';
import { createRangedWav, int16Source, STEREO_PLACEMENT, type PartySide, type PcmReader, type RangedWav } from './mix.ts';
import { spawnTied } from '../platform/process/tied.ts';

export type Mp3PartyInput = { side: PartySide; startOffsetSamples?: number; label?: string } & (
  { reader: PcmReader; pcmBytes: number } | { samples: Int16Array }
);

export interface Mp3Segment {
  segmentId: string;
  contactId?: string | null;
  sampleRate: number;
  parties: readonly Mp3PartyInput[];
  /** Silence before this segment (ignored for the first); default options.gapMs. */
  gapBeforeMs?: number;
}

export interface EncodeMp3Options {
  /** Silence between segments, in ms (default 1000). */
  gapMs?: number;
  /** 2 (default): the player's stereo placement; 1: mono mixdown. */
  channels?: 1 | 2;
  /** Output sample rate; default the smallest ISO rate >= max(16000, the highest segment rate). */
  sampleRate?: number;
  /** CBR bit rate; default by rate and channels (32 kbit/s for 16 kHz stereo). */
  bitrateKbps?: number;
  /** LAME algorithm quality 0 (best, slowest) to 9 (default 7). */
  quality?: number;
  /** Check every segment before starting (default true). */
  preflight?: boolean;
  /** Kill ffmpeg and fail after this long (default 30 minutes; it includes waiting for a slow consumer). */
  timeoutMs?: number;
  /** Aborting kills ffmpeg and fails the stream. */
  signal?: AbortSignal;
  /** Frames rendered per block fed to ffmpeg (default 65536). */
  blockFrames?: number;
}

/** One segment's media state, as the caller (or checkSegments) found it. */
export interface SegmentCheck {
  segmentId: string;
  contactId?: string | null;
  ok: boolean;
  reason?: string;
}

export type MediaExportReason = 'SEGMENT_MEDIA_UNAVAILABLE' | 'ENCODE_FAILED' | 'ENCODE_TIMEOUT' | 'ENCODE_ABORTED';

const EXPORT_ERROR_CODES: Record<MediaExportReason, ErrorCode> = {
  // The conversation's stored state prevents the export, not the request: 409.
  SEGMENT_MEDIA_UNAVAILABLE: 'CONFLICT',
  ENCODE_FAILED: 'INTERNAL',
  ENCODE_TIMEOUT: 'UNAVAILABLE',
  ENCODE_ABORTED: 'UNAVAILABLE',
};

/** An export that could not be produced; `reason` is stable, `details.segmentId` names the segment at fault. */
export class MediaExportError extends DomainError {
  constructor(
    readonly reason: MediaExportReason,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(EXPORT_ERROR_CODES[reason], message, { reason, ...details });
    this.name = 'MediaExportError';
  }
}

/** ISO MPEG-1/2 layer III rates (8, 11.025 and 12 kHz are MPEG-2.5, left out on purpose). */
const MP3_RATES = [16000, 22050, 24000, 32000, 44100, 48000];
const DEFAULT_GAP_MS = 1000;
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_BLOCK_FRAMES = 65536;
const MONO_GAIN = 0.8; // the average of the two stereo gains: a mono export is as loud as the stereo one

/** `<conversationId>_<UTC timestamp>.mp3`, e.g. c-123_20240131T154500Z.mp3; unsafe characters become "_". */
export function mp3ExportFilename(conversationId: string, at: Date = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${safeFilePart(conversationId)}_${stamp}.mp3`;
}

/** A name part safe in a Content-Disposition header and on every file system. */
export function safeFilePart(s: string): string {
  const out = String(s ?? '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 120);
  return out || 'audio';
}

/** Throws (SEGMENT_MEDIA_UNAVAILABLE) naming the first segment that is not ok; the message counts the others. */
export function assertSegmentsReady(checks: readonly SegmentCheck[]): void {
  const bad = checks.filter((c) => !c.ok);
  const first = bad[0];
  if (!first) return;
  const who = `Segment ${first.segmentId}${first.contactId ? ` (contact ${first.contactId})` : ''}`;
  const more = bad.length > 1 ? ` ${bad.length - 1} more segment(s) have the same problem.` : '';
  throw new MediaExportError(
    'SEGMENT_MEDIA_UNAVAILABLE',
    `${who} has no usable media: ${first.reason ?? 'its recording is missing'}. No file was produced.${more}`,
    { segmentId: first.segmentId, contactId: first.contactId ?? null, problem: first.reason ?? null, segmentIds: bad.map((c) => c.segmentId) },
  );
}

/**
 * Probes every party of every segment: the first and the last sample must read back (so the object exists, its
 * key unwraps and its first and last chunks decrypt). A full check of every chunk is BlobStore.verifyBlob.
 */
export async function checkSegments(segments: readonly Mp3Segment[]): Promise<SegmentCheck[]> {
  return Promise.all(
    segments.map(async (seg): Promise<SegmentCheck> => {
      const base = { segmentId: seg.segmentId, contactId: seg.contactId ?? null };
      if (!seg.parties.length) return { ...base, ok: false, reason: 'it has no audio streams' };
      try {
        await Promise.all(
          seg.parties.map(async (p, i) => {
            const { reader, pcmBytes } = toSource(p);
            const name = p.label ?? `stream ${i + 1}`;
            if (pcmBytes < 2) throw new Error(`${name} is empty`);
            const last = pcmBytes - (pcmBytes % 2) - 2;
            for (const off of last > 0 ? [0, last] : [0]) {
              const got = await reader(off, 2);
              if (got.length < 2) throw new Error(`${name} ends before its recorded length of ${pcmBytes} bytes`);
            }
          }),
        );
        return { ...base, ok: true };
      } catch (err) {
        return { ...base, ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

/** The output sample rate and bit rate encodeMp3 will use for these segments. */
export function mp3Settings(segments: readonly Mp3Segment[], options: EncodeMp3Options = {}): { sampleRate: number; bitrateKbps: number; channels: 1 | 2 } {
  const channels = options.channels ?? 2;
  const highest = Math.max(16000, ...segments.map((s) => s.sampleRate));
  const sampleRate = options.sampleRate ?? MP3_RATES.find((r) => r >= highest) ?? 48000;
  const bitrateKbps =
    options.bitrateKbps ??
    (channels === 2 ? (sampleRate <= 16000 ? 32 : sampleRate <= 24000 ? 48 : 64) : sampleRate <= 16000 ? 24 : sampleRate <= 24000 ? 32 : 48);
  return { sampleRate, bitrateKbps, channels };
}

/**
 * Encodes the segments, in order, into one MP3. Resolves once the checks passed and ffmpeg produced its first
 * bytes, with a stream of the MP3; rejects with SEGMENT_MEDIA_UNAVAILABLE, FFMPEG_MISSING (a media error) or
 * ENCODE_FAILED. Destroying the stream stops ffmpeg.
 */
export async function encodeMp3(segments: readonly Mp3Segment[], options: EncodeMp3Options = {}): Promise<Readable> {
  if (!segments.length) throw new DomainError('VALIDATION_FAILED', 'Nothing to export: no segments');
  for (const s of segments) {
    if (!Number.isInteger(s.sampleRate) || s.sampleRate < 4000 || s.sampleRate > 192000) {
      throw new DomainError('VALIDATION_FAILED', `Segment ${s.segmentId}: sample rate ${s.sampleRate} Hz is not supported`);
    }
  }
  for (const gap of [options.gapMs, ...segments.map((s) => s.gapBeforeMs)]) {
    if (gap !== undefined && !(Number.isFinite(gap) && gap >= 0)) throw new DomainError('VALIDATION_FAILED', `A gap must be a number of ms >= 0 (got ${gap})`);
  }
  const { sampleRate } = mp3Settings(segments, options);
  if (![8000, 11025, 12000, ...MP3_RATES].includes(sampleRate)) {
    throw new DomainError('VALIDATION_FAILED', `MP3 cannot be encoded at ${sampleRate} Hz (${MP3_RATES.join(', ')} Hz can)`);
  }
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 2) {
    throw new DomainError('VALIDATION_FAILED', `channels must be 1 or 2 (got ${options.channels})`);
  }
  const quality = options.quality ?? 7;
  if (!Number.isInteger(quality) || quality < 0 || quality > 9) throw new DomainError('VALIDATION_FAILED', `quality must be 0 to 9 (got ${quality})`);
  if (options.preflight !== false) assertSegmentsReady(await checkSegments(segments));
  const bin = findFfmpeg();
  if (!bin) {
    throw mediaError('FFMPEG_MISSING', 'ffmpeg is needed to export MP3; install it (for example "apt-get install ffmpeg")', { export: 'mp3' });
  }
  const it = runEncoder(bin, segments, options, quality);
  const first = await it.next();
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const stream = Readable.from(rest(), { objectMode: false });
  // A consumer that goes away must still stop ffmpeg.
  stream.once('close', () => void it.return(undefined).catch(() => {}));
  return stream;
}

// ---- internals ------------------------------------------------------------------------------------------------

function toSource(p: Mp3PartyInput): { reader: PcmReader; pcmBytes: number } {
  return 'samples' in p ? int16Source(p.samples) : { reader: p.reader, pcmBytes: p.pcmBytes };
}

function segmentMix(seg: Mp3Segment, channels: 1 | 2): RangedWav {
  return createRangedWav({
    sampleRate: seg.sampleRate,
    channels,
    sources: seg.parties.map((p, i) => ({
      ...toSource(p),
      startOffsetSamples: p.startOffsetSamples,
      label: p.label ?? `stream ${i + 1}`,
      gains: channels === 2 ? STEREO_PLACEMENT[p.side] : [MONO_GAIN],
    })),
  });
}

function ffmpegArgs(segments: readonly Mp3Segment[], settings: ReturnType<typeof mp3Settings>, quality: number): string[] {
  const { sampleRate, bitrateKbps, channels } = settings;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+error', '-protocol_whitelist', 'pipe'];
  segments.forEach((s, i) => args.push('-f', 's16le', '-ar', String(s.sampleRate), '-ac', String(channels), '-i', `pipe:${3 + i}`));
  const resampled = segments.map((_, i) => `[${i}:a]aresample=${sampleRate}[a${i}]`);
  const graph = `${resampled.join(';')};${segments.map((_, i) => `[a${i}]`).join('')}concat=n=${segments.length}:v=0:a=1[out]`;
  args.push(
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${bitrateKbps}k`,
    '-compression_level',
    String(quality),
    '-ar',
    String(sampleRate),
    '-ac',
    String(channels),
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    '-f',
    'mp3',
    'pipe:1',
  );
  return args;
}

async function* runEncoder(bin: string, segments: readonly Mp3Segment[], options: EncodeMp3Options, quality: number): AsyncGenerator<Buffer> {
  const settings = mp3Settings(segments, options);
  const mixes = segments.map((s) => segmentMix(s, settings.channels));
  const child = spawnTied(bin, ffmpegArgs(segments, settings, quality), {
    stdio: ['ignore', 'pipe', 'pipe', ...segments.map(() => 'pipe' as const)],
    windowsHide: true,
  });
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    child.kill('SIGKILL');
  };
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.once('error', (err: NodeJS.ErrnoException) =>
    fail(err.code === 'ENOENT' || err.code === 'EACCES' ? mediaError('FFMPEG_MISSING', `ffmpeg could not be started (${err.code}); MP3 export needs it`) : err),
  );
  let lastError: string | undefined;
  collectErrors(child, (line) => (lastError = line));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(
    () => fail(new MediaExportError('ENCODE_TIMEOUT', `MP3 export took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`)),
    timeoutMs,
  );
  const onAbort = () => fail(new MediaExportError('ENCODE_ABORTED', 'MP3 export was cancelled'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const blockFrames = options.blockFrames ?? DEFAULT_BLOCK_FRAMES;
  const feeders = segments.map((seg, i) => {
    const pipe = child.stdio[3 + i] as Writable;
    pipe.on('error', () => {}); // EPIPE when ffmpeg stops early; the exit code tells what happened
    // The gap before a segment is written at the end of the previous one's input, at that segment's rate.
    const next = segments[i + 1];
    const trailingGapMs = next ? (next.gapBeforeMs ?? options.gapMs ?? DEFAULT_GAP_MS) : 0;
    return feed(pipe, mixes[i]!, trailingGapMs, blockFrames).catch((err: unknown) =>
      fail(
        new MediaExportError(
          'SEGMENT_MEDIA_UNAVAILABLE',
          `Segment ${seg.segmentId}${seg.contactId ? ` (contact ${seg.contactId})` : ''}: its media could not be read: ${err instanceof Error ? err.message : String(err)}. No file was produced.`,
          { segmentId: seg.segmentId, contactId: seg.contactId ?? null, cause: err instanceof DomainError ? err.code : undefined },
        ),
      ),
    );
  });

  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      if (failure) break;
      yield chunk;
    }
    const code = await closed;
    await Promise.all(feeders);
    if (failure) throw failure;
    if (code !== 0) {
      const hint = lastError && /libmp3lame/i.test(lastError) ? ' (this ffmpeg has no libmp3lame encoder)' : '';
      throw new MediaExportError('ENCODE_FAILED', `MP3 encoding failed: ${lastError ?? `ffmpeg exited with code ${code}`}${hint}`, {
        ffmpeg: lastError ?? null,
      });
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Writes a segment's samples, then `gapMs` of silence, to one ffmpeg input; honours backpressure. */
async function feed(pipe: Writable, mix: RangedWav, gapMs: number, blockFrames: number): Promise<void> {
  const open = () => !pipe.destroyed && !pipe.writableEnded;
  if (mix.dataBytes > 0) {
    for await (const block of mix.stream(mix.headerBytes, mix.totalBytes - 1, { blockFrames })) {
      if (!open()) return;
      if (!pipe.write(block)) await drained(pipe);
    }
  }
  const blockBytes = mix.channels * 2;
  let gapBytes = Math.round((gapMs * mix.sampleRate) / 1000) * blockBytes;
  const zeros = Buffer.alloc(Math.min(gapBytes, 64 * 1024 - ((64 * 1024) % blockBytes)));
  while (gapBytes > 0 && open()) {
    const n = Math.min(gapBytes, zeros.length);
    gapBytes -= n;
    if (!pipe.write(zeros.subarray(0, n))) await drained(pipe);
  }
  if (open()) pipe.end();
}

function drained(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}

/** Calls onError with each error line ffmpeg logs (the last one explains a failure). */
function collectErrors(child: ChildProcess, onError: (line: string) => void): void {
  let pending = '';
  const onLine = (line: string) => {
    const m = /\[(?:panic|fatal|error)\]\s?(.*)$/.exec(line);
    const msg = (m?.[1] ?? '').trim();
    if (msg && !/^Conversion failed/.test(msg)) onError(msg.slice(0, 300));
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    pending += text;
    const lines = pending.split(/\r\n|\r|\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
    if (pending.length > 65536) pending = pending.slice(-4096);
  });
  child.stderr!.on('end', () => pending && onLine(pending));
}
