// The segments of a conversation in time order, each shown the way its kind reads best.
import { ActionIcon, Badge, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationDetail, Segment, SegmentKind } from '../../../api/types.ts';
import { IconLink } from '../../../components/icons.tsx';
import { formatDuration, useTimes } from '../../../format.ts';
import { EmptyNote, KindBadge } from '../parts.tsx';
import { Highlighted, useHighlights } from '../search/Highlighted.tsx';
import { segmentBlocks } from './blocks.ts';
import { CallSegment, ScreenSegment } from './MediaSegments.tsx';
import { ChatThread } from './ChatThread.tsx';
import { EmailSegment } from './EmailSegment.tsx';
import { OfflineSegment } from '../../quality/offline/OfflineSegment.tsx';

/** Only web links are followed; anything else (javascript:, data:) is never rendered as a link. */
const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

export function SegmentList({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const blocks = segmentBlocks(conversation.segments);
  if (blocks.length === 0) {
    return <EmptyNote>{t('conversations.segments.none')}</EmptyNote>;
  }
  return (
    <Stack gap="md">
      {blocks.map((b) =>
        b.kind === 'chat' ? (
          <SegmentCard key={b.key} kind="chat" first={b.segments[0]!} last={b.segments[b.segments.length - 1]!} zone={conversation.timeZone}>
            <ChatThread messages={b.messages} zone={conversation.timeZone} />
          </SegmentCard>
        ) : (
          <SegmentCard key={b.key} kind={b.segment.kind} first={b.segment} last={b.segment} zone={conversation.timeZone}>
            <SegmentBody segment={b.segment} conversation={conversation} />
          </SegmentCard>
        ),
      )}
    </Stack>
  );
}

function SegmentBody({ segment, conversation }: { segment: Segment; conversation: ConversationDetail }) {
  switch (segment.kind) {
    case 'call':
      return <CallSegment segment={segment} conversation={conversation} />;
    case 'screen':
      return <ScreenSegment segment={segment} conversationId={conversation.id} />;
    case 'email':
      return <EmailSegment segment={segment} zone={conversation.timeZone} />;
    case 'offline':
      return <OfflineSegment conversationId={conversation.id} />;
    default:
      return <ChatThread messages={segment.messages.map((m) => ({ ...m, segmentId: segment.id }))} zone={conversation.timeZone} />;
  }
}

/** A bordered card per segment (or chat thread): kind, title, when, how long, and a link to the source if any. */
function SegmentCard({ kind, first, last, zone, children }: { kind: SegmentKind; first: Segment; last: Segment; zone: string | null; children: ReactNode }) {
  const { t } = useTranslation();
  const times = useTimes();
  const highlights = useHighlights();
  const source = safeUrl(first.sourceUrl);
  const durationMs = Date.parse(last.endedAt) - Date.parse(first.startedAt);
  const title = first.title ?? first.queue;
  return (
    <Paper component="article" withBorder radius="md" p="md" data-testid={`segment-${kind}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
            <KindBadge kind={kind} />
            {title && (
              <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {kind === 'chat' && title === first.title ? <Highlighted text={title} ranges={highlights.roomName(first.id)} /> : title}
              </Text>
            )}
            {first.queue && first.queue !== title && (
              <Text size="xs" c="dimmed">
                {t('conversations.segments.queue', { queue: first.queue })}
              </Text>
            )}
            {/* The recording policy's decision (src/compliance/recording-policies): shown when a rule decided. */}
            {first.recording && (!first.recording.recorded || first.recording.ruleId) && (
              <Tooltip label={first.recording.reason ?? ''} multiline maw={360} withinPortal>
                <Badge size="sm" variant="light" color={first.recording.recorded ? 'green' : 'red'} data-testid="segment-recording-decision">
                  {first.recording.recorded ? t('recordingPolicies.segment.recorded') : t('recordingPolicies.segment.notRecorded')}
                  {first.recording.ruleName ? ` · ${first.recording.ruleName}` : ''}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              <span title={times.title(first.startedAt, zone)}>{times.dateTime(first.startedAt, zone)}</span>
              {durationMs > 0 ? ` – ${times.time(last.endedAt, zone)} · ${formatDuration(durationMs)}` : ''}
            </Text>
            {source && (
              <Tooltip label={t('conversations.segments.source')}>
                <ActionIcon
                  component="a"
                  href={source}
                  target="_blank"
                  rel="noopener noreferrer"
                  variant="subtle"
                  size="sm"
                  aria-label={t('conversations.segments.source')}
                >
                  <IconLink size={14} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
