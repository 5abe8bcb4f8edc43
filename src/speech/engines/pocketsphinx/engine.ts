// The pocketsphinx engine: Debian's pocketsphinx 0.8 driven through `pocketsphinx_batch` (same package as
// pocketsphinx_continuous). Batch mode is chosen over continuous because it loads the model once and decodes an
// explicit list of utterances (our voice-activity regions, given as frame ranges of one raw file), so silence is
// never decoded and the decoder's own VAD never re-cuts our regions; its CTM output carries a lattice posterior per
// word, which is the word confidence.
//
// One party's PCM → padded speech regions → each resampled to 16 kHz and appended to a temporary raw file (only
// one region is in memory besides the input) → one child process with a bounded run time → CTM parsed into words
// with times relative to the input audio → utterances split at pauses. The temp folder is always removed and the
// child always killed (abort, timeout, or an error on our side).

import { constants as fsc, createWriteStream } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AsrEngine, AsrInput, AsrUtterance, EngineAvailability, TranscriptWord } from '../../model.ts';
import { prepareLanguageModel, type PreparedModel } from '../../lm/model.ts';
import { decodeRegions, type DecodeRegion, type RegionOptions } from './regions.ts';
import { resamplePcm } from './resample.ts';
import { spawnTied } from '../../../platform/process/tied.ts';

export const DEFAULT_BINARY = '/usr/bin/pocketsphinx_batch';
export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const RATE = 16_000;
const FRAME_SAMPLES = RATE / 100;

/** Decoder settings passed to pocketsphinx (its own flag names without the dash). */
export type DecoderSettings = Record<string, string | number>;

/**
 * The settings chosen on the public corpus by WER (acoustic/decoder tuning only; the language model is never tuned
 * on it). See docs/benchmarks.md, "Speech recognition", for the comparison.
 */
export const TUNED_DECODER: DecoderSettings = {};

export interface PocketsphinxOptions {
  /** The pocketsphinx_batch binary. */
  binary?: string;
  /** Folder with en-us/ (acoustic model), cmudict-en-us.dict and en-us.lm.bin. */
  modelDir?: string;
  /** Where built language models are cached; default: a folder under the OS temp dir. */
  cacheDir?: string;
  /** 'domain' (default): our contact-center model plus the tenant vocabulary; 'general': the stock en-us model. */
  languageModel?: 'domain' | 'general';
  /** Extra decoder flags, over TUNED_DECODER (domain) or none (general). */
  decoder?: DecoderSettings;
  regions?: RegionOptions;
  /** Hard cap on one decode; default 60 s + 2 × the speech duration (pocketsphinx runs ~5-10× faster than real time). */
  timeoutMs?: number;
  /** A pause longer than this between two words starts a new utterance. */
  utteranceGapMs?: number;
  /** Parent folder of each decode's temporary folder (default: the OS temp dir). */
  tempDir?: string;
}

export class EngineUnavailableError extends Error {
  readonly code = 'speech.engine_unavailable';
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, fsc.X_OK);
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p, fsc.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether pocketsphinx can run here, with the reason in words an administrator can act on. */
export async function pocketsphinxAvailable(options: Pick<PocketsphinxOptions, 'binary' | 'modelDir'> = {}): Promise<EngineAvailability> {
  const binary = options.binary ?? DEFAULT_BINARY;
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  if (!(await isExecutable(binary)))
    return { ok: false, reason: `pocketsphinx is not installed: ${binary} not found (install the Debian package "pocketsphinx")` };
  for (const f of ['en-us/mdef', 'en-us/means', 'cmudict-en-us.dict']) {
    if (!(await exists(path.join(modelDir, f)))) {
      return {
        ok: false,
        reason: `the pocketsphinx en-us model is missing: ${path.join(modelDir, f)} not found (install the Debian package "pocketsphinx-en-us")`,
      };
    }
  }
  return { ok: true };
}

interface CtmWord {
  utt: number;
  start: number;
  dur: number;
  word: string;
  conf: number;
}

