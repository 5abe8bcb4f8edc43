// The Conversations screen's filter chips in the French UI (issue 16 item 13): the server's English labels show in
// French, names it looked up kept; the remove button says which filter in French too.
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilterChip, SearchFilterInput, SearchPage } from '../api/types.ts';
import { FilterChips } from '../screens/conversations/search/FilterChips.tsx';
import { renderInSearch } from '../test/search.tsx';
import { fakeApi } from '../test/render.tsx';
import fr from './fr.json' with { type: 'json' };
import i18n from './index.ts';

const filter: SearchFilterInput = { period: { kind: 'last_days', days: 90 }, channels: ['call'], agentId: 'u1', direction: 'inbound' };
const chips: FilterChip[] = [
  { field: 'period', label: 'Time period: Last 90 days' },
  { field: 'channels', label: 'Channel: Calls' },
  { field: 'direction', label: 'Direction: Inbound' },
  { field: 'agentId', label: 'Agent: Julien Laurent' },
];

describe('filter chips in French', () => {
  beforeEach(() => i18n.changeLanguage('fr'));
  afterEach(() => i18n.changeLanguage('en'));

  it("show the server's chips in French", () => {
    fakeApi({ 'GET /api/conversations/search/options': () => ({ tags: [], speechTags: [], customFields: [], views: { unassigned: false } }) });
    const page = { total: 0, totalExact: true, items: [], nextCursor: null, filter, chips, ignored: [] } as unknown as SearchPage;
    renderInSearch(<FilterChips />, { filter, page });
    const group = screen.getByRole('group', { name: fr.search.chips.label });
    expect(
      within(group)
        .getAllByTestId('filter-chip')
        .map((c) => c.textContent),
    ).toEqual(['Période : 90 derniers jours', 'Canal : Appels', 'Sens : Entrant', 'Agent : Julien Laurent']);
    expect(within(group).getByRole('button', { name: fr.search.chips.remove.replace('{{label}}', 'Canal : Appels') })).toBeTruthy();
  });
});
