// The OpenAI-compatible HTTP engine: POST {base}/v1/audio/transcriptions for servers people run themselves
// (faster-whisper/speaches, whisper.cpp's server, vLLM) or the hosted API. One party's audio at a time; only the
// voice-activity regions are sent, joined into chunks of at most 600 s and 25 MB (the hosted API's limits, which the
// others accept too), and the answer's times are mapped back. Requests in flight are bounded per engine instance
// (one per process), 429/5xx/network failures and timeouts are retried with backoff here; an answer that is not a
// transcription is an error at once (the job retries it later).
import type { AsrEngine, AsrInput, AsrUtterance, EngineAvailability } from '../model.ts';
import { buildChunks, encodeWav16, mapWordTimes, meanConfidence, planPieces, type Chunk } from './plan.ts';
import { parseTranscription, ResponseShapeError, serverMessage } from './openai-response.ts';

export interface OpenAiEngineOptions {
  /** Base URL: http://host:port, or one ending in /v1. */
  url: string;
  apiKey?: string | undefined;
  model: string;
  /** Requests in flight at once, across every transcription this instance runs. */
  concurrency: number;
  /** One request's time budget (ms). */
  timeoutMs: number;
  /** Retries after the first attempt on 429, 5xx, network errors and timeouts. Default 3. */
  retries?: number;
  /** First retry delay (ms), doubled each time (with jitter) up to maxBackoffMs; a Retry-After header wins. */
  backoffMs?: number;
  maxBackoffMs?: number;
  maxChunkMs?: number;
  maxChunkBytes?: number;
}

/** Why a request failed; `retryable` says whether trying again later may help (the job retries either way). */
export class AsrRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AsrRequestError';
  }
}

/** The hosted API's limits: 25 MB per file; whisper itself works on 30 s windows, so 600 s keeps one request bounded. */
export const MAX_CHUNK_MS = 600_000;
export const MAX_CHUNK_BYTES = 25 * 1024 * 1024;
/** The prompt is whisper's 224-token context; ~600 characters of names stays inside it. */
export const MAX_PROMPT_CHARS = 600;
const MAX_RETRY_AFTER_MS = 60_000;

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** The endpoint for a configured base: ".../v1" and ".../v1/audio/transcriptions" are taken as they are. */
export function transcriptionsUrl(base: string): string {
  const b = base.replace(/\/+$/, '');
  if (/\/audio\/transcriptions$/.test(b)) return b;
  if (/\/v1$/.test(b)) return `${b}/audio/transcriptions`;
  return `${b}/v1/audio/transcriptions`;
}

