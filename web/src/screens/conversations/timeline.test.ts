import { describe, expect, it } from 'vitest';
import type { Segment } from '../../api/types.ts';
import { axisTicks, holdSpans, layoutTimeline } from './timeline.ts';

const seg = (id: string, startedAt: string, endedAt: string, events: Segment['events'] = []): Segment => ({
  id,
  kind: 'call',
  externalId: id,
  parentSegmentId: null,
  direction: 'inbound',
  startedAt,
  endedAt,
  durationMs: 0,
  queue: null,
  agentUserId: null,
  agentPartyKey: null,
  title: null,
  monitor: null,
  sourceUrl: null,
  metadata: {},
  dataTags: [],
  parties: [],
  streams: [],
  events,
  messages: [],
  email: null,
});

describe('layoutTimeline', () => {
  it('places segments as percentages of the whole conversation', () => {
    const layout = layoutTimeline([seg('b', '2026-01-01T10:05:00Z', '2026-01-01T10:10:00Z'), seg('a', '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z')])!;
    expect(layout.bars.map((b) => [b.segment.id, b.left, b.width])).toEqual([
      ['a', 0, 50],
      ['b', 50, 50],
    ]);
  });

  it('draws holds up to the resume (or the segment end) and marks transfers', () => {
    const layout = layoutTimeline([
      seg('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z', [
        { type: 'hold', at: '2026-01-01T10:01:00Z', data: {} },
        { type: 'resume', at: '2026-01-01T10:02:00Z', data: {} },
        { type: 'hold', at: '2026-01-01T10:08:00Z', data: {} },
        { type: 'transfer', at: '2026-01-01T10:09:00Z', data: { to: 'Billing' } },
      ]),
    ])!;
    const bar = layout.bars[0]!;
    expect(bar.holds.map((h) => [h.left, h.width])).toEqual([
      [10, 10],
      [80, 20],
    ]);
    expect(bar.marks).toEqual([{ left: 90, type: 'transfer', at: '2026-01-01T10:09:00Z', to: 'Billing' }]);
  });

  it('returns null for no segments and survives a zero-length conversation', () => {
    expect(layoutTimeline([])).toBeNull();
    const one = layoutTimeline([seg('a', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')])!;
    expect(one.bars[0]!.width).toBe(0);
  });
});

describe('holdSpans', () => {
  it('ignores a resume without a hold', () => {
    expect(holdSpans([{ type: 'resume', at: '2026-01-01T10:00:00Z', data: {} }], '2026-01-01T10:05:00Z')).toEqual([]);
  });
});

describe('axisTicks', () => {
  it('spreads ticks over the range, ends included', () => {
    expect(axisTicks(0, 100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(axisTicks(5, 5)).toEqual([5]);
  });
});
