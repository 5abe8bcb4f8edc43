// The playhead clock: the conversation time the player is at, in a small store that only the pieces that show it
// subscribe to, so the page does not re-render every frame.
import { useSyncExternalStore } from 'react';

export class Clock {
  /** Conversation ms. */
  ms = 0;
  private readonly listeners = new Set<() => void>();
  set(ms: number) {
    if (ms === this.ms || !Number.isFinite(ms)) return;
    this.ms = ms;
    for (const fn of this.listeners) fn();
  }
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };
  get = () => this.ms;
}

const noSubscribe = () => () => {};

/** The playhead (conversation ms), or what `select` makes of it (re-renders only when that changes). */
export function useClock<T = number>(clock: Clock | null | undefined, select?: (ms: number) => T): T {
  const read = () => {
    const ms = clock?.ms ?? 0;
    return select ? select(ms) : (ms as T);
  };
  return useSyncExternalStore(clock?.subscribe ?? noSubscribe, read, read);
}
