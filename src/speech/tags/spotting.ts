// Phrase spotting on a stored transcript: where a speech tag's phrase was said, and how sure we are.
//
// ASR output is noisy (the offline engine misses about a third of the words on telephone audio), so an exact string
// search would miss most real mentions and a loose one would flood the list. Each candidate is scored on two things:
//   - how closely the recognised words match the phrase, word by word (exact 1, same stem 0.8, sound-alike or
//     near-spelling below that; a word of the phrase missing or an extra word in between costs), allowing one
//     recognised word to stand for two of the phrase and the other way round ("can sell" for "cancel");
//   - the engine's own confidence in those words (neutral when it gives none).
// The figure is match² × (0.55 + 0.45 × word confidence): an exact match the engine is not unsure of is "certainly"
// (≥ 0.65), a stem variant or one fuzzy word in a long phrase "probably" (≥ 0.50), a sound-alike of a single word at
// best "maybe" (≥ 0.40); below 0.40 nothing is kept. The weights come from how ASR errors behave (substitutions by
// sound-alikes, split and merged words), not from any scored corpus.
import { doubleMetaphone } from 'double-metaphone';
import type { SpeakerRole, TranscriptWord } from '../model.ts';
import { stemmerFor } from '../../search/analyzer/stem.ts';
import { stopWords } from '../../search/analyzer/stopwords/index.ts';
import { isLanguage } from '../../search/analyzer/languages.ts';

export const MIN_CONFIDENCE = 0.4;
/** Confidence assumed for words an engine gives none for (the OpenAI-compatible servers): neither for nor against. */
const NEUTRAL_WORD_CONFIDENCE = 0.7;

export type SpotParty = 'agent' | 'customer';

export interface SpotDefinition {
  id: string;
  phrase: string;
  /** Primary language (e.g. "en"), or null for any. */
  language: string | null;
  /** Who must have said it, or null for anyone. */
  party: SpotParty | null;
}

export interface SpotUtterance {
  id: string;
  role: SpeakerRole;
  segmentId: string | null;
  words: TranscriptWord[];
}

export type MatchKind = 'exact' | 'stem' | 'fuzzy';

export interface SpotHit {
  tagId: string;
  utteranceId: string;
  segmentId: string | null;
  startMs: number;
  endMs: number;
  /** 0–1, at least MIN_CONFIDENCE. */
  confidence: number;
  /** How the text matched (the weakest word decides). */
  match: MatchKind;
  /** The recognised words the hit covers. */
  text: string;
}

// ---- normalisation ------------------------------------------------------------------------------------------------

/** Lower case, no diacritics, letters and digits only ("Don't" → "dont", "café" → "cafe"). */
export function normWord(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for 0 … 999 999 (engines write numbers as words; a tag may be typed with digits). */
export function numberWords(n: number): string[] {
  if (n < 20) return [ONES[n]!];
  if (n < 100) return n % 10 ? [TENS[Math.floor(n / 10)]!, ONES[n % 10]!] : [TENS[n / 10]!];
  if (n < 1000) return [ONES[Math.floor(n / 100)]!, 'hundred', ...(n % 100 ? numberWords(n % 100) : [])];
  return [...numberWords(Math.floor(n / 1000)), 'thousand', ...(n % 1000 ? numberWords(n % 1000) : [])];
}

/** The phrase as words to look for: normalised, numbers written out in English where the language allows. */
export function phraseTokens(phrase: string, language: string | null): string[] {
  const out: string[] = [];
  for (const raw of phrase.split(/[\s\-_/]+/)) {
    const w = normWord(raw);
    if (!w) continue;
    if (/^\d{1,6}$/.test(w) && (language === null || language === 'en')) out.push(...numberWords(Number(w)));
    else out.push(w);
  }
  return out;
}

const primary = (lang: string | null | undefined) => (lang ? lang.toLowerCase().split(/[-_]/)[0]! : null);

// ---- word similarity ----------------------------------------------------------------------------------------------

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2);
    rowB = new Int32Array(b.length * 2);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}

