// What the search bar, the chips, the filter editors and the saved-search menu share: the search in the URL, the
// latest answer of the server (chips, canonical filter, ignored words), and a way to run a changed search.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { primeConversationList } from '../../../api/conversations.ts';
import { searchConversations } from '../../../api/search.ts';
import type { ConversationListQuery, SearchPage } from '../../../api/types.ts';
import type { SearchState } from '../useListQuery.ts';

export interface SearchContextValue extends SearchState {
  /** The first page of the current results (chips, canonical filter, ignored words), once there is one. */
  page: SearchPage | undefined;
  /** Why the current search failed, if it did. */
  error: unknown;
  queryFor: (s: SearchState) => ConversationListQuery;
  /** Switches to another search straight away (removing a chip, Reset, a saved search); `replace` keeps Back for
   * the search before (the box's searches while typing). */
  setSearch: (s: SearchState, options?: { replace?: boolean }) => void;
}

/** A search to run: `signal` cancels it (a newer one replaces it) and `replace` is passed on to setSearch. */
export interface SearchRun extends SearchState {
  signal?: AbortSignal;
  replace?: boolean;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

export const SearchContext = createContext<SearchContextValue | null>(null);

export function useSearch(): SearchContextValue {
  const v = useContext(SearchContext);
  if (!v) throw new Error('useSearch() used outside <SearchContext>');
  return v;
}

/**
 * Runs a changed search before switching to it: a refusal (400) stays with whoever asked (the search box, a filter
 * editor) and the list keeps its results; on success the answer is put in the cache and the URL changes to it.
 * A cancelled run (its signal aborted) ends quietly: no error, no switch.
 */
export function useApplySearch() {
  const qc = useQueryClient();
  const { queryFor, setSearch } = useSearch();
  return useMutation({
    mutationFn: async ({ signal, replace: _replace, ...s }: SearchRun) => {
      const query = queryFor(s);
      try {
        return { query, page: await searchConversations(query.filter, query.limit, null, signal) };
      } catch (e) {
        if (signal?.aborted || isAbort(e)) return null;
        throw e;
      }
    },
    onSuccess: (done, { q, filter, replace }) => {
      if (!done) return;
      primeConversationList(qc, done.query, done.page);
      if (replace) setSearch({ q, filter }, { replace });
      else setSearch({ q, filter });
    },
  });
}
