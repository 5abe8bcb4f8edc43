import { describe, expect, it } from 'vitest';
import { decodePeaks } from '../media/peaks.ts';
import { seededRandom, synthSpeechLike } from '../media/wav-write.ts';
import { analyzeStreams } from './analyze-call.ts';
import { complementIntervals, computeSpeechEvents, unionIntervals, type PartyActivity, type SpeechEvent } from './speech-events.ts';

const pick = (events: SpeechEvent[], type: SpeechEvent['type']) =>
  events.filter((e) => e.type === type).map(({ startMs, endMs, parties }) => ({ startMs, endMs, parties }));

describe('interval helpers', () => {
  it('unions, clips and complements', () => {
    expect(
      unionIntervals(
        [
          [5, 8],
          [1, 3],
          [2, 4],
          [8, 9],
          [10, 10],
          [12, 11],
        ],
        0,
        8.5,
      ),
    ).toEqual([
      [1, 4],
      [5, 8.5],
    ]);
    expect(
      complementIntervals(
        [
          [1, 4],
          [5, 8],
        ],
        0,
        10,
      ),
    ).toEqual([
      [0, 1],
      [4, 5],
      [8, 10],
    ]);
    expect(complementIntervals([], 0, 10)).toEqual([[0, 10]]);
    expect(complementIntervals([[-5, 20]], 0, 10)).toEqual([]);
  });
});

