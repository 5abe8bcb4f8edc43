// A conversation's Moments: the list with each clip's player, "Save as moment" with typed times (checked before
// sending) or a range selected on the waveform, and an external share link shown once after it is made.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { getRangeSelection, setRangeSelection } from '../../conversations/player/selection.ts';
import { ConversationMoments } from './ConversationMoments.tsx';

const moment = {
  id: 'm1',
  name: 'Great greeting',
  note: 'Use in onboarding',
  conversation: { id: 'c1', title: 'Billing call', startedAt: '2026-11-30T10:00:00.000Z' },
  startMs: 5000,
  endMs: 20000,
  status: 'ready',
  reason: null,
  clipUrl: '/api/moments/m1/clip',
  link: '/conversations/c1?moment=m1',
  createdBy: { id: 'u1', name: 'Eva One' },
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  shares: [],
};

function renderMoments(permissions: string[]) {
  const api = fakeApi({
    'GET /api/conversations/c1/moments': () => ({ items: [moment] }),
    'POST /api/conversations/c1/moments': (req) => ({ ...moment, id: 'm2', ...(req.body as object), status: 'pending', clipUrl: null }),
    'POST /api/moments/m1/shares': () => ({
      id: 's1',
      createdAt: '2026-12-02T09:00:00.000Z',
      createdBy: { id: 'u-test', name: 'Tess' },
      expiresAt: '2026-12-09T09:00:00.000Z',
      revokedAt: null,
      state: 'active',
      plays: 0,
      lastPlayedAt: null,
      url: 'http://earshot.test/api/shared/moments/abcdefghijklmnopqrstuvwxyz012345',
    }),
  });
  renderWithApp(
    <MemoryRouter>
      <ConversationMoments conversationId="c1" hasCall />
    </MemoryRouter>,
    { me: testUser(permissions) },
  );
  return api;
}

describe('Conversation moments', () => {
  it('lists the moments with their clip, and saves a new one from typed times', async () => {
    const api = renderMoments(['conversations.view', 'media.play_redacted', 'moments.manage']);
    const item = await screen.findByTestId('moment-m1');
    expect(item.textContent).toContain('Great greeting');
    expect(item.textContent).toContain('0:05–0:20');
    expect(within(item).getByTestId('moment-audio').getAttribute('src')).toBe('/api/moments/m1/clip');

    fireEvent.click(screen.getByTestId('add-moment'));
    const form = screen.getByTestId('new-moment');
    fireEvent.change(within(form).getByLabelText(new RegExp(en.moments.name)), { target: { value: 'Escalation handled' } });
    fireEvent.change(screen.getByTestId('moment-start'), { target: { value: '1:10' } });
    fireEvent.change(screen.getByTestId('moment-end'), { target: { value: '1:05' } });
    expect(screen.getByText(en.moments.form.endAfterStart)).toBeTruthy();
    expect(screen.getByTestId('save-moment').hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByTestId('moment-end'), { target: { value: '1:40' } });
    fireEvent.click(screen.getByTestId('save-moment'));
    await waitFor(() => expect(api.requests('POST', '/api/conversations/c1/moments')).toHaveLength(1));
    expect(api.requests('POST', '/api/conversations/c1/moments')[0]!.body).toEqual({ name: 'Escalation handled', startMs: 70_000, endMs: 100_000, note: null });
  });

  it('offers no saving without "manage moments", and no share without "share externally"', async () => {
    renderMoments(['conversations.view', 'media.play_redacted']);
    await screen.findByTestId('moment-m1');
    expect(screen.queryByTestId('add-moment')).toBeNull();
    expect(screen.queryByTestId('moment-menu')).toBeNull();
  });

  it('creates an external link and shows it once', async () => {
    const api = renderMoments(['conversations.view', 'media.play_redacted', 'moments.share_external']);
    fireEvent.click(await screen.findByTestId('moment-menu'));
    fireEvent.click(await screen.findByText(en.moments.share.menu));
    fireEvent.click(await screen.findByTestId('create-share'));
    await waitFor(() => expect(api.requests('POST', '/api/moments/m1/shares')).toHaveLength(1));
    expect(api.requests('POST', '/api/moments/m1/shares')[0]!.body).toEqual({ expiresInDays: 7 });
    expect(((await screen.findByTestId('share-url')) as HTMLInputElement).value).toBe(
      'http://earshot.test/api/shared/moments/abcdefghijklmnopqrstuvwxyz012345',
    );
    expect(screen.getByText(en.moments.share.onlyOnce)).toBeTruthy();
  });
});

describe('Saving a range selected on the waveform', () => {
  it('offers the selected range and fills the form with it', async () => {
    const api = renderMoments(['conversations.view', 'media.play_redacted', 'moments.manage']);
    await screen.findByTestId('moment-m1');
    act(() => setRangeSelection({ conversationId: 'c1', startMs: 12_400, endMs: 31_000 }));
    const add = screen.getByTestId('add-moment');
    expect(add.textContent).toContain('0:12–0:31');
    fireEvent.click(add);
    expect((screen.getByTestId('moment-start') as HTMLInputElement).value).toBe('0:12');
    expect((screen.getByTestId('moment-end') as HTMLInputElement).value).toBe('0:31');
    fireEvent.change(within(screen.getByTestId('new-moment')).getByLabelText(new RegExp(en.moments.name)), { target: { value: 'Objection' } });
    fireEvent.click(screen.getByTestId('save-moment'));
    await waitFor(() => expect(api.requests('POST', '/api/conversations/c1/moments')).toHaveLength(1));
    expect(api.requests('POST', '/api/conversations/c1/moments')[0]!.body).toMatchObject({ startMs: 12_000, endMs: 31_000 });
    // Saved: the selection is cleared.
    await waitFor(() => expect(getRangeSelection()).toBeNull());
  });

  it('ignores a selection made on another conversation', async () => {
    renderMoments(['conversations.view', 'media.play_redacted', 'moments.manage']);
    await screen.findByTestId('moment-m1');
    act(() => setRangeSelection({ conversationId: 'other', startMs: 1000, endMs: 5000 }));
    expect(screen.getByTestId('add-moment').textContent).toBe(en.moments.saveAs);
    act(() => setRangeSelection(null));
  });
});