const ratio = (a: string, b: string) => 1 - levenshtein(a, b) / Math.max(a.length, b.length, 1);

/** Below this spelling similarity even a perfect sound-alike stays under the fuzzy floor (0.5 × 1 + 0.5 × 0.1 < 0.55). */
const MIN_LEXICAL = 0.1;

const metaphones = new Map<string, [string, string]>();
function metaphone(w: string): [string, string] {
  let m = metaphones.get(w);
  if (!m) {
    if (metaphones.size > 100_000) metaphones.clear();
    m = doubleMetaphone(w);
    metaphones.set(w, m);
  }
  return m;
}

class Similarity {
  private readonly cache = new Map<string, Map<string, number>>();
  private pairs = 0;
  private readonly stem: (w: string) => string;
  private readonly phonetic: boolean;
  readonly stops: ReadonlySet<string>;

  constructor(language: string | null) {
    const lang = primary(language) ?? 'en';
    const stem = isLanguage(lang) ? stemmerFor(lang) : (w: string) => w;
    const stems = new Map<string, string>();
    this.stem = (w) => {
      let r = stems.get(w);
      if (r === undefined) {
        r = /^\p{L}+$/u.test(w) ? stem(w) : w;
        stems.set(w, r);
      }
      return r;
    };
    // Double Metaphone encodes English (and names) only; elsewhere the spelling distance alone.
    this.phonetic = lang === 'en';
    this.stops = isLanguage(lang) ? stopWords(lang) : new Set();
  }

  /** 0–1: how well recognised word `w` stands for phrase word `p`. */
  word(p: string, w: string): number {
    if (p === w) return 1;
    let row = this.cache.get(p);
    if (!row) this.cache.set(p, (row = new Map()));
    let s = row.get(w);
    if (s === undefined) {
      s = this.compute(p, w);
      row.set(w, s);
      this.pairs++;
    }
    return s;
  }

  private compute(p: string, w: string): number {
    if (!p || !w) return 0;
    if (this.stem(p) === this.stem(w)) return 0.8;
    // The spelling distance is at least the length difference: most pairs are ruled out without computing it.
    if (1 - Math.abs(p.length - w.length) / Math.max(p.length, w.length) < MIN_LEXICAL) return 0;
    const lexical = ratio(p, w);
    if (lexical < MIN_LEXICAL) return 0;
    let sound = 0;
    if (this.phonetic && /^[a-z]+$/.test(p) && /^[a-z]+$/.test(w)) {
      const [p1, p2] = metaphone(p);
      const [w1, w2] = metaphone(w);
      sound = Math.max(ratio(p1, w1), ratio(p1, w2), ratio(p2, w1), ratio(p2, w2));
    }
    const blend = this.phonetic ? 0.5 * sound + 0.5 * lexical : lexical;
    if (blend < 0.55) return 0;
    // Short words have many sound-alikes ("fee", "free", "see"): trust a fuzzy match of one less.
    const shortness = Math.min(1, 0.6 + 0.08 * p.length);
    return 0.8 * blend * shortness;
  }

  size() {
    return this.pairs;
  }

  weight(p: string): number {
    return this.stops.has(p) ? 0.5 : 1;
  }
}

const similarities = new Map<string, Similarity>();
/** One similarity (and its cache of word pairs) per language, kept across transcripts: tags and vocabulary repeat. */
function similarityFor(language: string | null) {
  const key = primary(language) ?? 'en';
  let sim = similarities.get(key);
  if (!sim || sim.size() > 500_000) {
    sim = new Similarity(language);
    similarities.set(key, sim);
  }
  return sim;
}

// ---- alignment ----------------------------------------------------------------------------------------------------

