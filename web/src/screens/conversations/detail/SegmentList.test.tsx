// A transferred call in the detail view (issue 16, item 1): each leg's card names its own agent (both legs call
// theirs "agent") and says the second was put through by a transfer; the participants list which legs they were in.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, Segment } from '../../../api/types.ts';
import { appWrapper } from '../../../test/render.tsx';
import { ParticipantsCard } from './InfoCards.tsx';
import { SegmentList } from './SegmentList.tsx';

const leg = (id: string, startedAt: string, endedAt: string, agentId: string, metadata: Record<string, string> = {}): Segment =>
  ({
    id,
    kind: 'call',
    externalId: id,
    parentSegmentId: null,
    direction: 'inbound',
    startedAt,
    endedAt,
    durationMs: Date.parse(endedAt) - Date.parse(startedAt),
    queue: null,
    agentUserId: null,
    agentPartyKey: 'agent',
    title: null,
    monitor: null,
    sourceUrl: null,
    metadata,
    dataTags: [],
    parties: [
      { partyKey: 'agent', participantId: agentId },
      { partyKey: 'customer', participantId: 'p-cust' },
    ],
    streams: [],
    events: [],
    messages: [],
    email: null,
  }) as Segment;

const person = (id: string, role: string, name: string) => ({
  id,
  role,
  partyKey: role,
  name,
  phone: null,
  email: null,
  extension: null,
  userId: null,
  userName: null,
});

const conversation = {
  id: 'c1',
  timeZone: 'Europe/Paris',
  // The first "agent" of the conversation is Alex: before the fix the second leg's card named Alex too.
  participants: [person('p-alex', 'agent', 'Alex Agent'), person('p-cust', 'customer', 'Casey Customer'), person('p-julien', 'agent', 'Julien Laurent')],
  segments: [
    leg('s2', '2026-01-05T09:05:00Z', '2026-01-05T09:09:00Z', 'p-julien', { previousCallId: 's1' }),
    leg('s1', '2026-01-05T09:00:00Z', '2026-01-05T09:05:00Z', 'p-alex'),
  ],
} as unknown as ConversationDetail;

describe('a transferred call in the detail view', () => {
  it("names each leg's own agent on its card, in the order of the legs, the second marked as a transfer", () => {
    render(<SegmentList conversation={conversation} />, { wrapper: appWrapper().wrapper });
    const cards = screen.getAllByTestId('segment-agent').map((c) => c.textContent);
    expect(cards).toEqual(['Agent: Alex Agent', 'TransferAgent: Julien Laurent']);
  });

  it('lists which legs each participant was in, the agents in leg order', () => {
    render(<ParticipantsCard conversation={conversation} />, { wrapper: appWrapper().wrapper });
    const rows = screen.getByTestId('participants').textContent ?? '';
    expect(rows.indexOf('Alex Agent')).toBeLessThan(rows.indexOf('Julien Laurent'));
    expect(screen.getAllByTestId('participant-legs').map((e) => e.textContent)).toEqual(['legs 1, 2', 'leg 1', 'leg 2']);
  });
});