export function parseCtm(text: string): CtmWord[] {
  const out: CtmWord[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const utt = /^u(\d+)$/.exec(f[0]!);
    if (!utt) continue;
    const word = f[4]!.replace(/\(\d+\)$/, '').toLowerCase();
    // Fillers and silence are not words of the transcript.
    if (!word || word.startsWith('<') || word.startsWith('[') || word.startsWith('+')) continue;
    const start = Number(f[2]);
    const dur = Number(f[3]);
    const conf = Number(f[5]);
    if (!Number.isFinite(start) || !Number.isFinite(dur)) continue;
    out.push({ utt: Number(utt[1]), start, dur, word, conf: Number.isFinite(conf) ? Math.min(1, Math.max(0, conf)) : 0 });
  }
  return out;
}

/** Groups words into utterances: one per decoded region, split again where the speaker pauses. */
export function groupUtterances(words: TranscriptWord[][], gapMs: number): AsrUtterance[] {
  const out: AsrUtterance[] = [];
  for (const regionWords of words) {
    let cur: TranscriptWord[] = [];
    const flush = () => {
      if (!cur.length) return;
      const confs = cur.map((w) => w.c).filter((c): c is number => c !== null);
      out.push({
        startMs: cur[0]!.s,
        endMs: cur[cur.length - 1]!.e,
        words: cur,
        confidence: confs.length ? Math.round((confs.reduce((a, b) => a + b, 0) / confs.length) * 1000) / 1000 : null,
      });
      cur = [];
    };
    for (const w of regionWords) {
      const prev = cur[cur.length - 1];
      if (prev && w.s - prev.e > gapMs) flush();
      cur.push(w);
    }
    flush();
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

const TEMP_PREFIX = 'earshot-ps-';
/** Older than any decode can run (its timeout is bounded by the speech it holds): left by a process that was killed. */
export const STALE_TEMP_MS = 24 * 3600_000;
let lastSweep = 0;

/** Removes decode folders a killed worker left behind (a SIGKILL skips our cleanup). At most once an hour. */
export async function sweepStaleTempDirs(parent: string, maxAgeMs = STALE_TEMP_MS, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(parent, name);
    const st = await stat(dir).catch(() => null);
    if (st?.isDirectory() && now - st.mtimeMs > maxAgeMs) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      removed++;
    }
  }
  return removed;
}

function flagsOf(settings: DecoderSettings): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(settings)) out.push(`-${k}`, String(v));
  return out;
}

/** Writes the regions, resampled to 16 kHz and frame-aligned, one after another; returns each one's frame range. */
async function writeRegions(file: string, input: AsrInput, regions: DecodeRegion[]): Promise<{ first: number; last: number }[]> {
  const ws = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    ws.on('finish', resolve);
    ws.on('error', reject);
  });
  const ranges: { first: number; last: number }[] = [];
  let frames = 0;
  try {
    for (const r of regions) {
      const a = Math.floor((r.startMs * input.sampleRate) / 1000);
      const b = Math.min(input.pcm.length, Math.ceil((r.endMs * input.sampleRate) / 1000));
      const slice = input.pcm.subarray(a, b);
      const resampled = input.sampleRate === RATE ? slice : resamplePcm(slice, input.sampleRate, RATE);
      // At least one frame, so every control-file line has end ≥ start even for a sliver of audio.
      const n = Math.max(1, Math.ceil(resampled.length / FRAME_SAMPLES));
      const padded = new Int16Array(n * FRAME_SAMPLES);
      padded.set(resampled);
      ranges.push({ first: frames, last: frames + n - 1 });
      frames += n;
      const buf = Buffer.from(padded.buffer, padded.byteOffset, padded.byteLength);
      if (!ws.write(buf)) await new Promise<void>((resolve) => ws.once('drain', resolve));
      input.signal?.throwIfAborted();
    }
  } finally {
    ws.end();
  }
  await done;
  return ranges;
}