/** Cost (in phrase-word weight) of a recognised word inside the match that is not in the phrase. */
const INSERTION_COST = 0.35;
/** A word split or merged by the engine ("can sell" / "cancel") is a little less sure than a plain match. */
const SPLIT_FACTOR = 0.95;

interface Alignment {
  score: number;
  /** Weakest kind of word match used. */
  kind: MatchKind;
}

/** Word similarities of one phrase against one utterance, row-major by phrase word (n × m). */
interface SimMatrix {
  n: number;
  m: number;
  /** P[i] against W[j]. */
  one: Float64Array;
  /** P[i] against W[j] + W[j + 1] (a word the engine split), SPLIT_FACTOR applied; 0 on the last column. */
  split: Float64Array;
  /** P[i] + P[i + 1] against W[j] (two words the engine merged), SPLIT_FACTOR applied; 0 on the last row. */
  merged: Float64Array;
}

function simMatrix(sim: Similarity, P: string[], W: string[]): SimMatrix {
  const n = P.length;
  const m = W.length;
  const one = new Float64Array(n * m);
  const split = new Float64Array(n * m);
  const merged = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      one[i * m + j] = sim.word(P[i]!, W[j]!);
      if (j + 1 < m) split[i * m + j] = sim.word(P[i]!, W[j]! + W[j + 1]!) * SPLIT_FACTOR;
      if (i + 1 < n) merged[i * m + j] = sim.word(P[i]! + P[i + 1]!, W[j]!) * SPLIT_FACTOR;
    }
  return { n, m, one, split, merged };
}

const KINDS: MatchKind[] = ['exact', 'stem', 'fuzzy'];
const kindRank = (s: number) => (s >= 1 ? 0 : s >= 0.8 ? 1 : 2);

/**
 * Best weighted alignment of the phrase words with the window W[start .. start + len) (all of the window used, each
 * phrase word matched, skipped, or merged), normalised by the phrase's total weight: 1 = every word exact, nothing
 * extra.
 */
function align(M: SimMatrix, weights: number[], total: number, start: number, len: number): Alignment {
  const { n, m } = M;
  const W1 = len + 1;
  const best = new Float64Array((n + 1) * W1).fill(-Infinity);
  const kinds = new Uint8Array((n + 1) * W1);
  best[0] = 0;
  const relax = (i: number, j: number, v: number, k: number) => {
    const c = i * W1 + j;
    if (v > best[c]!) {
      best[c] = v;
      kinds[c] = k;
    }
  };
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= len; j++) {
      const cur = best[i * W1 + j]!;
      if (cur === -Infinity) continue;
      const k = kinds[i * W1 + j]!;
      // Phrase word not recognised at all.
      if (i < n) relax(i + 1, j, cur, 2);
      // Extra recognised word.
      if (j < len) relax(i, j + 1, cur - INSERTION_COST, k);
      if (i < n && j < len) {
        const at = i * m + start + j;
        const s = M.one[at]!;
        if (s > 0) relax(i + 1, j + 1, cur + weights[i]! * s, Math.max(k, kindRank(s)));
        const s2 = j + 1 < len ? M.split[at]! : 0;
        if (s2 > 0) relax(i + 1, j + 2, cur + weights[i]! * s2, Math.max(k, s2 >= 0.8 ? 1 : 2));
        const s3 = M.merged[at]!;
        if (s3 > 0) relax(i + 2, j + 1, cur + (weights[i]! + weights[i + 1]!) * s3, Math.max(k, s3 >= 0.8 ? 1 : 2));
      }
    }
  }
  const end = n * W1 + len;
  return { score: Math.max(0, best[end]!) / total, kind: KINDS[kinds[end]!]! };
}

/** The confidence of a hit from its text match (0–1) and the engine's mean word confidence (null: none given). */
export function combineConfidence(match: number, wordConfidence: number | null): number {
  const a = wordConfidence ?? NEUTRAL_WORD_CONFIDENCE;
  return Math.round(match * match * (0.55 + 0.45 * Math.min(1, Math.max(0, a))) * 1000) / 1000;
}

