// The interaction player's timeline model, as pure functions: which colour a party is drawn in, the display axis
// (media segments end to end, the gaps between them collapsed and marked), time ↔ pixel mapping and zoom, the peaks
// level to draw with, and the playback plan (which segment, at which local time, plays a conversation time).
//
// Three clocks: *conversation ms* (offsets on the conversation timeline, as the API gives them), *display ms* (the
// axis the user sees: the same minus the collapsed gaps) and *local ms* (inside one segment's audio file).
import type { MediaManifest, MediaPartyStream, MediaSegment, SpeechEvent } from '../../../api/media.ts';

// ——— colours ———————————————————————————————————————————————————————————————————————————————————————————————

/** The party colours of the design: the side that initiated the call is darker; green when the side is unknown. */
export const COLORS = {
  customerCalling: '#2b8a3e', // dark green
  customerCalled: '#69db7c', // light green
  agentCalling: '#1864ab', // dark blue
  agentCalled: '#74c0fc', // light blue
  unknownSide: '#40c057', // green
  hold: '#fd7e14', // orange
  crosstalk: '#fa5252', // red (drawn as a gradient)
  wrapUp: '#868e96',
  missing: '#e03131',
  screen: '#7950f2',
} as const;

/** Customers green, agents (and other parties: transfer targets, consultants) blue; calling darker than called. */
export function streamColor(role: string, side: string | null): string {
  if (side !== 'calling' && side !== 'called') return COLORS.unknownSide;
  if (role === 'customer') return side === 'calling' ? COLORS.customerCalling : COLORS.customerCalled;
  return side === 'calling' ? COLORS.agentCalling : COLORS.agentCalled;
}

// ——— parties (one waveform lane each) ————————————————————————————————————————————————————————————————————

export interface LaneStream {
  stream: MediaPartyStream;
  segment: MediaSegment;
}

export interface Lane {
  /** Who the lane is: the conversation participant, or the party key when no participant has it (a mono mix). */
  key: string;
  /** The party key of its first stream (keys are per segment: the legs of a transfer both say "agent"). */
  party: string;
  role: string;
  side: string | null;
  name: string | null;
  color: string;
  /** The party's stream in each call segment it took part in. */
  streams: LaneStream[];
}

const SIDE_ORDER: Record<string, number> = { calling: 0, called: 1 };

/** The lane (and solo) identity of a stream: its participant, so each leg's agent of a transfer is their own lane. */
export const laneKey = (st: Pick<MediaPartyStream, 'participantId' | 'party'>) => st.participantId ?? st.party;

/**
 * One lane per person across the call segments, in the order of the legs (the calling side first within a leg): the
 * customer of a transferred call keeps one lane, each leg's agent has their own, named after them.
 */
export function buildLanes(segments: MediaSegment[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const seg of callSegments(segments)) {
    const streams = [...seg.streams].sort((a, b) => (SIDE_ORDER[a.side ?? ''] ?? 2) - (SIDE_ORDER[b.side ?? ''] ?? 2));
    for (const st of streams) {
      const key = laneKey(st);
      let lane = lanes.get(key);
      if (!lane) {
        lane = { key, party: st.party, role: st.role, side: st.side, name: st.name, color: streamColor(st.role, st.side), streams: [] };
        lanes.set(key, lane);
      }
      lane.streams.push({ stream: st, segment: seg });
    }
  }
  return [...lanes.values()];
}

/**
 * The lane of a party key heard at a conversation time (or in a segment): the key is a label of one leg, so the leg
 * decides whose lane it is; without either, the first lane with that key.
 */
export function laneOf(lanes: readonly Lane[], partyKey: string | null, at: { segmentId?: string | null; ms?: number } = {}): Lane | undefined {
  if (!partyKey) return undefined;
  const own = lanes.filter((l) => l.streams.some((s) => s.stream.party === partyKey));
  if (own.length <= 1) return own[0];
  const inLeg = (s: LaneStream) =>
    s.stream.party === partyKey &&
    (at.segmentId ? s.segment.id === at.segmentId : at.ms !== undefined && at.ms >= s.segment.startMs && at.ms < s.segment.endMs);
  return own.find((l) => l.streams.some(inLeg)) ?? own[0];
}

export const callSegments = (segments: MediaSegment[]) => segments.filter((s) => s.kind === 'call').sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);

