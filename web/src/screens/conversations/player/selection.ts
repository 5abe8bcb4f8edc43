// A time range selected on the player's waveform (Shift + drag), in conversation ms: the player writes it, a feature
// that acts on a range (Save as moment, src/quality/moments) reads it. A tiny store rather than player state, so the
// player does not need to know who uses it.
import { useSyncExternalStore } from 'react';

export interface RangeSelection {
  conversationId: string;
  startMs: number;
  endMs: number;
}

let current: RangeSelection | null = null;
const listeners = new Set<() => void>();

export function setRangeSelection(sel: RangeSelection | null) {
  current = sel;
  for (const l of listeners) l();
}

export const getRangeSelection = () => current;

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The selection on this conversation's waveform, or null. */
export function useRangeSelection(conversationId: string | null): RangeSelection | null {
  const sel = useSyncExternalStore(subscribe, getRangeSelection, getRangeSelection);
  return sel && sel.conversationId === conversationId ? sel : null;
}

/** Named ranges shown on the waveform (a conversation's moments): a feature publishes them, the player draws them. */
export interface MarkedRange {
  id: string;
  name: string;
  startMs: number;
  endMs: number;
}

let marked: { conversationId: string; ranges: readonly MarkedRange[] } | null = null;
const markedListeners = new Set<() => void>();

export function setMarkedRanges(conversationId: string, ranges: readonly MarkedRange[]) {
  marked = { conversationId, ranges };
  for (const l of markedListeners) l();
}

const getMarked = () => marked;
function subscribeMarked(l: () => void) {
  markedListeners.add(l);
  return () => markedListeners.delete(l);
}

const NONE: readonly MarkedRange[] = [];

export function useMarkedRanges(conversationId: string | null): readonly MarkedRange[] {
  const m = useSyncExternalStore(subscribeMarked, getMarked, getMarked);
  return m && m.conversationId === conversationId ? m.ranges : NONE;
}
