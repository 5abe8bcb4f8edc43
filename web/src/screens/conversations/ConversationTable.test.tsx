// The conversation list's table: a highlight row names the field that matched (issue 16 item 11: a contact-id match
// has no sentence around it), hidden columns are left out of the header and the rows (and the table's minimum width
// shrinks with them, so a narrower list beside the preview keeps every shown column), and the columns chooser
// hides and shows them.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SearchRow } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { MemoryRouter } from 'react-router-dom';
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { ColumnsMenu, ConversationTable, fitColumns, OPTIONAL_COLUMNS } from './ConversationTable.tsx';

const row = (id: string, highlight: unknown = null): SearchRow =>
  ({
    id,
    title: 'Call',
    direction: 'inbound',
    startedAt: '2026-03-01T07:39:00Z',
    endedAt: '2026-03-01T07:45:00Z',
    updatedAt: '2026-03-01T07:45:00Z',
    talkTimeMs: 60_000,
    channels: ['call'],
    hasScreen: false,
    reviewable: true,
    agent: { id: 'u1', name: 'Julien Laurent' },
    participants: [
      { id: 'p1', role: 'customer', partyKey: 'c', name: 'Camille Martin', phone: null, email: null, extension: null, userId: null, userName: null },
    ],
    tags: [],
    commentCount: 0,
    customFields: {},
    speechStatus: 'none',
    review: { reviewedAt: null, latest: null, reviews: 0 },
    timeZone: 'America/New_York',
    highlight,
  }) as unknown as SearchRow;

const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent || h.querySelector('[aria-label]')?.getAttribute('aria-label'));