export const screenSegments = (segments: MediaSegment[]) =>
  segments.filter((s) => s.kind === 'screen').sort((a, b) => a.startMs - b.startMs || (a.monitor ?? 0) - (b.monitor ?? 0));

// ——— the display axis ——————————————————————————————————————————————————————————————————————————————————————

export interface AxisSpan {
  /** Conversation ms. */
  startMs: number;
  endMs: number;
  /** Display ms where the span begins. */
  atMs: number;
  kind: 'media' | 'wrapUp';
}

export interface AxisGap {
  /** Display ms of the junction where the gap was taken out. */
  atMs: number;
  /** The conversation time left out. */
  startMs: number;
  endMs: number;
}

export interface Axis {
  spans: AxisSpan[];
  gaps: AxisGap[];
  /** Display length, wrap-up included. */
  totalMs: number;
  /** Display ms where the media ends (the wrap-up, if any, follows). */
  mediaEndMs: number;
}

/**
 * The call and screen segments end to end: overlapping segments merge into one span, the time between spans (chats,
 * emails, nothing) is left out and marked as a gap; the wrap-up, when known, follows the last span.
 */
export function buildAxis(segments: Pick<MediaSegment, 'kind' | 'startMs' | 'endMs'>[], wrapUp: { startMs: number; endMs: number } | null = null): Axis {
  const media = segments
    .filter((s) => (s.kind === 'call' || s.kind === 'screen') && s.endMs > s.startMs)
    .map((s) => [s.startMs, s.endMs] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of media) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const spans: AxisSpan[] = [];
  const gaps: AxisGap[] = [];
  let at = 0;
  merged.forEach(([s, e], i) => {
    if (i > 0) gaps.push({ atMs: at, startMs: merged[i - 1]![1], endMs: s });
    spans.push({ startMs: s, endMs: e, atMs: at, kind: 'media' });
    at += e - s;
  });
  const mediaEndMs = at;
  const lastEnd = merged.length ? merged[merged.length - 1]![1] : 0;
  if (wrapUp && wrapUp.endMs > Math.max(wrapUp.startMs, lastEnd)) {
    const start = Math.max(wrapUp.startMs, lastEnd);
    if (merged.length && start > lastEnd) gaps.push({ atMs: at, startMs: lastEnd, endMs: start });
    spans.push({ startMs: start, endMs: wrapUp.endMs, atMs: at, kind: 'wrapUp' });
    at += wrapUp.endMs - start;
  }
  return { spans, gaps, totalMs: at, mediaEndMs };
}

/** Conversation ms → display ms; a time inside a left-out gap maps to the junction, outside the axis to its ends. */
export function toDisplay(axis: Axis, convMs: number): number {
  for (const s of axis.spans) {
    if (convMs < s.startMs) return s.atMs;
    if (convMs <= s.endMs) return s.atMs + (convMs - s.startMs);
  }
  return axis.totalMs;
}

/** Display ms → conversation ms (clamped to the axis); a junction maps to the start of the later span. */
export function toConversation(axis: Axis, displayMs: number): number {
  const spans = axis.spans;
  if (spans.length === 0) return 0;
  if (displayMs <= 0) return spans[0]!.startMs;
  for (const s of spans) {
    if (displayMs < s.atMs + (s.endMs - s.startMs)) return s.startMs + Math.max(0, displayMs - s.atMs);
  }
  return spans[spans.length - 1]!.endMs;
}

/** The display ranges of a conversation-time interval (one per span it touches; none if it lies in a gap). */
export function displayRanges(axis: Axis, startMs: number, endMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (const s of axis.spans) {
    const a = Math.max(startMs, s.startMs);
    const b = Math.min(endMs, s.endMs);
    if (b > a) out.push([s.atMs + (a - s.startMs), s.atMs + (b - s.startMs)]);
  }
  return out;
}

/** Overlapping or touching ranges merged, in order. */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

// ——— view, zoom and pixels ————————————————————————————————————————————————————————————————————————————————

/** The visible window, in display ms. */
export interface View {
  startMs: number;
  spanMs: number;
}

export const msToX = (view: View, width: number, ms: number) => ((ms - view.startMs) / view.spanMs) * width;
export const xToMs = (view: View, width: number, x: number) => view.startMs + (x / width) * view.spanMs;

/** The closest zoom: one pixel per millisecond (the finest peaks are 4 ms). */
export const MIN_MS_PER_PX = 1;