const partyMatches = (party: SpotParty | null, role: SpeakerRole) => party === null || party === role;
const languageMatches = (tagLanguage: string | null, transcriptLanguage: string | null) =>
  tagLanguage === null || transcriptLanguage === null || primary(tagLanguage) === primary(transcriptLanguage);

/**
 * Every hit of the definitions in the utterances (a transcript in `language`). A definition restricted to a party
 * only looks at that party's utterances (an utterance of unknown speaker, from a mono mix, matches only "anyone").
 * Within one utterance, overlapping candidates of one tag keep the best; hits never span two utterances.
 */
export function spotTranscript(utterances: SpotUtterance[], definitions: SpotDefinition[], language: string | null = null): SpotHit[] {
  const sim = similarityFor(language);
  const out: SpotHit[] = [];
  const normalised = utterances.map((u) => u.words.map((w) => normWord(w.w)));
  for (const def of definitions) {
    if (!languageMatches(def.language, language)) continue;
    const P = phraseTokens(def.phrase, primary(language) ?? def.language);
    if (P.length === 0) continue;
    const weights = P.map((p) => sim.weight(p));
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    utterances.forEach((u, ui) => {
      if (!partyMatches(def.party, u.role) || u.words.length === 0) return;
      const W = normalised[ui]!;
      const M = simMatrix(sim, P, W);
      const m = W.length;
      // Upper bound: the best each phrase word can do anywhere in the utterance.
      let bound = 0;
      for (let i = 0; i < P.length; i++) {
        let b = 0;
        for (let j = 0; j < m; j++) b = Math.max(b, M.one[i * m + j]!, M.split[i * m + j]!, M.merged[i * m + j]!, i > 0 ? M.merged[(i - 1) * m + j]! : 0);
        bound += weights[i]! * Math.min(1, b);
      }
      if (combineConfidence(bound / totalWeight, 1) < MIN_CONFIDENCE) return;

      const candidates: SpotHit[] = [];
      const minLen = Math.max(1, Math.ceil(P.length / 2));
      const maxLen = P.length * 2 + 1;
      for (let start = 0; start < m; start++) {
        // The best window starts with a matched word (one starting with an extra word scores less than without it).
        let anchored = false;
        for (let i = 0; i < P.length && !anchored; i++) {
          const at = i * m + start;
          anchored = M.one[at]! > 0 || M.split[at]! > 0 || M.merged[at]! > 0;
        }
        if (!anchored) continue;
        for (let len = minLen; len <= maxLen && start + len <= m; len++) {
          const a = align(M, weights, totalWeight, start, len);
          if (a.score <= 0) continue;
          const words = u.words.slice(start, start + len);
          const known = words.filter((w) => w.c !== null);
          const wordConf = known.length ? known.reduce((s, w) => s + (w.c as number), 0) / known.length : null;
          const confidence = combineConfidence(Math.min(1, a.score), wordConf);
          if (confidence < MIN_CONFIDENCE) continue;
          candidates.push({
            tagId: def.id,
            utteranceId: u.id,
            segmentId: u.segmentId,
            startMs: words[0]!.s,
            endMs: words[words.length - 1]!.e,
            confidence,
            match: a.kind,
            text: words.map((w) => w.w).join(' '),
          });
        }
      }
      // Best first; a candidate overlapping a better one is the same mention.
      candidates.sort((x, y) => y.confidence - x.confidence || x.endMs - x.startMs - (y.endMs - y.startMs) || x.startMs - y.startMs);
      const kept: SpotHit[] = [];
      for (const c of candidates) if (!kept.some((k) => c.startMs < k.endMs && k.startMs < c.endMs)) kept.push(c);
      out.push(...kept.sort((x, y) => x.startMs - y.startMs));
    });
  }
  return out;
}
