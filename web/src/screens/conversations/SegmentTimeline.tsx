// The segments of one conversation on a horizontal time axis: one lane per segment, coloured by kind, holds in
// orange, transfers (solid violet, a flag) and consultations (dashed cyan, a diamond) as vertical marks; each call
// leg's tooltip names its own agent.
import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Participant, Segment, SegmentKind } from '../../api/types.ts';
import { formatDuration, useTimes } from '../../format.ts';
import { EmptyNote, KIND, participantName } from './parts.tsx';
import { MarkGlyph } from './player/MarkGlyph.tsx';
import { axisTicks, layoutTimeline, legLink, segmentParticipant } from './timeline.ts';

const LANE = 18;
const BAR = 10;
const HOLD = 'var(--mantine-color-orange-5)';

const barColor = (kind: SegmentKind) => `var(--mantine-color-${KIND[kind]?.color ?? 'gray'}-5)`;

/** `participants` (the conversation's) names each call leg's agent in its tooltip; `timeZone` is the conversation's. */
export function SegmentTimeline({ segments, participants = [], timeZone }: { segments: Segment[]; participants?: Participant[]; timeZone?: string | null }) {
  const { t } = useTranslation();
  const times = useTimes();
  const formatTime = (iso: string, withSeconds = false) => times.time(iso, timeZone, withSeconds);
  const layout = layoutTimeline(segments);
  if (!layout) {
    return <EmptyNote>{t('conversations.timeline.empty')}</EmptyNote>;
  }
  const kinds = [...new Set(layout.bars.map((b) => b.kind))];
  const hasHold = layout.bars.some((b) => b.holds.length > 0);
  const markTypes = new Set(layout.bars.flatMap((b) => b.marks.map((m) => m.type)));
  const ticks = axisTicks(layout.startMs, layout.endMs, 3);
  // Short conversations need seconds on the axis, or every tick reads the same minute.
  const short = layout.endMs - layout.startMs < 5 * 60_000;
  const time = (ms: number) => formatTime(new Date(ms).toISOString(), short);

  return (
    <Stack gap={6} data-testid="segment-timeline" role="group" aria-label={t('conversations.timeline.title')}>
      <Box pos="relative" h={LANE * layout.bars.length} bg="gray.0" style={{ borderRadius: 4 }}>
        {layout.bars.map((bar, lane) => {
          const s = bar.segment;
          const agent = s.kind === 'call' ? segmentParticipant(participants, s, s.agentPartyKey) : undefined;
          const link = legLink(s);
          const label = [
            t('conversations.timeline.segment', {
              kind: t(`conversations.kind.${bar.kind}`),
              from: formatTime(s.startedAt),
              until: formatTime(s.endedAt),
              duration: formatDuration(s.durationMs),
            }),
            link ? t(link === 'transfer' ? 'conversations.timeline.transferOnly' : 'conversations.timeline.consultOnly') : null,
            agent ? t('conversations.timeline.agent', { name: participantName(agent) }) : null,
          ]
            .filter(Boolean)
            .join(' · ');
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
                <Tooltip key={`${m.type}-${m.at}`} withinPortal label={t(`conversations.timeline.${m.type}`, { time: formatTime(m.at), to: m.to ?? '—' })}>
                  <Box data-testid="timeline-mark" data-type={m.type} pos="absolute" top={1} bottom={1} style={{ left: `calc(${m.left}% - 4px)` }}>
                    <MarkGlyph type={m.type} />
                  </Box>
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
        {markTypes.has('transfer') && <MarkLegend type="transfer" label={t('conversations.timeline.transferOnly')} />}
        {markTypes.has('consult') && <MarkLegend type="consult" label={t('conversations.timeline.consultOnly')} />}
      </Group>
    </Stack>
  );
}

function MarkLegend({ type, label }: { type: 'transfer' | 'consult'; label: string }) {
  return (
    <Group gap={3} wrap="nowrap" data-testid={`timeline-legend-${type}`}>
      <MarkGlyph type={type} height={12} />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
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
