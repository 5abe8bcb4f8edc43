// Playing one call segment from outside the player: the play button and progress beside a segment in the preview
// pane and in the detail view's segment list. They drive the page's one player (PlayerContext).
import { ActionIcon, Box, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MediaSegment } from '../../../api/media.ts';
import { IconPause, IconPlay } from '../../../components/icons.tsx';
import { formatDuration } from '../../../format.ts';
import { segmentProgress } from './model.ts';
import { usePlayerTimes } from './zone.ts';
import { useClock, usePlayerContext, type PlayerApi } from './usePlayer.ts';

/** Play/pause for one segment with how far it has played; nothing when the page has no player. */
export function SegmentPlayButton({ conversationId, segmentId, withProgress = true }: { conversationId: string; segmentId: string; withProgress?: boolean }) {
  const player = usePlayerContext();
  if (!player || player.conversationId !== conversationId) return null;
  const seg = player.model?.segmentById.get(segmentId);
  if (player.model && (!seg || !seg.mixUrl)) return null;
  return <SegmentControl player={player} segmentId={segmentId} seg={seg ?? null} withProgress={withProgress} />;
}

function SegmentControl({ player, segmentId, seg, withProgress }: { player: PlayerApi; segmentId: string; seg: MediaSegment | null; withProgress: boolean }) {
  const { t } = useTranslation();
  const current = player.segmentId === segmentId;
  const playing = current && player.playing;
  const progress = useClock(player.clock, (ms) => (seg && current ? Math.round(segmentProgress(seg, ms) * 400) / 4 : 0));
  const label = playing ? t('player.pauseSegment') : t('player.playSegment');
  return (
    <Group gap={8} wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
      <Tooltip label={label} withinPortal>
        <ActionIcon
          variant={current ? 'filled' : 'light'}
          radius="xl"
          size="md"
          aria-label={label}
          data-testid="segment-play"
          data-playing={playing}
          disabled={!player.model}
          onClick={() => (playing ? player.pause() : current ? player.play() : player.playSegment(segmentId))}
        >
          {playing ? <IconPause size={14} /> : <IconPlay size={14} />}
        </ActionIcon>
      </Tooltip>
      {withProgress && (
        <Progress
          value={progress}
          size="sm"
          style={{ flex: 1 }}
          aria-label={t('player.segmentProgress')}
          data-testid="segment-progress"
          data-value={progress}
          transitionDuration={0}
        />
      )}
    </Group>
  );
}

/** The preview pane's recordings: each call segment with its play button and progress. */
export function PreviewRecordings({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { times, siteZone } = usePlayerTimes(conversationId);
  const player = usePlayerContext();
  if (!player || player.conversationId !== conversationId || !player.model) return null;
  const calls = player.model.calls;
  if (calls.length === 0) return null;
  return (
    <Stack gap={6} data-testid="preview-recordings">
      {calls.map((s) => (
        <Box key={s.id} data-testid="preview-recording">
          <Group gap={8} wrap="nowrap" justify="space-between">
            <Text size="xs" fw={500} style={{ whiteSpace: 'nowrap' }}>
              {t('player.segment', { time: times.time(s.recordedAt, siteZone) })}
            </Text>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {s.mixUrl ? formatDuration(s.endMs - s.startMs) : t('player.errors.missingMedia')}
            </Text>
          </Group>
          <SegmentPlayButton conversationId={conversationId} segmentId={s.id} />
        </Box>
      ))}
    </Stack>
  );
}
