// The segments of one conversation on a horizontal time axis: one lane per segment, coloured by kind, holds in
// orange, transfers and consultations as vertical marks.
import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Segment, SegmentKind } from '../../api/types.ts';
import { formatDuration, formatTime } from '../../format.ts';
import { EmptyNote, KIND } from './parts.tsx';
import { axisTicks, layoutTimeline } from './timeline.ts';

const LANE = 18;
const BAR = 10;
const HOLD = 'var(--mantine-color-orange-5)';
const MARK = 'var(--mantine-color-violet-7)';

const barColor = (kind: SegmentKind) => `var(--mantine-color-${KIND[kind]?.color ?? 'gray'}-5)`;

export function SegmentTimeline({ segments }: { segments: Segment[] }) {
  const { t, i18n } = useTranslation();
  const layout = layoutTimeline(segments);
  if (!layout) {
    return <EmptyNote>{t('conversations.timeline.empty')}</EmptyNote>;
  }
  const kinds = [...new Set(layout.bars.map((b) => b.kind))];
  const hasHold = layout.bars.some((b) => b.holds.length > 0);
  const hasMark = layout.bars.some((b) => b.marks.length > 0);
  const ticks = axisTicks(layout.startMs, layout.endMs, 3);
  // Short conversations need seconds on the axis, or every tick reads the same minute.
  const short = layout.endMs - layout.startMs < 5 * 60_000;
  const time = (ms: number) => formatTime(new Date(ms).toISOString(), i18n.language, short);

  return (
    <Stack gap={6} data-testid="segment-timeline" role="group" aria-label={t('conversations.timeline.title')}>
      <Box pos="relative" h={LANE * layout.bars.length} bg="gray.0" style={{ borderRadius: 4 }}>
        {layout.bars.map((bar, lane) => {
          const s = bar.segment;
          const label = t('conversations.timeline.segment', {
            kind: t(`conversations.kind.${bar.kind}`),
            from: formatTime(s.startedAt, i18n.language),
            until: formatTime(s.endedAt, i18n.language),
            duration: formatDuration(s.durationMs),
          });
          return (
            <Box key={s.id} pos="absolute" left={0} right={0} top={lane * LANE} h={LANE}>
              <Tooltip label={s.queue ? `${label} · ${s.queue}` : label} withinPortal>
                <Box
                  data-kind={bar.kind}
                  data-testid="timeline-bar"
                  aria-label={label}
                  role="img"
                  pos="absolute"
                  top={(LANE - BAR) / 2}
                  h={BAR}
                  style={{
                    left: `${bar.left}%`,
                    width: `max(${bar.width}%, 4px)`,
                    background: barColor(bar.kind),
                    borderRadius: 3,
                    overflow: 'hidden',
                  }}
                >
                  {bar.holds.map((h) => (
                    <Box
                      key={h.from}
                      data-testid="timeline-hold"
                      pos="absolute"
                      top={0}
                      bottom={0}
                      style={{
                        // Hold spans are placed on the whole axis; inside the bar they are relative to the bar.
                        left: bar.width > 0 ? `${((h.left - bar.left) / bar.width) * 100}%` : 0,
                        width: bar.width > 0 ? `max(${(h.width / bar.width) * 100}%, 3px)` : 3,
                        background: HOLD,
                      }}
                    />
                  ))}
                </Box>
              </Tooltip>
              {bar.marks.map((m) => (
                <Tooltip
                  key={`${m.type}-${m.at}`}
                  withinPortal
                  label={t(`conversations.timeline.${m.type}`, { time: formatTime(m.at, i18n.language), to: m.to ?? '—' })}
                >
                  <Box
                    data-testid="timeline-mark"
                    pos="absolute"
                    top={1}
                    bottom={1}
                    w={3}
                    style={{ left: `calc(${m.left}% - 1px)`, background: MARK, borderRadius: 2 }}
                  />
                </Tooltip>
              ))}
            </Box>
          );
        })}
      </Box>
      <Group justify="space-between" gap={4} wrap="nowrap">
        {ticks.map((tick) => (
          <Text key={tick} size="10px" c="dimmed" ff="monospace">
            {time(tick)}
          </Text>
        ))}
      </Group>
      <Group gap="md">
        {kinds.map((k) => (
          <Legend key={k} color={barColor(k)} label={t(`conversations.kind.${k}`)} />
        ))}
        {hasHold && <Legend color={HOLD} label={t('conversations.timeline.hold')} />}
        {hasMark && <Legend color={MARK} label={t('conversations.timeline.transferLegend')} bar />}
      </Group>
    </Stack>
  );
}

function Legend({ color, label, bar }: { color: string; label: string; bar?: boolean }) {
  return (
    <Group gap={5} wrap="nowrap">
      <Box w={bar ? 3 : 10} h={10} style={{ background: color, borderRadius: 2 }} />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
