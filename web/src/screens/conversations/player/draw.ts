// Drawing one waveform canvas: the backgrounds (hold in orange, crosstalk as a red gradient, wrap-up and missing
// media hatched) and the min/max bars of one party (a lane) or of every party over each other (the combined view).
// One bar per device pixel, from the finest peaks level loaded for that pixel.
import { chooseLevel } from '../../../../../src/media/peaks-format.ts';
import type { MediaSegment, SpeechEvent } from '../../../api/media.ts';
import { COLORS, displayRanges, msToX, toConversation, type Axis, type Lane, type View } from './model.ts';
import type { PeakStore } from './peakStore.ts';

export interface DrawInput {
  axis: Axis;
  view: View;
  /** Device pixels. */
  width: number;
  height: number;
  lanes: Lane[];
  /** The single lane this canvas shows, or null for the combined view. */
  lane: Lane | null;
  calls: MediaSegment[];
  holds: SpeechEvent[];
  crosstalk: SpeechEvent[];
  store: PeakStore;
  /** The soloed party: the others are drawn faded. */
  solo: string | null;
}

const patterns = new Map<string, CanvasPattern | null>();

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const key = color;
  if (!patterns.has(key)) {
    const c = document.createElement('canvas');
    c.width = 8;
    c.height = 8;
    const p = c.getContext('2d');
    if (p) {
      p.strokeStyle = color;
      p.lineWidth = 1.5;
      p.beginPath();
      p.moveTo(-2, 10);
      p.lineTo(10, -2);
      p.moveTo(-2, 2);
      p.lineTo(2, -2);
      p.moveTo(6, 10);
      p.lineTo(10, 6);
      p.stroke();
    }
    patterns.set(key, p ? ctx.createPattern(c, 'repeat') : null);
  }
  return patterns.get(key) ?? color;
}

/** Pixel ranges [x0, x1) of a conversation-time interval in the current view. */
function pixelRanges(input: DrawInput, startMs: number, endMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of displayRanges(input.axis, startMs, endMs)) {
    const x0 = Math.max(0, Math.floor(msToX(input.view, input.width, a)));
    const x1 = Math.min(input.width, Math.ceil(msToX(input.view, input.width, b)));
    if (x1 > x0) out.push([x0, Math.max(x1, x0 + 1)]);
  }
  return out;
}

/** Conversation ms at the left edge of every device pixel (NaN off the axis). */
export function columnTimes(axis: Axis, view: View, width: number): Float64Array {
  const cols = new Float64Array(width);
  const msPerPx = view.spanMs / width;
  for (let x = 0; x < width; x++) {
    const d = view.startMs + x * msPerPx;
    cols[x] = d < 0 || d >= axis.totalMs ? Number.NaN : toConversation(axis, d);
  }
  return cols;
}

export function drawWaveform(ctx: CanvasRenderingContext2D, input: DrawInput, cols: Float64Array): void {
  const { width: W, height: H, lane, store } = input;
  const mid = H / 2;
  ctx.clearRect(0, 0, W, H);

  // Wrap-up, after the last segment: hatched grey.
  for (const span of input.axis.spans) {
    if (span.kind !== 'wrapUp') continue;
    ctx.fillStyle = hatch(ctx, 'rgba(134, 142, 150, 0.45)');
    for (const [x0, x1] of pixelRanges(input, span.startMs, span.endMs)) ctx.fillRect(x0, 0, x1 - x0, H);
  }

  // Hold: orange where the customer is on hold.
  const customerLane = !lane || lane.role === 'customer';
  ctx.fillStyle = customerLane ? 'rgba(253, 126, 20, 0.22)' : 'rgba(253, 126, 20, 0.1)';
  for (const e of input.holds) for (const [x0, x1] of pixelRanges(input, e.startMs, e.endMs)) ctx.fillRect(x0, 0, x1 - x0, H);

  // Crosstalk: a red gradient, strongest on the centre line.
  const grad = ctx.createLinearGradient(0, 0, 0, H);
  grad.addColorStop(0, 'rgba(250, 82, 82, 0.05)');
  grad.addColorStop(0.5, 'rgba(250, 82, 82, 0.5)');
  grad.addColorStop(1, 'rgba(250, 82, 82, 0.05)');
  ctx.fillStyle = grad;
  for (const e of input.crosstalk) {
    // Only where this lane's person is one of those talking over each other (a party key means them in their own leg).
    if (
      lane &&
      e.parties.length > 0 &&
      !lane.streams.some((s) => e.parties.includes(s.stream.party) && e.startMs < s.segment.endMs && e.endMs > s.segment.startMs)
    )
      continue;
    for (const [x0, x1] of pixelRanges(input, e.startMs, e.endMs)) ctx.fillRect(x0, 0, x1 - x0, H);
  }

  // Missing media: a segment without a mix (all lanes), or this party's stream without audio.
  for (const seg of input.calls) {
    const missingHere = !seg.mixUrl || (lane && lane.streams.some((s) => s.segment.id === seg.id && s.stream.status !== 'ok'));
    if (!missingHere) continue;
    ctx.fillStyle = hatch(ctx, !seg.mixUrl ? 'rgba(224, 49, 49, 0.45)' : 'rgba(134, 142, 150, 0.5)');
    for (const [x0, x1] of pixelRanges(input, seg.startMs, seg.endMs)) ctx.fillRect(x0, 0, x1 - x0, H);
  }

  // The centre line where there is audio.
  ctx.fillStyle = 'rgba(134, 142, 150, 0.35)';
  for (const seg of input.calls) for (const [x0, x1] of pixelRanges(input, seg.startMs, seg.endMs)) ctx.fillRect(x0, Math.floor(mid), x1 - x0, 1);

  const lanes = lane ? [lane] : input.lanes;
  const msPerPx = input.view.spanMs / W;
  const half = mid - 1;
  for (const l of lanes) {
    const faded = input.solo !== null && input.solo !== l.key;
    for (const { stream, segment } of l.streams) {
      if (stream.status !== 'ok' || !stream.peaksUrl) continue;
      const info = stream.peaks;
      const level = info ? chooseLevel(info, msPerPx) : 0;
      const ranges = pixelRanges(input, segment.startMs, segment.endMs);
      const len = segment.endMs - segment.startMs;
      // Ask for what is visible (the store fetches what it does not have; a redraw follows).
      if (ranges.length) {
        const first = cols[ranges[0]![0]]!;
        const last = cols[ranges[ranges.length - 1]![1] - 1]!;
        if (Number.isFinite(first) && Number.isFinite(last))
          store.request(stream, level, Math.max(0, first - segment.startMs), Math.min(len, last - segment.startMs + msPerPx));
      }
      if (!store.ready(stream.id)) continue;
      const gain = store.gain(stream.id) * (half / 128);
      ctx.globalAlpha = faded ? 0.25 : lane ? 1 : 0.7;
      for (const [x0, x1] of ranges) {
        for (let x = x0; x < x1; x++) {
          const c = cols[x]!;
          if (!Number.isFinite(c)) continue;
          const local = c - segment.startMs;
          if (local < 0 || local >= len) continue;
          const mm = store.minMax(stream.id, level, local, local + msPerPx);
          if (!mm) continue;
          const onHold = l.role === 'customer' && input.holds.some((e) => c >= e.startMs && c < e.endMs);
          ctx.fillStyle = onHold ? COLORS.hold : l.color;
          const top = Math.round(mid - Math.min(half, mm[1] * gain));
          const bottom = Math.round(mid - Math.max(-half, mm[0] * gain));
          ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
        }
      }
      ctx.globalAlpha = 1;
    }
  }
}
