// Indicator accuracy on the public corpus (issue 10): `indicators.json` loaded as a tenant's definitions (one
// indicator per category, its phrases as keywords, said by anyone), matched on each call's ground-truth transcript,
// and scored against the call's `indicators` (every literal match, the longest where one category's overlap).
// Nothing here is tuned on these transcripts: the matcher is the search analyzer's, the lexicon is the tenant's.
// A mention is right when the ground truth has the same category, utterance and words; recall and precision are
// pooled over the calls. The figures are in docs/analytics.md and docs/benchmarks.md.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InsightLine } from '../insights/model.ts';
import { IndicatorMatcher, type IndicatorDefinition } from './matching.ts';

const CORPUS = path.resolve('../shared/corpus');
const present = fs.existsSync(path.join(CORPUS, 'indicators.json'));

interface Truth {
  call_id: string;
  utterances: Array<{ id: string; role: 'agent' | 'customer'; start: number; end: number; text: string }>;
  indicators: Array<{ category: string; utterance_id: string; matched_text: string }>;
}

/** Lower case, words only (apostrophes kept), single spaces: how the ground truth writes matched_text. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function scoreCorpus() {
  const lexicon = JSON.parse(fs.readFileSync(path.join(CORPUS, 'indicators.json'), 'utf8')) as Record<string, string[]>;
  const defs: IndicatorDefinition[] = Object.entries(lexicon).map(([category, terms]) => ({
    id: category,
    speaker: 'both',
    keywords: terms.map((t, i) => ({ id: `${category}#${i}`, text: t })),
  }));
  const matcher = new IndicatorMatcher(defs, 'en');
  const files = fs
    .readdirSync(path.join(CORPUS, 'public'))
    .filter((f) => /^p\d+.*\.json$/.test(f))
    .sort();
  let truePositives = 0;
  let expected = 0;
  let got = 0;
  const perCall: Array<{ call: string; expected: number; found: number; correct: number; missed: string[]; extra: string[] }> = [];
  for (const f of files) {
    const truth = JSON.parse(fs.readFileSync(path.join(CORPUS, 'public', f), 'utf8')) as Truth;
    const lines: InsightLine[] = truth.utterances.map((u) => ({
      id: u.id,
      kind: 'utterance',
      segmentId: null,
      role: u.role,
      startMs: Math.round(u.start * 1000),
      endMs: Math.round(u.end * 1000),
      text: u.text,
    }));
    const byId = new Map(lines.map((l) => [l.id, l]));
    const want = truth.indicators.map((i) => `${i.category}|${i.utterance_id}|${norm(i.matched_text)}`);
    const have = matcher.match(lines).map((m) => `${m.indicatorId}|${m.lineId}|${norm(byId.get(m.lineId)!.text.slice(m.range[0], m.range[1]))}`);
    const left = [...want];
    const extra: string[] = [];
    let correct = 0;
    for (const h of have) {
      const i = left.indexOf(h);
      if (i >= 0) {
        left.splice(i, 1);
        correct++;
      } else extra.push(h);
    }
    truePositives += correct;
    expected += want.length;
    got += have.length;
    perCall.push({ call: truth.call_id, expected: want.length, found: have.length, correct, missed: left, extra });
  }
  return { recall: truePositives / expected, precision: truePositives / got, expected, found: got, correct: truePositives, perCall };
}

describe.skipIf(!present)('indicator mentions on the public corpus (ground-truth transcripts)', () => {
  it('reach recall ≥ 0.95 and precision ≥ 0.9 against each call’s indicators', () => {
    const r = scoreCorpus();
    // Printed so the figures in the docs can be checked against a run.
    console.log(
      `indicator accuracy: recall ${r.recall.toFixed(3)} precision ${r.precision.toFixed(3)} (${r.correct} right of ${r.expected} expected, ${r.found} found)\n` +
        r.perCall
          .map(
            (c) =>
              `  ${c.call}: ${c.correct}/${c.expected} found ${c.found}${c.missed.length ? ` missed ${c.missed.join('; ')}` : ''}${c.extra.length ? ` extra ${c.extra.join('; ')}` : ''}`,
          )
          .join('\n'),
    );
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
  });
});
