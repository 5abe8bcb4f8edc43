// The local model engine: a sherpa-onnx model (whisper, zipformer/NeMo transducer, paraformer, SenseVoice) that the
// administrator supplies, run in this process through the optional npm package sherpa-onnx-node (prebuilt binaries,
// no downloads). Loaded with a dynamic import, so a plain install without the package still starts; available() then
// says what is missing. The model is loaded with sherpa's async loader, which turns a corrupt file into an error
// (its synchronous constructor aborts the whole process instead).
// Each voice-activity region (padded, joined with close neighbours, cut at 28 s: whisper hears 30 s at most) is decoded
// on its own, so times are exact at region edges; inside a region they come from the model's token times where it
// gives them, else the region's time is spread over its words (marked approximate).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AsrEngine, AsrInput, AsrUtterance, EngineAvailability, TranscriptWord } from '../model.ts';
import { detectModel, recognizerConfig, type DetectedModel } from './local-model.ts';
import { meanConfidence, normalizeWord, planPieces, splitAtPauses, spreadWords } from './plan.ts';

/** The parts of sherpa-onnx-node this engine uses. */
export interface SherpaModule {
  OfflineRecognizer: { createAsync(config: Record<string, unknown>): Promise<SherpaRecognizer> };
}
interface SherpaRecognizer {
  createStream(): { acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void };
  decodeAsync(stream: unknown): Promise<SherpaResult>;
}
export interface SherpaResult {
  text?: string;
  tokens?: string[];
  timestamps?: number[];
  durations?: number[];
  ys_log_probs?: number[];
}

export interface LocalEngineOptions {
  /** EARSHOT_ASR_LOCAL_MODEL: a folder, or the name of a model under modelsDir. */
  model: string | undefined;
  modelsDir: string;
  threads: number;
  /** How the package is loaded (tests give one that fails, as a machine without it would). */
  load?: () => Promise<SherpaModule>;
}

const PACKAGE = 'sherpa-onnx-node';

async function loadSherpa(): Promise<SherpaModule> {
  // A variable specifier: the package is optional and has no type declarations.
  const name = PACKAGE;
  const mod = (await import(name)) as { default?: SherpaModule } & SherpaModule;
  return mod.default ?? mod;
}

/** The model folder a setting names: a path, or a model installed by `earshot models pull` under modelsDir. */
export function resolveModelDir(model: string, modelsDir: string): string {
  if (path.isAbsolute(model) || model.includes('/') || model.includes(path.sep)) return path.resolve(model);
  const installed = path.join(modelsDir, model);
  return fs.existsSync(installed) ? installed : path.resolve(model);
}

const MAX_PIECE_MS = 28_000;
const SPACE_MARK = /^[\u2581 ]/; // SentencePiece's "▁" (or a plain space) starts a word

/**
 * One decoded piece's words, in ms from the piece start. Tokens with times make words with times (BPE pieces
 * joined at their "▁" marks, paraformer pieces at "@@"), their log-probabilities the word confidence; without
 * token times (whisper) the text is spread over `speech`, the part of the piece voice activity found speech in.
 */