describe('computeSpeechEvents', () => {
  it('sums talk time as the union of each party, over all its streams', () => {
    const r = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        {
          party: 'agent',
          speech: [
            [1000, 3000],
            [2000, 4000],
          ],
        },
        {
          party: 'agent',
          speech: [
            [3500, 5000],
            [10_000, 11_000],
          ],
        }, // a second stream of the same party
        { party: 'customer', speech: [[58_000, 70_000]] }, // clipped to the call
        { party: 'supervisor', speech: [] },
      ],
    });
    expect(r.talkTimeMs).toEqual({ agent: 5000, customer: 2000, supervisor: 0 });
  });

  it('reports crosstalk longer than the threshold, with who talks', () => {
    const r = computeSpeechEvents({
      durationMs: 30_000,
      parties: [
        {
          party: 'agent',
          speech: [
            [0, 5000],
            [10_000, 12_000],
            [20_000, 22_000],
          ],
        },
        {
          party: 'customer',
          speech: [
            [3800, 8000],
            [11_000, 15_000],
            [21_000, 21_500],
          ],
        },
      ],
    });
    // 3800-5000 (1.2 s) counts; 11000-12000 is exactly 1 s, not more; 21000-21500 is short.
    expect(pick(r.events, 'crosstalk')).toEqual([{ startMs: 3800, endMs: 5000, parties: ['agent', 'customer'] }]);
    const tight = computeSpeechEvents({
      durationMs: 30_000,
      parties: [
        { party: 'agent', speech: [[10_000, 12_000]] },
        { party: 'customer', speech: [[11_000, 15_000]] },
      ],
      thresholds: { crosstalkMinMs: 500 },
    });
    expect(pick(tight.events, 'crosstalk')).toEqual([{ startMs: 11_000, endMs: 12_000, parties: ['agent', 'customer'] }]);
  });

  it('joins overlapping stretches of three parties into one crosstalk, and ignores touching intervals', () => {
    const r = computeSpeechEvents({
      durationMs: 30_000,
      parties: [
        { party: 'agent', speech: [[0, 4000]] },
        { party: 'customer', speech: [[3000, 7000]] },
        {
          party: 'supervisor',
          speech: [
            [3500, 8000],
            [8000, 9000],
          ],
        },
        { party: 'other', speech: [[9000, 12_000]] },
      ],
    });
    // Two or more talk from 3 s to 7 s (agent+customer, all three, customer+supervisor); other starts as the
    // supervisor stops.
    expect(pick(r.events, 'crosstalk')).toEqual([{ startMs: 3000, endMs: 7000, parties: ['agent', 'customer', 'supervisor'] }]);
    // Two overlaps of 1 s with one talker between them are not one 2 s crosstalk.
    const apart = computeSpeechEvents({
      durationMs: 30_000,
      parties: [
        { party: 'a', speech: [[0, 4000]] },
        { party: 'b', speech: [[3000, 6000]] },
        { party: 'c', speech: [[5000, 8000]] },
      ],
    });
    expect(pick(apart.events, 'crosstalk')).toEqual([]);
  });

  it('reports silence longer than the threshold where nobody speaks and no music or tone plays', () => {
    const parties: PartyActivity[] = [
      {
        party: 'agent',
        speech: [
          [6000, 10_000],
          [30_000, 32_000],
        ],
      },
      { party: 'customer', speech: [[16_000, 20_000]], sounds: [{ startMs: 22_000, endMs: 24_000, kind: 'tone' }] },
    ];
    const r = computeSpeechEvents({ durationMs: 40_000, parties });
    // 0-6000 (lead-in, 6 s) counts; 10-16 s is 6 s; 20-22 then a tone then 24-30 (6 s); 32-40 s trails for 8 s.
    expect(pick(r.events, 'silence')).toEqual([
      { startMs: 0, endMs: 6000, parties: ['agent', 'customer'] },
      { startMs: 10_000, endMs: 16_000, parties: ['agent', 'customer'] },
      { startMs: 24_000, endMs: 30_000, parties: ['agent', 'customer'] },
      { startMs: 32_000, endMs: 40_000, parties: ['agent', 'customer'] },
    ]);
    // Exactly 5 s is not more than 5 s; a tenant may lower the threshold.
    const exact = computeSpeechEvents({
      durationMs: 20_000,
      parties: [
        {
          party: 'a',
          speech: [
            [0, 5000],
            [10_000, 20_000],
          ],
        },
      ],
    });
    expect(pick(exact.events, 'silence')).toEqual([]);
    const lower = computeSpeechEvents({
      durationMs: 20_000,
      parties: [
        {
          party: 'a',
          speech: [
            [0, 5000],
            [10_000, 20_000],
          ],
        },
      ],
      thresholds: { silenceMinMs: 3000 },
    });
    expect(pick(lower.events, 'silence')).toEqual([{ startMs: 5000, endMs: 10_000, parties: ['a'] }]);
  });

  it('pairs hold and resume events from the metadata', () => {
    const r = computeSpeechEvents({
      durationMs: 100_000,
      parties: [{ party: 'agent', speech: [[0, 100_000]] }],
      events: [
        { type: 'resume', offsetMs: 5000 }, // nothing on hold: ignored
        { type: 'hold', offsetMs: 10_000, party: 'agent' },
        { type: 'hold', offsetMs: 12_000, party: 'agent' }, // already on hold
        { type: 'transfer', offsetMs: 15_000 },
        { type: 'resume', offsetMs: 20_000, party: 'agent' },
        { type: 'hold', offsetMs: 40_000 },
        { type: 'resume', offsetMs: 50_000, party: 'someone-else' }, // no hold of theirs: closes the open one
        { type: 'hold', offsetMs: 90_000, party: 'agent' }, // never resumed: to the end
      ],
    });
    expect(pick(r.events, 'hold')).toEqual([
      { startMs: 10_000, endMs: 20_000, parties: ['agent'] },
      { startMs: 40_000, endMs: 50_000, parties: [] },
      { startMs: 90_000, endMs: 100_000, parties: ['agent'] },
    ]);
    expect(r.holdCount).toBe(3);
    expect(r.events.filter((e) => e.type === 'hold').every((e) => e.source === 'metadata')).toBe(true);
  });

  it('detects a hold from music on one leg while the other is (mostly) silent', () => {
    const r = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        {
          party: 'agent',
          speech: [
            [0, 10_000],
            [40_000, 50_000],
          ],
          sounds: [{ startMs: 11_000, endMs: 39_000, kind: 'music' }],
        },
        {
          party: 'customer',
          speech: [
            [20_000, 21_500],
            [50_500, 55_000],
          ],
        }, // mutters on hold
      ],
    });
    expect(pick(r.events, 'hold')).toEqual([{ startMs: 11_000, endMs: 39_000, parties: ['agent'] }]);
    expect(r.events.find((e) => e.type === 'hold')!.source).toBe('audio');
    expect(r.holdCount).toBe(1);
    expect(pick(r.events, 'silence')).toEqual([]); // music is not silence
  });

  it('does not call music a hold while the other party talks over it, nor a short tone (ringback)', () => {
    const r = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        { party: 'customer', speech: [], sounds: [{ startMs: 5000, endMs: 25_000, kind: 'music' }] }, // a radio
        {
          party: 'agent',
          speech: [
            [4000, 12_000],
            [13_000, 20_000],
          ],
        },
      ],
    });
    expect(r.holdCount).toBe(0);
    const ringback = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        {
          party: 'agent',
          speech: [
            [0, 10_000],
            [30_000, 40_000],
          ],
          // 2 s on, 4 s off: not joined into one long tone.
          sounds: [
            { startMs: 11_000, endMs: 13_000, kind: 'tone' },
            { startMs: 17_000, endMs: 19_000, kind: 'tone' },
            { startMs: 23_000, endMs: 25_000, kind: 'tone' },
          ],
        },
        { party: 'customer', speech: [] },
      ],
    });
    expect(ringback.holdCount).toBe(0);
  });

  it('joins music interrupted briefly into one hold, and merges it with the metadata hold', () => {
    const r = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        {
          party: 'agent',
          speech: [[0, 9000]],
          sounds: [
            { startMs: 10_500, endMs: 20_000, kind: 'music' },
            { startMs: 21_500, endMs: 30_500, kind: 'music' },
          ],
        },
        { party: 'customer', speech: [[31_000, 40_000]] },
      ],
      events: [
        { type: 'hold', offsetMs: 10_000, party: 'agent' },
        { type: 'resume', offsetMs: 30_000, party: 'agent' },
      ],
    });
    const holds = r.events.filter((e) => e.type === 'hold');
    expect(holds).toEqual([{ type: 'hold', startMs: 10_000, endMs: 30_500, parties: ['agent'], source: 'both' }]);
    expect(r.holdCount).toBe(1);
  });

  it('reports gaps between segments and no silence inside them', () => {
    const r = computeSpeechEvents({
      durationMs: 70_000,
      parties: [
        {
          party: 'agent',
          speech: [
            [0, 20_000],
            [50_000, 70_000],
          ],
        },
      ],
      segments: [
        { startMs: 0, endMs: 20_000 },
        { startMs: 20_300, endMs: 25_000 }, // 300 ms apart: boundary jitter, no gap
        { startMs: 40_000, endMs: 70_000 },
      ],
    });
    expect(pick(r.events, 'gap')).toEqual([{ startMs: 25_000, endMs: 40_000, parties: [] }]);
    expect(r.events.map((e) => e.source)).toEqual(['metadata', 'audio']);
    // 20-50 s is without speech, but 25-40 s is the gap: the silences are what is left on each side.
    expect(pick(r.events, 'silence')).toEqual([{ startMs: 40_000, endMs: 50_000, parties: ['agent'] }]);
    // 20.0-25.0 s is 5 s of silence (not more), with the 300 ms of jitter in it.
    expect(r.events.map((e) => e.type)).toEqual(['gap', 'silence']);
  });

  it('sorts events by start time', () => {
    const r = computeSpeechEvents({
      durationMs: 60_000,
      parties: [
        {
          party: 'a',
          speech: [
            [0, 10_000],
            [30_000, 40_000],
          ],
        },
        {
          party: 'b',
          speech: [
            [8000, 12_000],
            [50_000, 60_000],
          ],
        },
      ],
      events: [
        { type: 'hold', offsetMs: 41_000 },
        { type: 'resume', offsetMs: 43_000 },
      ],
    });
    expect(r.events.map((e) => [e.type, e.startMs])).toEqual([
      ['crosstalk', 8000],
      ['silence', 12_000],
      ['hold', 41_000],
      ['silence', 43_000],
    ]);
  });
});

