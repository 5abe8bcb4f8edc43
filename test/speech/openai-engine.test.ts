// The OpenAI-compatible engine against a real HTTP server on 127.0.0.1 that answers the way each kind of server
// people run does (answers written after their documented verbose_json shapes): OpenAI and faster-whisper/speaches
// (segments + words), whisper.cpp's server (segments only), vLLM (segments, words null, numbers as strings), plain
// json (text only), failures (500 then success, 429 with Retry-After, garbage, 400, too slow), and the audio side:
// the multipart fields, only speech sent, chunking of a long call with times mapped back, bounded concurrency.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEngine, transcriptionsUrl, vocabularyPrompt, type OpenAiEngineOptions } from '../../src/speech/engines/openai.ts';
import type { AsrInput, SpeechRegion } from '../../src/speech/model.ts';

interface Received {
  path: string;
  auth: string | undefined;
  fields: Record<string, string[]>;
  wav: { sampleRate: number; samples: Int16Array };
}

type Handler = (req: Received, res: http.ServerResponse, n: number) => void | Promise<void>;

let server: http.Server;
let base: string;
let handler: Handler;
let received: Received[];
let inFlight = 0;
let maxInFlight = 0;

function readWav(buf: Buffer) {
  expect(buf.toString('latin1', 0, 4)).toBe('RIFF');
  expect(buf.toString('latin1', 8, 16)).toBe('WAVEfmt ');
  expect(buf.readUInt16LE(22)).toBe(1);
  expect(buf.readUInt16LE(34)).toBe(16);
  const sampleRate = buf.readUInt32LE(24);
  const bytes = buf.readUInt32LE(40);
  const samples = new Int16Array(new Uint8Array(buf.subarray(44, 44 + bytes)).buffer); // little-endian host
  return { sampleRate, samples };
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      // undici's own multipart parser reads what undici's FormData wrote.
      const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type']! } }).formData();
      const fields: Record<string, string[]> = {};
      let wav: Received['wav'] | undefined;
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') (fields[k] ??= []).push(v);
        else wav = readWav(Buffer.from(await v.arrayBuffer()));
      }
      const r: Received = { path: req.url!, auth: req.headers.authorization, fields, wav: wav! };
      received.push(r);
      await handler(r, res, received.length);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  maxInFlight = 0;
});

