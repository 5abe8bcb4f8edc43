// The list's multi-select (issue 16 item 4: categories assigned from the list): ticking rows neither previews nor
// plays, the bar files the ticked conversations under a category (or takes them out of one) in one request, says how
// many changed, and is offered only to users who may apply tags.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SearchRow } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { ConversationTable } from './ConversationTable.tsx';
import { SelectionBar } from './SelectionBar.tsx';

const S = en.conversations.selection;
const category = (id: string, name: string, archived = false) => ({ id, name, color: '#1c7ed6', archived, kind: 'category' });

describe('SelectionBar', () => {
  it('files the ticked conversations under a category in one request and says how many changed', async () => {
    const api = fakeApi({
      'GET /api/categories': () => ({ items: [category('k1', 'Billing'), category('k2', 'Old', true)] }),
      'POST /api/conversations/categories': () => ({ changed: 2, unchanged: 1 }),
    });
    renderWithApp(<SelectionBar ids={['a', 'b', 'c']} onClear={() => {}} />, { me: testUser(['tags.apply', 'conversations.view']) });
    expect(screen.getByTestId('selection-count').textContent).toBe(S.count.replace('{{n}}', '3'));
    await userEvent.click(screen.getByTestId('selection-categories'));
    const menu = await screen.findByTestId('selection-categories-menu');
    // An archived category is not offered for filing, only for taking out.
    expect(menu.querySelector('[data-category="k2"]')).toBeNull();
    expect(menu.querySelector('[data-remove-category="k2"]')).not.toBeNull();
    await userEvent.click(within(menu).getAllByRole('menuitem', { name: 'Billing' })[0]!);
    await waitFor(() => expect(api.requests('POST', '/api/conversations/categories')).toHaveLength(1));
    expect(api.requests('POST', '/api/conversations/categories')[0]!.body).toEqual({ conversationIds: ['a', 'b', 'c'], add: ['k1'] });
    expect((await screen.findByTestId('selection-done')).textContent).toBe(
      S.filed.replace('{{n}}', '2').replace('{{name}}', 'Billing').replace('{{unchanged}}', '1'),
    );
  });

  it('offers no categories to a user who may not apply tags', () => {
    fakeApi({});
    renderWithApp(<SelectionBar ids={['a']} onClear={() => {}} />, { me: testUser(['conversations.view']) });
    expect(screen.queryByTestId('selection-categories')).toBeNull();
    expect(screen.getByTestId('selection-clear')).toBeTruthy();
  });

  it('ticking a row checks it without selecting it; the header box ticks every row shown', () => {
    fakeApi({ 'GET /api/speech-tags/summary': () => ({ items: [] }) });
    const onCheck = vi.fn();
    const onSelect = vi.fn();
    const row = (id: string) =>
      ({
        id,
        title: id,
        direction: 'inbound',
        startedAt: '2026-03-01T07:39:00Z',
        endedAt: '2026-03-01T07:39:00Z',
        updatedAt: '2026-03-01T07:39:00Z',
        talkTimeMs: 0,
        channels: ['chat'],
        hasScreen: false,
        reviewable: true,
        agent: null,
        participants: [],
        tags: [],
        commentCount: 0,
        customFields: {},
        speechStatus: 'none',
        review: { reviewedAt: null, latest: null, reviews: 0 },
        timeZone: 'UTC',
        highlight: null,
      }) as unknown as SearchRow;
    renderWithApp(
      <ConversationTable
        rows={[row('a'), row('b')]}
        loading={false}
        fieldColumns={[]}
        selectedId={null}
        onSelect={onSelect}
        onOpen={() => {}}
        checked={new Set(['b'])}
        onCheck={onCheck}
      />,
    );
    const boxes = screen.getAllByTestId('row-check') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([false, true]);
    fireEvent.click(boxes[0]!);
    expect(onCheck).toHaveBeenLastCalledWith(['a'], true);
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('check-all'));
    expect(onCheck).toHaveBeenLastCalledWith(['a', 'b'], true);
  });
});
