// Speech events of a conversation (silence, crosstalk, hold, gap), hold count and talk time per party, from what
// voice activity detection found on each party's stream. Pure: no audio, no I/O; times are milliseconds on the
// conversation timeline.
//
// Definitions (the ones the test corpus ground truth uses; see ../shared/corpus/README.md):
//   talk time   A party's talk time is the total length of the union of its speech intervals (a party heard on
//               several streams or segments counts once where they overlap).
//   crosstalk   A maximal stretch during which two or more different parties speak at once, lasting more than
//               crosstalkMinMs (strictly). Parties: those speaking in it. (Ground truth: "an agent and a customer
//               utterance overlap > 1 s".)
//   silence     A maximal stretch inside [0, durationMs] where no party speaks, no leg carries music or a tone, and
//               which is not part of a hold or a gap, lasting more than silenceMinMs (strictly). Parties: all
//               parties of the conversation, who are all silent. (Ground truth: "both channels have no speech,
//               music, or tone for > 5 s".)
//   hold        From metadata: a hold event opens a hold (per party), the next resume of that party closes it
//               (a resume naming no party, or one with no open hold, closes the latest open hold); a hold never
//               resumed lasts to the end. From audio: music or a tone on one leg (pieces less than holdJoinMs
//               apart joined) lasting at least holdMinMs while the other parties' speech covers less than half
//               of it (the party on hold may mutter; a transfer's ringback, 2 s on and 4 s off, does not
//               count). Overlapping holds from both sources are
//               one event spanning their union. Parties: who placed the hold (the metadata party, or the party
//               whose leg carries the music: what the customer hears is played on the agent's leg).
//   gap         A stretch between the first segment start and the last segment end that no segment covers
//               (no media at all, e.g. a missing segment), at least gapMinMs long. Parties: none.
//   Silence and crosstalk come from the audio, gaps from the segment ranges (source 'audio' / 'metadata').
// holdCount is the number of hold events.
import type { Interval, SoundInterval } from '../media/vad.ts';

export type SpeechEventType = 'silence' | 'crosstalk' | 'hold' | 'gap';

export interface SpeechEvent {
  type: SpeechEventType;
  startMs: number;
  endMs: number;
  parties: string[];
  /** What it comes from: the audio (silence, crosstalk, detected holds), the metadata (hold/resume events,
   * segment ranges for gaps), or both (a hold in the metadata that the audio confirms). */
  source: 'metadata' | 'audio' | 'both';
}

export interface SpeechEventThresholds {
  /** Silence longer than this is an event (default 5000). */
  silenceMinMs: number;
  /** Crosstalk longer than this is an event (default 1000). */
  crosstalkMinMs: number;
  /** Music or a tone at least this long can be a hold (default 5000). */
  holdMinMs: number;
  /** A stretch without media at least this long is a gap (default 500: below that it is segment boundary jitter). */
  gapMinMs: number;
  /** Music or tones on one leg less than this apart are one hold (default 2000: a dropout in the music, a quiet
   * passage; the 4 s pause of a ringback cadence stays apart). */
  holdJoinMs: number;
}

export const DEFAULT_SPEECH_EVENT_THRESHOLDS: Readonly<SpeechEventThresholds> = Object.freeze({
  silenceMinMs: 5000,
  crosstalkMinMs: 1000,
  holdMinMs: 5000,
  gapMinMs: 500,
  holdJoinMs: 2000,
});

export interface PartyActivity {
  party: string;
  /** Speech intervals of this party (any order; they may overlap). */
  speech: readonly Interval[];
  /** Music and tones heard on this party's leg. */
  sounds?: readonly SoundInterval[];
}

/** A call control event from the recording metadata (hold, resume, transfer, ...). Only hold/resume are used. */
export interface CallControlEvent {
  type: string;
  offsetMs: number;
  party?: string;
}

export interface SpeechEventsInput {
  parties: readonly PartyActivity[];
  durationMs: number;
  events?: readonly CallControlEvent[];
  /** Time ranges that have media (the segments); gaps are what lies between them. None: no gap detection. */
  segments?: readonly { startMs: number; endMs: number }[];
  thresholds?: Partial<SpeechEventThresholds>;
}

export interface SpeechEventsResult {
  /** Sorted by start, then type. */
  events: SpeechEvent[];
  holdCount: number;
  /** Talk time per party (every input party appears, 0 when silent). */
  talkTimeMs: Record<string, number>;
}