describe('ConversationTable', () => {
  it('reviews a conversation from its row, for whoever may review, without selecting the row', async () => {
    fakeApi({
      'GET /api/speech-tags/summary': () => ({ items: [] }),
      'GET /api/conversations/a/review-agents': () => ({ items: [{ id: 'u1', name: 'Julien Laurent' }] }),
      'GET /api/scorecards': () => ({ items: [] }),
    });
    const onSelect = vi.fn();
    const table = () => (
      <MemoryRouter>
        <ConversationTable rows={[row('a')]} loading={false} fieldColumns={[]} selectedId={null} onSelect={onSelect} onOpen={() => {}} />
      </MemoryRouter>
    );
    const { unmount } = renderWithApp(table(), { me: testUser(['conversations.view']) });
    expect(screen.queryByRole('button', { name: `${en.conversations.actions.review}: Call` })).toBeNull();
    unmount();
    renderWithApp(table(), { me: testUser(['conversations.view', 'quality.review']) });
    await userEvent.click(screen.getByRole('button', { name: `${en.conversations.actions.review}: Call` }));
    expect(await screen.findByTestId('review-agent')).toBeTruthy();
    expect(onSelect).not.toHaveBeenCalled();
  });

  it("shows each row's Reviewed cell from the row itself (score and pass/fail, else reviewed, else nothing)", () => {
    fakeApi({ 'GET /api/speech-tags/summary': () => ({ items: [] }) });
    const scored = row('a') as unknown as Record<string, unknown>;
    scored.review = {
      reviewedAt: '2026-03-02T09:00:00Z',
      latest: { evaluationId: 'e1', score: 8, maxScore: 10, percent: 80, passed: true, autoFailed: false, submittedAt: '2026-03-02T09:00:00Z' },
      reviews: 1,
    };
    const hidden = row('b') as unknown as Record<string, unknown>;
    hidden.review = { reviewedAt: '2026-03-02T09:00:00Z', latest: null, reviews: 0 };
    renderWithApp(
      <ConversationTable
        rows={[scored, hidden, row('c')] as unknown as SearchRow[]}
        loading={false}
        fieldColumns={[]}
        selectedId={null}
        onSelect={() => {}}
        onOpen={() => {}}
      />,
    );
    const cells = screen.getAllByTestId('reviewed-cell').map((c) => c.textContent);
    expect(cells).toEqual([`80 %${en.evaluations.passed}`, en.evaluations.reviewed]);
  });

  it('names the field a match is in', () => {
    fakeApi({ 'GET /api/speech-tags/summary': () => ({ items: [] }) });
    renderWithApp(
      <ConversationTable
        rows={[row('a', { field: 'external_id', text: 'CASE-1042', ranges: [[0, 9]], count: 1 })]}
        loading={false}
        fieldColumns={[]}
        selectedId={null}
        onSelect={() => {}}
        onOpen={() => {}}
      />,
    );
    const field = screen.getByTestId('highlight-field');
    expect(field.textContent).toBe(en.search.matchedIn.replace('{{field}}', en.search.matchFields.external_id));
    expect(field.dataset.field).toBe('external_id');
    expect(screen.getByTestId('highlight-snippet').textContent).toBe('CASE-1042');
  });

  it("shows the start in the conversation's site zone, the zone on hover (issue 16 item 2)", () => {
    fakeApi({ 'GET /api/speech-tags/summary': () => ({ items: [] }) });
    renderWithApp(<ConversationTable rows={[row('a')]} loading={false} fieldColumns={[]} selectedId={null} onSelect={() => {}} onOpen={() => {}} />);
    const time = screen.getByTestId('conversation-row').querySelector('time')!;
    expect(time.textContent).toContain('02:39'); // 07:39 UTC in New York
    expect(time.textContent).toContain('Mar'); // never all digits
    expect(time.getAttribute('title')).toContain('America/New_York');
  });

  it('leaves hidden columns out, and the table needs less width', () => {
    fakeApi({ 'GET /api/speech-tags/summary': () => ({ items: [] }) });
    const props = { rows: [row('a')], loading: false, fieldColumns: [], selectedId: null, onSelect: () => {}, onOpen: () => {} };
    const { rerender } = renderWithApp(<ConversationTable {...props} />);
    const C = en.conversations.cols;
    expect(headers()).toEqual([C.type, C.participants, C.agent, C.talkTime, C.start, C.tags, C.comments, C.reviewed]);
    const full = Number(screen.getByRole('table').dataset.minWidth);
    rerender(<ConversationTable {...props} hidden={new Set(['type', 'talkTime'])} />);
    expect(headers()).toEqual([C.participants, C.agent, C.start, C.tags, C.comments, C.reviewed]);
    expect(within(screen.getByTestId('conversation-row')).getAllByRole('cell')).toHaveLength(6);
    expect(Number(screen.getByRole('table').dataset.minWidth)).toBe(full - 104 - 84);
  });

  it('leaves out what does not fit beside the preview, custom fields first, rather than cutting it off', () => {
    const all = fitColumns(OPTIONAL_COLUMNS, ['crm', 'plan'], 0);
    expect(all.shown).toEqual([...OPTIONAL_COLUMNS]);
    expect(all.minWidth).toBe(880 + 2 * 140);
    // 730 px (the list at 1440 px with the preview open): both custom fields, Reviewed and talk time go.
    const narrow = fitColumns(OPTIONAL_COLUMNS, ['crm', 'plan'], 730);
    expect(narrow.fields).toEqual([]);
    expect(narrow.shown).toEqual(['type', 'agent', 'tags', 'comments']);
    expect(narrow.minWidth).toBeLessThanOrEqual(730);
    // Wide enough for one field: the first is kept.
    expect(fitColumns(OPTIONAL_COLUMNS, ['crm', 'plan'], 880 + 140).fields).toEqual(['crm']);
    // Participants and start always stay, however narrow.
    expect(fitColumns(OPTIONAL_COLUMNS, [], 200).shown).toEqual([]);
  });

  it('the columns chooser hides and shows a column, and shows them all again', async () => {
    const onChange = vi.fn();
    const { rerender } = renderWithApp(<ColumnsMenu fieldColumns={[]} hidden={new Set()} onChange={onChange} />);
    await userEvent.click(screen.getByTestId('columns-button'));
    await userEvent.click(screen.getByRole('menuitem', { name: en.conversations.cols.agent }));
    expect(onChange).toHaveBeenLastCalledWith(['agent']);
    rerender(<ColumnsMenu fieldColumns={[]} hidden={new Set(['agent', 'tags'])} onChange={onChange} />);
    await userEvent.click(screen.getByRole('menuitem', { name: en.conversations.cols.agent }));
    expect(onChange).toHaveBeenLastCalledWith(['tags']);
    await userEvent.click(screen.getByRole('menuitem', { name: en.conversations.columns.showAll }));
    expect(onChange).toHaveBeenLastCalledWith([]);
  });
});
