import { describe, expect, it } from 'vitest';
import type { MediaManifest, MediaPartyStream, MediaSegment } from '../../../api/media.ts';
import {
  axisTicks,
  buildAxis,
  buildLanes,
  buildModel,
  buildPlan,
  clampView,
  COLORS,
  displayRanges,
  followView,
  formatClock,
  laneOf,
  locate,
  mergeRanges,
  msToX,
  nextPlayable,
  segmentAt,
  segmentProgress,
  streamColor,
  toConversation,
  toDisplay,
  xToMs,
  zoomOf,
  zoomView,
} from './model.ts';

const stream = (party: string, role: string, side: string | null, status = 'ok'): MediaPartyStream => ({
  id: `st-${party}-${Math.random().toString(36).slice(2, 6)}`,
  party,
  participantId: null,
  role,
  side,
  name: null,
  status,
  reason: null,
  sampleRate: 8000,
  durationMs: 0,
  talkMs: 0,
  soloUrl: `/solo/${party}`,
  peaksUrl: `/peaks/${party}`,
  peaks: null,
});

const seg = (id: string, startMs: number, endMs: number, extra: Partial<MediaSegment> = {}): MediaSegment => ({
  id,
  kind: 'call',
  contactId: id,
  startMs,
  endMs,
  recordedAt: new Date(Date.UTC(2026, 0, 1) + startMs).toISOString(),
  monitor: null,
  mixUrl: `/mix/${id}`,
  downloadWavUrl: `/wav/${id}`,
  videoUrl: null,
  streams: [],
  ...extra,
});

describe('streamColor', () => {
  it('gives the initiating side the darker shade: green customers, blue agents, green when the side is unknown', () => {
    expect(streamColor('customer', 'calling')).toBe(COLORS.customerCalling);
    expect(streamColor('customer', 'called')).toBe(COLORS.customerCalled);
    expect(streamColor('agent', 'calling')).toBe(COLORS.agentCalling);
    expect(streamColor('agent', 'called')).toBe(COLORS.agentCalled);
    expect(streamColor('other', 'called')).toBe(COLORS.agentCalled);
    expect(streamColor('agent', null)).toBe(COLORS.unknownSide);
    expect(streamColor('customer', 'sideways')).toBe(COLORS.unknownSide);
  });

  it('puts one lane per party across segments, the calling side first', () => {
    const lanes = buildLanes([
      seg('b', 100, 200, { streams: [stream('agent2', 'agent', 'called'), stream('cust', 'customer', 'calling')] }),
      seg('a', 0, 100, { streams: [stream('agent1', 'agent', 'called'), stream('cust', 'customer', 'calling')] }),
      seg('v', 0, 200, { kind: 'screen', streams: [] }),
    ]);
    expect(lanes.map((l) => [l.party, l.streams.map((s) => s.segment.id), l.color])).toEqual([
      ['cust', ['a', 'b'], COLORS.customerCalling],
      ['agent1', ['a'], COLORS.agentCalled],
      ['agent2', ['b'], COLORS.agentCalled],
    ]);
  });
});

describe('lanes of a transferred call (issue 16)', () => {
  const st = (party: string, role: string, side: string, participantId: string, name: string) => ({ ...stream(party, role, side), participantId, name });
  const legs = () =>
    buildLanes([
      seg('b', 100, 200, { streams: [st('agent', 'agent', 'called', 'p-julien', 'Julien Laurent'), st('customer', 'customer', 'calling', 'p-cust', 'Casey')] }),
      seg('a', 0, 100, { streams: [st('agent', 'agent', 'called', 'p-alex', 'Alex Agent'), st('customer', 'customer', 'calling', 'p-cust', 'Casey')] }),
    ]);

  it('gives each leg’s agent their own lane, named after them, in the order of the legs; the customer keeps one', () => {
    expect(legs().map((l) => [l.key, l.name, l.streams.map((s) => s.segment.id)])).toEqual([
      ['p-cust', 'Casey', ['a', 'b']],
      ['p-alex', 'Alex Agent', ['a']],
      ['p-julien', 'Julien Laurent', ['b']],
    ]);
  });

  it('finds the lane of a party key by the leg it was heard in', () => {
    const lanes = legs();
    expect(laneOf(lanes, 'agent', { segmentId: 'b' })?.name).toBe('Julien Laurent');
    expect(laneOf(lanes, 'agent', { ms: 50 })?.name).toBe('Alex Agent');
    expect(laneOf(lanes, 'agent', { ms: 150 })?.name).toBe('Julien Laurent');
    expect(laneOf(lanes, 'customer', { ms: 150 })?.name).toBe('Casey');
    expect(laneOf(lanes, null)).toBeUndefined();
  });
});

