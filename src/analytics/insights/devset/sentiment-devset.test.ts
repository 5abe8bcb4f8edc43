// Call sentiment on Earshot's own development set (sentiment-calls.json, written for this purpose, never taken from
// the shared corpus): the set the sentiment method is developed and measured on. The corpus test
// (../corpus-accuracy.test.ts) only scores the result. The figures go to docs/analytics.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../languages.ts';
import type { InsightLine } from '../model.ts';
import { conversationSentiment } from '../sentiment.ts';

interface DevCall {
  id: string;
  label: 'negative' | 'neutral' | 'positive';
  split: 'dev' | 'heldout';
  lines: Array<['agent' | 'customer', string]>;
}

const set = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sentiment-calls.json'), 'utf8')) as { calls: DevCall[] };

export function devsetResults() {
  const rules = rulesFor('en')!;
  return set.calls.map((c) => {
    const lines: InsightLine[] = c.lines.map(([role, text], i) => ({
      id: `${c.id}-${i}`,
      kind: 'utterance',
      segmentId: null,
      role,
      startMs: i * 5000,
      endMs: i * 5000 + 4000,
      text,
    }));
    const s = conversationSentiment(lines, rules)!;
    return { id: c.id, split: c.split, truth: c.label, found: s.label, score: s.score };
  });
}

describe('call sentiment on the development set', () => {
  it('agrees with the labels', () => {
    const rows = devsetResults();
    const agree = (split: string) => rows.filter((r) => r.split === split && r.found === r.truth).length;
    const of = (split: string) => rows.filter((r) => r.split === split).length;
    console.log(
      `sentiment dev set: ${agree('dev')}/${of('dev')}, held out ${agree('heldout')}/${of('heldout')}\n` +
        rows.map((r) => `${r.split} ${r.id} truth ${r.truth} found ${r.found} (${r.score})`).join('\n'),
    );
    // What the method reaches (docs/analytics.md): a change that loses a call here fails.
    expect(agree('dev')).toBe(of('dev'));
    expect(agree('heldout')).toBe(of('heldout'));
  });
});
