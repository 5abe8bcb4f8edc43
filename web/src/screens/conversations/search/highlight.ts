// Search highlights: the server sends UTF-16 offset ranges into a text; the UI wraps them in <mark>.
import type { ConversationHighlight, HighlightPlace, TextRange } from '../../../api/types.ts';

export interface TextPiece {
  text: string;
  mark: boolean;
}

/**
 * Splits `text` into plain and marked pieces. Ranges are [start, end) UTF-16 offsets (as String.slice counts); they
 * may come in any order, overlap or touch (merged), or reach past the text (clipped); empty or inverted ones are
 * dropped. A range never splits a surrogate pair: its ends move outwards to whole characters.
 */
export function markRanges(text: string, ranges: readonly TextRange[] | null | undefined): TextPiece[] {
  const clean = (ranges ?? [])
    .map(([s, e]) => [wholeStart(text, clamp(s, text.length)), wholeEnd(text, clamp(e, text.length))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of clean) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const out: TextPiece[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) out.push({ text: text.slice(at, s), mark: false });
    out.push({ text: text.slice(s, e), mark: true });
    at = e;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), mark: false });
  return out;
}

function clamp(n: number, max: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.min(Math.max(Math.trunc(n), 0), max);
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** An offset inside a surrogate pair moves back to the pair's start. */
const wholeStart = (text: string, i: number) => (i > 0 && i < text.length && isLowSurrogate(text.charCodeAt(i)) ? i - 1 : i);
/** An offset inside a surrogate pair moves on to the pair's end. */
const wholeEnd = (text: string, i: number) => (i > 0 && i < text.length && isLowSurrogate(text.charCodeAt(i)) ? i + 1 : i);

// ---- a conversation's highlights, by place ------------------------------------------------------------------------

export interface HighlightLookup {
  chatMessage(segmentId: string | undefined, seq: number): TextRange[] | undefined;
  emailSubject(segmentId: string): TextRange[] | undefined;
  emailBody(segmentId: string): TextRange[] | undefined;
  tagComment(tagId: string): TextRange[] | undefined;
  roomName(segmentId: string): TextRange[] | undefined;
}

export const NO_HIGHLIGHTS: HighlightLookup = {
  chatMessage: () => undefined,
  emailSubject: () => undefined,
  emailBody: () => undefined,
  tagComment: () => undefined,
  roomName: () => undefined,
};

/** Looks up the ranges of each place the server names (keyed by segment and seq, segment, or tag). */
export function buildLookup(items: readonly ConversationHighlight[]): HighlightLookup {
  if (items.length === 0) return NO_HIGHLIGHTS;
  const map = new Map<string, TextRange[]>();
  const key = (where: HighlightPlace, a: string | number | null, b: string | number | null = null) => `${where}\u0000${a ?? ''}\u0000${b ?? ''}`;
  for (const h of items) {
    const k = h.where === 'chat_message' ? key(h.where, h.segmentId, h.seq) : h.where === 'tag_comment' ? key(h.where, h.tagId) : key(h.where, h.segmentId);
    map.set(k, [...(map.get(k) ?? []), ...h.ranges]);
  }
  return {
    chatMessage: (segmentId, seq) => (segmentId === undefined ? undefined : map.get(key('chat_message', segmentId, seq))),
    emailSubject: (segmentId) => map.get(key('email_subject', segmentId)),
    emailBody: (segmentId) => map.get(key('email_body', segmentId)),
    tagComment: (tagId) => map.get(key('tag_comment', tagId)),
    roomName: (segmentId) => map.get(key('room_name', segmentId)),
  };
}