describe('the display axis', () => {
  // A chat (not media) from 0 to 60 s, a call 60–90 s, a consultation inside it 70–80 s, a screen recording 85–95 s,
  // an email later, a second call 200–230 s; wrap-up after the last call.
  const segments = [
    seg('chat', 0, 60_000, { kind: 'chat' }),
    seg('c1', 60_000, 90_000),
    seg('consult', 70_000, 80_000),
    seg('screen', 85_000, 95_000, { kind: 'screen' }),
    seg('c2', 200_000, 230_000),
  ];
  const axis = buildAxis(segments, { startMs: 235_000, endMs: 245_000 });

  it('merges overlapping media segments and collapses the gaps between them', () => {
    expect(axis.spans).toEqual([
      { startMs: 60_000, endMs: 95_000, atMs: 0, kind: 'media' },
      { startMs: 200_000, endMs: 230_000, atMs: 35_000, kind: 'media' },
      { startMs: 235_000, endMs: 245_000, atMs: 65_000, kind: 'wrapUp' },
    ]);
    expect(axis.gaps).toEqual([
      { atMs: 35_000, startMs: 95_000, endMs: 200_000 },
      { atMs: 65_000, startMs: 230_000, endMs: 235_000 },
    ]);
    expect(axis.totalMs).toBe(75_000);
    expect(axis.mediaEndMs).toBe(65_000);
  });

  it('maps conversation time to display time and back', () => {
    expect(toDisplay(axis, 60_000)).toBe(0);
    expect(toDisplay(axis, 75_000)).toBe(15_000);
    expect(toDisplay(axis, 150_000)).toBe(35_000); // in the gap: the junction
    expect(toDisplay(axis, 210_000)).toBe(45_000);
    expect(toDisplay(axis, 0)).toBe(0);
    expect(toDisplay(axis, 999_999)).toBe(75_000);
    expect(toConversation(axis, 15_000)).toBe(75_000);
    expect(toConversation(axis, 35_000)).toBe(200_000); // the junction plays the later span
    expect(toConversation(axis, 45_000)).toBe(210_000);
    expect(toConversation(axis, -5)).toBe(60_000);
    expect(toConversation(axis, 1e9)).toBe(245_000);
    for (const d of [0, 1234, 34_999, 35_000, 64_000, 70_000]) expect(toDisplay(axis, toConversation(axis, d))).toBe(d);
  });

  it('places an interval on the axis, split across a junction and dropped inside a gap', () => {
    expect(displayRanges(axis, 88_000, 205_000)).toEqual([
      [28_000, 35_000],
      [35_000, 40_000],
    ]);
    expect(displayRanges(axis, 100_000, 150_000)).toEqual([]);
  });

  it('handles no media and wrap-up without media', () => {
    expect(buildAxis([seg('chat', 0, 5, { kind: 'chat' })])).toEqual({ spans: [], gaps: [], totalMs: 0, mediaEndMs: 0 });
    expect(toConversation(buildAxis([]), 100)).toBe(0);
    expect(buildAxis([seg('c', 0, 1000)], { startMs: 500, endMs: 1500 }).spans.map((s) => [s.startMs, s.endMs, s.kind])).toEqual([
      [0, 1000, 'media'],
      [1000, 1500, 'wrapUp'],
    ]);
  });
});

