import { describe, expect, it } from 'vitest';
import { analyzeStreams } from './analyze-call.ts';
import { crosstalkCoverage } from './crosstalk-coverage.ts';

describe('crosstalk coverage', () => {
  it('is measurable when a segment has two parties on separate streams', () => {
    expect(crosstalkCoverage([['agent', 'cust']])).toEqual({ measurable: true, reason: null, message: null });
    expect(crosstalkCoverage([['mix'], ['agent', 'cust']]).measurable).toBe(true);
  });

  it('is not measurable on single-channel recordings, and says why', () => {
    const mono = { measurable: false, reason: 'SINGLE_CHANNEL', message: 'Crosstalk is not measurable on a single-channel recording' };
    expect(crosstalkCoverage([['mix']])).toEqual(mono);
    expect(crosstalkCoverage([['agent'], ['cust']])).toEqual(mono); // one party per piece: they never overlap on record
    expect(crosstalkCoverage([['agent', 'agent']])).toEqual(mono);
  });

  it('says nothing when there is no audio', () => {
    expect(crosstalkCoverage([])).toEqual({ measurable: false, reason: null, message: null });
    expect(crosstalkCoverage([[]])).toEqual({ measurable: false, reason: null, message: null });
  });

  it('is part of the call analysis', () => {
    const tone = new Int16Array(8000).map((_, i) => Math.round(6000 * Math.sin(i / 3)));
    const one = analyzeStreams({ streams: [{ party: 'mix', samples: tone, sampleRate: 8000 }] });
    expect(one.crosstalk).toMatchObject({ measurable: false, reason: 'SINGLE_CHANNEL' });
    const two = analyzeStreams({
      streams: [
        { party: 'agent', samples: tone, sampleRate: 8000 },
        { party: 'cust', samples: tone, sampleRate: 8000 },
      ],
    });
    expect(two.crosstalk.measurable).toBe(true);
  });
});
