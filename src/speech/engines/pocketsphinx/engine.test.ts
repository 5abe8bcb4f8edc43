// The pocketsphinx engine on real audio: one public corpus call's customer channel through the whole path (our VAD
// regions → resampling → pocketsphinx_batch with the domain language model), scored against the ground truth. The
// reference words are used here only to score, never to build the model. Skipped where pocketsphinx or the corpus
// is not installed; the unavailable path is tested everywhere.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignWords, formatAlignment } from '../../wer.ts';
import { corpusAvailable, loadCall, tenantVocabulary } from './corpus-fixture.ts';
import { EngineUnavailableError, PocketsphinxEngine, pocketsphinxAvailable } from './index.ts';
import { groupUtterances, parseCtm, sweepStaleTempDirs } from './engine.ts';

const installed = existsSync('/usr/bin/pocketsphinx_batch') && existsSync('/usr/share/pocketsphinx/model/en-us/en-us/mdef');

/** pids of live processes whose command line mentions `needle`. */
async function processesMentioning(needle: string): Promise<number[]> {
  const out: number[] = [];
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(needle) && Number(pid) !== process.pid) out.push(Number(pid));
  }
  return out;
}

describe('CTM parsing and utterance grouping', () => {
  it('reads words with times and posteriors, dropping fillers and pronunciation variants', () => {
    const ctm = [
      'u0 1 0.70 0.32 thank 0.215',
      'u0 1 1.03 0.11 you(2) 0.554',
      'u0 1 1.20 0.10 <sil> 0.9',
      'u1 1 0.24 0.20 [NOISE] 0.8',
      'u1 1 0.49 0.05 okay 1.7',
      'junk line',
    ].join('\n');
    expect(parseCtm(ctm)).toEqual([
      { utt: 0, start: 0.7, dur: 0.32, word: 'thank', conf: 0.215 },
      { utt: 0, start: 1.03, dur: 0.11, word: 'you', conf: 0.554 },
      { utt: 1, start: 0.49, dur: 0.05, word: 'okay', conf: 1 },
    ]);
  });

  it('splits a region at long pauses and averages the confidence', () => {
    const u = groupUtterances(
      [
        [
          { w: 'hello', s: 0, e: 400, c: 0.9 },
          { w: 'there', s: 450, e: 800, c: 0.5 },
          { w: 'okay', s: 3000, e: 3300, c: 0.4 },
        ],
        [],
      ],
      1200,
    );
    expect(u.map((x) => [x.startMs, x.endMs, x.words.length, x.confidence])).toEqual([
      [0, 800, 2, 0.7],
      [3000, 3300, 1, 0.4],
    ]);
  });
});