describe('time ↔ pixel mapping and zoom', () => {
  const view = { startMs: 10_000, spanMs: 20_000 };

  it('maps both ways', () => {
    expect(msToX(view, 1000, 10_000)).toBe(0);
    expect(msToX(view, 1000, 20_000)).toBe(500);
    expect(xToMs(view, 1000, 250)).toBe(15_000);
    expect(xToMs(view, 1000, msToX(view, 1000, 23_456))).toBeCloseTo(23_456, 6);
  });

  it('zooms around an anchor and keeps the window inside the axis', () => {
    const z = zoomView(view, 2, 20_000, 60_000, 1000);
    expect(z).toEqual({ startMs: 15_000, spanMs: 10_000 });
    expect(msToX(z, 1000, 20_000)).toBe(msToX(view, 1000, 20_000));
    expect(zoomView({ startMs: 0, spanMs: 60_000 }, 0.5, 0, 60_000, 1000)).toEqual({ startMs: 0, spanMs: 60_000 });
    expect(clampView({ startMs: 55_000, spanMs: 10_000 }, 60_000, 1000)).toEqual({ startMs: 50_000, spanMs: 10_000 });
    // Never closer than a millisecond per pixel.
    expect(zoomView(view, 1e6, 20_000, 60_000, 1000).spanMs).toBe(1000);
    expect(zoomOf({ startMs: 0, spanMs: 15_000 }, 60_000)).toBe(4);
  });

  it('turns the page when the playhead leaves the window', () => {
    expect(followView(view, 20_000, 60_000, 1000)).toBe(view);
    expect(followView(view, 30_500, 60_000, 1000)).toEqual({ startMs: 29_500, spanMs: 20_000 });
    expect(followView(view, 59_000, 60_000, 1000)).toEqual({ startMs: 40_000, spanMs: 20_000 });
    expect(followView(view, 2_000, 60_000, 1000)).toEqual({ startMs: 1_000, spanMs: 20_000 });
  });

  it('ticks at a round step', () => {
    const { step, ticks } = axisTicks({ startMs: 0, spanMs: 60_000 }, 600, 80);
    expect(step).toBe(10_000);
    expect(ticks).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
  });

  it('formats clock times', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65_400)).toBe('1:05');
    expect(formatClock(65_400, true)).toBe('1:05.4');
    expect(formatClock(3_725_000)).toBe('1:02:05');
  });
});

describe('the playback plan', () => {
  const segments = [
    seg('a', 0, 60_000),
    seg('consult', 20_000, 30_000),
    seg('missing', 70_000, 80_000, { mixUrl: null }),
    seg('b', 100_000, 130_000),
    seg('late', 120_000, 140_000),
    seg('screen', 0, 200_000, { kind: 'screen' }),
  ];
  const plan = buildPlan(segments);
  const starts = new Map(segments.map((s) => [s.id, s.startMs]));
  const startOf = (id: string) => starts.get(id)!;

  it('plays segments in sequence, the later-started one where they overlap, skipping gaps', () => {
    expect(plan.map((p) => [p.segmentId, p.fromMs, p.toMs, p.playable])).toEqual([
      ['a', 0, 20_000, true],
      ['consult', 20_000, 30_000, true],
      ['a', 30_000, 60_000, true],
      ['missing', 70_000, 80_000, false],
      ['b', 100_000, 120_000, true],
      ['late', 120_000, 140_000, true],
    ]);
  });

  it('finds the segment and local time for a conversation time', () => {
    expect(locate(plan, startOf, 5_000)).toEqual({ index: 0, convMs: 5_000, localMs: 5_000 });
    expect(locate(plan, startOf, 25_000)).toEqual({ index: 1, convMs: 25_000, localMs: 5_000 });
    expect(locate(plan, startOf, 45_000)).toEqual({ index: 2, convMs: 45_000, localMs: 45_000 });
    // In a gap: the start of the next piece.
    expect(locate(plan, startOf, 90_000)).toEqual({ index: 4, convMs: 100_000, localMs: 0 });
    expect(locate(plan, startOf, 125_000)).toEqual({ index: 5, convMs: 125_000, localMs: 5_000 });
    expect(locate(plan, startOf, 140_000)).toBeNull();
    expect(segmentAt(plan, 25_000)).toBe('consult');
    expect(segmentAt(plan, 90_000)).toBeNull();
  });

  it('skips segments with missing media', () => {
    expect(nextPlayable(plan, 3)).toBe(4);
    expect(nextPlayable(plan, 6)).toBe(-1);
    expect(nextPlayable(buildPlan([seg('x', 0, 10, { mixUrl: null })]), 0)).toBe(-1);
  });

  it('reports progress through a segment', () => {
    expect(segmentProgress({ startMs: 100, endMs: 300 }, 150)).toBe(0.25);
    expect(segmentProgress({ startMs: 100, endMs: 300 }, 50)).toBe(0);
    expect(segmentProgress({ startMs: 100, endMs: 300 }, 400)).toBe(1);
  });
});