export function wordsFromResult(
  result: SherpaResult,
  pieceMs: number,
  speech: { startMs: number; endMs: number } = { startMs: 0, endMs: pieceMs },
): TranscriptWord[] {
  const tokens = result.tokens ?? [];
  const times = result.timestamps ?? [];
  const logp = result.ys_log_probs ?? [];
  if (!tokens.length || times.length !== tokens.length) {
    return spreadWords((result.text ?? '').split(/\s+/).filter(Boolean), speech.startMs, speech.endMs, null);
  }
  const paraformer = tokens.some((t) => t.endsWith('@@'));
  const bpe = !paraformer && tokens.some((t) => SPACE_MARK.test(t));
  const groups: { text: string; start: number; last: number; logps: number[] }[] = [];
  let joinNext = false;
  tokens.forEach((tok, i) => {
    if (/^<.*>$/.test(tok)) return; // <unk>, <blk>, <sos/eos>
    const startsWord = !groups.length || (paraformer ? !joinNext : bpe ? SPACE_MARK.test(tok) : true);
    const text = tok.replace(SPACE_MARK, '').replace(/@@$/, '');
    joinNext = tok.endsWith('@@');
    if (startsWord) groups.push({ text, start: times[i]!, last: i, logps: [] });
    else {
      const g = groups[groups.length - 1]!;
      g.text += text;
      g.last = i;
    }
    if (logp.length === tokens.length && Number.isFinite(logp[i])) groups[groups.length - 1]!.logps.push(logp[i]!);
  });
  const out: TranscriptWord[] = [];
  groups.forEach((g, i) => {
    const w = normalizeWord(g.text);
    if (!w) return;
    const s = Math.max(0, Math.round(g.start * 1000));
    const next = groups[i + 1];
    const dur = result.durations?.[g.last];
    // A word ends where the next begins (at most 1 s later), or after its last token's duration where given.
    const endS = dur !== undefined && dur > 0 ? times[g.last]! + dur : next ? Math.min(next.start, times[g.last]! + 1) : times[g.last]! + 0.4;
    const e = Math.min(pieceMs, Math.max(s, Math.round(endS * 1000)));
    const c = g.logps.length ? Math.round(Math.exp(g.logps.reduce((a, b) => a + b, 0) / g.logps.length) * 1000) / 1000 : null;
    out.push({ w, s: Math.min(s, e), e, c });
  });
  return out;
}

export class LocalModelEngine implements AsrEngine {
  readonly id = 'local';
  readonly label = 'Local model (sherpa-onnx)';
  readonly sampleRates = { min: 8000, max: 48000, preferred: 16000 };
  private detected: DetectedModel | null = null;
  /** Loaded recognizers by language ('' for a model that takes none); kept for the life of the process. */
  private readonly recognizers = new Map<string, Promise<SherpaRecognizer>>();
  private signature = '';
  private sherpa: Promise<SherpaModule> | null = null;
  private verified: { signature: string; result: EngineAvailability } | null = null;

  constructor(private readonly opts: LocalEngineOptions) {}

  get languages(): readonly string[] | '*' {
    return this.detected?.languages ?? '*';
  }

  get modelDir(): string | undefined {
    return this.opts.model ? resolveModelDir(this.opts.model, this.opts.modelsDir) : undefined;
  }

  /**
   * Whether the model can run here. Loading is tried once per version of the model files — in a child process, so
   * that a process which only reports health (the API role) does not hold a model in memory, and a model that
   * crashes the native loader takes down only the child.
   */
  async available(): Promise<EngineAvailability> {
    const pre = await this.prepare();
    if (!pre.ok) return pre;
    if (this.verified?.signature === pre.signature) return this.verified.result;
    let result: EngineAvailability;
    try {
      if (this.opts.load || this.recognizers.size) await this.recognizer(pre.sherpa, pre.model, '');
      else await verifyInChild(recognizerConfig(pre.model, { threads: 1 }));
      result = { ok: true };
    } catch (err) {
      result = {
        ok: false,
        reason: `The ${pre.model.layout} model in ${pre.model.dir} could not be loaded (corrupt, or for another sherpa-onnx version?): ${firstLine(err)}`,
      };
    }
    this.verified = { signature: pre.signature, result };
    return result;
  }

  /** The cheap checks: configured, folder, files, package. */
  private async prepare(): Promise<{ ok: true; model: DetectedModel; sherpa: SherpaModule; signature: string } | { ok: false; reason: string }> {
    const dir = this.modelDir;
    if (!dir)
      return { ok: false, reason: 'No local model is configured (set EARSHOT_ASR_LOCAL_MODEL to a model folder or to a model from `earshot models pull`)' };
    const found = detectModel(dir);
    if (!found.ok) {
      this.detected = null;
      return found;
    }
    // Files replaced since the last load (an administrator fixed or changed the model): load again.
    const signature = JSON.stringify(
      Object.values(found.model.files).map((f) => {
        const st = fs.statSync(f);
        return [f, st.size, st.mtimeMs];
      }),
    );
    if (signature !== this.signature) {
      this.recognizers.clear();
      this.signature = signature;
    }
    this.detected = found.model;
    try {
      return { ok: true, model: found.model, sherpa: await this.loadPackage(), signature };
    } catch (err) {
      this.sherpa = null;
      const notInstalled = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((err as { code?: string }).code ?? '');
      return {
        ok: false,
        reason: notInstalled
          ? `The local model engine needs the optional package ${PACKAGE}, which is not installed (npm install ${PACKAGE})`
          : `${PACKAGE} could not be loaded on this machine: ${firstLine(err)}`,
      };
    }
  }

