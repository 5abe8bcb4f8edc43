// The quality lane (issue 13): for a call the recorder captured, one thin row per leg under the waveforms, coloured by
// the network quality of each 5 s (green good, yellow fair, red poor by the E-model MOS), the paused stretches (PCI)
// marked as gaps where nothing was kept, and the recording's assurance flags. Same time axis as the waveforms.
import { Badge, Box, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConversationRecording, type ConversationRecording } from '../../../api/live.ts';
import { formatDuration } from '../../../format.ts';
import { msToX, toDisplay, type PlayerModel, type View } from './model.ts';
import { LABEL_WIDTH } from './Waveforms.tsx';

const ROW = 8;
const INTERVAL_MS = 5000;

export const qualityColor = (mos: number | null, poor: boolean) => (poor ? '#fa5252' : mos === null ? '#ced4da' : mos >= 4 ? '#40c057' : '#fab005');

type Leg = ConversationRecording['legs'][number];

/** The call segment a recorder leg belongs to: the one recorded closest to the leg's call start. */
export function segmentOf(model: PlayerModel, leg: Pick<Leg, 'startedAt'>) {
  if (!model.calls.length) return null;
  if (!leg.startedAt) return model.calls[0]!;
  const at = Date.parse(leg.startedAt);
  return [...model.calls].sort((a, b) => Math.abs(Date.parse(a.recordedAt) - at) - Math.abs(Date.parse(b.recordedAt) - at))[0]!;
}

export function QualityLane({ model, view, width }: { model: PlayerModel; view: View; width: number }) {
  const { t } = useTranslation();
  const rec = useConversationRecording(model.manifest.conversationId);
  const data = rec.data;
  if (!data || (data.legs.length === 0 && data.pauses.length === 0 && data.flags.length === 0)) return null;
  const x = (convMs: number) => msToX(view, width, toDisplay(model.axis, convMs));
  const band = (fromConv: number, toConv: number) => {
    const left = Math.max(0, x(fromConv));
    const right = Math.min(width, x(toConv));
    return right > left ? { left, width: Math.max(1, right - left) } : null;
  };
  const pauses = data.pauses
    .map((p) => {
      const seg = model.segmentById.get(p.segmentId);
      const from = (seg?.startMs ?? 0) + p.offsetMs;
      return { p, pos: band(from, from + Math.max(p.durationMs, 200)) };
    })
    .filter((b) => b.pos);
  return (
    <Box data-testid="quality-lane">
      {data.flags.length > 0 && (
        <Group gap={6} ml={LABEL_WIDTH} mb={4} data-testid="recording-flags">
          <Text size="xs" c="dimmed">
            {t('recorderQuality.flags')}:
          </Text>
          {data.flags.map((f, i) => (
            <Tooltip key={`${f.flag}-${i}`} label={f.detail} multiline w={320}>
              <Badge size="xs" color="red" variant="light">
                {t(`recorderHealth.flag.${f.flag}`, { defaultValue: f.flag })}
              </Badge>
            </Tooltip>
          ))}
        </Group>
      )}
      {data.legs.map((leg) => {
        const seg = segmentOf(model, leg);
        const base = seg?.startMs ?? 0;
        const who = leg.participant ?? leg.label;
        const loss = leg.packetsExpected ? Math.round(((leg.packetsLost + leg.packetsLate) / leg.packetsExpected) * 1000) / 10 : 0;
        return (
          <Group key={`${leg.callId}-${leg.label}`} gap={0} wrap="nowrap" align="center" h={ROW + 6} data-testid="quality-leg" data-poor={leg.poor}>
            <Tooltip label={t('recorderQuality.tip', { who, mos: leg.mos ?? t('recorderQuality.noMos'), loss, jitter: Math.round(leg.jitterMs * 10) / 10 })}>
              <Text size="xs" w={LABEL_WIDTH} pr={8} truncate c={leg.poor ? 'red' : 'dimmed'}>
                {t('recorderQuality.lane')} · {who}
                {leg.mos !== null ? ` · ${leg.mos.toFixed(1)}` : ''}
              </Text>
            </Tooltip>
            <Box pos="relative" w={width} h={ROW} bg="gray.1" style={{ overflow: 'hidden', borderRadius: 2 }}>
              {(leg.intervals.length
                ? leg.intervals
                : [{ offsetMs: 0, mos: leg.mos, poor: leg.poor, lossPercent: loss, jitterMs: leg.jitterMs, whole: true }]
              ).map((iv, i) => {
                const whole = 'whole' in iv;
                const end = whole ? (seg?.endMs ?? base + INTERVAL_MS) : base + iv.offsetMs + INTERVAL_MS;
                const pos = band(whole ? base : base + iv.offsetMs, end);
                if (!pos) return null;
                return (
                  <Tooltip
                    key={i}
                    label={t('recorderQuality.tip', { who, mos: iv.mos ?? t('recorderQuality.noMos'), loss: iv.lossPercent, jitter: iv.jitterMs })}
                  >
                    <Box pos="absolute" top={0} h={ROW} style={{ left: pos.left, width: pos.width, background: qualityColor(iv.mos, iv.poor) }} />
                  </Tooltip>
                );
              })}
              {pauses.map(({ pos }, i) => (
                <Box
                  key={`p${i}`}
                  pos="absolute"
                  top={0}
                  h={ROW}
                  style={{ left: pos!.left, width: pos!.width, background: 'repeating-linear-gradient(45deg, #868e96 0 3px, #f1f3f5 3px 6px)' }}
                />
              ))}
            </Box>
          </Group>
        );
      })}
      {pauses.length > 0 && (
        <Group gap={0} wrap="nowrap" h={ROW + 10} data-testid="paused-gaps">
          <Text size="xs" w={LABEL_WIDTH} pr={8} c="dimmed" truncate>
            {t('recorderQuality.paused')}
          </Text>
          <Box pos="relative" w={width} h={ROW + 6}>
            {pauses.map(({ p, pos }, i) => (
              <Tooltip key={i} label={t('recorderQuality.pausedFor', { duration: formatDuration(p.durationMs) })}>
                <Box
                  pos="absolute"
                  top={0}
                  h={ROW + 6}
                  data-testid="paused-gap"
                  style={{
                    left: pos!.left,
                    width: pos!.width,
                    background: 'repeating-linear-gradient(45deg, #fd7e14 0 3px, #fff4e6 3px 6px)',
                    borderRadius: 2,
                  }}
                />
              </Tooltip>
            ))}
          </Box>
        </Group>
      )}
    </Box>
  );
}
