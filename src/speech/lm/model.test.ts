import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arpaProb, parseArpa } from './arpa.ts';
import { corpusSentences } from './corpus/index.ts';
import { prepareLanguageModel, tokenize, trainingSentences } from './model.ts';

const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

describe('tokenize', () => {
  it('lower-cases, keeps apostrophes, and says numbers and symbols as words', () => {
    expect(tokenize("I'm on the Fiber-Max 500 plan, 24/7 & $30")).toEqual([
      "i'm",
      'on',
      'the',
      'fiber',
      'max',
      'five',
      'hundred',
      'plan',
      'twenty',
      'four',
      'seven',
      'and',
      'thirty',
      'dollars',
    ]);
    expect(tokenize('code 0042')).toEqual(['code', 'zero', 'zero', 'four', 'two']);
  });
});

describe('training text', () => {
  it('is our written corpus plus generated spoken forms, with the tenant phrases weighted in', () => {
    const corpus = corpusSentences();
    expect(corpus.length).toBeGreaterThan(2000);
    const s = trainingSentences(['Premium Plus', 'Brightline Telecom']);
    const phrase = s.filter((x) => x.words.join(' ') === 'premium plus');
    expect(phrase).toHaveLength(1);
    expect(phrase[0]!.weight).toBeGreaterThan(1);
    expect(s.some((x) => x.words.join(' ') === 'about the brightline telecom')).toBe(true);
  });
});

describe.runIf(existsSync(CMUDICT))('prepareLanguageModel', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('builds an ARPA model and a dictionary holding the tenant words, then serves them from the cache', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-lm-test-'));
    dirs.push(cacheDir);
    const phrases = ['Zentrova Mobile', 'Quillfeather rewards'];
    const first = await prepareLanguageModel({ phrases, cacheDir, cmudictPath: CMUDICT, generalWords: 2000 });
    expect(first.built).toBe(true);
    const arpa = parseArpa(await readFile(first.lmPath, 'utf8'));
    const vocab = new Set(arpa.entries[0]!.map((e) => e.words[0]));
    for (const w of ['zentrova', 'mobile', 'quillfeather', 'rewards', 'thank', 'refund']) expect(vocab.has(w), w).toBe(true);
    // A word only the general-English share brings in.
    expect(vocab.has('because')).toBe(true);
    const dict = await readFile(first.dictPath, 'utf8');
    expect(dict).toMatch(/^zentrova [A-Z ]+$/m);
    expect(dict).toMatch(/^quillfeather [A-Z ]+$/m);
    // Every word of the model can be pronounced.
    const dictWords = new Set(dict.split('\n').map((l) => l.split(' ')[0]!.replace(/\(\d+\)$/, '')));
    for (const w of vocab) if (w !== '<s>' && w !== '</s>') expect(dictWords.has(w!), w).toBe(true);
    // The tenant phrase is expected once its first word is heard.
    expect(arpaProb(arpa, ['<s>', 'zentrova'], 'mobile')).toBeGreaterThan(0.3);

    const again = await prepareLanguageModel({ phrases: ['quillfeather REWARDS', 'zentrova mobile'], cacheDir, cmudictPath: CMUDICT, generalWords: 2000 });
    expect(again).toMatchObject({ built: false, key: first.key, lmPath: first.lmPath });
    const other = await prepareLanguageModel({ phrases: ['something else'], cacheDir, cmudictPath: CMUDICT, generalWords: 2000 });
    expect(other.key).not.toBe(first.key);
    expect((await stat(other.lmPath)).size).toBeGreaterThan(0);
  }, 60_000);

  it('builds once when several decodes ask for the same model at the same time', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-lm-test-'));
    dirs.push(cacheDir);
    const results = await Promise.all([1, 2, 3].map(() => prepareLanguageModel({ phrases: ['same'], cacheDir, cmudictPath: CMUDICT, generalWords: 0 })));
    expect(results.filter((r) => r.built)).toHaveLength(3); // the same build promise, shared
    expect(new Set(results.map((r) => r.lmPath)).size).toBe(1);
  }, 60_000);
});
