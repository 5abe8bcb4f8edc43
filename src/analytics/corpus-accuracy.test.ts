// Accuracy of the audio analysis against the shared corpus ground truth: silence, crosstalk and hold events (F1
// with 0.5 s boundary tolerance, over the whole corpus) and talk time per party (within 5 % on every call).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitChannels } from '../media/channels.ts';
import { decodeWav } from '../media/decode.ts';
import { seededRandom } from '../media/wav-write.ts';
import { analyzeStreams, type CallAnalysis } from './analyze-call.ts';
import { unionIntervals } from './speech-events.ts';

// The harness runs from the repo root; the corpus sits beside the repo.
const CORPUS = path.resolve('..', 'shared/corpus/public');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n!! Test corpus not found at ${CORPUS}: the corpus accuracy tests are skipped\n`);

type EventType = 'silence' | 'crosstalk' | 'hold';
const TYPES: EventType[] = ['silence', 'crosstalk', 'hold'];
const TOLERANCE_MS = 500;

interface Span {
  startMs: number;
  endMs: number;
}

interface Truth {
  call_id: string;
  duration_s: number;
  audio: { stereo: { file: string }; mono_mulaw: { file: string } | null };
  channels: Array<{ index: number; role: string }>;
  utterances: Array<{ channel: number; start: number; end: number }>;
  events: Record<'silences' | 'crosstalk' | 'holds', Array<{ start: number; end: number }>>;
  agent_metrics: { agent_talk_s: number; customer_talk_s: number };
}

/**
 * One-to-one matching of found events to truth events of one type: a pair matches when both its start and its end
 * are within the tolerance. Greedy by closeness, which is optimal here since tolerance-windows of distinct truth
 * events of one type do not overlap (events are seconds apart).
 */
function matchEvents(truth: Span[], found: Span[], toleranceMs = TOLERANCE_MS): { tp: number; fp: number; fn: number } {
  const pairs: Array<[number, number, number]> = [];
  truth.forEach((t, i) =>
    found.forEach((f, j) => {
      const ds = Math.abs(t.startMs - f.startMs);
      const de = Math.abs(t.endMs - f.endMs);
      if (ds <= toleranceMs && de <= toleranceMs) pairs.push([ds + de, i, j]);
    }),
  );
  pairs.sort((a, b) => a[0] - b[0]);
  const usedT = new Set<number>();
  const usedF = new Set<number>();
  for (const [, i, j] of pairs) {
    if (usedT.has(i) || usedF.has(j)) continue;
    usedT.add(i);
    usedF.add(j);
  }
  return { tp: usedT.size, fp: found.length - usedF.size, fn: truth.length - usedT.size };
}

function f1(c: { tp: number; fp: number; fn: number }): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

describe('matchEvents', () => {
  it('matches within the tolerance, one to one', () => {
    const t = [
      { startMs: 1000, endMs: 7000 },
      { startMs: 20_000, endMs: 26_000 },
    ];
    expect(matchEvents(t, [{ startMs: 1400, endMs: 6600 }])).toEqual({ tp: 1, fp: 0, fn: 1 });
    expect(matchEvents(t, [{ startMs: 1501, endMs: 7000 }])).toEqual({ tp: 0, fp: 1, fn: 2 }); // start 501 ms off
    expect(matchEvents(t, [{ startMs: 1000, endMs: 7600 }])).toEqual({ tp: 0, fp: 1, fn: 2 }); // end off
    // Two found events near one truth event: one matches, the other is a false positive.
    expect(
      matchEvents(t.slice(0, 1), [
        { startMs: 1100, endMs: 7000 },
        { startMs: 1000, endMs: 7000 },
      ]),
    ).toEqual({ tp: 1, fp: 1, fn: 0 });
    expect(matchEvents([], [])).toEqual({ tp: 0, fp: 0, fn: 0 });
    expect(f1({ tp: 3, fp: 1, fn: 0 }).f1).toBeCloseTo(6 / 7);
  });
});

const calls: Truth[] = present
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(CORPUS, f), 'utf8')) as Truth)
  : [];

const truthEvents = (call: Truth, type: EventType): Span[] =>
  call.events[type === 'silence' ? 'silences' : type === 'hold' ? 'holds' : 'crosstalk'].map((e) => ({ startMs: e.start * 1000, endMs: e.end * 1000 }));

/** Telephone-band noise (about 300-3400 Hz) at an RMS level, added to a copy of the samples. */
function withLineNoise(samples: Int16Array, db: number, seed: number): Int16Array {
  const rnd = seededRandom(seed);
  const raw = new Float64Array(samples.length);
  let lp = 0;
  let hp = 0;
  let prev = 0;
  let energy = 0;
  for (let i = 0; i < raw.length; i++) {
    let w = -6;
    for (let k = 0; k < 12; k++) w += rnd();
    lp += 0.75 * (w - lp);
    hp = 0.8 * (hp + lp - prev);
    prev = lp;
    raw[i] = hp;
    energy += hp * hp;
  }
  const g = (32768 * 10 ** (db / 20)) / Math.sqrt(energy / raw.length);
  const out = new Int16Array(samples.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! + raw[i]! * g)));
  return out;
}

function analyzeCall(call: Truth, noiseDb?: number): CallAnalysis {
  const decoded = decodeWav(readFileSync(path.join(CORPUS, call.audio.stereo.file)), call.audio.stereo.file);
  const channels = splitChannels(decoded.samples, decoded.channels);
  return analyzeStreams({
    streams: call.channels.map((c) => ({
      party: c.role,
      role: c.role,
      samples: noiseDb === undefined ? channels[c.index]! : withLineNoise(channels[c.index]!, noiseDb, 100 + c.index),
      sampleRate: decoded.sampleRate,
    })),
  });
}

interface Scored {
  counts: Record<EventType, { tp: number; fp: number; fn: number }>;
  rows: Array<{ call: string; agent: [number, number]; customer: [number, number]; events: string }>;
}

function score(analyses: Array<[Truth, CallAnalysis]>): Scored {
  const counts = Object.fromEntries(TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Scored['counts'];
  const rows: Scored['rows'] = [];
  for (const [call, a] of analyses) {
    const found: string[] = [];
    for (const type of TYPES) {
      const mine = a.events.filter((e) => e.type === type);
      const c = matchEvents(truthEvents(call, type), mine);
      counts[type].tp += c.tp;
      counts[type].fp += c.fp;
      counts[type].fn += c.fn;
      if (mine.length || truthEvents(call, type).length) found.push(`${type} ${c.tp}/${truthEvents(call, type).length}${c.fp ? ` +${c.fp} false` : ''}`);
    }
    rows.push({
      call: call.call_id,
      agent: [call.agent_metrics.agent_talk_s * 1000, a.talkTimeMs.agent ?? 0],
      customer: [call.agent_metrics.customer_talk_s * 1000, a.talkTimeMs.customer ?? 0],
      events: found.join(', ') || '-',
    });
  }
  return { counts, rows };
}

const pct = (truth: number, measured: number) => ((measured - truth) / truth) * 100;
const fmtErr = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;

function printTable(title: string, s: Scored): void {
  const lines = [
    `\n${title}`,
    '| call | agent talk s (truth / measured / error) | customer talk s (truth / measured / error) | events found/truth |',
    '|---|---|---|---|',
  ];
  for (const r of s.rows) {
    lines.push(
      `| ${r.call} | ${(r.agent[0] / 1000).toFixed(2)} / ${(r.agent[1] / 1000).toFixed(2)} / ${fmtErr(pct(...r.agent))} | ` +
        `${(r.customer[0] / 1000).toFixed(2)} / ${(r.customer[1] / 1000).toFixed(2)} / ${fmtErr(pct(...r.customer))} | ${r.events} |`,
    );
  }
  lines.push('', '| event | truth | found | TP | FP | FN | precision | recall | F1 |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of TYPES) {
    const c = s.counts[t];
    const m = f1(c);
    lines.push(
      `| ${t} | ${c.tp + c.fn} | ${c.tp + c.fp} | ${c.tp} | ${c.fp} | ${c.fn} | ${m.precision.toFixed(2)} | ${m.recall.toFixed(2)} | ${m.f1.toFixed(2)} |`,
    );
  }
  const worst = Math.max(...s.rows.flatMap((r) => [Math.abs(pct(...r.agent)), Math.abs(pct(...r.customer))]));
  lines.push(`largest talk-time error: ${worst.toFixed(1)} %`);
  console.log(lines.join('\n'));
}

describe.skipIf(!present)('analysis accuracy on the corpus', () => {
  it('reaches F1 >= 0.9 for silence, crosstalk and hold, and talk time within 5 % per party on every call', () => {
    const s = score(calls.map((c) => [c, analyzeCall(c)]));
    printTable('Speech analysis vs corpus ground truth (stereo PCM, 0.5 s boundary tolerance)', s);
    for (const t of TYPES) {
      expect(s.counts[t].tp + s.counts[t].fn, `${t}: the corpus has events of this type`).toBeGreaterThan(0);
      expect(f1(s.counts[t]).f1, `${t} F1`).toBeGreaterThanOrEqual(0.9);
    }
    for (const r of s.rows) {
      expect(Math.abs(pct(...r.agent)), `${r.call} agent talk time error %`).toBeLessThanOrEqual(5);
      expect(Math.abs(pct(...r.customer)), `${r.call} customer talk time error %`).toBeLessThanOrEqual(5);
    }
  });

  it('holds up with telephone line noise added at -50 dBFS (about 20 dB below the speech)', () => {
    const s = score(calls.map((c) => [c, analyzeCall(c, -50)]));
    printTable('Same, with -50 dBFS telephone-band noise added to both channels', s);
    for (const t of TYPES) expect(f1(s.counts[t]).f1, `${t} F1`).toBeGreaterThanOrEqual(0.9);
    // Weak word endings drown in the noise: a looser bound than on the clean audio.
    for (const r of s.rows) {
      expect(Math.abs(pct(...r.agent)), `${r.call} agent`).toBeLessThanOrEqual(7.5);
      expect(Math.abs(pct(...r.customer)), `${r.call} customer`).toBeLessThanOrEqual(7.5);
    }
  });

  it('on the mu-law mono mixes: total talk time within 5 %, and no false silence or hold', () => {
    // A mix cannot tell the parties apart (so no crosstalk or per-party talk time): it measures when anyone talks.
    const mixed = calls.filter((c) => c.audio.mono_mulaw);
    expect(mixed.length).toBeGreaterThan(0);
    const lines = [
      '\nmu-law mono mixes: talk time of anyone (union of all utterances)',
      '| call | truth s | measured s | error | silence/hold found/truth |',
      '|---|---|---|---|---|',
    ];
    for (const call of mixed) {
      const file = call.audio.mono_mulaw!.file;
      const decoded = decodeWav(readFileSync(path.join(CORPUS, file)), file);
      expect(decoded.channels).toBe(1);
      const a = analyzeStreams({ streams: [{ party: 'mix', samples: decoded.samples, sampleRate: decoded.sampleRate }] });
      const truthTalk = unionIntervals(call.utterances.map((u) => [u.start * 1000, u.end * 1000] as [number, number])).reduce((t, [s, e]) => t + e - s, 0);
      const err = pct(truthTalk, a.talkTimeMs.mix!);
      const counts = (['silence', 'hold'] as const).map((t) => {
        const c = matchEvents(
          truthEvents(call, t),
          a.events.filter((e) => e.type === t),
        );
        return { t, ...c, truth: truthEvents(call, t).length };
      });
      lines.push(
        `| ${call.call_id} | ${(truthTalk / 1000).toFixed(2)} | ${(a.talkTimeMs.mix! / 1000).toFixed(2)} | ${fmtErr(err)} | ${counts.map((c) => `${c.t} ${c.tp}/${c.truth}${c.fp ? ` +${c.fp} false` : ''}`).join(', ')} |`,
      );
      expect(Math.abs(err), `${call.call_id} talk time error %`).toBeLessThanOrEqual(5);
      for (const c of counts) {
        expect(c.fp, `${call.call_id} false ${c.t}`).toBe(0);
        expect(c.fn, `${call.call_id} missed ${c.t}`).toBe(0);
      }
    }
    console.log(lines.join('\n'));
  });
});