/** Sorted, disjoint union of intervals, clipped to [lo, hi]; empty and inverted intervals are dropped. */
export function unionIntervals(intervals: Iterable<Interval>, lo = -Infinity, hi = Infinity): Interval[] {
  const list: Interval[] = [];
  for (const [s0, e0] of intervals) {
    const s = Math.max(lo, s0);
    const e = Math.min(hi, e0);
    if (e > s) list.push([s, e]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const iv of list) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1]) {
      if (iv[1] > last[1]) last[1] = iv[1];
    } else {
      out.push([iv[0], iv[1]]);
    }
  }
  return out;
}

/** The parts of [lo, hi] that sorted, disjoint `covered` intervals leave uncovered. */
export function complementIntervals(covered: readonly Interval[], lo: number, hi: number): Interval[] {
  const out: Interval[] = [];
  let at = lo;
  for (const [s, e] of covered) {
    if (e <= at) continue;
    if (s >= hi) break;
    if (s > at) out.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < hi) out.push([at, hi]);
  return out;
}

/** Length of the overlap between interval [s, e] and sorted, disjoint intervals. */
function overlapMs(s: number, e: number, sorted: readonly Interval[]): number {
  let t = 0;
  for (const [a, b] of sorted) {
    if (b <= s) continue;
    if (a >= e) break;
    t += Math.min(b, e) - Math.max(a, s);
  }
  return t;
}

function sumMs(intervals: readonly Interval[]): number {
  let t = 0;
  for (const [s, e] of intervals) t += e - s;
  return t;
}

/** Stretches where two or more parties speak at once, with who speaks (sweep over start/end points). */
function overlaps(perParty: ReadonlyMap<string, Interval[]>): Array<{ startMs: number; endMs: number; parties: Set<string> }> {
  const points: Array<{ t: number; d: 1 | -1; party: string }> = [];
  for (const [party, ivs] of perParty) {
    for (const [s, e] of ivs) points.push({ t: s, d: 1, party }, { t: e, d: -1, party });
  }
  // Ends before starts at the same time: touching intervals do not overlap.
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  const out: Array<{ startMs: number; endMs: number; parties: Set<string> }> = [];
  const active = new Set<string>();
  let current: { startMs: number; endMs: number; parties: Set<string> } | undefined;
  for (const p of points) {
    if (p.d === 1) active.add(p.party);
    else active.delete(p.party);
    if (active.size >= 2) {
      if (!current) current = { startMs: p.t, endMs: p.t, parties: new Set() };
      for (const a of active) current.parties.add(a);
    } else if (current) {
      current.endMs = p.t;
      out.push(current);
      current = undefined;
    }
  }
  return out;
}

interface HoldSpan {
  startMs: number;
  endMs: number;
  parties: Set<string>;
  metadata: boolean;
  audio: boolean;
}

function metadataHolds(events: readonly CallControlEvent[], durationMs: number): HoldSpan[] {
  const sorted = events
    .filter((e) => (e.type === 'hold' || e.type === 'resume') && Number.isFinite(e.offsetMs))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.offsetMs - b.e.offsetMs || a.i - b.i)
    .map((x) => x.e);
  const open = new Map<string, number>(); // party ('' for none) -> start; Map keeps opening order
  const out: HoldSpan[] = [];
  const close = (key: string, at: number) => {
    const start = open.get(key)!;
    open.delete(key);
    const s = Math.max(0, start);
    const e = Math.min(durationMs, at);
    if (e > s) out.push({ startMs: s, endMs: e, parties: new Set(key ? [key] : []), metadata: true, audio: false });
  };
  for (const ev of sorted) {
    const key = ev.party ?? '';
    if (ev.type === 'hold') {
      if (!open.has(key)) open.set(key, ev.offsetMs);
    } else if (open.size) {
      close(open.has(key) ? key : [...open.keys()].pop()!, ev.offsetMs);
    }
  }
  for (const key of [...open.keys()]) close(key, durationMs);
  return out;
}

