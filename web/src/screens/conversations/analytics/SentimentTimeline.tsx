// Sentiment over time, in the player area: the conversation's sentiment (0–100, 50 neutral) along the call, drawn by
// ECharts (loaded on first use). Where the sentiment moves into another band (negative below 40, positive above 60)
// a marker sits under the graph; it (or the point on the graph) opens a pop-up with the transcript lines of that
// stretch and a button that plays it.
import { ActionIcon, Badge, Box, Button, Group, Popover, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SentimentLabel, SentimentPoint, SentimentSection } from '../../../api/insights.ts';
import { IconPlay } from '../../../components/icons.tsx';
import { EChart } from '../../reports/charts/EChart.tsx';
import { formatClock } from '../player/model.ts';
import { usePlayerContext } from '../player/usePlayer.ts';
import type { TranscriptUtterance } from '../player/transcript/api.ts';
import { useTranscript } from '../player/transcript/api.ts';

export type Band = SentimentLabel;

/** The band of a 0–100 score (the server's thresholds: below 40 negative, above 60 positive). */
export const bandOf = (score: number): Band => (score < 40 ? 'negative' : score > 60 ? 'positive' : 'neutral');
export const BAND_COLORS: Record<Band, string> = { negative: '#e03131', neutral: '#868e96', positive: '#2f9e44' };

/** Indexes of the sections where the sentiment changes: each after the first, and the first unless it is neutral. */
export function changePoints(sections: readonly SentimentSection[]): number[] {
  const out: number[] = [];
  sections.forEach((s, i) => {
    if (s.startMs !== null && (i > 0 || s.label !== 'neutral')) out.push(i);
  });
  return out;
}

/** The utterances of a section: those it names, else those overlapping its time. */
export function linesOf(utterances: readonly TranscriptUtterance[], section: SentimentSection): TranscriptUtterance[] {
  if (section.lineIds.length) {
    const ids = new Set(section.lineIds);
    return utterances.filter((u) => ids.has(u.id));
  }
  const from = section.startMs ?? 0;
  const to = section.endMs ?? from;
  return utterances.filter((u) => u.endMs > from && u.startMs < to);
}

const GRID = 8;
const identity = (ms: number) => ms;

/**
 * `toX` maps conversation ms to the graph's axis (the player's display axis, where gaps between segments are left
 * out, so the graph lines up with the waveforms); `totalMs` is that axis's length.
 */