describe('buildModel', () => {
  const manifest = (over: Partial<MediaManifest>): MediaManifest => ({
    conversationId: 'c',
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 10_000,
    status: 'ready',
    holdCount: 0,
    segments: [],
    events: [],
    marks: [],
    wrapUp: null,
    exportMp3Url: '/mp3',
    ...over,
  });

  it('says what is wrong with the media', () => {
    const ok = seg('a', 0, 10_000, { streams: [stream('c', 'customer', 'calling'), stream('g', 'agent', 'called')] });
    expect(buildModel(manifest({ segments: [ok] })).problem).toBeNull();
    expect(buildModel(manifest({ segments: [ok], status: 'pending' })).problem).toBe('pending');
    expect(buildModel(manifest({ segments: [ok], status: 'no_audio' })).problem).toBe('noAudio');
    expect(buildModel(manifest({ segments: [] })).problem).toBe('noAudio');
    expect(buildModel(manifest({ segments: [seg('a', 0, 10, { mixUrl: null, streams: [stream('c', 'customer', null, 'no_audio')] })] })).problem).toBe(
      'noAudio',
    );
    const partial = seg('a', 0, 10_000, { streams: [stream('c', 'customer', 'calling'), stream('g', 'agent', 'called', 'no_audio')] });
    expect(buildModel(manifest({ segments: [partial] })).problem).toBe('partial');
    expect(buildModel(manifest({ segments: [ok], status: 'partial' })).problem).toBe('partial');
  });

  it('bands where a screen was recorded (monitors merged) and keeps the transfer and consult marks', () => {
    const m = buildModel(
      manifest({
        segments: [
          seg('a', 0, 10_000),
          seg('s1', 2000, 6000, { kind: 'screen', monitor: 1, mixUrl: null }),
          seg('s2', 5000, 8000, { kind: 'screen', monitor: 2, mixUrl: null }),
        ],
        marks: [
          { type: 'transfer', atMs: 4000, segmentId: 'a', to: '2002' },
          { type: 'consult', atMs: 7000, segmentId: 'a', to: null },
        ],
      }),
    );
    expect(m.screenBands).toEqual([[2000, 8000]]);
    expect(m.wrapUp).toBeNull();
    expect(m.marks.map((x) => x.type)).toEqual(['transfer', 'consult']);
    expect(
      mergeRanges([
        [5, 6],
        [1, 2],
        [2, 3],
      ]),
    ).toEqual([
      [1, 3],
      [5, 6],
    ]);
  });

  it('marks the wrap-up where the media ends without laying it on the axis (a click never lands in it)', () => {
    const m = buildModel(manifest({ segments: [seg('a', 0, 40_000)], wrapUp: { startMs: 40_000, endMs: 110_000 } }));
    expect(m.wrapUp).toEqual({ startMs: 40_000, endMs: 110_000 });
    expect([m.axis.totalMs, m.axis.mediaEndMs]).toEqual([40_000, 40_000]);
    expect(toConversation(m.axis, m.axis.totalMs * 0.4)).toBe(16_000);
  });

  it('sorts the events and knows where playable audio ends', () => {
    const m = buildModel(
      manifest({
        segments: [seg('a', 1000, 11_000), seg('b', 20_000, 25_000, { mixUrl: null })],
        events: [
          { type: 'hold', startMs: 2000, endMs: 4000, parties: ['c'], source: 'events' },
          { type: 'crosstalk', startMs: 5000, endMs: 5500, parties: ['c', 'g'], source: 'vad' },
          { type: 'gap', startMs: 6000, endMs: 6500, parties: [], source: 'rtp' },
          { type: 'silence', startMs: 7000, endMs: 9000, parties: [], source: 'vad' },
        ],
      }),
    );
    expect([m.holds.length, m.crosstalk.length, m.streamGaps.length]).toEqual([1, 1, 1]);
    expect(m.playableEndMs).toBe(10_000);
    expect(m.axis.totalMs).toBe(15_000);
  });
});
