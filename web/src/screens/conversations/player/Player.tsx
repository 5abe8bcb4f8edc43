// The interaction player docked at the bottom of the Conversations screen and of the detail view: controls, the
// waveforms (one per party under the combined one), what is wrong with the media in the words users know, the
// screen recordings in step, and the downloads and reprocessing in its menu.
import {
  ActionIcon,
  Alert,
  Box,
  Button,
  Group,
  Kbd,
  Loader,
  Menu,
  NativeSelect,
  Paper,
  Popover,
  Skeleton,
  Slider,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMediaDownload, useReprocessMedia } from '../../../api/media.ts';
import type { ConversationComment } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import {
  IconChevronDown,
  IconChevronUp,
  IconDots,
  IconDownload,
  IconFollow,
  IconKeyboard,
  IconMonitor,
  IconPause,
  IconPlay,
  IconRefresh,
  IconRewind,
  IconSkipBack,
  IconSkipForward,
  IconVolume,
  IconVolumeOff,
  IconZoomIn,
  IconZoomOut,
} from '../../../components/icons.tsx';
import { resolveLocale } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { canPlay } from '../ConversationActions.tsx';
import { COLORS, followView, formatClock, fullView, SPEEDS, toDisplay, zoomOf, zoomView, type PlayerModel, type View } from './model.ts';
import { ScreenView } from './ScreenView.tsx';
import { OWN_KEYS, runShortcut, SHORTCUTS, shortcutOf } from './shortcuts.ts';
import { DOCK_MAX_HEIGHT, useCompact, useDockSpace } from './dock.ts';
import { useClock, type PlayerApi } from './usePlayer.ts';
import { MarkGlyph } from './MarkGlyph.tsx';
import { Waveforms } from './Waveforms.tsx';
import { usePlayerTimes, wallClock } from './zone.ts';
import { QualityLane } from './QualityLane.tsx';

interface Props {
  player: PlayerApi;
  comments: ConversationComment[];
  /** Sticks to the bottom of the window (the detail view scrolls; the list screen has its own layout). */
  sticky?: boolean;
  /** Past this height the player scrolls (the list screen keeps room for the list). */
  maxHeight?: string;
  /** Shown under the waveforms (the detail view's sentiment over time). */
  below?: ReactNode;
}

