// Where an evaluation is read (its conversation with the form open), and the row an e-mail's link marks in a list.
import { useEffect } from 'react';

export const evaluationPath = (e: { id: string; conversation: { id: string } }) =>
  `/conversations/${encodeURIComponent(e.conversation.id)}?evaluation=${encodeURIComponent(e.id)}`;

/** Scrolls to the row an e-mail links to (?evaluation=…; rows carry data-evaluation) once it is listed. */
export function useScrollToMarked(marked: string | null, listed: boolean) {
  useEffect(() => {
    if (listed && marked) document.querySelector(`[data-evaluation="${CSS.escape(marked)}"]`)?.scrollIntoView?.({ block: 'center' });
  }, [listed, marked]);
}