const json = (res: http.ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function engine(opts: Partial<OpenAiEngineOptions> = {}) {
  return new OpenAiEngine({ url: base, model: 'whisper-1', concurrency: 2, timeoutMs: 60_000, backoffMs: 10, ...opts });
}

/** 8 kHz mono with a constant non-zero level inside each region (value 1000 + index) and silence elsewhere. */
function synthetic(totalMs: number, regions: SpeechRegion[], sampleRate = 8000): AsrInput {
  const pcm = new Int16Array(Math.round((totalMs * sampleRate) / 1000));
  regions.forEach((r, i) => pcm.fill(1000 + i, Math.round((r.startMs * sampleRate) / 1000), Math.round((r.endMs * sampleRate) / 1000)));
  return { pcm, sampleRate, speech: regions, language: 'en', vocabulary: { phrases: [] } };
}

/** The runs of non-zero samples in what was sent, as [value, startS, endS]. */
function runs(wav: Received['wav']): [number, number, number][] {
  const out: [number, number, number][] = [];
  let i = 0;
  while (i < wav.samples.length) {
    if (wav.samples[i] === 0) {
      i++;
      continue;
    }
    const v = wav.samples[i]!;
    const from = i;
    while (i < wav.samples.length && wav.samples[i] === v) i++;
    out.push([v, from / wav.sampleRate, i / wav.sampleRate]);
  }
  return out;
}

const oneRegion = () => synthetic(10_000, [{ startMs: 2000, endMs: 5000 }]);

describe('OpenAiEngine: the request', () => {
  it('posts one WAV of the speech only, with the documented fields, the key, language and vocabulary prompt', async () => {
    handler = (_r, res) => json(res, { text: '' });
    const input = oneRegion();
    input.vocabulary = { phrases: ['Acme Telecom', 'FiberMax 500', 'acme telecom'] };
    await engine({ apiKey: 'sk-test', model: 'Systran/faster-whisper-small' }).transcribe(input);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.path).toBe('/v1/audio/transcriptions');
    expect(r.auth).toBe('Bearer sk-test');
    expect(r.fields).toEqual({
      model: ['Systran/faster-whisper-small'],
      response_format: ['verbose_json'],
      'timestamp_granularities[]': ['word', 'segment'],
      temperature: ['0'],
      language: ['en'],
      prompt: ['Acme Telecom, FiberMax 500'],
    });
    // 3 s of speech + 200 ms padding each side; the 7 s of silence stay home.
    expect(r.wav.sampleRate).toBe(8000);
    expect(r.wav.samples.length).toBe(3400 * 8);
    expect(runs(r.wav)).toEqual([[1000, 0.2, 3.2]]);
  });

  it('sends nothing for audio without speech', async () => {
    handler = (_r, res) => json(res, { text: 'should not be asked' });
    expect(await engine().transcribe(synthetic(5000, []))).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('takes a base URL with or without /v1', () => {
    expect(transcriptionsUrl('http://h:8000')).toBe('http://h:8000/v1/audio/transcriptions');
    expect(transcriptionsUrl('http://h:8000/v1/')).toBe('http://h:8000/v1/audio/transcriptions');
    expect(transcriptionsUrl('https://h/openai/v1/audio/transcriptions')).toBe('https://h/openai/v1/audio/transcriptions');
  });

  it('bounds the vocabulary prompt, keeping whole phrases', () => {
    const phrases = Array.from({ length: 200 }, (_, i) => `Product number ${i}`);
    const p = vocabularyPrompt(phrases);
    expect(p.length).toBeLessThanOrEqual(600);
    expect(p.split(', ').every((x) => /^Product number \d+$/.test(x))).toBe(true);
  });
});

describe('OpenAiEngine: the answers servers give', () => {
  it('OpenAI / faster-whisper: words with times, confidence from the segment, times back in the call', async () => {
    handler = (_r, res) =>
      json(res, {
        task: 'transcribe',
        language: 'english',
        duration: 3.4,
        text: 'Hello, thanks for calling Acme.',
        segments: [
          {
            id: 0,
            seek: 0,
            start: 0.2,
            end: 3.0,
            text: ' Hello, thanks for calling Acme.',
            tokens: [50364, 2425],
            temperature: 0,
            avg_logprob: -0.2,
            compression_ratio: 1.1,
            no_speech_prob: 0.01,
          },
        ],
        words: [
          { word: 'Hello,', start: 0.2, end: 0.6 },
          { word: 'thanks', start: 0.7, end: 1.0 },
          { word: 'for', start: 1.0, end: 1.2 },
          { word: 'calling', start: 1.2, end: 1.7 },
          { word: 'Acme.', start: 1.8, end: 2.4 },
        ],
      });
    const u = await engine().transcribe(oneRegion());
    const c = Math.round(Math.exp(-0.2) * 0.99 * 1000) / 1000;
    expect(u).toEqual([
      {
        startMs: 2000,
        endMs: 4200,
        confidence: c,
        words: [
          { w: 'hello', s: 2000, e: 2400, c },
          { w: 'thanks', s: 2500, e: 2800, c },
          { w: 'for', s: 2800, e: 3000, c },
          { w: 'calling', s: 3000, e: 3500, c },
          { w: 'acme', s: 3600, e: 4200, c },
        ],
      },
    ]);
  });

  it('speaches: a word probability is the word confidence', async () => {
    handler = (_r, res) =>
      json(res, {
        text: 'card number',
        segments: [{ start: 0.2, end: 1.5, text: ' card number', avg_logprob: -0.3, no_speech_prob: 0.02 }],
        words: [
          { start: 0.2, end: 0.6, word: ' card', probability: 0.91 },
          { start: 0.6, end: 1.1, word: ' number', probability: 0.42 },
        ],
      });
    const [u] = await engine().transcribe(oneRegion());
    expect(u!.words.map((w) => [w.w, w.c])).toEqual([
      ['card', 0.91],
      ['number', 0.42],
    ]);
    expect(u!.confidence).toBe(0.665);
  });

  it('whisper.cpp server: segments only — the time spread over the words by length, marked approximate', async () => {
    handler = (_r, res) =>
      json(res, {
        task: 'transcribe',
        language: 'english',
        duration: 3.4,
        text: ' [BLANK_AUDIO] I need help',
        segments: [
          { id: 0, text: ' [BLANK_AUDIO]', start: 0, end: 0.2, tokens: [], temperature: 0, avg_logprob: -0.9, no_speech_prob: 0.5 },
          { id: 1, text: ' I need help', start: 0.2, end: 1.2, tokens: [], temperature: 0, avg_logprob: -0.1, no_speech_prob: 0 },
        ],
      });
    const [u, ...rest] = await engine().transcribe(oneRegion());
    expect(rest).toEqual([]);
    const c = Math.round(Math.exp(-0.1) * 1000) / 1000;
    // "i" (1+1), "need" (4+1), "help" (4+1) share 1000 ms: 167, 417, 417.
    expect(u!.words).toEqual([
      { w: 'i', s: 2000, e: 2167, c, a: true },
      { w: 'need', s: 2167, e: 2583, c, a: true },
      { w: 'help', s: 2583, e: 3000, c, a: true },
    ]);
  });

  it('whisper.cpp server: words inside the segments are used', async () => {
    handler = (_r, res) =>
      json(res, {
        text: ' yes please',
        segments: [
          {
            text: ' yes please',
            start: 0.2,
            end: 1.0,
            avg_logprob: -0.5,
            no_speech_prob: 0.1,
            words: [
              { word: ' yes', start: 0.2, end: 0.5, probability: 0.8 },
              { word: ' please', start: 0.5, end: 1.0, probability: 0.7 },
            ],
          },
        ],
      });
    const [u] = await engine().transcribe(oneRegion());
    expect(u!.words).toEqual([
      { w: 'yes', s: 2000, e: 2300, c: 0.8 },
      { w: 'please', s: 2300, e: 2800, c: 0.7 },
    ]);
  });

  it('vLLM: words null, numbers as strings; a segment the model calls silence is dropped', async () => {
    handler = (_r, res) =>
      json(res, {
        text: 'my account thank you for watching',
        language: 'en',
        duration: '3.4',
        segments: [
          { id: 0, seek: 0, start: '0.2', end: '1.2', text: ' my account', avg_logprob: '-0.4', no_speech_prob: '0.05', temperature: 0, tokens: [] },
          { id: 1, seek: 0, start: 1.5, end: 3.0, text: ' Thank you for watching!', avg_logprob: -1.6, no_speech_prob: 0.93, temperature: 0, tokens: [] },
        ],
        words: null,
        usage: { type: 'duration', seconds: 4 },
      });
    const u = await engine().transcribe(oneRegion());
    expect(u).toHaveLength(1);
    expect(u[0]!.words.map((w) => w.w)).toEqual(['my', 'account']);
    expect(u[0]!.words.every((w) => w.a && w.c === Math.round(Math.exp(-0.4) * 0.95 * 1000) / 1000)).toBe(true);
  });

  it('plain json (text only): spread over the audio sent, no confidence', async () => {
    handler = (_r, res) => json(res, { text: 'Hello there.' });
    const [u] = await engine().transcribe(oneRegion());
    expect(u!.words.map((w) => [w.w, w.c, w.a])).toEqual([
      ['hello', null, true],
      ['there', null, true],
    ]);
    expect(u!.startMs).toBe(1800);
    expect(u!.endMs).toBe(5200);
    expect(u!.confidence).toBeNull();
  });
});

describe('OpenAiEngine: failures', () => {
  it('retries a 500 and succeeds', async () => {
    handler = (_r, res, n) => (n === 1 ? json(res, { error: { message: 'CUDA out of memory' } }, 500) : json(res, { text: 'ok' }));
    const u = await engine().transcribe(oneRegion());
    expect(u[0]!.words[0]!.w).toBe('ok');
    expect(received).toHaveLength(2);
  });

  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    handler = (_r, res, n) => (n === 1 ? json(res, { error: { message: 'Rate limit reached' } }, 429, { 'retry-after': '1' }) : json(res, { text: 'ok' }));
    const t0 = Date.now();
    await engine().transcribe(oneRegion());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(received).toHaveLength(2);
  });

  it('gives up after the retries with the server message', async () => {
    handler = (_r, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    };
    await expect(engine({ retries: 2 }).transcribe(oneRegion())).rejects.toThrow(/answered HTTP 502: 502 Bad Gateway/);
    expect(received).toHaveLength(3);
  });

  it('does not retry a 400, and says why', async () => {
    handler = (_r, res) => json(res, { detail: "Model 'whisper-9' is not installed" }, 400);
    await expect(engine().transcribe(oneRegion())).rejects.toMatchObject({
      message: expect.stringContaining("HTTP 400: Model 'whisper-9' is not installed"),
      retryable: false,
    });
    expect(received).toHaveLength(1);
  });

  it('garbage: a clear error with what the server said, left to the job to retry', async () => {
    handler = (_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('upstream connect error or disconnect/reset before headers');
    };
    await expect(engine().transcribe(oneRegion())).rejects.toMatchObject({
      message: expect.stringContaining('not JSON: upstream connect error'),
      retryable: true,
    });
    handler = (_r, res) => json(res, { segments: 'none' });
    await expect(engine().transcribe(oneRegion())).rejects.toThrow(/not a transcription: segments is not a list/);
    handler = (_r, res) => json(res, { id: 'x', object: 'list' });
    await expect(engine().transcribe(oneRegion())).rejects.toThrow(/not a transcription: no text, segments or words/);
  });

  it('times out a slow server (and retries it)', async () => {
    handler = (_r, res) => void setTimeout(() => json(res, { text: 'late' }), 1500);
    await expect(engine({ timeoutMs: 200, retries: 1 }).transcribe(oneRegion())).rejects.toThrow(/did not answer within 200 ms/);
    expect(received).toHaveLength(2);
  });

  it('reports a server that is not there', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = new OpenAiEngine({ url: `http://127.0.0.1:${port}`, model: 'm', concurrency: 1, timeoutMs: 2000, retries: 1, backoffMs: 10 });
    await expect(e.transcribe(oneRegion())).rejects.toThrow(/could not be reached: ECONNREFUSED/);
  });
});

