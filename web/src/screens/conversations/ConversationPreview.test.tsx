// The preview pane's content (issue 16 item 8): chat segments read as one thread with their text, emails in order
// with their text, call segments with their data-tag chips, and a chat or an email opened in full in place by a
// double-click (or at once when the list row was double-clicked). No review history until reviews exist.
import { fireEvent, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, Segment } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp } from '../../test/render.tsx';
import { ConversationPreview, PreviewContent } from './ConversationPreview.tsx';

const seg = (id: string, kind: string, startedAt: string, extra: Partial<Segment> = {}): Segment =>
  ({
    id,
    kind,
    externalId: id,
    parentSegmentId: null,
    direction: null,
    startedAt,
    endedAt: startedAt,
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
    events: [],
    messages: [],
    email: null,
    ...extra,
  }) as Segment;

const msg = (seq: number, sentAt: string, text: string, senderRole = 'customer') => ({
  seq,
  senderKey: senderRole,
  senderName: senderRole,
  senderRole,
  sentAt,
  text,
});

const conversation = {
  id: 'c1',
  title: 'Invoice question',
  direction: 'inbound',
  startedAt: '2026-03-01T10:00:00Z',
  endedAt: '2026-03-01T11:00:00Z',
  updatedAt: '2026-03-01T11:00:00Z',
  talkTimeMs: 20_000,
  channels: ['chat', 'call', 'email'],
  hasScreen: false,
  reviewable: true,
  agent: null,
  participants: [],
  tags: [],
  commentCount: 0,
  customFields: {},
  speechStatus: 'none',
  review: { reviewedAt: null, latest: null, reviews: 0 },
  timeZone: 'Europe/Paris',
  engagementId: null,
  speech: { status: 'none', reason: null, transcribedAt: null },
  customData: {},
  customFieldValues: [],
  comments: [],
  segments: [
    seg('chat-2', 'chat', '2026-03-01T10:02:00Z', {
      title: 'Invoice question',
      messages: [msg(0, '2026-03-01T10:02:00Z', 'I can see the duplicate charge.', 'agent')],
    }),
    seg('chat-1', 'chat', '2026-03-01T10:00:00Z', {
      title: 'Invoice question',
      messages: [msg(0, '2026-03-01T10:00:00Z', 'My invoice shows a charge twice.')],
    }),
    seg('call-1', 'call', '2026-03-01T10:10:00Z', {
      endedAt: '2026-03-01T10:10:20Z',
      durationMs: 20_000,
      dataTags: [{ tagId: 't1', name: 'Disposition', color: 'teal', key: 'disposition', value: 'refund issued' }],
    }),
    seg('mail-1', 'email', '2026-03-01T10:30:00Z', {
      email: {
        messageId: 'm1',
        inReplyTo: null,
        subject: 'Your refund',
        from: { name: 'Billing', address: 'billing@example.com' },
        to: [{ name: 'Camille Martin', address: 'camille@example.com' }],
        cc: [],
        sentAt: '2026-03-01T10:30:00Z',
        text: 'The duplicate charge has been refunded.',
        html: null,
        attachments: [],
      },
    }),
  ],
} as unknown as ConversationDetail;

describe('ConversationPreview', () => {
  it('shows the chats as one thread, the call with its data tags and the email with its text, in time order', () => {
    renderWithApp(<PreviewContent conversation={conversation} />);
    const blocks = within(screen.getByTestId('preview-content')).getAllByTestId(/^preview-(chat|call|email|screen)$/);
    expect(blocks.map((b) => b.dataset.testid)).toEqual(['preview-chat', 'preview-call', 'preview-email']);
    const bubbles = within(blocks[0]!)
      .getAllByTestId('chat-bubble')
      .map((b) => b.textContent);
    expect(bubbles).toEqual(['My invoice shows a charge twice.', 'I can see the duplicate charge.']);
    expect(within(blocks[1]!).getByTestId('preview-data-tag').textContent).toBe('disposition: refund issued');
    expect(within(blocks[2]!).getByTestId('preview-email-text').textContent).toBe('The duplicate charge has been refunded.');
    expect(within(blocks[2]!).getByText('Your refund')).toBeTruthy();
  });

  it('a double-click opens a chat or an email in full in place, and again closes it', () => {
    renderWithApp(<PreviewContent conversation={conversation} />);
    const mail = screen.getByTestId('preview-email');
    expect(mail.dataset.open).toBe('false');
    expect(within(mail).getByTestId('preview-body').style.maxHeight).not.toBe('');
    fireEvent.doubleClick(mail);
    expect(mail.dataset.open).toBe('true');
    expect(within(mail).getByTestId('preview-body').style.maxHeight).toBe('');
    expect(within(mail).getByTestId('email-body').textContent).toBe('The duplicate charge has been refunded.'); // the full email view
    fireEvent.doubleClick(mail);
    expect(mail.dataset.open).toBe('false');
  });

  it('opens the first chat in full when the row was double-clicked, and has no review history section', async () => {
    fakeApi({ 'GET /api/conversations/c1': () => conversation, 'GET /api/tags': () => ({ items: [] }) });
    renderWithApp(
      <MemoryRouter>
        <ConversationPreview id="c1" expandText onClose={() => {}} />
      </MemoryRouter>,
    );
    const chat = await screen.findByTestId('preview-chat');
    expect(chat.dataset.open).toBe('true');
    expect(screen.getByTestId('preview-email').dataset.open).toBe('false');
    expect(screen.queryByText(en.conversations.reviews.title)).toBeNull();
  });
});
