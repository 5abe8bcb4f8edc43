// The waveforms: all parties together on top, then one lane per party (scrolling past four), each a <canvas> drawn
// from our own peaks pyramid (draw.ts), with the gaps (triangles), comments (markers), wrap-up, the playhead and a
// hover read-out over them. Click to seek; Ctrl/⌘ + wheel zooms at the pointer, Shift + wheel (or a sideways wheel)
// and the bar underneath scroll.
//
// Why our own canvas renderer and not wavesurfer.js: wavesurfer draws one stream per instance from peaks it decodes
// or is handed whole, and its zoom re-renders from those; our server already keeps a min/max pyramid per stream and
// serves any level for any time window (a 2-hour call's overview is 7 KB; zooming fetches only the visible chunk of
// a finer level). Drawing from that pyramid keeps several streams of a long call, the combined view, the collapsed
// gaps between segments and the hold/crosstalk/wrap-up overlays on one shared time axis, with no audio decoded in
// the browser and one <audio> element doing the playback.
import { ActionIcon, Box, Group, Text, Tooltip } from '@mantine/core';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type PointerEvent as ReactPointerEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConversationComment } from '../../../api/types.ts';
import { formatDuration } from '../../../format.ts';
import { IconVolume, IconVolumeOff } from '../../../components/icons.tsx';
import { columnTimes, drawWaveform, type DrawInput } from './draw.ts';
import {
  axisTicks,
  clampView,
  COLORS,
  formatClock,
  msToX,
  toConversation,
  toDisplay,
  xToMs,
  zoomView,
  type Lane,
  type PlayerModel,
  type View,
} from './model.ts';
import { PeakStore } from './peakStore.ts';
import { setRangeSelection, useMarkedRanges, useRangeSelection } from './selection.ts';
import { useClock, type PlayerApi } from './usePlayer.ts';
import { SpeechTagMarkers } from './SpeechTagMarkers.tsx';
import { MarkGlyph } from './MarkGlyph.tsx';
import { usePlayerTimes, wallClock } from './zone.ts';
import { plainText } from '../comments/mentions.ts';

/** A comment in a marker's tooltip: mentions as names, long ones cut. */
const excerptOf = (text: string) => (text.length > 140 ? `${text.slice(0, 140)}…` : text);

export const LABEL_WIDTH = 176;
const COMBINED_HEIGHT = 64;
const LANE_HEIGHT = 40;
/** Lanes shown before the list scrolls. */
const VISIBLE_LANES = 4;
const AXIS_HEIGHT = 18;
const SCREEN_BAND_HEIGHT = 8;

interface Props {
  player: PlayerApi;
  model: PlayerModel;
  view: View;
  /** `manual`: the user moved the view (follow-playhead stops). */
  onView: (view: View, manual: boolean) => void;
  width: number;
  onWidth: (width: number) => void;
  comments: ConversationComment[];
  onWaveformError: (failed: boolean) => void;
}

