// Accuracy of the offline insights on the shared corpus ground-truth transcripts (../shared/corpus/public): agent
// metrics within 10 % of the ground truth on every call, the call's sentiment label on at least 7 of 8 calls, and a
// next step found in every call that has one. The corpus is used for scoring only: no rule or threshold here or in
// languages.ts / sentiment.ts was chosen from its transcripts. The figures go to docs/benchmarks.md.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import type { InsightLine } from './model.ts';
import type { CallSummary } from './metrics.ts';

const CORPUS = path.resolve('..', 'shared/corpus/public');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n!! Test corpus not found at ${CORPUS}: the insights accuracy tests are skipped\n`);

interface Truth {
  call_id: string;
  duration_s: number;
  sentiment: { call: string };
  utterances: Array<{ id: string; speaker: string; role: string; start: number; end: number; text: string; words: unknown[] }>;
  events: { holds: Array<{ start: number; end: number }>; transfers: Array<{ start: number; end: number }> };
  next_steps: Array<{ utterance_id: string; text: string }>;
  agent_metrics: {
    talk_listen_ratio: number;
    words_per_minute: number;
    filler_words_per_minute: number;
    longest_monologue_s: number;
    avg_response_time_s: number | null;
  };
  agent_metrics_by_speaker?: Record<string, Truth['agent_metrics']>;
}

const calls: Truth[] = present
  ? readdirSync(CORPUS)
      .filter((f) => /^p\d+_.*\.json$/.test(f))
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(CORPUS, f), 'utf8')) as Truth)
  : [];

export function linesOf(t: Truth): InsightLine[] {
  return t.utterances.map((u) => ({
    id: u.id,
    kind: 'utterance',
    segmentId: null,
    role: u.role === 'agent' ? 'agent' : u.role === 'customer' ? 'customer' : 'unknown',
    startMs: Math.round(u.start * 1000),
    endMs: Math.round(u.end * 1000),
    text: u.text,
    words: u.words.length,
    party: u.speaker,
  }));
}

const ms = (s: number) => Math.round(s * 1000);
const run = (t: Truth) =>
  analyse({
    lines: linesOf(t),
    language: 'en',
    durationMs: ms(t.duration_s),
    breaks: [...t.events.holds, ...t.events.transfers].map((b) => ({ startMs: ms(b.start), endMs: ms(b.end) })),
  });

/** Relative error; an exact zero must be matched exactly. */
const rel = (found: number | null, truth: number) => (found === null ? Infinity : truth === 0 ? Math.abs(found) : Math.abs(found - truth) / Math.abs(truth));

describe.skipIf(!present)('insights accuracy on the public corpus ground truth', () => {
  it('agent metrics are within 10 % of the ground truth on every call', () => {
    const rows: string[] = [];
    let worst = 0;
    for (const t of calls) {
      const a = run(t).details.agent as CallSummary;
      const g = t.agent_metrics;
      const pairs: Array<[string, number | null, number]> = [
        ['talk/listen', a.talkListenRatio, g.talk_listen_ratio],
        ['wpm', a.wordsPerMinute, g.words_per_minute],
        ['fillers/min', a.fillersPerMinute, g.filler_words_per_minute],
        ['longest monologue s', a.longestMonologue ? a.longestMonologue.durationMs / 1000 : null, g.longest_monologue_s],
      ];
      if (g.avg_response_time_s !== null) pairs.push(['avg response s', a.avgResponseMs === null ? null : a.avgResponseMs / 1000, g.avg_response_time_s]);
      for (const [name, f, truth] of pairs) {
        const e = rel(f, truth);
        worst = Math.max(worst, e);
        rows.push(`${t.call_id} ${name}: found ${f} truth ${truth} (${(e * 100).toFixed(1)} %)`);
        expect.soft(e, `${t.call_id} ${name}: found ${f}, truth ${truth}`).toBeLessThanOrEqual(0.1);
      }
    }
    console.log(`insights agent metrics, worst relative error ${(worst * 100).toFixed(1)} %\n${rows.join('\n')}`);
  });

  it('gives each agent of a transferred call its own metrics, within 10 % of the ground truth', () => {
    const transfers = calls.filter((t) => t.agent_metrics_by_speaker);
    expect(transfers.length).toBeGreaterThan(0);
    for (const t of transfers) {
      const agents = (run(t).details.agent as CallSummary).byAgent!;
      expect(agents.map((a) => a.party).sort()).toEqual(Object.keys(t.agent_metrics_by_speaker!).sort());
      for (const a of agents) {
        const g = t.agent_metrics_by_speaker![a.party]!;
        const pairs: Array<[string, number | null, number]> = [
          ['talk/listen', a.talkListenRatio, g.talk_listen_ratio],
          ['wpm', a.wordsPerMinute, g.words_per_minute],
          ['fillers/min', a.fillersPerMinute, g.filler_words_per_minute],
          ['longest monologue s', a.longestMonologue ? a.longestMonologue.durationMs / 1000 : null, g.longest_monologue_s],
        ];
        if (g.avg_response_time_s !== null) pairs.push(['avg response s', a.avgResponseMs === null ? null : a.avgResponseMs / 1000, g.avg_response_time_s]);
        for (const [name, f, truth] of pairs) {
          console.log(`insights per agent: ${t.call_id} ${a.party} ${name}: found ${f} truth ${truth} (${(rel(f, truth) * 100).toFixed(1)} %)`);
          expect.soft(rel(f, truth), `${t.call_id} ${a.party} ${name}: found ${f}, truth ${truth}`).toBeLessThanOrEqual(0.1);
        }
      }
    }
  });

  // The issue's target is 7 of 8. The method is developed on Earshot's own labelled calls (devset/), never on these
  // transcripts; with acknowledgements and the service's vocabulary left out of the lexicon's reading it reaches 8 of
  // 8 here (6 of 8 before). This asserts the target, so a change that loses more than one call fails.
  it('agrees on the call sentiment label on at least 7 of 8 calls', () => {
    const rows = calls.map((t) => {
      const s = run(t).details.sentiment;
      return { call: t.call_id, truth: t.sentiment.call, found: s.label, score: s.score };
    });
    const agree = rows.filter((r) => r.found === r.truth).length;
    console.log(`insights sentiment: ${agree}/${rows.length}\n${rows.map((r) => `${r.call} truth ${r.truth} found ${r.found} (${r.score})`).join('\n')}`);
    expect(agree).toBeGreaterThanOrEqual(Math.ceil((7 / 8) * calls.length));
  });

  it('finds the next steps of every call that has them', () => {
    let truthCount = 0;
    let foundCount = 0;
    let extra = 0;
    for (const t of calls) {
      const found = run(t).details.nextSteps;
      for (const n of t.next_steps) {
        truthCount++;
        if (found.some((f) => f.lineId === n.utterance_id)) foundCount++;
      }
      extra += found.filter((f) => !t.next_steps.some((n) => n.utterance_id === f.lineId)).length;
      if (t.next_steps.length) expect.soft(found.length, `${t.call_id}: no next step found`).toBeGreaterThan(0);
    }
    console.log(`insights next steps: ${foundCount}/${truthCount} ground-truth next steps found, ${extra} found in other lines`);
    expect(foundCount).toBe(truthCount);
  });
});