/** The whole axis; at least a second so an empty or tiny conversation still has a scale. */
export const fullView = (totalMs: number): View => ({ startMs: 0, spanMs: Math.max(1000, totalMs) });

export function clampView(view: View, totalMs: number, width: number): View {
  const full = fullView(totalMs);
  const spanMs = Math.min(full.spanMs, Math.max(view.spanMs, MIN_MS_PER_PX * Math.max(1, width)));
  const startMs = Math.min(Math.max(0, view.startMs), full.spanMs - spanMs);
  return { startMs, spanMs };
}

/** Zooms by `factor` (> 1 closer) keeping `anchorMs` at the same place on the screen. */
export function zoomView(view: View, factor: number, anchorMs: number, totalMs: number, width: number): View {
  const spanMs = view.spanMs / factor;
  const ratio = view.spanMs > 0 ? (anchorMs - view.startMs) / view.spanMs : 0.5;
  return clampView({ startMs: anchorMs - ratio * spanMs, spanMs }, totalMs, width);
}

/** The zoom factor of a view (1 = the whole axis). */
export const zoomOf = (view: View, totalMs: number) => fullView(totalMs).spanMs / view.spanMs;

/** Follow the playhead: when it leaves the window (or nears its right edge), turn the page so it sits near the left. */
export function followView(view: View, playheadMs: number, totalMs: number, width: number): View {
  const end = view.startMs + view.spanMs;
  if (playheadMs >= view.startMs && playheadMs <= end - view.spanMs * 0.02) return view;
  return clampView({ startMs: playheadMs - view.spanMs * 0.05, spanMs: view.spanMs }, totalMs, width);
}

/** Tick positions (display ms) at a round step, about `minPx` apart or more. */
export function axisTicks(view: View, width: number, minPx = 80): { step: number; ticks: number[] } {
  const raw = (view.spanMs / Math.max(1, width)) * minPx;
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  const step = steps.find((s) => s >= raw) ?? Math.ceil(raw / 3_600_000) * 3_600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(view.startMs / step) * step; t <= view.startMs + view.spanMs; t += step) ticks.push(t);
  return { step, ticks };
}

// ——— peaks levels ——————————————————————————————————————————————————————————————————————————————————————————

export const bucketMs = (samplesPerBucket: number, sampleRate: number) => (samplesPerBucket * 1000) / sampleRate;

// ——— playback plan ———————————————————————————————————————————————————————————————————————————————————————

/** A stretch of the conversation timeline played from one call segment's audio. */
export interface Piece {
  segmentId: string;
  /** Conversation ms. */
  fromMs: number;
  toMs: number;
  /** False when the segment has no mix to play (missing media). */
  playable: boolean;
}

/**
 * The call segments in time order, as stretches of the timeline: where segments overlap (a consultation during a
 * hold), the one that started last plays; time covered by no call segment is skipped.
 */
export function buildPlan(segments: Pick<MediaSegment, 'id' | 'kind' | 'startMs' | 'endMs' | 'mixUrl'>[]): Piece[] {
  const calls = segments.filter((s) => s.kind === 'call' && s.endMs > s.startMs);
  const bounds = [...new Set(calls.flatMap((s) => [s.startMs, s.endMs]))].sort((a, b) => a - b);
  const out: Piece[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [a, b] = [bounds[i]!, bounds[i + 1]!];
    let active: (typeof calls)[number] | null = null;
    for (const s of calls) if (s.startMs <= a && s.endMs >= b && (!active || s.startMs >= active.startMs)) active = s;
    if (!active) continue;
    const last = out[out.length - 1];
    if (last && last.segmentId === active.id && last.toMs === a) last.toMs = b;
    else out.push({ segmentId: active.id, fromMs: a, toMs: b, playable: !!active.mixUrl });
  }
  return out;
}

/**
 * Where a conversation time plays: the piece holding it, or (in a gap) the start of the next piece; null past the
 * end. `localMs` is the position in the piece's segment audio.
 */
export function locate(plan: Piece[], segmentStart: (segmentId: string) => number, convMs: number): { index: number; convMs: number; localMs: number } | null {
  for (let i = 0; i < plan.length; i++) {
    const p = plan[i]!;
    if (convMs < p.toMs) {
      const at = Math.max(convMs, p.fromMs);
      return { index: i, convMs: at, localMs: at - segmentStart(p.segmentId) };
    }
  }
  return null;
}

