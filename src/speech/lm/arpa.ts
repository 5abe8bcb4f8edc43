// A trigram language model in ARPA text form (read by pocketsphinx 0.8 with -lm), built with interpolated
// Kneser-Ney smoothing: absolute discounting per order with the discount from the count-of-counts
// (D = n1 / (n1 + 2 n2)), lower orders estimated from continuation counts (how many different words precede an
// n-gram), and the interpolation weight of each context written as its back-off weight. Because every stored
// probability is already the interpolated one, P(w|h) sums to 1 over the vocabulary for every context h, which the
// tests check.

export const BOS = '<s>';
export const EOS = '</s>';

export type Sentence = readonly string[];

export interface NgramCounts {
  /** Order 1..3: n-gram (words joined by a space) → count. Sentence boundaries included. */
  orders: Map<string, number>[];
}

/** Counts 1- to 3-grams over sentences wrapped in <s> … </s>; `weight` repeats a sentence (tenant vocabulary). */
export function countNgrams(sentences: Iterable<{ words: Sentence; weight?: number }>, order = 3): NgramCounts {
  const orders: Map<string, number>[] = [];
  for (let n = 0; n < order; n++) orders.push(new Map());
  for (const { words, weight = 1 } of sentences) {
    if (!words.length) continue;
    const toks = [BOS, ...words, EOS];
    for (let n = 1; n <= order; n++) {
      const m = orders[n - 1]!;
      for (let i = 0; i + n <= toks.length; i++) {
        // The unigram <s> is never predicted; it is still listed in the model (with no probability).
        if (n === 1 && toks[i] === BOS) continue;
        const key = toks.slice(i, i + n).join(' ');
        m.set(key, (m.get(key) ?? 0) + weight);
      }
    }
  }
  return { orders };
}

export interface ArpaEntry {
  words: string[];
  /** log10 probability. */
  logp: number;
  /** log10 back-off weight, for n-grams that are the context of a higher order. */
  bow?: number;
}

export interface ArpaModel {
  order: number;
  /** entries[n-1] = n-grams of order n, sorted. */
  entries: ArpaEntry[][];
}

function discountOf(counts: Iterable<number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const c of counts) {
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  if (n1 === 0) return 0.5;
  const d = n1 / (n1 + 2 * n2);
  return Math.min(0.95, Math.max(0.1, d));
}

const head = (key: string) => key.slice(0, key.lastIndexOf(' '));
const tail = (key: string) => key.slice(key.indexOf(' ') + 1);

/**
 * Builds the model. `vocabulary` words that never occur in the counts still get a unigram (from the uniform share of
 * the interpolation), so every word of the dictionary can be recognised.
 */
export interface Background {
  /** word → probability (sums to 1 over its words): a general-language unigram distribution. */
  unigrams: Map<string, number>;
  /** Its share of the unigram level (0-1); the domain model's unigrams get the rest. */
  weight: number;
}

export function buildKneserNey(counts: NgramCounts, vocabulary: Iterable<string> = [], background?: Background): ArpaModel {
  const order = counts.orders.length;
  // Adjusted counts: the highest order and n-grams starting with <s> keep raw counts; the others use continuation
  // counts (number of distinct words seen before them).
  const adjusted: Map<string, number>[] = counts.orders.map(() => new Map());
  adjusted[order - 1] = new Map(counts.orders[order - 1]);
  for (let n = order; n >= 2; n--) {
    for (const key of counts.orders[n - 1]!.keys()) {
      const lower = tail(key);
      if (lower.startsWith(BOS)) continue;
      adjusted[n - 2]!.set(lower, (adjusted[n - 2]!.get(lower) ?? 0) + 1);
    }
  }
  for (let n = 1; n < order; n++) {
    for (const [key, c] of counts.orders[n - 1]!) if (key.startsWith(BOS)) adjusted[n - 1]!.set(key, c);
  }

  const vocab = new Set<string>();
  for (const key of counts.orders[0]!.keys()) vocab.add(key);
  for (const w of vocabulary) if (w && w !== BOS) vocab.add(w);
  if (background) for (const w of background.unigrams.keys()) if (w !== BOS) vocab.add(w);
  vocab.add(EOS);
  const bgWeight = background ? Math.min(1, Math.max(0, background.weight)) : 0;

  // Unigrams: discounted continuation counts, interpolated with a uniform distribution over the vocabulary.
  const probs: Map<string, number>[] = adjusted.map(() => new Map());
  const bows: Map<string, number>[] = adjusted.map(() => new Map());
  {
    const d = discountOf(adjusted[0]!.values());
    let total = 0;
    for (const c of adjusted[0]!.values()) total += c;
    const types = adjusted[0]!.size;
    const uniformMass = total > 0 ? (d * types) / total : 1;
    const uniform = 1 / vocab.size;
    for (const w of vocab) {
      const c = adjusted[0]!.get(w) ?? 0;
      const domain = (total > 0 ? Math.max(c - d, 0) / total : 0) + uniformMass * uniform;
      // Linear interpolation with the background keeps the sum at 1; higher orders back off into this mixture.
      probs[0]!.set(w, (1 - bgWeight) * domain + bgWeight * (background?.unigrams.get(w) ?? 0));
    }
  }

  for (let n = 2; n <= order; n++) {
    const cur = adjusted[n - 1]!;
    const d = discountOf(cur.values());
    const ctxTotal = new Map<string, number>();
    const ctxTypes = new Map<string, number>();
    for (const [key, c] of cur) {
      const h = head(key);
      ctxTotal.set(h, (ctxTotal.get(h) ?? 0) + c);
      ctxTypes.set(h, (ctxTypes.get(h) ?? 0) + 1);
    }
    for (const [h, total] of ctxTotal) bows[n - 2]!.set(h, (d * ctxTypes.get(h)!) / total);
    for (const [key, c] of cur) {
      const h = head(key);
      const lower = probs[n - 2]!.get(tail(key)) ?? lowerProb(probs, bows, tail(key).split(' '));
      probs[n - 1]!.set(key, Math.max(c - d, 0) / ctxTotal.get(h)! + bows[n - 2]!.get(h)! * lower);
    }
  }

  const entries: ArpaEntry[][] = [];
  for (let n = 1; n <= order; n++) {
    const list: ArpaEntry[] = [];
    const keys = n === 1 ? [BOS, ...[...vocab].filter((w) => w !== BOS)] : [...probs[n - 1]!.keys()];
    for (const key of keys) {
      const p = key === BOS && n === 1 ? 0 : probs[n - 1]!.get(key)!;
      const e: ArpaEntry = { words: key.split(' '), logp: key === BOS && n === 1 ? -99 : Math.log10(p) };
      if (n < order) {
        const b = bows[n - 1]!.get(key);
        if (b !== undefined) e.bow = Math.log10(b);
        else if (n < order) e.bow = 0;
      }
      list.push(e);
    }
    list.sort((a, b) => (a.words.join(' ') < b.words.join(' ') ? -1 : 1));
    entries.push(list);
  }
  return { order, entries };
}

