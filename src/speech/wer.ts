// Word error rate with a word-level alignment (Levenshtein with backtrace), for scoring engines against ground truth
// in tests and `npm run bench`. Normalisation follows the corpus convention: lower case, punctuation stripped,
// apostrophes kept ("don't" stays one word).

export type AlignOp = 'ok' | 'sub' | 'del' | 'ins';

export interface AlignStep {
  op: AlignOp;
  /** Reference word (null for an insertion). */
  ref: string | null;
  /** Hypothesis word (null for a deletion). */
  hyp: string | null;
}

export interface WerResult {
  refWords: number;
  hypWords: number;
  correct: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** (S + D + I) / N; 0 when both are empty, 1 per inserted word when the reference is empty. */
  wer: number;
  alignment: AlignStep[];
}

/** Lower case, curly apostrophes made straight, every other punctuation mark a space; hyphens split words. */
export function normalizeForScoring(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}

/**
 * Minimum-edit alignment of two word sequences. Ties prefer a match/substitution over a deletion over an insertion,
 * as NIST sclite does, so the counts agree with it on the usual cases.
 */
export function alignWords(ref: readonly string[], hyp: readonly string[]): WerResult {
  const n = ref.length;
  const m = hyp.length;
  const w = m + 1;
  // Cost matrix as one typed array (a 3-hour call is ~30k words a side per channel when scored whole; callers score
  // per call, which stays small).
  const cost = new Uint32Array((n + 1) * w);
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++) {
    cost[i * w] = i;
    for (let j = 1; j <= m; j++) {
      const diag = cost[(i - 1) * w + j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      const del = cost[(i - 1) * w + j]! + 1;
      const ins = cost[i * w + j - 1]! + 1;
      cost[i * w + j] = Math.min(diag, del, ins);
    }
  }
  const steps: AlignStep[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const c = cost[i * w + j]!;
    if (i > 0 && j > 0 && c === cost[(i - 1) * w + j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      steps.push({ op: ref[i - 1] === hyp[j - 1] ? 'ok' : 'sub', ref: ref[i - 1]!, hyp: hyp[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && c === cost[(i - 1) * w + j]! + 1) {
      steps.push({ op: 'del', ref: ref[i - 1]!, hyp: null });
      i--;
    } else {
      steps.push({ op: 'ins', ref: null, hyp: hyp[j - 1]! });
      j--;
    }
  }
  steps.reverse();
  let correct = 0;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (const s of steps) {
    if (s.op === 'ok') correct++;
    else if (s.op === 'sub') substitutions++;
    else if (s.op === 'del') deletions++;
    else insertions++;
  }
  const errors = substitutions + deletions + insertions;
  return {
    refWords: n,
    hypWords: m,
    correct,
    substitutions,
    deletions,
    insertions,
    wer: n === 0 ? errors : errors / n,
    alignment: steps,
  };
}

/** WER of two texts after scoring normalisation. */
export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  return alignWords(normalizeForScoring(reference), normalizeForScoring(hypothesis));
}

/** Sums several results (e.g. the channels of a corpus) into one WER over all their reference words. */
export function sumWer(results: readonly Pick<WerResult, 'refWords' | 'hypWords' | 'correct' | 'substitutions' | 'deletions' | 'insertions'>[]) {
  const t = { refWords: 0, hypWords: 0, correct: 0, substitutions: 0, deletions: 0, insertions: 0 };
  for (const r of results) {
    t.refWords += r.refWords;
    t.hypWords += r.hypWords;
    t.correct += r.correct;
    t.substitutions += r.substitutions;
    t.deletions += r.deletions;
    t.insertions += r.insertions;
  }
  const errors = t.substitutions + t.deletions + t.insertions;
  return { ...t, wer: t.refWords === 0 ? errors : errors / t.refWords };
}

/** The alignment as three aligned lines (REF / HYP / ops), for bench output and test failure messages. */
export function formatAlignment(steps: readonly AlignStep[]): string {
  const refs: string[] = [];
  const hyps: string[] = [];
  const ops: string[] = [];
  for (const s of steps) {
    const r = s.ref ?? '*'.repeat((s.hyp ?? '').length);
    const h = s.hyp ?? '*'.repeat((s.ref ?? '').length);
    const width = Math.max(r.length, h.length);
    refs.push(s.op === 'ok' ? r.padEnd(width) : r.toUpperCase().padEnd(width));
    hyps.push(s.op === 'ok' ? h.padEnd(width) : h.toUpperCase().padEnd(width));
    ops.push((s.op === 'ok' ? '' : s.op[0]!.toUpperCase()).padEnd(width));
  }
  return `REF: ${refs.join(' ')}\nHYP: ${hyps.join(' ')}\nOPS: ${ops.join(' ')}`;
}