describe('temporary folders left by a killed worker', () => {
  it('are removed once older than any decode can run; recent ones and other folders are kept', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'earshot-sweep-'));
    try {
      const day = 24 * 3600_000;
      await mkdir(path.join(parent, 'earshot-ps-old'));
      await mkdir(path.join(parent, 'earshot-ps-new'));
      await mkdir(path.join(parent, 'something-else'));
      const old = new Date(Date.now() - 2 * day);
      await utimes(path.join(parent, 'earshot-ps-old'), old, old);
      await utimes(path.join(parent, 'something-else'), old, old);
      expect(await sweepStaleTempDirs(parent, day)).toBe(1);
      expect((await readdir(parent)).sort()).toEqual(['earshot-ps-new', 'something-else']);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe('when pocketsphinx is not installed', () => {
  it('says which package is missing', async () => {
    const noBinary = await pocketsphinxAvailable({ binary: '/nonexistent/pocketsphinx_batch' });
    expect(noBinary).toEqual({ ok: false, reason: expect.stringContaining('pocketsphinx is not installed') });
    const noModel = await new PocketsphinxEngine({ binary: process.execPath, modelDir: '/nonexistent/model' }).available();
    expect(noModel).toEqual({ ok: false, reason: expect.stringContaining('pocketsphinx-en-us') });
  });

  it('refuses to transcribe with that reason instead of returning an empty transcript', async () => {
    const engine = new PocketsphinxEngine({ binary: '/nonexistent/pocketsphinx_batch' });
    const input = { pcm: new Int16Array(8000), sampleRate: 8000, speech: [{ startMs: 0, endMs: 1000 }], language: 'en', vocabulary: { phrases: [] } };
    await expect(engine.transcribe(input)).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(engine.transcribe(input)).rejects.toThrow(/pocketsphinx is not installed/);
  });
});

describe.runIf(installed && corpusAvailable())('pocketsphinx on a corpus call', () => {
  let cacheDir: string;
  let tempDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-ps-cache-'));
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-ps-tmp-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(tempDir, { recursive: true, force: true });
  });

  it('transcribes the customer of p01 well below the 49.3 % baseline, with word times inside the speech regions', async () => {
    const channel = loadCall('p01_billing_dispute').find((c) => c.side === 'customer')!;
    const engine = new PocketsphinxEngine({ cacheDir, tempDir });
    expect(await engine.available()).toEqual({ ok: true });
    const utterances = await engine.transcribe({
      pcm: channel.pcm,
      sampleRate: channel.sampleRate,
      speech: channel.speech,
      language: 'en',
      vocabulary: { phrases: tenantVocabulary() },
    });
    const words = utterances.flatMap((u) => u.words);
    const score = alignWords(
      channel.reference,
      words.map((w) => w.w),
    );
    // Measured 10-12 %; the bound leaves room for a different pocketsphinx build, not for a regression to the baseline.
    expect(score.wer, formatAlignment(score.alignment)).toBeLessThan(0.3);

    const durationMs = (channel.pcm.length * 1000) / channel.sampleRate;
    const pad = 250;
    let last = -1;
    for (const w of words) {
      expect(w.e).toBeGreaterThanOrEqual(w.s);
      expect(w.s).toBeGreaterThanOrEqual(last); // increasing
      last = w.s;
      expect(w.e).toBeLessThanOrEqual(durationMs);
      expect(
        channel.speech.some((r) => w.s >= r.startMs - pad && w.e <= r.endMs + pad),
        `${w.w} ${w.s}-${w.e}`,
      ).toBe(true);
      expect(w.c).not.toBeNull();
      expect(w.c!).toBeGreaterThanOrEqual(0);
      expect(w.c!).toBeLessThanOrEqual(1);
    }
    for (const u of utterances) {
      expect(u.startMs).toBe(u.words[0]!.s);
      expect(u.endMs).toBe(u.words[u.words.length - 1]!.e);
    }
    // Close to the true word times (the reference is used here only to score).
    const firstRef = channel.utterances[0]!;
    expect(Math.abs(utterances[0]!.startMs - firstRef.start * 1000)).toBeLessThan(400);
    // Nothing left behind.
    expect(await readdir(tempDir)).toEqual([]);
  }, 180_000); // ~15 s on a quiet machine (language model build included); generous for a loaded CI box

  it('returns no utterances without calling the decoder when there is no speech', async () => {
    const engine = new PocketsphinxEngine({ cacheDir, tempDir });
    const out = await engine.transcribe({ pcm: new Int16Array(16000), sampleRate: 8000, speech: [], language: 'en', vocabulary: { phrases: [] } });
    expect(out).toEqual([]);
  });

  it('kills the decoder and cleans up when aborted or out of time', async () => {
    const channel = loadCall('p01_billing_dispute').find((c) => c.side === 'agent')!;
    const input = { pcm: channel.pcm, sampleRate: channel.sampleRate, speech: channel.speech, language: 'en', vocabulary: { phrases: [] } };
    const slow = new PocketsphinxEngine({ cacheDir, tempDir, timeoutMs: 300 });
    await expect(slow.transcribe(input)).rejects.toThrow(/did not finish within/);
    expect(await processesMentioning(tempDir)).toEqual([]);
    expect(await readdir(tempDir)).toEqual([]);

    const controller = new AbortController();
    const engine = new PocketsphinxEngine({ cacheDir, tempDir });
    const running = engine.transcribe({ ...input, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 500);
    await expect(running).rejects.toThrow('job cancelled');
    expect(await processesMentioning(tempDir)).toEqual([]);
    expect(await readdir(tempDir)).toEqual([]);
  }, 120_000);

  it('rejects a language it does not have', async () => {
    const engine = new PocketsphinxEngine({ cacheDir, tempDir });
    await expect(
      engine.transcribe({ pcm: new Int16Array(8000), sampleRate: 8000, speech: [{ startMs: 0, endMs: 900 }], language: 'fr', vocabulary: { phrases: [] } }),
    ).rejects.toThrow(/English only/);
  });
});
