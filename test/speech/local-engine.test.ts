// The local model engine (sherpa-onnx): telling what a model folder holds and what is wrong with it, in words an
// administrator can act on; surviving a corrupt model (sherpa's synchronous loader would abort the process); working
// without the optional package; turning sherpa's token results into words. Models cannot be downloaded on our build
// machines, so the test with a real model runs only when EARSHOT_TEST_MODEL points at a sherpa-onnx model folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectModel, recognizerConfig } from '../../src/speech/engines/local-model.ts';
import { LocalModelEngine, resolveModelDir, wordsFromResult } from '../../src/speech/engines/local.ts';

let root: string;
const sherpaInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('sherpa-onnx-node');
    return true;
  } catch {
    return false;
  }
})();

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), content);
  return dir;
}

const engine = (model: string | undefined, load?: () => Promise<never>) => new LocalModelEngine({ model, modelsDir: root, threads: 1, load });

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-local-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('local model folder', () => {
  it('recognises the sherpa-onnx layouts from their file names, preferring the int8 files', () => {
    const whisper = folder('sherpa-onnx-whisper-tiny.en', {
      'tiny.en-encoder.onnx': 'x',
      'tiny.en-encoder.int8.onnx': 'x',
      'tiny.en-decoder.onnx': 'x',
      'tiny.en-decoder.int8.onnx': 'x',
      'tiny.en-tokens.txt': 'x',
    });
    const w = detectModel(whisper);
    expect(w).toMatchObject({ ok: true, model: { layout: 'whisper', languages: ['en'], multilingual: false } });
    if (w.ok) expect(path.basename(w.model.files.encoder!)).toBe('tiny.en-encoder.int8.onnx');

    const multi = folder('sherpa-onnx-whisper-small', { 'small-encoder.onnx': 'x', 'small-decoder.onnx': 'x', 'small-tokens.txt': 'x' });
    expect(detectModel(multi)).toMatchObject({ ok: true, model: { layout: 'whisper', languages: '*', multilingual: true } });

    const zipformer = folder('sherpa-onnx-zipformer-en-2023-06-26', {
      'encoder-epoch-99-avg-1.onnx': 'x',
      'decoder-epoch-99-avg-1.onnx': 'x',
      'joiner-epoch-99-avg-1.onnx': 'x',
      'tokens.txt': 'x',
    });
    expect(detectModel(zipformer)).toMatchObject({ ok: true, model: { layout: 'transducer', languages: ['en'] } });

    const parakeet = folder('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', {
      'encoder.int8.onnx': 'x',
      'decoder.int8.onnx': 'x',
      'joiner.int8.onnx': 'x',
      'tokens.txt': 'x',
    });
    const p = detectModel(parakeet);
    expect(p).toMatchObject({ ok: true, model: { layout: 'nemo_transducer' } });
    if (p.ok) expect(recognizerConfig(p.model, { threads: 2 }).modelConfig).toMatchObject({ modelType: 'nemo_transducer', numThreads: 2 });

    expect(detectModel(folder('sherpa-onnx-paraformer-en-2024-03-09', { 'model.int8.onnx': 'x', 'tokens.txt': 'x' }))).toMatchObject({
      ok: true,
      model: { layout: 'paraformer' },
    });
    expect(detectModel(folder('sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17', { 'model.onnx': 'x', 'tokens.txt': 'x' }))).toMatchObject({
      ok: true,
      model: { layout: 'sense_voice' },
    });
    // The manifest `earshot models pull` writes wins over names.
    const named = folder('my-model', {
      'model.onnx': 'x',
      'tokens.txt': 'x',
      'earshot-model.json': JSON.stringify({ layout: 'sense_voice', languages: ['en', 'fr'] }),
    });
    expect(detectModel(named)).toMatchObject({ ok: true, model: { layout: 'sense_voice', languages: ['en', 'fr'] } });
  });

  it('says what is wrong: nothing configured, no folder, no model, a missing or empty file', async () => {
    expect(await engine(undefined).available()).toEqual({
      ok: false,
      reason: expect.stringContaining('No local model is configured (set EARSHOT_ASR_LOCAL_MODEL'),
    });
    const gone = path.join(root, 'nowhere');
    expect(await engine(gone).available()).toEqual({ ok: false, reason: `The model folder ${gone} does not exist` });
    const empty = folder('empty', { 'README.md': 'hello' });
    expect(await engine(empty).available()).toEqual({ ok: false, reason: expect.stringContaining(`No speech model found in ${empty}`) });
    const half = folder('half-whisper', { 'base-encoder.onnx': 'x', 'base-tokens.txt': 'x' });
    expect(await engine(half).available()).toEqual({ ok: false, reason: `The whisper model in ${half} is incomplete: no decoder file` });
    const truncated = folder('truncated', { 'model.onnx': '', 'tokens.txt': 'x' });
    expect(await engine(truncated).available()).toEqual({ ok: false, reason: `The paraformer model in ${truncated} is incomplete: model.onnx is empty` });
  });

  it('finds a model installed by name under the models folder', () => {
    folder('whisper-tiny.en', { 'tiny.en-encoder.onnx': 'x' });
    expect(resolveModelDir('whisper-tiny.en', root)).toBe(path.join(root, 'whisper-tiny.en'));
    expect(resolveModelDir('/srv/models/x', root)).toBe('/srv/models/x');
  });

  it('without the optional package: a reason, and transcribe fails with it', async () => {
    const dir = folder('ok-paraformer', { 'model.onnx': 'x', 'tokens.txt': 'x' });
    const missing = () =>
      Promise.reject(Object.assign(new Error("Cannot find package 'sherpa-onnx-node'"), { code: 'ERR_MODULE_NOT_FOUND' })) as Promise<never>;
    const e = engine(dir, missing);
    const a = await e.available();
    expect(a).toEqual({
      ok: false,
      reason: 'The local model engine needs the optional package sherpa-onnx-node, which is not installed (npm install sherpa-onnx-node)',
    });
    await expect(e.transcribe({ pcm: new Int16Array(16000), sampleRate: 16000, speech: [], language: 'en', vocabulary: { phrases: [] } })).rejects.toThrow(
      /needs the optional package sherpa-onnx-node/,
    );
  });

  it.skipIf(!sherpaInstalled)('a corrupt model is a clear reason (checked in a child process), and this process lives on', async () => {
    const dir = folder('corrupt-zipformer', {
      'encoder.onnx': 'not onnx',
      'decoder.onnx': 'not onnx',
      'joiner.onnx': 'not onnx',
      'tokens.txt': '<blk> 0\na 1\n',
    });
    const a = await engine(dir).available();
    expect(a.ok).toBe(false);
    expect(!a.ok && a.reason).toMatch(new RegExp(`^The transducer model in ${dir} could not be loaded .*: .*(Protobuf parsing failed|Failed to create)`));
    const w = folder('corrupt-whisper', { 'tiny-encoder.onnx': 'garbage', 'tiny-decoder.onnx': 'garbage', 'tiny-tokens.txt': 'x' });
    expect((await engine(w).available()).ok).toBe(false);
    // A job that goes ahead anyway fails with the reason (loaded in this process, through the async loader).
    const input = { pcm: new Int16Array(16000), sampleRate: 16000, speech: [{ startMs: 100, endMs: 900 }], language: 'en', vocabulary: { phrases: [] } };
    await expect(engine(dir).transcribe(input)).rejects.toThrow(/The transducer model in .* could not be loaded: .*Protobuf parsing failed/);
  });
});