export function SentimentTimeline({
  conversationId,
  points,
  sections,
  totalMs,
  toX = identity,
  labelWidth = 0,
}: {
  conversationId: string;
  points: readonly SentimentPoint[];
  sections: readonly SentimentSection[];
  totalMs: number;
  toX?: (ms: number) => number;
  /** The player's lane-label column: the title goes there and the graph lines up with the waveforms. */
  labelWidth?: number;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const changes = useMemo(() => changePoints(sections), [sections]);
  const timed = useMemo(() => points.filter((p) => p.atMs !== null), [points]);
  const span = totalMs > 0 ? totalMs : Math.max(1, ...sections.map((s) => toX(s.endMs ?? s.startMs ?? 0)));

  const option = useMemo(
    () => ({
      animation: false,
      grid: { left: GRID, right: GRID, top: 6, bottom: 6 },
      xAxis: { type: 'value', min: 0, max: span, show: false },
      yAxis: { type: 'value', min: 0, max: 100, show: false },
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { value: [number, number] }[]) => (ps[0] ? `${formatClock(ps[0].value[0])} · ${Math.round(ps[0].value[1])}` : ''),
      },
      visualMap: {
        show: false,
        seriesIndex: 0,
        dimension: 1,
        pieces: [
          { lt: 40, color: BAND_COLORS.negative },
          { gte: 40, lte: 60, color: BAND_COLORS.neutral },
          { gt: 60, color: BAND_COLORS.positive },
        ],
      },
      series: [
        {
          type: 'line',
          smooth: 0.3,
          symbol: 'none',
          lineStyle: { width: 2 },
          data: timed.map((p) => [toX(p.atMs!), p.smoothed]),
          markArea: { silent: true, itemStyle: { color: 'rgba(134,142,150,0.08)' }, data: [[{ yAxis: 40 }, { yAxis: 60 }]] },
        },
        {
          type: 'scatter',
          symbolSize: 9,
          cursor: 'pointer',
          itemStyle: { color: (p: { value: [number, number] }) => BAND_COLORS[bandOf(p.value[1])] },
          data: changes.map((i) => [toX(sections[i]!.startMs!), sections[i]!.score]),
        },
      ],
    }),
    [timed, sections, changes, span, toX],
  );

  if (timed.length === 0) return null;
  return (
    <Group data-testid="sentiment-timeline" gap={0} wrap="nowrap" align="flex-start">
      <Box w={labelWidth || undefined} pr="xs" pt={4} style={{ flexShrink: 0 }}>
        <Text size="xs" c="dimmed" fw={600}>
          {t('analytics.sentimentOverTime')}
        </Text>
      </Box>
      <Box style={{ flex: 1, minWidth: 0 }} ml={labelWidth ? -GRID : 0} mr={labelWidth ? -GRID : 0}>
        <EChart
          option={option}
          height={56}
          label={t('analytics.sentimentOverTime')}
          onPointClick={(series, k) => series === 1 && setOpen(changes[k] ?? null)}
          testId="sentiment-chart"
        />
        <Box pos="relative" h={18}>
          {changes.map((i) => {
            const sec = sections[i]!;
            const at = sec.startMs ?? 0;
            const band = sec.label;
            return (
              <Popover key={i} opened={open === i} onChange={(o) => setOpen(o ? i : null)} position="top" withArrow shadow="md" width={360} withinPortal>
                <Popover.Target>
                  <ActionIcon
                    size={14}
                    radius="xl"
                    variant="filled"
                    color={BAND_COLORS[band]}
                    pos="absolute"
                    top={2}
                    style={{ left: `calc(${GRID}px + (100% - ${2 * GRID}px) * ${Math.min(1, toX(at) / span)} - 7px)` }}
                    onClick={() => setOpen(open === i ? null : i)}
                    aria-label={t('analytics.sentimentChange', { band: t(`analytics.band.${band}`), time: formatClock(at) })}
                    data-testid="sentiment-change"
                  >
                    <span />
                  </ActionIcon>
                </Popover.Target>
                <Popover.Dropdown>
                  {open === i && <ChangePopup conversationId={conversationId} section={sec} onPlayed={() => setOpen(null)} />}
                </Popover.Dropdown>
              </Popover>
            );
          })}
        </Box>
      </Box>
    </Group>
  );
}

function ChangePopup({ conversationId, section, onPlayed }: { conversationId: string; section: SentimentSection; onPlayed: () => void }) {
  const { t } = useTranslation();
  const player = usePlayerContext();
  const transcript = useTranscript(conversationId);
  const lines = linesOf(transcript.data?.utterances ?? [], section).slice(0, 8);
  const band = section.label;
  const from = section.startMs ?? 0;
  return (
    <Stack gap="xs" data-testid="sentiment-popup">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <Badge color={BAND_COLORS[band]} variant="light">
            {t(`analytics.band.${band}`)} · {Math.round(section.score)}
          </Badge>
          <Text size="xs" c="dimmed" ff="monospace">
            {formatClock(from)}–{formatClock(section.endMs ?? from)}
          </Text>
        </Group>
        {player && (
          <Button
            size="compact-xs"
            leftSection={<IconPlay size={12} />}
            onClick={() => {
              player.seek(from);
              player.play();
              onPlayed();
            }}
            data-testid="sentiment-play"
          >
            {t('analytics.playSection')}
          </Button>
        )}
      </Group>
      {lines.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('analytics.noLines')}
        </Text>
      ) : (
        lines.map((u) => (
          <Text key={u.id} size="xs" lineClamp={3}>
            <Text span fw={600} size="xs">
              {u.role === 'unknown' ? t('transcript.speakerUnknown') : t(`conversations.roles.${u.role}`)}:
            </Text>{' '}
            {u.text}
          </Text>
        ))
      )}
    </Stack>
  );
}
