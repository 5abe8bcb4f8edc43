// Rendering a part of the Conversations search (the bar, the chips, the filter editors, the saved searches) as it
// runs inside the screen: in a search context with the given query, filter and page, whose setSearch is recorded.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { Me } from '../api/types.ts';
import en from '../i18n/en.json' with { type: 'json' };
import { SearchContext, type SearchContextValue } from '../screens/conversations/search/SearchContext.tsx';
import { renderWithApp } from './render.tsx';

export function renderInSearch(ui: ReactElement, ctx: Partial<SearchContextValue> = {}, options: { me?: Me } = {}) {
  const setSearch = vi.fn();
  const value: SearchContextValue = {
    q: '',
    filter: {},
    page: undefined,
    error: null,
    queryFor: (s) => ({ limit: 50, filter: s.q ? { ...s.filter, q: s.q } : s.filter }),
    setSearch,
    ...ctx,
  };
  renderWithApp(<SearchContext.Provider value={value}>{ui}</SearchContext.Provider>, options);
  return { setSearch: (ctx.setSearch ?? setSearch) as ReturnType<typeof vi.fn> };
}

/** Opens "Add new filter" and lists its filters' fields in the order offered. */
export async function offeredFilterFields(): Promise<string[]> {
  await userEvent.click(screen.getByRole('button', { name: en.search.addFilter }));
  return within(await screen.findByTestId('add-filter-pane'))
    .getAllByRole('button')
    .map((b) => b.getAttribute('data-field'))
    .filter((f): f is string => !!f);
}
