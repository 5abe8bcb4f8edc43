// Rendering a part of the Conversations search (the bar, the chips, the filter editors, the saved searches) as it
// runs inside the screen: in a search context with the given query, filter and page, whose setSearch is recorded.
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { Me } from '../api/types.ts';
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