  private loadPackage(): Promise<SherpaModule> {
    this.sherpa ??= (this.opts.load ?? loadSherpa)();
    return this.sherpa;
  }

  private recognizer(sherpa: SherpaModule, model: DetectedModel, language: string): Promise<SherpaRecognizer> {
    const key = model.multilingual || model.layout === 'sense_voice' ? language : '';
    let r = this.recognizers.get(key);
    if (!r) {
      r = sherpa.OfflineRecognizer.createAsync(recognizerConfig(model, { threads: this.opts.threads, language: key || undefined }));
      // A failed load is not kept: the next call tries again.
      r.catch(() => this.recognizers.delete(key));
      this.recognizers.set(key, r);
    }
    return r;
  }

  async transcribe(input: AsrInput): Promise<AsrUtterance[]> {
    const pre = await this.prepare();
    if (!pre.ok) throw new Error(pre.reason);
    const recognizer = await this.recognizer(pre.sherpa, pre.model, /^[a-z]{2,3}$/.test(input.language) ? input.language : '').catch((err: unknown) => {
      throw new Error(`The ${pre.model.layout} model in ${pre.model.dir} could not be loaded: ${firstLine(err)}`);
    });
    const pieces = planPieces(input.pcm, input.sampleRate, input.speech, { padMs: 250, mergeGapMs: 300, maxPieceMs: MAX_PIECE_MS });
    const out: AsrUtterance[] = [];
    for (const piece of pieces) {
      if (input.signal?.aborted) throw input.signal.reason;
      const from = Math.round((piece.startMs * input.sampleRate) / 1000);
      const to = Math.min(input.pcm.length, Math.round((piece.endMs * input.sampleRate) / 1000));
      const samples = new Float32Array(to - from);
      for (let i = 0; i < samples.length; i++) samples[i] = input.pcm[from + i]! / 32768;
      const stream = recognizer.createStream();
      // sherpa-onnx resamples to the model's 16 kHz itself.
      stream.acceptWaveform({ samples, sampleRate: input.sampleRate });
      const result = await recognizer.decodeAsync(stream);
      // The voice-activity span inside the piece (without the padding), for engines that give no word times.
      const inside = input.speech.filter((r) => r.endMs > piece.startMs && r.startMs < piece.endMs);
      const speech = inside.length
        ? {
            startMs: Math.max(0, Math.min(...inside.map((r) => r.startMs)) - piece.startMs),
            endMs: Math.min(piece.endMs, Math.max(...inside.map((r) => r.endMs))) - piece.startMs,
          }
        : undefined;
      const words = wordsFromResult(result, piece.endMs - piece.startMs, speech).map((w) => ({ ...w, s: w.s + piece.startMs, e: w.e + piece.startMs }));
      for (const run of splitAtPauses(words)) {
        out.push({ startMs: run[0]!.s, endMs: Math.max(...run.map((w) => w.e)), words: run, confidence: meanConfidence(run) });
      }
    }
    return out;
  }
}

const VERIFY_TIMEOUT_MS = 120_000;
const VERIFY_SCRIPT = `
const [pkg, config] = process.argv.slice(1);
require(pkg).OfflineRecognizer.createAsync(JSON.parse(config)).then(
  () => process.exit(0),
  (e) => { process.stderr.write('\\nEARSHOT: ' + String((e && e.message) || e) + '\\n'); process.exit(1); },
);`;

/** Loads the model in a child Node process and reports why it would not load. */
function verifyInChild(config: Record<string, unknown>): Promise<void> {
  const pkg = createRequire(import.meta.url).resolve(PACKAGE);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', VERIFY_SCRIPT, pkg, JSON.stringify(config)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: VERIFY_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const marked = /EARSHOT: (.*)/.exec(stderr)?.[1];
      const lines = stderr.trim().split('\n').filter(Boolean);
      const what =
        marked ??
        lines
          .filter((l) => !/^\s*at /.test(l))
          .slice(-2)
          .join(' ');
      reject(new Error(signal ? `the loader crashed (${signal})${what ? `: ${what}` : ''}` : what || `exit ${code}`));
    });
  });
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
}