/** P(w | history) by backing off through the stored tables (used for lower-order lookups while building and in tests). */
function lowerProb(probs: Map<string, number>[], bows: Map<string, number>[], words: string[]): number {
  const key = words.join(' ');
  const n = words.length;
  const p = probs[n - 1]?.get(key);
  if (p !== undefined) return p;
  if (n === 1) return 0;
  const b = bows[n - 2]?.get(words.slice(0, -1).join(' ')) ?? 1;
  return b * lowerProb(probs, bows, words.slice(1));
}

/** P(word | history) from an ARPA model, with standard back-off. History is the preceding words (any length). */
export function arpaProb(model: ArpaModel, history: readonly string[], word: string): number {
  const index = arpaIndex(model);
  const h = history.slice(Math.max(0, history.length - (model.order - 1)));
  const lookup = (ctx: readonly string[]): number => {
    const e = index.get([...ctx, word].join(' '));
    if (e) return 10 ** e.logp;
    if (!ctx.length) return 0;
    const b = index.get(ctx.join(' '))?.bow ?? 0;
    return 10 ** b * lookup(ctx.slice(1));
  };
  return lookup(h);
}

const indexCache = new WeakMap<ArpaModel, Map<string, ArpaEntry>>();
function arpaIndex(model: ArpaModel): Map<string, ArpaEntry> {
  let m = indexCache.get(model);
  if (!m) {
    m = new Map();
    for (const list of model.entries) for (const e of list) m.set(e.words.join(' '), e);
    indexCache.set(model, m);
  }
  return m;
}

/** The ARPA text. */
export function formatArpa(model: ArpaModel): string {
  const lines: string[] = ['\\data\\'];
  for (let n = 1; n <= model.order; n++) lines.push(`ngram ${n}=${model.entries[n - 1]!.length}`);
  for (let n = 1; n <= model.order; n++) {
    lines.push('', `\\${n}-grams:`);
    for (const e of model.entries[n - 1]!) {
      const p = e.logp.toFixed(6);
      lines.push(e.bow !== undefined ? `${p}\t${e.words.join(' ')}\t${e.bow.toFixed(6)}` : `${p}\t${e.words.join(' ')}`);
    }
  }
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}

/** Parses ARPA text (for tests and for checking what was written). */
export function parseArpa(text: string): ArpaModel {
  const counts: number[] = [];
  const entries: ArpaEntry[][] = [];
  let section = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let m: RegExpExecArray | null;
    if ((m = /^ngram (\d+)=(\d+)$/.exec(line))) counts[Number(m[1]) - 1] = Number(m[2]);
    else if ((m = /^\\(\d+)-grams:$/.exec(line))) {
      section = Number(m[1]);
      entries[section - 1] = [];
    } else if (line === '\\end\\') section = 0;
    else if (section > 0) {
      const f = line.split(/\s+/);
      const words = f.slice(1, 1 + section);
      const e: ArpaEntry = { words, logp: Number(f[0]) };
      if (f.length > 1 + section) e.bow = Number(f[1 + section]);
      entries[section - 1]!.push(e);
    }
  }
  entries.forEach((list, i) => {
    if (list.length !== counts[i]) throw new Error(`ARPA header says ${counts[i]} ${i + 1}-grams, found ${list.length}`);
  });
  return { order: entries.length, entries };
}