export function Player({ player, comments, sticky, maxHeight, below }: Props) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const model = player.model;
  const playable = !!model && model.plan.some((p) => p.playable) && canPlay(me);

  // The shortcuts work with the focus in the player, or with nothing focused on the page (the list's rows and the
  // page's fields keep their keys).
  const onKeyDown = (e: KeyboardEvent) => {
    const action = shortcutOf(e);
    if (!action || !playable || (e.target as HTMLElement).closest(OWN_KEYS)) return;
    // Arrows on a focused button or the scroll bar are the player's too; only sliders and fields keep theirs.
    e.preventDefault();
    runShortcut(action, player);
  };
  const latest = useRef({ player, playable });
  latest.current = { player, playable };
  useEffect(() => {
    const onWindowKey = (e: globalThis.KeyboardEvent) => {
      const active = document.activeElement;
      if (e.defaultPrevented || (active && active !== document.body)) return;
      const action = shortcutOf(e);
      if (!action || !latest.current.playable) return;
      e.preventDefault();
      runShortcut(action, latest.current.player);
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  let body: ReactNode;
  if (!canPlay(me)) {
    body = (
      <Text size="sm" c="dimmed">
        {t('conversations.media.noPermission')}
      </Text>
    );
  } else if (player.media.isError) {
    body = (
      <Alert color="red" variant="light" title={t('player.errors.conversation')} data-testid="player-error" role="alert">
        <Group gap="sm">
          <Text size="sm">{t('player.errors.conversationHint')}</Text>
          <Button size="compact-xs" variant="default" onClick={() => void player.media.refetch()}>
            {t('player.retry')}
          </Button>
        </Group>
      </Alert>
    );
  } else if (!model) {
    body = <Skeleton h={120} radius="sm" />;
  } else {
    body = <PlayerBody player={player} model={model} comments={comments} below={below} />;
  }

  // A focused button would also "click" on the key's release: the space bar is ours in the player.
  const onKeyUp = (e: KeyboardEvent) => {
    if (e.key === ' ' && !(e.target as HTMLElement).closest(OWN_KEYS)) e.preventDefault();
  };

  const paper = useRef<HTMLDivElement>(null);
  useDockSpace(paper, !!sticky);
  const height = maxHeight ?? (sticky ? DOCK_MAX_HEIGHT : undefined);

  return (
    <Paper
      ref={paper}
      withBorder
      radius="md"
      p="sm"
      shadow="sm"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onKeyUp={onKeyUp}
      data-testid="player"
      component="section"
      aria-label={t('player.title')}
      pos={sticky ? 'sticky' : 'relative'}
      bottom={sticky ? 8 : undefined}
      style={{ zIndex: 3, outline: 'none', flexShrink: 0, maxHeight: height, overflowY: height ? 'auto' : undefined }}
    >
      {body}
      {/* Kept mounted while the player shows, so playback survives re-renders; never shown (the controls are ours). */}
      <audio ref={player.audioRef} data-testid="player-audio" preload="metadata" />
    </Paper>
  );
}

function PlayerBody({ player, model, comments, below }: { player: PlayerApi; model: PlayerModel; comments: ConversationComment[]; below?: ReactNode }) {
  const { t } = useTranslation();
  const { times, siteZone } = usePlayerTimes(model.manifest.conversationId);
  const totalMs = model.axis.totalMs;
  const [width, setWidth] = useState(800);
  const [view, setViewState] = useState<View>(() => fullView(totalMs));
  const [follow, setFollow] = useState(true);
  const [waveFailed, setWaveFailed] = useState(false);
  const [screens, setScreens] = useState(true);
  const [compact, toggleCompact] = useCompact();
  const viewRef = useRef(view);
  viewRef.current = view;

  // Another conversation, or its media changed length: back to the whole of it.
  useEffect(() => {
    setViewState(fullView(totalMs));
    setWaveFailed(false);
  }, [model.manifest.conversationId, totalMs]);

  const setView = useCallback((v: View, manual: boolean) => {
    if (manual) setFollow(false);
    setViewState(v);
  }, []);

  // Follow the playhead: turn the page when it leaves the window.
  useEffect(() => {
    if (!follow) return;
    const check = () => {
      const v = viewRef.current;
      const next = followView(v, toDisplay(model.axis, player.clock.ms), totalMs, width);
      if (next !== v) setViewState(next);
    };
    check();
    return player.clock.subscribe(check);
  }, [follow, player.clock, model.axis, totalMs, width]);

  const zoom = (factor: number) => {
    const anchor = follow ? toDisplay(model.axis, player.clock.ms) : view.startMs + view.spanMs / 2;
    setViewState(zoomView(view, factor, anchor, totalMs, width));
  };
  const zoomLevel = zoomOf(view, totalMs);
  const onWaveError = useCallback((failed: boolean) => setWaveFailed(failed), []);
  const downloader = useMediaDownload(model.manifest.conversationId);
  const reprocess = useReprocessMedia(model.manifest.conversationId);
  const seg = (id: string) => model.segmentById.get(id);

  return (
    <Stack gap={8}>
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Controls player={player} model={model} />
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('player.zoomOut')} withinPortal>
            <ActionIcon variant="subtle" color="gray" onClick={() => zoom(0.5)} disabled={zoomLevel <= 1.001} aria-label={t('player.zoomOut')}>
              <IconZoomOut size={16} />
            </ActionIcon>
          </Tooltip>
          <Text size="xs" c="dimmed" w={40} ta="center" ff="monospace" data-testid="player-zoom">
            {zoomLevel < 10 ? zoomLevel.toFixed(1).replace(/\.0$/, '') : Math.round(zoomLevel)}×
          </Text>
          <Tooltip label={t('player.zoomIn')} withinPortal>
            <ActionIcon variant="subtle" color="gray" onClick={() => zoom(2)} aria-label={t('player.zoomIn')} data-testid="player-zoom-in">
              <IconZoomIn size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('player.follow')} withinPortal>
            <ActionIcon
              variant={follow ? 'light' : 'subtle'}
              color={follow ? 'blue' : 'gray'}
              onClick={() => setFollow((f) => !f)}
              aria-pressed={follow}
              aria-label={t('player.follow')}
            >
              <IconFollow size={16} />
            </ActionIcon>
          </Tooltip>
          {model.screens.length > 0 && (
            <Tooltip label={screens ? t('player.hideScreens') : t('player.showScreens')} withinPortal>
              <ActionIcon
                variant={screens ? 'light' : 'subtle'}
                color={screens ? 'blue' : 'gray'}
                onClick={() => setScreens((v) => !v)}
                aria-pressed={screens}
                aria-label={t('player.showScreens')}
                data-testid="player-screens-toggle"
              >
                <IconMonitor size={16} />
              </ActionIcon>
            </Tooltip>
          )}
          <ShortcutsHelp />
          <Tooltip label={compact ? t('player.expand') : t('player.compact')} withinPortal>
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={toggleCompact}
              aria-pressed={compact}
              aria-label={compact ? t('player.expand') : t('player.compact')}
              data-testid="player-compact"
            >
              {compact ? <IconChevronUp size={16} /> : <IconChevronDown size={16} />}
            </ActionIcon>
          </Tooltip>
          <PlayerMenu player={player} model={model} downloader={downloader} reprocess={reprocess} />
        </Group>
      </Group>

      <Stack gap={4} data-testid="player-messages">
        {model.problem === 'pending' && (
          <Message color="blue" testId="player-processing" icon={<Loader size={12} />}>
            {t('player.processing')}
          </Message>
        )}
        {model.problem === 'noAudio' && (
          <Message color="gray" testId="player-no-audio">
            {t('player.errors.noAudio')}
          </Message>
        )}
        {model.problem === 'partial' && (
          <Message color="yellow" testId="player-partial">
            {t('player.errors.partial')}
          </Message>
        )}
        {waveFailed && (
          <Message color="orange" testId="player-waveform-failed">
            {t('player.errors.loadWaveform')} · {t('player.errors.loadWaveformHint')}
          </Message>
        )}
        {downloader.error ? <ErrorAlert error={downloader.error} title={t('player.downloadFailed')} /> : null}
        {reprocess.error ? <ErrorAlert error={reprocess.error} title={t('player.reprocessFailed')} /> : null}
        {player.notice && (
          <Message color="red" testId={player.notice.kind === 'missingMedia' ? 'player-missing-media' : 'player-segment-error'} onClose={player.dismissNotice}>
            {player.notice.kind === 'missingMedia' ? t('player.errors.missingMedia') : t('player.errors.segment')}
            {' · '}
            {t('player.errors.segmentAt', { time: times.dateTime(seg(player.notice.segmentId)?.recordedAt, siteZone) })}
          </Message>
        )}
      </Stack>

      {!compact && (
        <>
          <Waveforms
            player={player}
            model={model}
            view={view}
            onView={setView}
            width={width}
            onWidth={setWidth}
            comments={comments}
            onWaveformError={onWaveError}
          />
          <QualityLane model={model} view={view} width={width} />
          <Legend model={model} hasComments={comments.some((c) => c.offsetMs !== null)} />
          {below}
          {model.screens.length > 0 && screens && <ScreenView player={player} model={model} />}
        </>
      )}
    </Stack>
  );
}

