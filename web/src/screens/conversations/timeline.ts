// Where each segment of a conversation sits on one horizontal time axis, with its hold spans and transfer marks.
// Positions are percentages of the whole conversation, so the drawing scales with its box.
import type { Participant, Segment, SegmentEvent, SegmentKind } from '../../api/types.ts';

export interface Span {
  left: number;
  width: number;
}

export interface TimelineMark {
  left: number;
  type: 'transfer' | 'consult';
  at: string;
  to: string | null;
}

export interface TimelineBar extends Span {
  segment: Segment;
  kind: SegmentKind;
  holds: (Span & { from: string; until: string })[];
  marks: TimelineMark[];
}

export interface TimelineLayout {
  startMs: number;
  endMs: number;
  bars: TimelineBar[];
}

const ms = (iso: string) => Date.parse(iso);

/** Hold → resume pairs; a hold that is never resumed lasts to the end of its segment. */
export function holdSpans(events: SegmentEvent[], segmentEnd: string): { from: string; until: string }[] {
  const sorted = [...events].sort((a, b) => ms(a.at) - ms(b.at));
  const out: { from: string; until: string }[] = [];
  let open: string | null = null;
  for (const e of sorted) {
    if (e.type === 'hold' && open === null) open = e.at;
    else if (e.type === 'resume' && open !== null) {
      out.push({ from: open, until: e.at });
      open = null;
    }
  }
  if (open !== null) out.push({ from: open, until: segmentEnd });
  return out;
}

export function layoutTimeline(segments: Segment[]): TimelineLayout | null {
  if (segments.length === 0) return null;
  const sorted = [...segments].sort((a, b) => ms(a.startedAt) - ms(b.startedAt) || a.id.localeCompare(b.id));
  const startMs = Math.min(...sorted.map((s) => ms(s.startedAt)));
  const endMs = Math.max(...sorted.map((s) => Math.max(ms(s.endedAt), ms(s.startedAt))));
  const range = Math.max(endMs - startMs, 1);
  const pct = (t: number) => Math.min(100, Math.max(0, ((t - startMs) / range) * 100));
  const span = (from: number, until: number): Span => ({ left: pct(from), width: Math.max(0, pct(until) - pct(from)) });

  return {
    startMs,
    endMs,
    bars: sorted.map((segment) => ({
      segment,
      kind: segment.kind,
      ...span(ms(segment.startedAt), ms(segment.endedAt)),
      holds: holdSpans(segment.events, segment.endedAt).map((h) => ({ ...h, ...span(ms(h.from), ms(h.until)) })),
      marks: segment.events
        .filter((e): e is SegmentEvent & { type: 'transfer' | 'consult' } => e.type === 'transfer' || e.type === 'consult')
        .map((e) => ({ left: pct(ms(e.at)), type: e.type, at: e.at, to: typeof e.data.to === 'string' ? e.data.to : null })),
    })),
  };
}

/** Evenly spaced tick times for the axis, at most `count` + 1 of them, first and last included. */
export function axisTicks(startMs: number, endMs: number, count = 4): number[] {
  if (endMs <= startMs) return [startMs];
  return Array.from({ length: count + 1 }, (_, i) => startMs + ((endMs - startMs) * i) / count);
}

// ——— who is who in a segment ——————————————————————————————————————————————————————————————————————————————

/**
 * The participant a segment's party key is: the segment says (its `parties`, the legs of a transfer both say "agent"
 * for two people); else the conversation's one participant with that key.
 */
export function segmentParticipant(participants: Participant[], segment: Pick<Segment, 'parties'>, partyKey: string | null): Participant | undefined {
  if (!partyKey) return undefined;
  const id = segment.parties?.find((p) => p.partyKey === partyKey)?.participantId;
  return (id && participants.find((p) => p.id === id)) || participants.find((p) => p.partyKey === partyKey);
}

/** The call segments (legs) a participant is in, numbered from 1 in time order. */
export function legsOf(segments: Segment[], participantId: string): number[] {
  const calls = segments.filter((s) => s.kind === 'call').sort((a, b) => ms(a.startedAt) - ms(b.startedAt) || a.id.localeCompare(b.id));
  return calls.flatMap((s, i) => (s.parties?.some((p) => p.participantId === participantId) ? [i + 1] : []));
}

/** How a call leg joined the conversation: put through by a transfer, or a consultation about the call. */
export function legLink(segment: Pick<Segment, 'kind' | 'metadata'>): 'transfer' | 'consult' | null {
  if (segment.kind !== 'call') return null;
  if (segment.metadata.consultOfCallId) return 'consult';
  if (segment.metadata.previousCallId) return 'transfer';
  return null;
}
