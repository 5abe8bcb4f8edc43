// The docked player never hides the page: while it is stuck to the bottom of the window, the page's scroll padding
// is its height, so what is scrolled into view (a search hit, a #segments link, the focused field) stops above it
// rather than under it; and its height is capped so the page above always keeps room.
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** The tallest the docked player gets before it scrolls inside (the rest of the window is the page's). */
export const DOCK_MAX_HEIGHT = '45vh';
/** Space kept between the docked player and what is scrolled into view above it. */
const GAP_PX = 16;

export function useDockSpace(ref: RefObject<HTMLElement | null>, docked: boolean) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!docked || !el) return;
    const root = document.documentElement;
    const before = root.style.scrollPaddingBottom;
    const apply = () => {
      root.style.scrollPaddingBottom = `${Math.ceil(el.getBoundingClientRect().height) + GAP_PX}px`;
    };
    apply();
    const ro = new ResizeObserver(apply);
    ro.observe(el);
    return () => {
      ro.disconnect();
      root.style.scrollPaddingBottom = before;
    };
  }, [ref, docked]);
}

const COMPACT_KEY = 'earshot.player.compact';

/** Controls only (no waveforms) when the user folds the player; remembered on this browser. */
export function useCompact(): [boolean, () => void] {
  const [compact, setCompact] = useState(() => {
    try {
      return localStorage.getItem(COMPACT_KEY) === '1';
    } catch {
      return false;
    }
  });
  const toggle = useCallback(
    () =>
      setCompact((c) => {
        try {
          localStorage.setItem(COMPACT_KEY, c ? '0' : '1');
        } catch {
          // private mode: not remembered
        }
        return !c;
      }),
    [],
  );
  return [compact, toggle];
}