describe('sherpa results as words', () => {
  it('joins BPE pieces at their ▁ marks, times from the tokens, confidence from their log-probabilities', () => {
    const words = wordsFromResult(
      {
        text: ' THANK YOU FOR CALLING',
        tokens: ['▁THANK', '▁YOU', '▁FOR', '▁CALL', 'ING'],
        timestamps: [0.12, 0.48, 0.64, 0.84, 1.08],
        ys_log_probs: [-0.05, -0.1, -0.2, -0.3, -0.5],
      },
      2000,
    );
    expect(words).toEqual([
      { w: 'thank', s: 120, e: 480, c: Math.round(Math.exp(-0.05) * 1000) / 1000 },
      { w: 'you', s: 480, e: 640, c: Math.round(Math.exp(-0.1) * 1000) / 1000 },
      { w: 'for', s: 640, e: 840, c: Math.round(Math.exp(-0.2) * 1000) / 1000 },
      { w: 'calling', s: 840, e: 1480, c: Math.round(Math.exp(-0.4) * 1000) / 1000 },
    ]);
  });

  it('joins paraformer pieces at "@@", and spreads text without token times (whisper)', () => {
    expect(
      wordsFromResult({ text: 'hello world', tokens: ['hel@@', 'lo', 'world'], timestamps: [0.1, 0.3, 0.6] }, 1000).map((w) => [w.w, w.s, w.e, w.c]),
    ).toEqual([
      ['hello', 100, 600, null],
      ['world', 600, 1000, null],
    ]);
    expect(
      wordsFromResult({ text: ' Yes, please.', tokens: [], timestamps: [] }, 1500, { startMs: 250, endMs: 1250 }).map((w) => ({
        ...w,
        s: w.s - 250,
        e: w.e - 250,
      })),
    ).toEqual([
      { w: 'yes', s: 0, e: 364, c: null, a: true },
      { w: 'please', s: 364, e: 1000, c: null, a: true },
    ]);
  });
});

