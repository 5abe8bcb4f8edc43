// Everything the list asks the server lives in the URL (so a refresh, a bookmark or the back button keeps it) and
// is read in this one place: `q` the text query, `group` the group filter (its own parameter, so a drill-down link from
// the dashboard or a report reads plainly), `f` the other filter fields as JSON, `limit`, and `c` the selected
// conversation. A change of search pushes a history entry (Back returns to the previous search); selecting a row does not.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ConversationListQuery, SearchFilterInput } from '../../api/types.ts';
import { decodeFilter, encodeFilter, requestFilter } from './search/filterModel.ts';

export const PAGE_SIZE = 50;
const SELECTED = 'c';
const QUERY = 'q';
const FILTER = 'f';
export const GROUP = 'group';

function readLimit(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : PAGE_SIZE;
}

export interface SearchState {
  /** The text query as in the URL ('' for none). */
  q: string;
  /** The filter fields without the text query. */
  filter: SearchFilterInput;
}

export function useListQuery() {
  const [params, setParams] = useSearchParams();
  const limitParam = params.get('limit');
  const q = params.get(QUERY) ?? '';
  const rawFilter = params.get(FILTER);
  const group = params.get(GROUP);
  const filter = useMemo<SearchFilterInput>(() => {
    const f = decodeFilter(rawFilter);
    return group ? { ...f, groupId: group } : f;
  }, [rawFilter, group]);
  const limit = readLimit(limitParam);
  const query = useMemo<ConversationListQuery>(() => ({ limit, filter: requestFilter(filter, q) }), [limit, filter, q]);

  /** The list query a search state would run (to put a result fetched ahead in the cache under the right key). */
  const queryFor = useCallback((s: SearchState): ConversationListQuery => ({ limit, filter: requestFilter(s.filter, s.q) }), [limit]);

  const setSearch = useCallback(
    (s: SearchState, options: { replace?: boolean } = {}) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        const text = s.q.trim();
        if (text) next.set(QUERY, text);
        else next.delete(QUERY);
        const { groupId, ...rest } = s.filter;
        if (groupId) next.set(GROUP, groupId);
        else next.delete(GROUP);
        const f = encodeFilter(rest);
        if (f) next.set(FILTER, f);
        else next.delete(FILTER);
        return next;
      }, options),
    [setParams],
  );

  const selectedId = params.get(SELECTED);
  const select = useCallback(
    (id: string | null) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set(SELECTED, id);
          else next.delete(SELECTED);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  return { query, q, filter, queryFor, setSearch, selectedId, select };
}
