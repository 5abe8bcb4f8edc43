// Everything the list asks the server lives in the URL (so a refresh, a bookmark or the back button keeps it) and
// is read in this one place. The search and filter bar will write its fields here; the list only reads `query`.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ConversationListQuery } from '../../api/types.ts';

export const PAGE_SIZE = 50;
const SELECTED = 'c';

function readLimit(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : PAGE_SIZE;
}

export function useListQuery() {
  const [params, setParams] = useSearchParams();
  const limitParam = params.get('limit');
  const query = useMemo<ConversationListQuery>(() => ({ limit: readLimit(limitParam) }), [limitParam]);

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

  return { query, selectedId, select };
}
