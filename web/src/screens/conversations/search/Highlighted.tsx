// Text with the search matches marked, and the context that carries a conversation's highlights into the detail view.
import { Mark } from '@mantine/core';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { ConversationHighlight, TextRange } from '../../../api/types.ts';
import { buildLookup, markRanges, NO_HIGHLIGHTS, type HighlightLookup } from './highlight.ts';

/** `text` with every range in a <mark> (data-search-hit, so the first one can be scrolled to). */
export function Highlighted({ text, ranges }: { text: string; ranges?: readonly TextRange[] | null }) {
  if (!ranges?.length) return <>{text}</>;
  return (
    <>
      {markRanges(text, ranges).map((p, i) =>
        p.mark ? (
          <Mark key={i} data-search-hit="" color="yellow">
            {p.text}
          </Mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

const HighlightContext = createContext<HighlightLookup>(NO_HIGHLIGHTS);

/** The highlights of the conversation being shown (none outside a provider: the preview pane, the list). */
export const useHighlights = () => useContext(HighlightContext);

export function HighlightProvider({ items, children }: { items: readonly ConversationHighlight[] | undefined; children: ReactNode }) {
  const lookup = useMemo(() => buildLookup(items ?? []), [items]);
  return <HighlightContext.Provider value={lookup}>{children}</HighlightContext.Provider>;
}