function audioHolds(parties: readonly PartyActivity[], speech: ReadonlyMap<string, Interval[]>, durationMs: number, t: SpeechEventThresholds): HoldSpan[] {
  const out: HoldSpan[] = [];
  for (const p of parties) {
    if (!p.sounds?.length) continue;
    const others = unionIntervals(
      [...speech].filter(([party]) => party !== p.party).flatMap(([, ivs]) => ivs),
      0,
      durationMs,
    );
    const sounds = unionIntervals(
      p.sounds.map((x) => [x.startMs, x.endMs] as Interval),
      0,
      durationMs,
    );
    const joined: Interval[] = [];
    for (const iv of sounds) {
      const last = joined[joined.length - 1];
      if (last && iv[0] - last[1] < t.holdJoinMs) last[1] = iv[1];
      else joined.push([iv[0], iv[1]]);
    }
    for (const [s, e] of joined) {
      if (e - s < t.holdMinMs) continue;
      if (overlapMs(s, e, others) * 2 >= e - s) continue;
      out.push({ startMs: s, endMs: e, parties: new Set([p.party]), metadata: false, audio: true });
    }
  }
  return out;
}

/** Merges overlapping hold spans (from either source) into one. */
function mergeHolds(spans: HoldSpan[]): HoldSpan[] {
  spans.sort((a, b) => a.startMs - b.startMs);
  const out: HoldSpan[] = [];
  for (const h of spans) {
    const last = out[out.length - 1];
    if (last && h.startMs < last.endMs) {
      last.endMs = Math.max(last.endMs, h.endMs);
      for (const p of h.parties) last.parties.add(p);
      last.metadata ||= h.metadata;
      last.audio ||= h.audio;
    } else {
      out.push({ ...h, parties: new Set(h.parties) });
    }
  }
  return out;
}

const TYPE_ORDER: Record<SpeechEventType, number> = { gap: 0, hold: 1, silence: 2, crosstalk: 3 };

/** Speech events, hold count and talk time per party (definitions at the top of this file). */
export function computeSpeechEvents(input: SpeechEventsInput): SpeechEventsResult {
  const t = { ...DEFAULT_SPEECH_EVENT_THRESHOLDS, ...input.thresholds };
  const durationMs = Math.max(0, input.durationMs);

  // Speech per party: one sorted union even when the party has several streams.
  const gathered = new Map<string, Interval[]>();
  for (const p of input.parties) {
    gathered.set(p.party, (gathered.get(p.party) ?? []).concat(p.speech));
  }
  const speech = new Map<string, Interval[]>();
  const talkTimeMs: Record<string, number> = {};
  for (const [party, list] of gathered) {
    const u = unionIntervals(list, 0, durationMs);
    speech.set(party, u);
    talkTimeMs[party] = sumMs(u);
  }
  const allParties = [...speech.keys()].sort();

  const events: SpeechEvent[] = [];

  // Gaps: what the segments leave uncovered between the first start and the last end.
  let gaps: Interval[] = [];
  if (input.segments?.length) {
    const covered = unionIntervals(input.segments.map((s) => [s.startMs, s.endMs] as Interval));
    if (covered.length) {
      gaps = complementIntervals(covered, covered[0]![0], covered[covered.length - 1]![1]).filter(([s, e]) => e - s >= t.gapMinMs);
      for (const [s, e] of gaps) events.push({ type: 'gap', startMs: s, endMs: e, parties: [], source: 'metadata' });
    }
  }

  // Holds.
  const holds = mergeHolds([...metadataHolds(input.events ?? [], durationMs), ...audioHolds(input.parties, speech, durationMs, t)]);
  for (const h of holds) {
    events.push({
      type: 'hold',
      startMs: h.startMs,
      endMs: h.endMs,
      parties: [...h.parties].sort(),
      source: h.metadata && h.audio ? 'both' : h.metadata ? 'metadata' : 'audio',
    });
  }

  // Crosstalk.
  for (const o of overlaps(speech)) {
    if (o.endMs - o.startMs > t.crosstalkMinMs)
      events.push({ type: 'crosstalk', startMs: o.startMs, endMs: o.endMs, parties: [...o.parties].sort(), source: 'audio' });
  }

  // Silence: nothing heard (speech, music, tones), not on hold, not in a gap.
  const busy = unionIntervals(
    [
      ...[...speech.values()].flat(),
      ...input.parties.flatMap((p) => (p.sounds ?? []).map((x) => [x.startMs, x.endMs] as Interval)),
      ...holds.map((h) => [h.startMs, h.endMs] as Interval),
      ...gaps,
    ],
    0,
    durationMs,
  );
  for (const [s, e] of complementIntervals(busy, 0, durationMs)) {
    if (e - s > t.silenceMinMs) events.push({ type: 'silence', startMs: s, endMs: e, parties: allParties, source: 'audio' });
  }

  events.sort((a, b) => a.startMs - b.startMs || TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
  return { events, holdCount: holds.length, talkTimeMs };
}