/** The vocabulary as whisper's prompt: whole phrases, in order, until the length bound. */
export function vocabularyPrompt(phrases: readonly string[], max = MAX_PROMPT_CHARS): string {
  const seen = new Set<string>();
  let out = '';
  for (const raw of phrases) {
    const p = raw.replace(/\s+/g, ' ').trim();
    if (!p || seen.has(p.toLowerCase())) continue;
    const next = out ? `${out}, ${p}` : p;
    if (next.length > max) continue;
    seen.add(p.toLowerCase());
    out = next;
  }
  return out;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class OpenAiEngine implements AsrEngine {
  readonly id = 'openai';
  readonly label = 'OpenAI-compatible server';
  readonly languages = '*' as const;
  readonly sampleRates = { min: 8000, max: 48000, preferred: 16000 };
  private readonly endpoint: string;
  private readonly semaphore: Semaphore;

  constructor(private readonly opts: OpenAiEngineOptions) {
    this.endpoint = transcriptionsUrl(opts.url);
    this.semaphore = new Semaphore(Math.max(1, opts.concurrency));
  }

  /** Configured is available: the server is only asked when there is audio (a down server fails the job, which retries). */
  async available(): Promise<EngineAvailability> {
    return { ok: true };
  }

  async transcribe(input: AsrInput): Promise<AsrUtterance[]> {
    const maxChunkMs = this.opts.maxChunkMs ?? MAX_CHUNK_MS;
    const maxChunkBytes = this.opts.maxChunkBytes ?? MAX_CHUNK_BYTES;
    const bytesMs = Math.floor(((maxChunkBytes - 44) / 2 / input.sampleRate) * 1000);
    const pieces = planPieces(input.pcm, input.sampleRate, input.speech, {
      padMs: 200,
      mergeGapMs: 300,
      maxPieceMs: Math.min(maxChunkMs, bytesMs) - 50,
    });
    const chunks = buildChunks(input.pcm, input.sampleRate, pieces, { gapMs: 300, maxChunkMs, maxChunkBytes });
    const prompt = vocabularyPrompt(input.vocabulary.phrases);
    // One chunk failing fails the call: the others still waiting or in flight are cancelled, not sent for nothing.
    const failed = new AbortController();
    const own = { ...input, signal: input.signal ? AbortSignal.any([input.signal, failed.signal]) : failed.signal };
    const results = await Promise.all(
      chunks.map((chunk) =>
        this.transcribeChunk(chunk, own, prompt).catch((err: unknown) => {
          failed.abort(err);
          throw err;
        }),
      ),
    );
    return results.flat().sort((a, b) => a.startMs - b.startMs);
  }

  private async transcribeChunk(chunk: Chunk, input: AsrInput, prompt: string): Promise<AsrUtterance[]> {
    const body = await this.request(chunk, input, prompt);
    let utterances: AsrUtterance[];
    try {
      utterances = parseTranscription(body, chunk.durationMs);
    } catch (err) {
      if (err instanceof ResponseShapeError) {
        throw new AsrRequestError(`${this.where()} answered with something that is not a transcription: ${err.message}`, true);
      }
      throw err;
    }
    return utterances.map((u) => {
      const words = u.words.map((w) => ({ ...w, ...mapWordTimes(chunk.spans, w.s, w.e) }));
      return { startMs: words[0]!.s, endMs: Math.max(...words.map((w) => w.e)), words, confidence: meanConfidence(words) };
    });
  }

  private where(): string {
    return `The speech server at ${this.endpoint}`;
  }

  private form(chunk: Chunk, input: AsrInput, prompt: string): FormData {
    const form = new FormData();
    form.append('file', new Blob([encodeWav16(chunk.pcm(), chunk.sampleRate)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.opts.model);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    form.append('timestamp_granularities[]', 'segment');
    form.append('temperature', '0');
    if (/^[a-z]{2,3}$/.test(input.language)) form.append('language', input.language);
    if (prompt) form.append('prompt', prompt);
    return form;
  }

  /** One chunk's answer as parsed JSON, after the retries transient failures get. */
  private async request(chunk: Chunk, input: AsrInput, prompt: string): Promise<unknown> {
    const retries = this.opts.retries ?? 3;
    const backoff = this.opts.backoffMs ?? 1000;
    const maxBackoff = this.opts.maxBackoffMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      const release = await this.semaphore.acquire();
      let r: Attempt;
      try {
        r = await this.attempt(chunk, input, prompt);
      } finally {
        release();
      }
      if (r.ok) return r.body;
      if (!r.retryHere || attempt >= retries) throw r.error;
      const delay = r.waitMs !== null ? Math.min(r.waitMs, MAX_RETRY_AFTER_MS) : Math.min(maxBackoff, backoff * 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(delay, input.signal);
    }
  }

  private async attempt(chunk: Chunk, input: AsrInput, prompt: string): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {},
        body: this.form(chunk, input, prompt),
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (input.signal?.aborted) throw input.signal.reason;
      const message = timeout.aborted
        ? `${this.where()} did not answer within ${this.opts.timeoutMs} ms`
        : `${this.where()} could not be reached: ${describeNetworkError(err)}`;
      return { ok: false, error: new AsrRequestError(message, true), retryHere: true, waitMs: null };
    }
    if (res.ok) {
      try {
        return { ok: true, body: JSON.parse(text) };
      } catch {
        // Garbage is not retried here (a server that answers garbage once usually does again); the job retries later.
        const error = new AsrRequestError(`${this.where()} answered with something that is not JSON: ${serverMessage(text)}`, true, res.status);
        return { ok: false, error, retryHere: false, waitMs: null };
      }
    }
    const retryable = res.status === 429 || res.status >= 500;
    const error = new AsrRequestError(`${this.where()} answered HTTP ${res.status}: ${serverMessage(text)}`, retryable, res.status);
    return { ok: false, error, retryHere: retryable, waitMs: retryAfterMs(res.headers.get('retry-after')) };
  }
}

type Attempt = { ok: true; body: unknown } | { ok: false; error: AsrRequestError; retryHere: boolean; waitMs: number | null };

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
