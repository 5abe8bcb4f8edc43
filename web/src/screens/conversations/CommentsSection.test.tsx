// Comments against a fake API: mentions shown as names (never the raw token), pinned first, "edited", pin and unpin
// by anyone who may comment, the author's edit, the @mention picker writing the token, and the player's position
// as the time marker.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConversationComment } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { CommentsSection } from './CommentsSection.tsx';
import { PlayerContext, type PlayerApi } from './player/usePlayer.ts';

const C = en.conversations.comments;
const comment = (over: Partial<ConversationComment>): ConversationComment => ({
  id: 'c',
  authorId: 'u-other',
  authorName: 'Olga Other',
  text: 'x',
  offsetMs: null,
  pinned: false,
  visibility: 'public',
  mentions: [],
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  edited: false,
  ...over,
});
const me = { me: testUser(['comments.write', 'conversations.view']) };

describe('CommentsSection', () => {
  it('shows mentions as names, pinned comments first, and which were edited', async () => {
    fakeApi({});
    renderWithApp(
      <CommentsSection
        conversationId="conv"
        comments={[
          comment({ id: 'a', text: 'Plain and first', createdAt: '2026-03-01T09:00:00.000Z' }),
          comment({ id: 'b', text: 'Listen @[Alma Agent](u-alma) at 0:42', pinned: true, edited: true, updatedAt: '2026-03-02T09:00:00.000Z' }),
        ]}
      />,
      me,
    );
    const items = screen.getAllByTestId('comment');
    expect(items[0]!.getAttribute('data-pinned')).toBe('true');
    expect(within(items[0]!).getByTestId('comment-text').textContent).toBe('Listen @Alma Agent at 0:42');
    expect(within(items[0]!).getByTestId('mention').getAttribute('data-user-id')).toBe('u-alma');
    expect(within(items[0]!).getByTestId('comment-edited').textContent).toBe(C.edited);
    expect(within(items[1]!).queryByTestId('comment-edited')).toBeNull();
    expect(screen.queryByText(/@\[/)).toBeNull();
  });

  it("pins anyone's comment, and lets the author edit their own (mentions kept as tokens)", async () => {
    const api = fakeApi({
      'PATCH /api/conversations/conv/comments/theirs': (r) => comment({ id: 'theirs', ...(r.body as object) }),
      'PATCH /api/conversations/conv/comments/mine': (r) => comment({ id: 'mine', authorId: 'u-test', ...(r.body as object) }),
    });
    renderWithApp(
      <CommentsSection
        conversationId="conv"
        comments={[comment({ id: 'theirs', text: 'Theirs' }), comment({ id: 'mine', authorId: 'u-test', text: 'Ask @[Bo Boss](u-bo) please', offsetMs: 1500 })]}
      />,
      me,
    );
    const [theirs, mine] = screen.getAllByTestId('comment');
    expect(within(theirs!).queryByRole('button', { name: C.edit })).toBeNull();
    expect(within(theirs!).queryByRole('button', { name: C.delete })).toBeNull();
    await userEvent.click(within(theirs!).getByRole('button', { name: C.pin }));
    expect(api.requests('PATCH', '/api/conversations/conv/comments/theirs').map((r) => r.body)).toEqual([{ pinned: true }]);

    await userEvent.click(within(mine!).getByRole('button', { name: C.edit }));
    const box = screen.getByRole('textbox', { name: C.editLabel });
    expect((box as HTMLTextAreaElement).value).toBe('Ask @Bo Boss please');
    await userEvent.clear(box);
    await userEvent.type(box, 'Ask @Bo Boss today');
    await userEvent.click(screen.getByRole('button', { name: en.common.save }));
    // The offset shown as 0:01 was left alone: the stored 1500 ms is sent back, not 1000.
    await waitFor(() =>
      expect(api.requests('PATCH', '/api/conversations/conv/comments/mine').map((r) => r.body)).toEqual([
        { text: 'Ask @[Bo Boss](u-bo) today', visibility: 'public', offsetMs: 1500 },
      ]),
    );
  });

  it('offers people to mention as @ is typed, writes the token, and takes the time from the player', async () => {
    const api = fakeApi({
      'GET /api/conversations/conv/mentionable': () => ({ items: [{ id: 'u-alma', name: 'Alma Agent', email: 'alma@example.test' }] }),
      'POST /api/conversations/conv/comments': (r) => comment({ id: 'new', authorId: 'u-test', ...(r.body as object) }),
    });
    const player = { conversationId: 'conv', now: () => 83_400, seek: () => {}, play: () => {} } as unknown as PlayerApi;
    renderWithApp(
      <PlayerContext.Provider value={player}>
        <CommentsSection conversationId="conv" comments={[]} />
      </PlayerContext.Provider>,
      me,
    );
    const box = screen.getByRole('textbox', { name: C.add });
    await userEvent.type(box, 'Good save @al');
    const list = await screen.findByTestId('mention-list');
    await userEvent.click(within(list).getByRole('option', { name: /Alma Agent/ }));
    expect((box as HTMLTextAreaElement).value).toBe('Good save @Alma Agent ');
    await userEvent.type(box, 'here');
    await userEvent.click(screen.getByTestId('comment-at-player'));
    expect((screen.getByRole('textbox', { name: C.offset }) as HTMLInputElement).value).toBe('1:23');
    await userEvent.click(screen.getByRole('button', { name: C.post }));
    await waitFor(() =>
      expect(api.requests('POST', '/api/conversations/conv/comments').map((r) => r.body)).toEqual([
        { text: 'Good save @[Alma Agent](u-alma) here', visibility: 'public', offsetMs: 83_000 },
      ]),
    );
  });
});
