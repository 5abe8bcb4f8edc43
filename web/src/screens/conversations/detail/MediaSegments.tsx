// Calls and screen recordings: plain <audio>/<video> elements on the stored media (the server streams byte ranges),
// one per stored file, and a call's hold/transfer events. The multi-track player replaces these later.
import { Badge, Box, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mediaUrl } from '../../../api/conversations.ts';
import type { ConversationDetail, MediaStream, Segment } from '../../../api/types.ts';
import { formatDuration, formatTime } from '../../../format.ts';
import { useCurrentUser } from '../../shell/currentUser.tsx';
import { canPlay } from '../ConversationActions.tsx';
import { EmptyNote, participantName } from '../parts.tsx';

/** A stereo file holds one stream per channel; it is played once, labelled with every party on it. */
function byFile(streams: MediaStream[]): MediaStream[][] {
  const files = new Map<string, MediaStream[]>();
  for (const s of streams) {
    const key = s.fileName ?? s.id;
    files.set(key, [...(files.get(key) ?? []), s]);
  }
  return [...files.values()].map((group) => group.sort((a, b) => (a.channelIndex ?? 0) - (b.channelIndex ?? 0)));
}

function MediaFiles({ conversationId, streams, label }: { conversationId: string; streams: MediaStream[]; label: (s: MediaStream) => string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (streams.length === 0) {
    return (
      <EmptyNote>{t('conversations.media.none')}</EmptyNote>
    );
  }
  if (!canPlay(me)) {
    return (
      <EmptyNote>{t('conversations.media.noPermission')}</EmptyNote>
    );
  }
  return (
    <Stack gap="sm">
      {byFile(streams).map((group) => {
        const first = group[0]!;
        const ok = group.some((s) => s.status === 'ok');
        const format = [first.codec, first.sampleRate ? `${first.sampleRate / 1000} kHz` : null, first.channels ? t('conversations.media.channels', { n: first.channels }) : null]
          .filter(Boolean)
          .join(' · ');
        return (
          <Stack key={first.id} gap={4}>
            <Group gap="xs" justify="space-between" wrap="nowrap">
              <Text size="sm" fw={500} truncate="end">
                {group.map(label).join(' · ')}
              </Text>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {[format, formatDuration(first.durationMs)].filter(Boolean).join(' · ')}
              </Text>
            </Group>
            {!ok ? (
              <Group gap="xs">
                <Badge color="orange" variant="light">
                  {t('conversations.media.noAudio')}
                </Badge>
                {first.statusReason && (
                  <Text size="xs" c="dimmed">
                    {first.statusReason}
                  </Text>
                )}
              </Group>
            ) : first.kind === 'video' ? (
              <Box component="video" controls preload="metadata" src={mediaUrl(conversationId, first.id)} w="100%" mah={480} bg="black" style={{ borderRadius: 6 }} data-testid="segment-video" />
            ) : (
              <Box component="audio" controls preload="metadata" src={mediaUrl(conversationId, first.id)} w="100%" h={36} data-testid="segment-audio" />
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}

const EVENT_COLOR: Record<string, string> = { hold: 'orange', resume: 'green', transfer: 'violet', consult: 'cyan', mute: 'gray', unmute: 'gray' };

export function CallSegment({ segment, conversation }: { segment: Segment; conversation: ConversationDetail }) {
  const { t, i18n } = useTranslation();
  const party = (key: string | null) => conversation.participants.find((p) => p.partyKey === key);
  const label = (s: MediaStream) => {
    const p = party(s.partyKey);
    return p ? `${participantName(p)} (${t(`conversations.roles.${p.role}`)})` : s.partyKey ?? t('conversations.media.mixed');
  };
  const start = Date.parse(segment.startedAt);
  return (
    <Stack gap="sm">
      <MediaFiles conversationId={conversation.id} streams={segment.streams} label={label} />
      {segment.events.length > 0 && (
        <Group gap={6} data-testid="call-events">
          {segment.events.map((e, i) => (
            <Badge key={`${e.type}-${e.at}-${i}`} variant="light" color={EVENT_COLOR[e.type] ?? 'gray'} tt="none" fw={500}>
              {t(`conversations.events.${e.type}`, { defaultValue: e.type })}
              {typeof e.data.to === 'string' ? ` → ${e.data.to}` : ''} · {formatTime(e.at, i18n.language)} ({formatDuration(Date.parse(e.at) - start)})
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

export function ScreenSegment({ segment, conversationId }: { segment: Segment; conversationId: string }) {
  const { t } = useTranslation();
  const label = () => (segment.monitor !== null ? t('conversations.media.monitor', { n: segment.monitor }) : t('conversations.kind.screen'));
  return <MediaFiles conversationId={conversationId} streams={segment.streams} label={label} />;
}