describe('analyzeStreams', () => {
  const SR = 8000;
  const lineNoise = (ms: number, seed: number) => {
    const rnd = seededRandom(seed);
    return Int16Array.from({ length: (ms * SR) / 1000 }, () => Math.round((rnd() - 0.5) * 32));
  };
  const concat = (...parts: Int16Array[]) => {
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };

  it('analyses the streams of a conversation: speech, events, talk time by party and role, peaks', () => {
    // Agent: speaks 0-8 s, silent. Customer: silent 8 s, speaks 8-14 s, then 7 s of silence on both legs.
    const agent = concat(synthSpeechLike(8000, SR, 1), lineNoise(13_000, 2));
    const customer = concat(lineNoise(8000, 3), synthSpeechLike(6000, SR, 4), lineNoise(7000, 5));
    const a = analyzeStreams({
      streams: [
        { id: 's1', party: 'agent-1', role: 'agent', samples: agent, sampleRate: SR },
        { id: 's2', party: 'cust', role: 'customer', samples: customer, sampleRate: SR },
      ],
    });
    expect(a.durationMs).toBe(21_000);
    expect(a.streams.map((s) => [s.id, s.party])).toEqual([
      ['s1', 'agent-1'],
      ['s2', 'cust'],
    ]);
    expect(a.streams[0]!.talkMs).toBe(a.talkTimeMs['agent-1']);
    const peaks = decodePeaks(a.streams[0]!.peaks);
    expect(peaks.totalSamples).toBe(agent.length);
    expect(peaks.sampleRate).toBe(SR);
    expect(a.talkTimeMs['agent-1']).toBeGreaterThan(2000); // syllables with pauses
    expect(a.talkTimeMs['agent-1']).toBeLessThanOrEqual(8000);
    expect(a.talkTimeByRoleMs).toEqual({ agent: a.talkTimeMs['agent-1'], customer: a.talkTimeMs.cust });
    expect(a.speech['agent-1']!.every(([, e]) => e <= 8000)).toBe(true);
    expect(a.speech.cust!.every(([s]) => s >= 8000)).toBe(true);
    const silences = a.events.filter((e) => e.type === 'silence');
    expect(silences).toHaveLength(1);
    expect(silences[0]!.endMs).toBe(21_000);
    expect(silences[0]!.startMs).toBeGreaterThan(13_000);
    expect(a.holdCount).toBe(0);
  });

  it('places streams of later segments on the conversation timeline and reports the gap between them', () => {
    const first = concat(synthSpeechLike(5000, SR, 6), lineNoise(1000, 7));
    const second = synthSpeechLike(5000, SR, 8);
    const a = analyzeStreams({
      streams: [
        { party: 'agent', role: 'agent', samples: first, sampleRate: SR },
        { party: 'agent', role: 'agent', samples: second, sampleRate: SR, offsetMs: 10_000 },
      ],
      events: [
        { type: 'hold', offsetMs: 5500 },
        { type: 'resume', offsetMs: 6000 },
      ],
    });
    expect(a.durationMs).toBe(15_000);
    expect(a.streams[1]!.speech[0]![0]).toBeGreaterThanOrEqual(10_000);
    expect(a.speech.agent!.some(([s]) => s >= 10_000)).toBe(true);
    expect(a.events.map((e) => [e.type, e.startMs, e.endMs])).toEqual([
      ['hold', 5500, 6000],
      ['gap', 6000, 10_000],
    ]);
    expect(a.holdCount).toBe(1);
  });
});