/** The keyboard shortcuts, from the same table the key handler reads. */
function ShortcutsHelp() {
  const { t } = useTranslation();
  return (
    <Popover position="top-end" withinPortal shadow="md" width={260}>
      <Popover.Target>
        <Tooltip label={t('player.shortcuts.title')} withinPortal>
          <ActionIcon variant="subtle" color="gray" aria-label={t('player.shortcuts.title')} data-testid="player-shortcuts">
            <IconKeyboard size={16} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown data-testid="player-shortcuts-help">
        <Text size="sm" fw={600} mb={6}>
          {t('player.shortcuts.title')}
        </Text>
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
          <Table.Tbody>
            {SHORTCUTS.map((s) => (
              <Table.Tr key={s.action}>
                <Table.Td w={70}>
                  {s.keys.map((k) => (
                    <Kbd key={k} size="xs">
                      {k === 'Space' ? t('player.shortcuts.space') : k}
                    </Kbd>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{t(`player.shortcuts.${s.action}`)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt={6}>
          {t('player.shortcuts.where')}
        </Text>
      </Popover.Dropdown>
    </Popover>
  );
}

function Message({ color, testId, icon, onClose, children }: { color: string; testId: string; icon?: ReactNode; onClose?: () => void; children: ReactNode }) {
  return (
    <Alert color={color} variant="light" py={4} px="sm" data-testid={testId} role="status" withCloseButton={!!onClose} onClose={onClose} icon={icon}>
      <Text size="xs">{children}</Text>
    </Alert>
  );
}

function Controls({ player, model }: { player: PlayerApi; model: PlayerModel }) {
  const { t, i18n } = useTranslation();
  const disabled = model.plan.every((p) => !p.playable);
  const num = new Intl.NumberFormat(resolveLocale(i18n.language));
  return (
    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
      <Tooltip label={t('player.rewind5')} withinPortal>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => player.skip(-5000)}
          disabled={disabled}
          aria-label={t('player.rewind5')}
          data-testid="player-rewind"
        >
          <IconRewind size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('player.back10')} withinPortal>
        <ActionIcon variant="subtle" color="gray" onClick={() => player.skip(-10_000)} disabled={disabled} aria-label={t('player.back10')}>
          <IconSkipBack size={16} />
        </ActionIcon>
      </Tooltip>
      <ActionIcon
        size="lg"
        radius="xl"
        onClick={player.toggle}
        disabled={disabled}
        aria-label={player.playing ? t('player.pause') : t('player.play')}
        data-testid="player-play"
        data-playing={player.playing}
      >
        {player.playing ? <IconPause size={18} /> : <IconPlay size={18} />}
      </ActionIcon>
      <Tooltip label={t('player.forward10')} withinPortal>
        <ActionIcon variant="subtle" color="gray" onClick={() => player.skip(10_000)} disabled={disabled} aria-label={t('player.forward10')}>
          <IconSkipForward size={16} />
        </ActionIcon>
      </Tooltip>
      <TimeDisplay player={player} model={model} />
      {player.playing && player.buffering && <Loader size={12} aria-label={t('player.buffering')} data-testid="player-buffering" />}
      <NativeSelect
        size="xs"
        w={76}
        aria-label={t('player.speed')}
        title={t('player.speed')}
        value={String(player.speed)}
        onChange={(e) => player.setSpeed(Number(e.currentTarget.value))}
        data={SPEEDS.map((s) => ({ value: String(s), label: `${num.format(s)}×` }))}
        data-testid="player-speed"
      />
      <Tooltip label={player.muted ? t('player.unmute') : t('player.mute')} withinPortal>
        <ActionIcon
          variant="subtle"
          color={player.muted ? 'red' : 'gray'}
          onClick={player.toggleMute}
          aria-pressed={player.muted}
          aria-label={player.muted ? t('player.unmute') : t('player.mute')}
          data-testid="player-mute"
        >
          {player.muted || player.volume === 0 ? <IconVolumeOff size={16} /> : <IconVolume size={16} />}
        </ActionIcon>
      </Tooltip>
      <Slider
        w={84}
        size="sm"
        min={0}
        max={1}
        step={0.05}
        value={player.muted ? 0 : player.volume}
        onChange={player.setVolume}
        label={(v) => `${Math.round(v * 100)} %`}
        thumbLabel={t('player.volume')}
        data-testid="player-volume"
      />
    </Group>
  );
}

/** Current time / total on the display axis; hovering shows the recording date and time at the playhead. */
function TimeDisplay({ player, model }: { player: PlayerApi; model: PlayerModel }) {
  const { t, i18n } = useTranslation();
  const { times, siteZone, zone } = usePlayerTimes(model.manifest.conversationId);
  const display = useClock(player.clock, (ms) => Math.floor(toDisplay(model.axis, ms) / 100) * 100);
  const convMs = player.clock.ms;
  const recorded = new Date(Date.parse(model.manifest.startedAt) + convMs).toISOString();
  return (
    <Tooltip
      label={t('player.recordedAt', { date: times.dateTime(model.manifest.startedAt, siteZone), time: wallClock(Date.parse(recorded), i18n.language, zone) })}
      withinPortal
    >
      <Text size="sm" ff="monospace" px={6} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid="player-time" tabIndex={0}>
        {formatClock(display)} / {formatClock(model.axis.mediaEndMs)}
      </Text>
    </Tooltip>
  );
}

type Downloader = ReturnType<typeof useMediaDownload>;
type Reprocessor = ReturnType<typeof useReprocessMedia>;

function PlayerMenu({ player, model, downloader, reprocess }: { player: PlayerApi; model: PlayerModel; downloader: Downloader; reprocess: Reprocessor }) {
  const { t } = useTranslation();
  const { times, siteZone } = usePlayerTimes(model.manifest.conversationId);
  const me = useCurrentUser();
  const id = model.manifest.conversationId;
  const canDownload = can(me, 'media.download');
  const canReprocess = can(me, 'media.reprocess');
  const wavs = model.calls.filter((s) => s.downloadWavUrl);
  if (!canDownload && !canReprocess) return null;
  return (
    <>
      <Menu position="top-end" withinPortal shadow="md">
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('player.menu')}
            data-testid="player-menu"
            loading={downloader.isPending || reprocess.isPending}
          >
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {canDownload && (
            <Menu.Item
              leftSection={<IconDownload size={14} />}
              onClick={() => downloader.mutate({ url: model.manifest.exportMp3Url, fallbackName: `${id}.mp3` })}
            >
              {t('player.downloadMp3')}
            </Menu.Item>
          )}
          {canDownload &&
            wavs.map((s) => (
              <Menu.Item
                key={s.id}
                leftSection={<IconDownload size={14} />}
                onClick={() => downloader.mutate({ url: s.downloadWavUrl!, fallbackName: `${s.contactId}.wav` })}
              >
                {wavs.length > 1 ? t('player.downloadWavOf', { segment: times.time(s.recordedAt, siteZone) }) : t('player.downloadWav')}
              </Menu.Item>
            ))}
          {canReprocess && (
            <>
              {canDownload && <Menu.Divider />}
              <Menu.Item leftSection={<IconRefresh size={14} />} onClick={() => reprocess.mutate()} disabled={model.problem === 'pending'}>
                {t('player.reprocess')}
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {player.media.isFetching && model.problem === 'pending' && <Loader size={12} aria-label={t('player.processing')} />}
    </>
  );
}

export function Legend({ model, hasComments }: { model: PlayerModel; hasComments: boolean }) {
  const { t } = useTranslation();
  const colors = new Set(model.lanes.map((l) => l.color));
  const items: { key: string; swatch: ReactNode }[] = [];
  const sw = (background: string) => <Box w={10} h={10} style={{ background, borderRadius: 2 }} />;
  const entries: [string, string][] = [
    [COLORS.customerCalling, 'customerCalling'],
    [COLORS.customerCalled, 'customerCalled'],
    [COLORS.agentCalling, 'agentCalling'],
    [COLORS.agentCalled, 'agentCalled'],
    [COLORS.unknownSide, 'unknown'],
  ];
  for (const [color, key] of entries) if (colors.has(color)) items.push({ key, swatch: sw(color) });
  if (model.holds.length) items.push({ key: 'hold', swatch: sw('rgba(253, 126, 20, 0.6)') });
  if (model.crosstalk.length) items.push({ key: 'crosstalk', swatch: sw('linear-gradient(rgba(250,82,82,0.1), rgba(250,82,82,0.7), rgba(250,82,82,0.1))') });
  // A mono mix cannot show crosstalk: say so rather than let an empty timeline suggest there was none.
  if (model.manifest.crosstalk?.reason === 'SINGLE_CHANNEL') {
    items.push({ key: 'crosstalkNotMeasurable', swatch: sw('repeating-linear-gradient(135deg, rgba(250,82,82,0.5) 0 2px, transparent 2px 5px)') });
  }
  if (model.axis.gaps.length || model.streamGaps.length) {
    items.push({
      key: 'gap',
      swatch: (
        <Box
          style={{
            width: 0,
            height: 0,
            borderLeft: '5px solid transparent',
            borderRight: '5px solid transparent',
            borderTop: '7px solid var(--mantine-color-dark-4)',
          }}
        />
      ),
    });
  }
  if (hasComments)
    items.push({
      key: 'comment',
      swatch: <Box w={10} h={10} bg="yellow.4" style={{ borderRadius: '50% 50% 50% 0', border: '1px solid var(--mantine-color-yellow-8)' }} />,
    });
  for (const type of ['transfer', 'consult'] as const)
    if (model.marks.some((m) => m.type === type)) items.push({ key: type, swatch: <MarkGlyph type={type} height={12} /> });
  if (model.screenBands.length) items.push({ key: 'screen', swatch: sw(COLORS.screen) });
  if (model.wrapUp) items.push({ key: 'wrapUp', swatch: sw('repeating-linear-gradient(45deg, #adb5bd 0 2px, transparent 2px 5px)') });
  return (
    <Group gap="md" ml={176} data-testid="player-legend">
      {items.map((i) => (
        <Group key={i.key} gap={5} wrap="nowrap">
          {i.swatch}
          <Text size="xs" c="dimmed">
            {t(`player.legend.${i.key}`)}
          </Text>
        </Group>
      ))}
    </Group>
  );
}
