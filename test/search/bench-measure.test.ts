// The search bench's attribution of garbage collection pauses to timed runs (bench/search/measure.ts).
import { describe, expect, it } from 'vitest';
import { runsWithPauses } from '../../bench/search/measure.ts';

describe('runsWithPauses', () => {
  // Three runs: 0–2 ms, 10–13 ms, 20–21 ms.
  const starts = [0, 10, 20];
  const times = [2, 3, 1];

  it('counts a run once however many pauses fall in it, and only the part of a pause inside the run', () => {
    const pauses = [
      { start: 1, ms: 0.5 }, // inside run 1
      { start: 1.8, ms: 1 }, // 0.2 ms inside run 1, the rest after it
      { start: 12.5, ms: 2 }, // 0.5 ms inside run 2
      { start: 15, ms: 3 }, // between runs
    ];
    const r = runsWithPauses(starts, times, pauses);
    expect(r.runs).toBe(2);
    expect(r.ms).toBeCloseTo(0.5 + 0.2 + 0.5, 9);
  });

  it('finds no run when the pauses fall between them, or end where a run starts', () => {
    expect(
      runsWithPauses(starts, times, [
        { start: 5, ms: 5 },
        { start: 19, ms: 1 },
      ]),
    ).toEqual({ runs: 0, ms: 0 });
  });

  it('attributes a pause longer than a run to the run it covers', () => {
    expect(runsWithPauses(starts, times, [{ start: 19.5, ms: 4 }])).toEqual({ runs: 1, ms: 1 });
  });
});