/** The first playable piece from `index` on (skipping segments with missing media), or -1. */
export function nextPlayable(plan: Piece[], index: number): number {
  for (let i = Math.max(0, index); i < plan.length; i++) if (plan[i]!.playable) return i;
  return -1;
}

// ——— the whole model ———————————————————————————————————————————————————————————————————————————————————————

export type MediaProblem = 'pending' | 'noAudio' | 'partial' | null;

export interface PlayerModel {
  manifest: MediaManifest;
  axis: Axis;
  plan: Piece[];
  lanes: Lane[];
  calls: MediaSegment[];
  screens: MediaSegment[];
  segmentById: Map<string, MediaSegment>;
  holds: SpeechEvent[];
  crosstalk: SpeechEvent[];
  /** Transfers and consultations (conversation ms). */
  marks: MediaManifest['marks'];
  /** The agent's wrap-up after the last call (conversation ms), when the recording system said. */
  wrapUp: MediaManifest['wrapUp'];
  /** Where a screen recording exists, as display ranges (one band; monitors merged). */
  screenBands: [number, number][];
  /** Gaps inside a recording reported by the analysis (not the collapsed ones between segments). */
  streamGaps: SpeechEvent[];
  /** Display ms where the last playable audio ends. */
  playableEndMs: number;
  problem: MediaProblem;
}

export function buildModel(m: MediaManifest): PlayerModel {
  const calls = callSegments(m.segments);
  const screens = screenSegments(m.segments);
  // The wrap-up is marked where the media ends, not laid on the axis: a minute of it would squeeze a short call into
  // a corner of the waveform, and there is nothing to play or seek in it.
  const axis = buildAxis([...calls, ...screens]);
  const plan = buildPlan(calls);
  const lanes = buildLanes(calls);
  const playable = plan.filter((p) => p.playable);
  const noAudio = m.status === 'no_audio' || playable.length === 0;
  const partial = m.status === 'partial' || calls.some((s) => s.mixUrl && s.streams.some((st) => st.status === 'no_audio'));
  return {
    manifest: m,
    axis,
    plan,
    lanes,
    calls,
    screens,
    segmentById: new Map(m.segments.map((s) => [s.id, s])),
    holds: m.events.filter((e) => e.type === 'hold'),
    marks: m.marks ?? [],
    wrapUp: m.wrapUp && m.wrapUp.endMs > m.wrapUp.startMs ? m.wrapUp : null,
    screenBands: mergeRanges(screens.flatMap((s) => displayRanges(axis, s.startMs, s.endMs))),
    crosstalk: m.events.filter((e) => e.type === 'crosstalk'),
    streamGaps: m.events.filter((e) => e.type === 'gap'),
    playableEndMs: playable.length ? toDisplay(axis, playable[playable.length - 1]!.toMs) : 0,
    problem: m.status === 'pending' ? 'pending' : noAudio ? 'noAudio' : partial ? 'partial' : null,
  };
}

/** The screen segments showing at a conversation time (one per monitor). */
export const screensAt = (screens: MediaSegment[], convMs: number) => screens.filter((s) => convMs >= s.startMs && convMs < s.endMs);

/** The call segment playing (or to play) at a conversation time, per the plan. */
export function segmentAt(plan: Piece[], convMs: number): string | null {
  const p = plan.find((x) => convMs >= x.fromMs && convMs < x.toMs);
  return p ? p.segmentId : null;
}

/** How far into a segment a conversation time is, 0..1 (for the progress shown beside the segment). */
export function segmentProgress(seg: Pick<MediaSegment, 'startMs' | 'endMs'>, convMs: number): number {
  const len = seg.endMs - seg.startMs;
  if (len <= 0) return 0;
  return Math.min(1, Math.max(0, (convMs - seg.startMs) / len));
}

/** The playback speeds offered. */
export const SPEEDS = [0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5] as const;

/** m:ss, or h:mm:ss from an hour; tenths when asked (zoomed in). */
export function formatClock(ms: number, tenths = false): string {
  const v = Math.max(0, ms);
  const total = Math.floor(v / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  const frac = tenths ? `.${Math.floor((v % 1000) / 100)}` : '';
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}${frac}` : `${m}:${s}${frac}`;
}