function runChild(binary: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const child = spawnTied(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8000) stderr += d.toString();
    });
    let why: Error | null = null;
    const kill = (err: Error) => {
      if (why) return;
      why = err;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(new Error(`pocketsphinx did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onAbort = () => kill(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => kill(err));
    // 'close' fires after the process exited and its pipes closed: only then is it safe to remove its files.
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (why) reject(why);
      else if (code === 0) resolve();
      else reject(new Error(`pocketsphinx failed (${sig ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`));
    });
  });
}

export class PocketsphinxEngine implements AsrEngine {
  readonly id = 'pocketsphinx';
  readonly label = 'pocketsphinx (offline, built in)';
  readonly languages = ['en'] as const;
  readonly sampleRates = { min: 8000, max: 48000, preferred: RATE };
  private readonly o: PocketsphinxOptions;

  constructor(options: PocketsphinxOptions = {}) {
    this.o = options;
  }

  get binary(): string {
    return this.o.binary ?? DEFAULT_BINARY;
  }

  get modelDir(): string {
    return this.o.modelDir ?? DEFAULT_MODEL_DIR;
  }

  get cacheDir(): string {
    return this.o.cacheDir ?? path.join(os.tmpdir(), 'earshot-pocketsphinx');
  }

  available(): Promise<EngineAvailability> {
    return pocketsphinxAvailable({ binary: this.binary, modelDir: this.modelDir });
  }

  /** The language model and dictionary for this vocabulary (built once, then read from the cache). */
  async model(phrases: readonly string[]): Promise<PreparedModel> {
    if (this.o.languageModel === 'general') {
      return { lmPath: path.join(this.modelDir, 'en-us.lm.bin'), dictPath: path.join(this.modelDir, 'cmudict-en-us.dict'), key: 'general', built: false };
    }
    return prepareLanguageModel({ phrases, cacheDir: this.cacheDir, cmudictPath: path.join(this.modelDir, 'cmudict-en-us.dict') });
  }

  async transcribe(input: AsrInput): Promise<AsrUtterance[]> {
    input.signal?.throwIfAborted();
    if (input.language && input.language.split('-')[0]!.toLowerCase() !== 'en')
      throw new Error(`pocketsphinx here transcribes English only (asked for "${input.language}")`);
    if (!Number.isInteger(input.sampleRate) || input.sampleRate < this.sampleRates.min || input.sampleRate > this.sampleRates.max) {
      throw new Error(`pocketsphinx needs a sample rate from ${this.sampleRates.min} to ${this.sampleRates.max} Hz (got ${input.sampleRate})`);
    }
    const availability = await this.available();
    if (!availability.ok) throw new EngineUnavailableError(availability.reason);
    const durationMs = (input.pcm.length * 1000) / input.sampleRate;
    const regions = decodeRegions(input.speech, durationMs, this.o.regions);
    if (!regions.length) return [];
    const model = await this.model(input.vocabulary?.phrases ?? []);
    input.signal?.throwIfAborted();

    const parent = this.o.tempDir ?? os.tmpdir();
    if (Date.now() - lastSweep > 3600_000) {
      lastSweep = Date.now();
      await sweepStaleTempDirs(parent);
    }
    const dir = await mkdtemp(path.join(parent, TEMP_PREFIX));
    try {
      const ranges = await writeRegions(path.join(dir, 'audio.raw'), input, regions);
      const ctl = ranges.map((r, i) => `audio ${r.first} ${r.last} u${i}`).join('\n') + '\n';
      await writeFile(path.join(dir, 'audio.ctl'), ctl);
      const settings: DecoderSettings = { ...(this.o.languageModel === 'general' ? {} : TUNED_DECODER), ...this.o.decoder };
      // One map, so a decoder setting replaces a default instead of repeating the flag (pocketsphinx rejects duplicates).
      const args = flagsOf({
        hmm: path.join(this.modelDir, 'en-us'),
        lm: model.lmPath,
        dict: model.dictPath,
        samprate: RATE,
        ...settings,
        adcin: 'yes',
        cepdir: dir,
        cepext: '.raw',
        ctl: path.join(dir, 'audio.ctl'),
        ctm: path.join(dir, 'out.ctm'),
        logfn: path.join(dir, 'log.txt'),
      });
      const speechMs = regions.reduce((t, r) => t + r.endMs - r.startMs, 0);
      await runChild(this.binary, args, this.o.timeoutMs ?? 60_000 + 2 * speechMs, input.signal);
      const ctm = parseCtm(await readFile(path.join(dir, 'out.ctm'), 'utf8'));
      const perRegion: TranscriptWord[][] = regions.map(() => []);
      for (const w of ctm) {
        const region = regions[w.utt];
        if (!region) continue;
        const s = Math.round(region.startMs + w.start * 1000);
        const e = Math.min(region.endMs, Math.round(region.startMs + (w.start + w.dur) * 1000));
        perRegion[w.utt]!.push({ w: w.word, s, e: Math.max(e, s), c: Math.round(w.conf * 1000) / 1000 });
      }
      return groupUtterances(perRegion, this.o.utteranceGapMs ?? 1200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