describe('OpenAiEngine: long calls and load', () => {
  it('cuts a long call into chunks of at most 600 s at the silences, and maps every time back', async () => {
    // 25 minutes, a 20 s turn every 30 s: ~1000 s of speech, more than one chunk.
    const regions: SpeechRegion[] = Array.from({ length: 50 }, (_, i) => ({ startMs: i * 30_000 + 5000, endMs: i * 30_000 + 25_000 }));
    const input = synthetic(25 * 60_000, regions);
    handler = (r, res) => {
      const found = runs(r.wav);
      json(res, {
        text: found.map(([v]) => `r${v - 1000}`).join(' '),
        segments: found.map(([v, s, e]) => ({ start: s, end: e, text: ` r${v - 1000}`, avg_logprob: -0.1, no_speech_prob: 0 })),
        words: found.map(([v, s, e]) => ({ word: ` r${v - 1000}`, start: s, end: e })),
      });
    };
    const u = await engine().transcribe(input);
    expect(received.length).toBe(2);
    for (const r of received) expect(r.wav.samples.length / r.wav.sampleRate).toBeLessThanOrEqual(600);
    // Each region was sent whole, in one chunk.
    expect(received.flatMap((r) => runs(r.wav).map(([v]) => v - 1000)).sort((a, b) => a - b)).toEqual(regions.map((_, i) => i));
    expect(u.map((x) => x.words.map((w) => [w.w, w.s, w.e])).flat()).toEqual(regions.map((r, i) => [`r${i}`, r.startMs, r.endMs]));
  });

  it('cuts at the 25 MB limit too (48 kHz audio)', async () => {
    const regions: SpeechRegion[] = Array.from({ length: 12 }, (_, i) => ({ startMs: i * 30_000, endMs: i * 30_000 + 25_000 }));
    const input = synthetic(12 * 30_000, regions, 48_000);
    handler = (_r, res) => json(res, { text: 'x' });
    await engine().transcribe(input);
    expect(received.length).toBe(2);
    for (const r of received) expect(44 + r.wav.samples.length * 2).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it('a chunk that fails cancels the chunks still waiting', async () => {
    const regions: SpeechRegion[] = Array.from({ length: 3 }, (_, i) => ({ startMs: i * 600_000 + 1000, endMs: i * 600_000 + 590_000 }));
    handler = (_r, res) => json(res, { error: { message: 'Invalid file format' } }, 400);
    await expect(engine({ concurrency: 1 }).transcribe(synthetic(1_800_000, regions))).rejects.toThrow(/HTTP 400: Invalid file format/);
    expect(received).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight across transcriptions', async () => {
    handler = (_r, res) => void setTimeout(() => json(res, { text: 'ok' }), 100);
    const e = engine({ concurrency: 2 });
    const all = await Promise.all(Array.from({ length: 6 }, () => e.transcribe(oneRegion())));
    expect(all.every((u) => u[0]!.words[0]!.w === 'ok')).toBe(true);
    expect(received).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });
});