export function Waveforms({ player, model, view, onView, width, onWidth, comments, onWaveformError }: Props) {
  const { t, i18n } = useTranslation();
  // New peaks (another conversation, or the media reprocessed): a new store. A refetch of the same media keeps it.
  const peaksKey =
    `${model.manifest.status}|` +
    model.lanes.flatMap((l) => l.streams.map((s) => `${s.stream.id}:${s.stream.status}:${s.stream.peaks?.totalSamples ?? '-'}`)).join('|');
  const store = useMemo(() => new PeakStore(), [model.manifest.conversationId, peaksKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const waveRef = useRef<HTMLDivElement>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const dpr = typeof window !== 'undefined' ? Math.max(1, Math.min(3, window.devicePixelRatio || 1)) : 1;

  useEffect(() => onWaveformError(!!store.error), [version, store, onWaveformError]);

  // The width of the wave column (all rows share it).
  useLayoutEffect(() => {
    const el = waveRef.current;
    if (!el) return;
    const measure = () => onWidth(Math.max(50, Math.floor(el.getBoundingClientRect().width)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [onWidth]);

  // Ctrl/⌘ + wheel zooms at the pointer; Shift + wheel or a sideways wheel scrolls. Not passive: it takes over the wheel.
  const viewRef = useRef(view);
  viewRef.current = view;
  useEffect(() => {
    const el = waveRef.current?.parentElement?.parentElement;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const rect = waveRef.current!.getBoundingClientRect();
      const v = viewRef.current;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const anchor = xToMs(v, rect.width, e.clientX - rect.left);
        onView(zoomView(v, Math.exp(-e.deltaY / 300), anchor, model.axis.totalMs, rect.width), false);
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        if (v.spanMs >= model.axis.totalMs) return;
        e.preventDefault();
        const delta = (e.shiftKey ? e.deltaY : e.deltaX) * (v.spanMs / rect.width);
        onView(clampView({ startMs: v.startMs + delta, spanMs: v.spanMs }, model.axis.totalMs, rect.width), true);
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [model.axis.totalMs, onView]);

  const xOf = (clientX: number) => {
    const rect = waveRef.current?.getBoundingClientRect();
    return rect ? Math.min(rect.width, Math.max(0, clientX - rect.left)) : 0;
  };
  const down = useRef<number | null>(null);
  // Shift + drag selects a range (display ms while dragging) instead of seeking: "Save as moment" reads it.
  const selecting = useRef<number | null>(null);
  const [dragSel, setDragSel] = useState<[number, number] | null>(null);
  const selection = useRangeSelection(model.manifest.conversationId);
  const marked = useMarkedRanges(model.manifest.conversationId);
  const onPointerDown = (e: ReactPointerEvent) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('[data-marker]')) return;
    if (e.shiftKey) {
      const at = xToMs(view, width, xOf(e.clientX));
      selecting.current = at;
      setDragSel([at, at]);
      // Keep receiving the pointer when the drag leaves the lane.
      (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
      return;
    }
    down.current = e.clientX;
    player.seekDisplay(xToMs(view, width, xOf(e.clientX)));
  };
  const onPointerUp = (e: ReactPointerEvent) => {
    if (selecting.current !== null) {
      const a = selecting.current;
      const b = xToMs(view, width, xOf(e.clientX));
      selecting.current = null;
      setDragSel(null);
      const [from, to] = [toConversation(model.axis, Math.min(a, b)), toConversation(model.axis, Math.max(a, b))];
      setRangeSelection(to - from >= 500 ? { conversationId: model.manifest.conversationId, startMs: Math.round(from), endMs: Math.round(to) } : null);
      return;
    }
    if (down.current !== null && Math.abs(e.clientX - down.current) > 3) player.seekDisplay(xToMs(view, width, xOf(e.clientX)));
    down.current = null;
  };
  const onPointerMove = (e: ReactPointerEvent) => {
    setHoverX(xOf(e.clientX));
    if (selecting.current !== null) setDragSel([selecting.current, xToMs(view, width, xOf(e.clientX))]);
  };
  const shown: [number, number] | null = dragSel
    ? [Math.min(...dragSel), Math.max(...dragSel)]
    : selection
      ? [toDisplay(model.axis, selection.startMs), toDisplay(model.axis, selection.endMs)]
      : null;
  const selectionBox = shown && (
    <Box
      pos="absolute"
      top={0}
      bottom={0}
      data-testid="player-selection"
      style={{
        left: Math.max(0, msToX(view, width, shown[0])),
        width: Math.max(1, Math.min(width, msToX(view, width, shown[1])) - Math.max(0, msToX(view, width, shown[0]))),
        background: 'var(--mantine-color-yellow-3)',
        opacity: 0.35,
        pointerEvents: 'none',
      }}
    />
  );

  const lanes = model.lanes;
  const common = { model, view, width, dpr, store, version, solo: player.solo };
  const started = Date.parse(model.manifest.startedAt);
  const { zone } = usePlayerTimes(model.manifest.conversationId);
  const hoverMs = hoverX === null ? null : xToMs(view, width, hoverX);

  return (
    <Box pos="relative" data-testid="player-waveforms" style={{ userSelect: 'none' }}>
      {/* All parties together. */}
      <Group gap={0} wrap="nowrap" align="stretch">
        <Box w={LABEL_WIDTH} pr="xs" style={{ flexShrink: 0 }}>
          <Text size="xs" fw={600} mt={4}>
            {t('player.combined')}
          </Text>
          <Text size="10px" c="dimmed">
            {t('player.combinedHint')}
          </Text>
        </Box>
        <Box
          ref={waveRef}
          pos="relative"
          h={COMBINED_HEIGHT}
          style={{ flex: 1, minWidth: 0, cursor: 'pointer', borderRadius: 4, background: 'var(--mantine-color-gray-0)' }}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHoverX(null)}
        >
          <WaveCanvas {...common} lane={null} height={COMBINED_HEIGHT} testId="waveform-combined" label={t('player.combined')} />
          {selectionBox}
          {/* Saved moments: a band along the bottom; a click plays from the moment's start. */}
          {marked.map((r) => {
            const x0 = Math.max(0, msToX(view, width, toDisplay(model.axis, r.startMs)));
            const x1 = Math.min(width, msToX(view, width, toDisplay(model.axis, r.endMs)));
            if (x1 <= 0 || x0 >= width) return null;
            return (
              <Box
                key={r.id}
                data-marker
                data-testid="player-moment"
                title={`${r.name} (${formatClock(r.startMs)}–${formatClock(r.endMs)})`}
                pos="absolute"
                bottom={0}
                h={5}
                onClick={() => player.seek(r.startMs)}
                style={{ left: x0, width: Math.max(3, x1 - x0), background: 'var(--mantine-color-grape-6)', borderRadius: 2, cursor: 'pointer' }}
              />
            );
          })}
          <Markers model={model} view={view} width={width} comments={comments} onSeek={player.seek} />
          <SpeechTagMarkers model={model} view={view} width={width} onSeek={player.seek} />
        </Box>
      </Group>

      {/* Where the agent's screen was recorded. */}
      {model.screenBands.length > 0 && (
        <Group gap={0} wrap="nowrap" align="center" mt={4} data-testid="player-screen-band">
          <Text w={LABEL_WIDTH} pr="xs" size="10px" c="dimmed" style={{ flexShrink: 0 }}>
            {t('player.screenBand')}
          </Text>
          <Box
            pos="relative"
            h={SCREEN_BAND_HEIGHT}
            style={{ flex: 1, minWidth: 0, borderRadius: 3, background: 'var(--mantine-color-gray-0)', overflow: 'hidden' }}
          >
            {model.screenBands.map(([a, b]) => {
              const x0 = Math.max(0, msToX(view, width, a));
              const x1 = Math.min(width, msToX(view, width, b));
              if (x1 <= 0 || x0 >= width) return null;
              return (
                <Box
                  key={a}
                  pos="absolute"
                  top={0}
                  bottom={0}
                  data-testid="screen-band-span"
                  title={t('player.screenBandSpan', { from: formatClock(a), until: formatClock(b) })}
                  style={{ left: x0, width: Math.max(2, x1 - x0), background: COLORS.screen, opacity: 0.7, borderRadius: 2 }}
                />
              );
            })}
          </Box>
        </Group>
      )}

      {/* One lane per party; past four the lanes scroll. */}
      <Box
        mt={4}
        style={{ maxHeight: VISIBLE_LANES * (LANE_HEIGHT + 4), overflowY: lanes.length > VISIBLE_LANES ? 'auto' : 'visible' }}
        data-testid="player-lanes"
      >
        {lanes.map((lane) => (
          <Group key={lane.key} gap={0} wrap="nowrap" align="stretch" mb={4} data-testid="player-lane" data-party={lane.party} data-lane={lane.key}>
            <LaneLabel
              lane={lane}
              legs={model.calls.length > 1 ? legsOf(lane, model) : null}
              soloed={player.solo === lane.key}
              anySolo={player.solo !== null}
              onSolo={() => player.toggleSolo(lane.key)}
            />
            <Box
              pos="relative"
              h={LANE_HEIGHT}
              style={{ flex: 1, minWidth: 0, cursor: 'pointer', borderRadius: 4, background: 'var(--mantine-color-gray-0)' }}
              onPointerDown={onPointerDown}
              onPointerUp={onPointerUp}
              onPointerMove={onPointerMove}
              onPointerLeave={() => setHoverX(null)}
            >
              <WaveCanvas {...common} lane={lane} height={LANE_HEIGHT} testId="waveform-lane" label={laneName(lane, t)} />
              {selectionBox}
            </Box>
          </Group>
        ))}
      </Box>

      {/* The time axis. */}
      <Box pos="relative" h={AXIS_HEIGHT} ml={LABEL_WIDTH}>
        {axisTicks(view, width, 90).ticks.map((tick) => (
          <Text
            key={tick}
            size="10px"
            c="dimmed"
            ff="monospace"
            pos="absolute"
            top={2}
            style={{ left: msToX(view, width, tick), transform: 'translateX(-50%)', whiteSpace: 'nowrap' }}
          >
            {formatClock(tick, view.spanMs < 20_000)}
          </Text>
        ))}
      </Box>

      <ScrollBar view={view} totalMs={model.axis.totalMs} width={width} onView={(v) => onView(v, true)} />

      {/* The playhead and the hover read-out span every row. */}
      <Playhead player={player} model={model} view={view} width={width} />
      {hoverMs !== null && hoverX !== null && (
        <Box pos="absolute" top={0} bottom={AXIS_HEIGHT} w={1} bg="gray.6" style={{ left: LABEL_WIDTH + hoverX, pointerEvents: 'none', opacity: 0.6 }}>
          <Text
            size="10px"
            ff="monospace"
            bg="dark.6"
            c="white"
            px={4}
            pos="absolute"
            bottom={-AXIS_HEIGHT + 1}
            style={{ borderRadius: 3, whiteSpace: 'nowrap', transform: hoverX > width - 200 ? 'translateX(-100%)' : undefined }}
            data-testid="player-hover"
          >
            {formatClock(hoverMs, view.spanMs < 60_000)} · {wallClock(started + toConversation(model.axis, hoverMs), i18n.language, zone)}
          </Text>
        </Box>
      )}
      {lanes.length === 0 && (
        <Text size="xs" c="dimmed" ml={LABEL_WIDTH}>
          {t('player.noStreams')}
        </Text>
      )}
    </Box>
  );
}

/** A party without a name is called by its role (its key is an internal label). */
const laneName = (lane: Lane, t: TFunction) => lane.name ?? t(`conversations.roles.${lane.role}`, { defaultValue: lane.party });

/** The legs (call segments, numbered in time order) a lane's person is heard in. */
const legsOf = (lane: Lane, model: PlayerModel) => [...new Set(lane.streams.map((s) => model.calls.indexOf(s.segment) + 1))].filter((n) => n > 0);

function LaneLabel({ lane, legs, soloed, anySolo, onSolo }: { lane: Lane; legs: number[] | null; soloed: boolean; anySolo: boolean; onSolo: () => void }) {
  const { t } = useTranslation();
  const role = t(`conversations.roles.${lane.role}`, { defaultValue: lane.role });
  const name = laneName(lane, t);
  const side = lane.side === 'calling' || lane.side === 'called' ? t(`player.side.${lane.side}`) : t('player.side.unknown');
  const talk = lane.streams.reduce((n, s) => n + s.stream.talkMs, 0);
  const problem = lane.streams.find((s) => s.stream.status !== 'ok');
  // Which leg of a transferred or consulted call this person is heard in.
  const leg = legs && legs.length > 0 ? t(legs.length === 1 ? 'player.leg' : 'player.legs', { legs: legs.join(', ') }) : null;
  const facts = [role, leg, side, talk ? formatDuration(talk) : null].filter(Boolean).join(' · ');
  return (
    <Group w={LABEL_WIDTH} data-legs={legs?.join(',') ?? undefined} pr="xs" gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
      <Tooltip label={soloed ? t('player.unsolo') : t('player.solo', { name })} withinPortal>
        <ActionIcon
          size="sm"
          variant={soloed ? 'filled' : 'subtle'}
          color={soloed ? 'blue' : 'gray'}
          onClick={onSolo}
          aria-pressed={soloed}
          aria-label={t('player.solo', { name })}
          data-testid="solo-button"
        >
          {anySolo && !soloed ? <IconVolumeOff size={14} /> : <IconVolume size={14} />}
        </ActionIcon>
      </Tooltip>
      <Box w={4} h={28} style={{ background: lane.color, borderRadius: 2, flexShrink: 0 }} />
      <Box style={{ minWidth: 0 }}>
        <Text size="xs" fw={600} truncate="end" title={name} data-testid="lane-name">
          {name}
        </Text>
        <Text size="10px" c={problem ? 'orange.8' : 'dimmed'} truncate="end" title={problem ? (problem.stream.reason ?? undefined) : facts}>
          {problem ? (problem.stream.status === 'pending' ? t('player.processing') : t('player.noAudio')) : facts}
        </Text>
      </Box>
    </Group>
  );
}

interface CanvasProps {
  model: PlayerModel;
  view: View;
  width: number;
  dpr: number;
  store: PeakStore;
  version: number;
  solo: string | null;
  lane: Lane | null;
  height: number;
  testId: string;
  label: string;
}

/** One canvas, redrawn when the view, the size, the loaded peaks or the solo change (never per frame). */
const WaveCanvas = memo(function WaveCanvas({ model, view, width, dpr, store, version, solo, lane, height, testId, label }: CanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width <= 0) return;
    const W = Math.round(width * dpr);
    const H = Math.round(height * dpr);
    if (canvas.width !== W) canvas.width = W;
    if (canvas.height !== H) canvas.height = H;
    const input: DrawInput = {
      axis: model.axis,
      view,
      width: W,
      height: H,
      lanes: model.lanes,
      lane,
      calls: model.calls,
      holds: model.holds,
      crosstalk: model.crosstalk,
      store,
      solo,
    };
    drawWaveform(ctx, input, columnTimes(model.axis, view, W));
  }, [model, view, width, dpr, store, version, solo, lane, height]);
  return <canvas ref={ref} data-testid={testId} role="img" aria-label={label} style={{ display: 'block', width: '100%', height }} />;
});

/** Gaps (triangles), comments (markers) and the wrap-up label over the combined waveform. */
function Markers({
  model,
  view,
  width,
  comments,
  onSeek,
}: {
  model: PlayerModel;
  view: View;
  width: number;
  comments: ConversationComment[];
  onSeek: (convMs: number) => void;
}) {
  const { t } = useTranslation();
  const inView = (x: number) => x >= -6 && x <= width + 6;
  const gaps = [
    ...model.axis.gaps.map((g) => ({ at: g.atMs, label: t('player.gap', { duration: formatDuration(g.endMs - g.startMs) }) })),
    ...model.streamGaps.map((g) => ({
      at: toDisplay(model.axis, g.startMs),
      label: t('player.recordingGap', { duration: formatDuration(g.endMs - g.startMs) }),
    })),
  ];
  const wrapUp = model.wrapUp;
  const wrapUpX = msToX(view, width, model.axis.mediaEndMs);
  return (
    <>
      {gaps.map((g, i) => {
        const x = msToX(view, width, g.at);
        if (!inView(x)) return null;
        return (
          <Tooltip key={`gap-${i}`} label={g.label} withinPortal>
            <Box
              data-marker="gap"
              data-testid="gap-marker"
              aria-label={g.label}
              pos="absolute"
              top={0}
              style={{
                left: x - 5,
                width: 0,
                height: 0,
                borderLeft: '5px solid transparent',
                borderRight: '5px solid transparent',
                borderTop: '7px solid var(--mantine-color-dark-4)',
              }}
            />
          </Tooltip>
        );
      })}
      {comments
        .filter((c) => c.offsetMs !== null)
        .map((c) => {
          const at = toDisplay(model.axis, c.offsetMs!);
          const x = msToX(view, width, at);
          if (!inView(x)) return null;
          return (
            <Tooltip key={c.id} withinPortal multiline w={260} label={`${c.authorName} · ${formatDuration(c.offsetMs)} — ${excerptOf(plainText(c.text))}`}>
              <Box
                component="button"
                type="button"
                data-marker="comment"
                data-testid="comment-marker"
                aria-label={t('player.comment', { author: c.authorName, time: formatDuration(c.offsetMs) })}
                onClick={() => onSeek(c.offsetMs!)}
                pos="absolute"
                bottom={0}
                style={{
                  left: x - 5,
                  width: 10,
                  height: 10,
                  padding: 0,
                  border: '1px solid var(--mantine-color-yellow-8)',
                  borderRadius: '50% 50% 50% 0',
                  background: 'var(--mantine-color-yellow-4)',
                  cursor: 'pointer',
                }}
              />
            </Tooltip>
          );
        })}
      {model.marks.map((m, i) => {
        const x = msToX(view, width, toDisplay(model.axis, m.atMs));
        if (!inView(x)) return null;
        const label = t(`player.marks.${m.type}`, { to: m.to ?? '—', time: formatDuration(m.atMs) });
        return (
          <Tooltip key={`mark-${i}`} label={label} withinPortal>
            <Box
              component="button"
              type="button"
              data-marker={m.type}
              data-testid={`${m.type}-marker`}
              aria-label={label}
              onClick={() => onSeek(m.atMs)}
              pos="absolute"
              top={0}
              bottom={0}
              style={{ left: x - 4, width: 8, padding: 0, border: 0, background: 'transparent', cursor: 'pointer' }}
            >
              <MarkGlyph type={m.type} />
            </Box>
          </Tooltip>
        );
      })}
      {wrapUp && inView(wrapUpX) && (
        <>
          {/* Where the call ends and the wrap-up begins: a hatched edge, its length written beside it. */}
          <Box
            pos="absolute"
            top={0}
            bottom={0}
            w={6}
            data-testid="wrapup-marker"
            style={{ left: wrapUpX - 6, pointerEvents: 'none', background: 'repeating-linear-gradient(45deg, #adb5bd 0 2px, transparent 2px 5px)' }}
          />
          <Text
            size="10px"
            c="dark.4"
            fw={600}
            pos="absolute"
            top={2}
            bg="rgba(255,255,255,0.8)"
            px={2}
            style={{ left: wrapUpX - 8, transform: 'translateX(-100%)', pointerEvents: 'none', whiteSpace: 'nowrap', borderRadius: 2 }}
            data-testid="wrapup-label"
          >
            {t('player.wrapUp', { duration: formatDuration(wrapUp.endMs - wrapUp.startMs) })}
          </Text>
        </>
      )}
    </>
  );
}

/** The playhead line: follows the clock without re-rendering anything else. */
function Playhead({ player, model, view, width }: { player: PlayerApi; model: PlayerModel; view: View; width: number }) {
  const x = useClock(player.clock, (ms) => Math.round(msToX(view, width, toDisplay(model.axis, ms)) * 2) / 2);
  if (x < 0 || x > width) return null;
  return (
    <Box
      pos="absolute"
      top={0}
      bottom={AXIS_HEIGHT}
      w={2}
      data-testid="playhead"
      style={{ left: LABEL_WIDTH + x - 1, background: 'var(--mantine-color-red-7)', pointerEvents: 'none', boxShadow: '0 0 0 1px rgba(255,255,255,0.6)' }}
    />
  );
}

/** The visible window over the whole axis, when zoomed: drag the thumb or click the track. */
function ScrollBar({ view, totalMs, width, onView }: { view: View; totalMs: number; width: number; onView: (v: View) => void }) {
  const { t } = useTranslation();
  const track = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; start: number } | null>(null);
  if (view.spanMs >= totalMs || totalMs <= 0) return null;
  const left = (view.startMs / totalMs) * width;
  const w = Math.max(12, (view.spanMs / totalMs) * width);
  const toMs = (px: number) => (px / width) * totalMs;
  return (
    <Box
      ref={track}
      ml={LABEL_WIDTH}
      h={8}
      pos="relative"
      bg="gray.1"
      style={{ borderRadius: 4, cursor: 'pointer' }}
      role="scrollbar"
      aria-label={t('player.scroll')}
      aria-controls="player-waveforms"
      aria-valuemin={0}
      aria-valuemax={Math.round(totalMs)}
      aria-valuenow={Math.round(view.startMs)}
      aria-orientation="horizontal"
      onPointerDown={(e) => {
        const rect = track.current!.getBoundingClientRect();
        const px = e.clientX - rect.left;
        if (px < left || px > left + w) onView(clampView({ startMs: toMs(px) - view.spanMs / 2, spanMs: view.spanMs }, totalMs, width));
        drag.current = { x: e.clientX, start: px < left || px > left + w ? toMs(px) - view.spanMs / 2 : view.startMs };
        (e.target as HTMLElement).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        onView(clampView({ startMs: drag.current.start + toMs(e.clientX - drag.current.x), spanMs: view.spanMs }, totalMs, width));
      }}
      onPointerUp={() => (drag.current = null)}
    >
      <Box pos="absolute" top={1} h={6} bg="gray.5" style={{ left, width: w, borderRadius: 3 }} />
    </Box>
  );
}