describe('decoding through the sherpa-onnx interface', () => {
  it('decodes each speech region on its own and places the words in the call; one recognizer per language for multilingual whisper', async () => {
    // A stand-in for the package (no model can run here): it "recognises" a region as the word r<value> at 0.1 s,
    // reading the constant level the synthetic audio has in that region, and records what it was given.
    const configs: Record<string, unknown>[] = [];
    const given: { n: number; sampleRate: number; level: number }[] = [];
    const sherpa = {
      OfflineRecognizer: {
        async createAsync(config: Record<string, unknown>) {
          configs.push(config);
          let last: { samples: Float32Array; sampleRate: number };
          return {
            createStream: () => ({ acceptWaveform: (w: { samples: Float32Array; sampleRate: number }) => (last = w) }),
            async decodeAsync() {
              const level = Math.round(Math.max(...last.samples) * 32768);
              given.push({ n: last.samples.length, sampleRate: last.sampleRate, level });
              return { text: ` r${level}`, tokens: [`▁R${level}`], timestamps: [0.35], ys_log_probs: [-0.1] };
            },
          };
        },
      },
    };
    const dir = folder('sherpa-onnx-whisper-base', { 'base-encoder.onnx': 'x', 'base-decoder.onnx': 'x', 'base-tokens.txt': 'x' });
    const e = new LocalModelEngine({ model: dir, modelsDir: root, threads: 2, load: async () => sherpa });
    expect(await e.available()).toEqual({ ok: true });
    const pcm = new Int16Array(8000 * 60);
    const regions = [
      { startMs: 2000, endMs: 4000 },
      { startMs: 30_000, endMs: 33_000 },
    ];
    regions.forEach((r, i) => pcm.fill(100 + i, r.startMs * 8, r.endMs * 8));
    const u = await e.transcribe({ pcm, sampleRate: 8000, speech: regions, language: 'fr', vocabulary: { phrases: [] } });
    // Padded by 250 ms: the word at 0.35 s into each piece is 100 ms into its region.
    expect(u.map((x) => x.words.map((w) => [w.w, w.s]))).toEqual([[['r100', 2100]], [['r101', 30100]]]);
    expect(u[0]!.words[0]!.c).toBe(Math.round(Math.exp(-0.1) * 1000) / 1000);
    expect(given).toEqual([
      { n: 2500 * 8, sampleRate: 8000, level: 100 },
      { n: 3500 * 8, sampleRate: 8000, level: 101 },
    ]);
    // The availability check loaded it without a language; French got its own recognizer.
    expect(configs.map((c) => (c.modelConfig as { whisper: { language: string }; numThreads: number }).whisper.language)).toEqual(['', 'fr']);
    expect((configs[1]!.modelConfig as { numThreads: number }).numThreads).toBe(2);
    await e.transcribe({ pcm, sampleRate: 8000, speech: regions.slice(0, 1), language: 'fr', vocabulary: { phrases: [] } });
    expect(configs).toHaveLength(2);
  });
});

describe.skipIf(!process.env.EARSHOT_TEST_MODEL)('with a real model (EARSHOT_TEST_MODEL)', () => {
  it('transcribes synthesized speech inside its voice-activity region', async () => {
    const wav = path.join(root, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', wav, 'thank you for calling how can I help you today']);
    const raw = path.join(root, 'speech.raw');
    execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', raw]);
    const speech = new Int16Array(new Uint8Array(fs.readFileSync(raw)).buffer);
    // 1 s of silence before and after.
    const pcm = new Int16Array(speech.length + 32000);
    pcm.set(speech, 16000);
    const endMs = 1000 + Math.round(speech.length / 16);
    const e = new LocalModelEngine({ model: process.env.EARSHOT_TEST_MODEL, modelsDir: root, threads: 2 });
    expect(await e.available()).toEqual({ ok: true });
    const u = await e.transcribe({ pcm, sampleRate: 16000, speech: [{ startMs: 1000, endMs }], language: 'en', vocabulary: { phrases: [] } });
    const words = u.flatMap((x) => x.words);
    expect(words.map((w) => w.w)).toEqual(expect.arrayContaining(['thank', 'you', 'help']));
    for (const w of words) {
      expect(w.s).toBeGreaterThanOrEqual(750);
      expect(w.e).toBeLessThanOrEqual(endMs + 250);
    }
  });
});
