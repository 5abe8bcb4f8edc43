// The filter chips against a fake API: the server's chips, each removable (the time period means all time then, a
// custom-data condition only that one); an editor that runs the changed search first and keeps a refusal with the
// editor open; and, when the server refused the filter, chips named here with the faulty one marked.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import type { FilterChip, SearchFilterInput, SearchPage } from '../../../api/types.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi } from '../../../test/render.tsx';
import { FilterChips } from './FilterChips.tsx';
import type { SearchContextValue } from './SearchContext.tsx';
import { renderInSearch } from '../../../test/search.tsx';

const T = en.search;
const removeLabel = (label: string) => T.chips.remove.replace('{{label}}', label);

const page = (filter: SearchFilterInput, chips: FilterChip[]): SearchPage =>
  ({ total: 0, totalExact: true, items: [], nextCursor: null, filter, chips, ignored: [] }) as unknown as SearchPage;

function renderChips(ctx: Partial<SearchContextValue>, searchAnswer: (body: unknown) => unknown = () => page({}, [])) {
  const api = fakeApi({
    'POST /api/conversations/search': (req) => searchAnswer(req.body),
    'GET /api/conversations/search/options': () => ({ tags: [], speechTags: [], customFields: [], views: { unassigned: false } }),
  });
  const { setSearch } = renderInSearch(<FilterChips />, ctx);
  return { api, setSearch };
}

describe('FilterChips', () => {
  const filter: SearchFilterInput = {
    channels: ['chat'],
    customData: [
      { fieldKey: 'plan', op: { op: 'equals', value: 'Premium' } },
      { fieldKey: 'crm', op: { op: 'is_empty' } },
    ],
  };
  const chips: FilterChip[] = [
    { field: 'period', label: 'Time period: Last 90 days' },
    { field: 'channels', label: 'Channel: Chats' },
    { field: 'customData', index: 0, label: 'Plan: equals Premium' },
    { field: 'customData', index: 1, label: 'CRM: is empty' },
  ];

  it('shows the chips the server named; removing one drops only that condition (the period: all time)', async () => {
    const { setSearch } = renderChips({ q: 'refund', filter, page: page(filter, chips) });
    const group = screen.getByRole('group', { name: T.chips.label });
    expect(
      within(group)
        .getAllByTestId('filter-chip')
        .map((c) => c.textContent),
    ).toEqual(chips.map((c) => c.label));

    await userEvent.click(screen.getByRole('button', { name: removeLabel('Plan: equals Premium') }));
    expect(setSearch).toHaveBeenLastCalledWith({ q: 'refund', filter: { channels: ['chat'], customData: [filter.customData![1]] } });
    await userEvent.click(screen.getByRole('button', { name: removeLabel('Time period: Last 90 days') }));
    expect(setSearch).toHaveBeenLastCalledWith({ q: 'refund', filter: { ...filter, period: null } });
    await userEvent.click(screen.getByRole('button', { name: removeLabel('Channel: Chats') }));
    expect(setSearch).toHaveBeenLastCalledWith({ q: 'refund', filter: { customData: filter.customData } });
  });

  it('edits a condition: the changed search runs first, and the screen switches to it once the server took it', async () => {
    const durationFilter: SearchFilterInput = { duration: 'short' };
    const { api, setSearch } = renderChips({ filter: durationFilter, page: page(durationFilter, [{ field: 'duration', label: 'Duration: Short' }]) }, (body) =>
      page(body as SearchFilterInput, []),
    );
    await userEvent.click(screen.getByText('Duration: Short'));
    await userEvent.click(await screen.findByRole('radio', { name: T.duration.long }));
    await userEvent.click(screen.getByRole('button', { name: T.apply }));
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: { duration: 'long' } }));
    expect(api.requests('POST', '/api/conversations/search').map((r) => r.body)).toEqual([{ duration: 'long' }]);
  });

  it('keeps a refused edit in the editor with the server message, and the search as it was', async () => {
    const durationFilter: SearchFilterInput = { duration: 'short' };
    // The search route answers 400 with the path of the faulty field, as the server does.
    const refusal = { code: 'VALIDATION_FAILED', message: '"99:99" is not a talk time', details: { field: 'filter.duration.min', reason: 'INVALID_DURATION' } };
    const { setSearch } = renderChips({ filter: durationFilter, page: page(durationFilter, [{ field: 'duration', label: 'Duration: Short' }]) }, () =>
      Response.json({ error: refusal }, { status: 400 }),
    );
    await userEvent.click(screen.getByText('Duration: Short'));
    await userEvent.click(await screen.findByRole('radio', { name: T.duration.custom }));
    await userEvent.type(screen.getByRole('textbox', { name: T.duration.min }), '99:99');
    await userEvent.click(screen.getByRole('button', { name: T.apply }));
    expect(await screen.findByText('"99:99" is not a talk time')).toBeTruthy();
    expect(screen.getByRole('button', { name: T.apply })).toBeTruthy();
    expect(setSearch).not.toHaveBeenCalled();
  });

  it('names the chips itself when the server refused the filter, and marks the faulty one', () => {
    const refused = new ApiError(400, 'VALIDATION_FAILED', 'bad', { field: 'filter.customData.1.op.value' });
    renderChips({ filter: { phone: '+44', customData: filter.customData }, error: refused });
    const chipsShown = screen.getAllByTestId('filter-chip');
    expect(chipsShown.map((c) => [c.getAttribute('data-field'), c.getAttribute('data-invalid')])).toEqual([
      ['period', null],
      ['phone', null],
      ['customData', null],
      ['customData', 'true'],
    ]);
  });
});
