// Calls and screen recordings in the segment list: what was stored (one line per file, with its parties, format and
// length), a play button and progress that drive the page's player, the segment's WAV download, and a call's
// hold/transfer events. The player itself docks at the bottom of the page.
import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mediaUrl } from '../../../api/conversations.ts';
import { useMediaDownload } from '../../../api/media.ts';
import type { ConversationDetail, MediaStream, Segment } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconDownload, IconOpen } from '../../../components/icons.tsx';
import { formatDuration, useTimes } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { canPlay } from '../ConversationActions.tsx';
import { EmptyNote, participantName } from '../parts.tsx';
import { SegmentPlayButton } from '../player/SegmentPlayback.tsx';
import { usePlayerContext } from '../player/usePlayer.ts';
import { legLink, segmentParticipant } from '../timeline.ts';

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
    return <EmptyNote>{t('conversations.media.none')}</EmptyNote>;
  }
  if (!canPlay(me)) {
    return <EmptyNote>{t('conversations.media.noPermission')}</EmptyNote>;
  }
  return (
    <Stack gap="sm">
      {byFile(streams).map((group) => {
        const first = group[0]!;
        const ok = group.some((s) => s.status === 'ok');
        const format = [
          first.codec,
          first.sampleRate ? `${first.sampleRate / 1000} kHz` : null,
          first.channels ? t('conversations.media.channels', { n: first.channels }) : null,
        ]
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
              <Anchor href={mediaUrl(conversationId, first.id)} target="_blank" rel="noopener" size="xs" w="fit-content" data-testid="segment-video-link">
                <Group gap={4}>
                  <IconOpen size={12} />
                  {t('player.openScreen')}
                </Group>
              </Anchor>
            ) : null}
          </Stack>
        );
      })}
    </Stack>
  );
}

const EVENT_COLOR: Record<string, string> = { hold: 'orange', resume: 'green', transfer: 'violet', consult: 'cyan', mute: 'gray', unmute: 'gray' };

export function CallSegment({ segment, conversation }: { segment: Segment; conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const times = useTimes();
  // This leg's own people: in a transfer both legs call their agent "agent".
  const party = (key: string | null) => segmentParticipant(conversation.participants, segment, key);
  const label = (s: MediaStream) => {
    const p = party(s.partyKey);
    return p ? `${participantName(p)} (${t(`conversations.roles.${p.role}`)})` : (s.partyKey ?? t('conversations.media.mixed'));
  };
  const start = Date.parse(segment.startedAt);
  return (
    <Stack gap="sm">
      <LegAgent segment={segment} participants={conversation.participants} />
      <CallPlayback conversationId={conversation.id} segmentId={segment.id} />
      <MediaFiles conversationId={conversation.id} streams={segment.streams} label={label} />
      {segment.events.length > 0 && (
        <Group gap={6} data-testid="call-events">
          {segment.events.map((e, i) => (
            <Badge key={`${e.type}-${e.at}-${i}`} variant="light" color={EVENT_COLOR[e.type] ?? 'gray'} tt="none" fw={500}>
              {t(`conversations.events.${e.type}`, { defaultValue: e.type })}
              {typeof e.data.to === 'string' ? ` → ${e.data.to}` : ''} · {times.time(e.at, conversation.timeZone)} ({formatDuration(Date.parse(e.at) - start)})
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/**
 * A call leg's own agent, and how the leg joined (put through by a transfer, or a consultation): the legs of a
 * transfer both call their agent "agent", so the conversation's first "agent" would name the wrong person.
 */
export function LegAgent({ segment, participants, size = 'sm' }: { segment: Segment; participants: ConversationDetail['participants']; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const agent = segment.kind === 'call' ? segmentParticipant(participants, segment, segment.agentPartyKey) : undefined;
  const link = legLink(segment);
  if (!agent && !link) return null;
  return (
    <Group gap="xs" data-testid="segment-agent">
      {link && (
        <Badge size={size} variant="light" color={link === 'transfer' ? 'violet' : 'cyan'} tt="none" fw={500} data-testid="segment-link">
          {t(link === 'transfer' ? 'conversations.timeline.transferOnly' : 'conversations.timeline.consultOnly')}
        </Badge>
      )}
      {agent && (
        <Text size={size} fw={500}>
          {t('conversations.timeline.agent', { name: participantName(agent) })}
        </Text>
      )}
    </Group>
  );
}

export function ScreenSegment({ segment, conversationId }: { segment: Segment; conversationId: string }) {
  const { t } = useTranslation();
  const label = () => (segment.monitor !== null ? t('conversations.media.monitor', { n: segment.monitor }) : t('conversations.kind.screen'));
  return <MediaFiles conversationId={conversationId} streams={segment.streams} label={label} />;
}

/** Play this call in the page's player (with its progress), and download it as WAV. */
function CallPlayback({ conversationId, segmentId }: { conversationId: string; segmentId: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const player = usePlayerContext();
  const downloader = useMediaDownload(conversationId);
  const seg = player?.conversationId === conversationId ? player.model?.segmentById.get(segmentId) : undefined;
  if (!canPlay(me) || !seg) return null;
  return (
    <Stack gap={6}>
      <Group gap="sm" wrap="nowrap">
        <SegmentPlayButton conversationId={conversationId} segmentId={segmentId} />
        {!seg.mixUrl && (
          <Badge color="red" variant="light" tt="none">
            {t('player.errors.missingMedia')}
          </Badge>
        )}
        {can(me, 'media.download') && seg.downloadWavUrl && (
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconDownload size={12} />}
            loading={downloader.isPending}
            onClick={() => downloader.mutate({ url: seg.downloadWavUrl!, fallbackName: `${seg.contactId}.wav` })}
            data-testid="segment-download-wav"
          >
            {t('player.downloadWav')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={downloader.error} title={t('player.downloadFailed')} />
    </Stack>
  );
}
