// The detail view lists segments in time order; consecutive chat segments read as one thread until another kind
// of segment (a call, an email, a screen recording) comes between them.
import type { ChatMessage, Segment } from '../../../api/types.ts';

/** A message of a thread, with the chat segment it came from (search highlights are per segment and seq). */
export type BlockMessage = ChatMessage & { segmentId: string };

export type SegmentBlock = { kind: 'chat'; key: string; segments: Segment[]; messages: BlockMessage[] } | { kind: 'single'; key: string; segment: Segment };

export function segmentBlocks(segments: Segment[]): SegmentBlock[] {
  const sorted = [...segments].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id));
  const out: SegmentBlock[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (s.kind !== 'chat') out.push({ kind: 'single', key: s.id, segment: s });
    else if (last?.kind === 'chat') last.segments.push(s);
    else out.push({ kind: 'chat', key: s.id, segments: [s], messages: [] });
  }
  for (const b of out) {
    if (b.kind === 'chat') {
      b.messages = b.segments
        .flatMap((s) => s.messages.map((m) => ({ ...m, segmentId: s.id })))
        .map((m, i) => ({ m, i }))
        .sort((x, y) => Date.parse(x.m.sentAt) - Date.parse(y.m.sentAt) || x.i - y.i)
        .map(({ m }) => m);
    }
  }
  return out;
}
