import { describe, expect, it } from 'vitest';
import type { Participant, Segment } from '../../api/types.ts';
import { axisTicks, holdSpans, layoutTimeline, legLink, legsOf, segmentParticipant } from './timeline.ts';

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

describe('who is who in a leg (issue 16)', () => {
  const person = (id: string, partyKey: string, name: string): Participant => ({
    id,
    role: partyKey === 'customer' ? 'customer' : 'agent',
    partyKey,
    name,
    phone: null,
    email: null,
    extension: null,
    userId: null,
    userName: null,
  });
  const people = [person('p-alex', 'agent', 'Alex Agent'), person('p-cust', 'customer', 'Casey'), person('p-julien', 'agent', 'Julien Laurent')];
  const a = {
    ...seg('a', '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z'),
    parties: [
      { partyKey: 'agent', participantId: 'p-alex' },
      { partyKey: 'customer', participantId: 'p-cust' },
    ],
  };
  const b = {
    ...seg('b', '2026-01-01T10:05:00Z', '2026-01-01T10:09:00Z'),
    metadata: { previousCallId: 'a' },
    parties: [
      { partyKey: 'agent', participantId: 'p-julien' },
      { partyKey: 'customer', participantId: 'p-cust' },
    ],
  };
  const c = { ...seg('c', '2026-01-01T10:02:00Z', '2026-01-01T10:03:00Z'), metadata: { consultOfCallId: 'a' } };

  it("names each leg's own agent, not the first participant with the key", () => {
    expect(segmentParticipant(people, a, 'agent')?.name).toBe('Alex Agent');
    expect(segmentParticipant(people, b, 'agent')?.name).toBe('Julien Laurent');
    // A segment without its parties (an older server): the first with the key.
    expect(segmentParticipant(people, seg('x', '2026-01-01T10:00:00Z', '2026-01-01T10:01:00Z'), 'agent')?.name).toBe('Alex Agent');
    expect(segmentParticipant(people, a, null)).toBeUndefined();
  });

  it('numbers the legs a person is in, and tells a transfer leg from a consultation', () => {
    expect(legsOf([b, a], 'p-cust')).toEqual([1, 2]);
    expect(legsOf([b, a], 'p-julien')).toEqual([2]);
    expect([legLink(a), legLink(b), legLink(c), legLink({ ...b, kind: 'chat' })]).toEqual([null, 'transfer', 'consult', null]);
  });
});
