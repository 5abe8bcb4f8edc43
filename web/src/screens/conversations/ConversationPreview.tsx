// The pane beside the list: the selected conversation's key facts, its segments on a timeline, what was written and
// recorded (chat threads, emails in order with their text, call segments with play buttons, each segment's data
// tags), tags and comments, with the actions. A chat or an email reads in a short box here; double-clicking it (or
// its row in the list) opens it in full in place, without leaving the list. Review history shows when the
// conversation has reviews the user may read.
import { ActionIcon, Badge, Box, Button, Divider, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useConversation } from '../../api/conversations.ts';
import { useConversationHighlights } from '../../api/search.ts';
import type { ConversationDetail, ConversationSummary, Segment } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconClose } from '../../components/icons.tsx';
import { formatDuration, useTimes } from '../../format.ts';
import { CommentsSection } from './CommentsSection.tsx';
import { ConversationActions } from './ConversationActions.tsx';
import { ConversationHeading, SummaryFacts } from './ConversationSummary.tsx';
import { ChatThread } from './detail/ChatThread.tsx';
import { segmentBlocks, type SegmentBlock } from './detail/blocks.ts';
import { EmailSegment } from './detail/EmailSegment.tsx';
import { cssColor, EmptyNote, KindBadge, PRE_WRAP, Section } from './parts.tsx';
import { SegmentPlayButton } from './player/SegmentPlayback.tsx';
import { LegAgent } from './detail/MediaSegments.tsx';
import { Highlighted, HighlightProvider, useHighlights } from './search/Highlighted.tsx';
import { SegmentTimeline } from './SegmentTimeline.tsx';
import { TagsSection } from './TagsSection.tsx';
import { ReviewHistory } from '../quality/evaluations/ReviewHistory.tsx';

/** How tall a chat thread or an email body stands in the pane before it is opened in full. */
const COLLAPSED_HEIGHT = 220;

interface Props {
  id: string;
  summary?: ConversationSummary;
  onClose: () => void;
  /** The text query of the list, so its matches are marked in the messages shown here. */
  q?: string;
  /** Open the first chat thread or email in full at once (the row was double-clicked). */
  expandText?: boolean;
}

export function ConversationPreview({ id, summary, onClose, q = '', expandText = false }: Props) {
  const { t } = useTranslation();
  const detail = useConversation(id);
  const highlights = useConversationHighlights(id, q);
  const c = detail.data ?? summary;

  return (
    <HighlightProvider items={highlights.data?.items}>
      <Stack gap="md" p="md" data-testid="conversation-preview" aria-label={t('conversations.preview.title')} component="aside">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          {c ? <ConversationHeading conversation={c} order={4} /> : <Skeleton h={40} />}
          <ActionIcon variant="subtle" color="gray" onClick={onClose} aria-label={t('conversations.preview.close')}>
            <IconClose size={16} />
          </ActionIcon>
        </Group>
        <ErrorAlert error={detail.error} />
        {c && <ConversationActions conversation={c} withOpen />}
        {c && <SummaryFacts conversation={c} />}
        <Divider />
        <Section title={t('conversations.timeline.title')}>
          {detail.data ? (
            <SegmentTimeline segments={detail.data.segments} participants={detail.data.participants} timeZone={detail.data.timeZone} />
          ) : (
            <Skeleton h={48} />
          )}
        </Section>
        <Divider />
        <Section title={t('conversations.preview.content')}>
          {detail.data ? <PreviewContent conversation={detail.data} expandText={expandText} /> : <Skeleton h={96} />}
        </Section>
        <Divider />
        <ReviewHistory conversationId={id} divider />
        {c && <TagsSection conversationId={id} tags={c.tags} />}
        <Divider />
        {detail.data ? (
          <CommentsSection conversationId={id} comments={detail.data.comments} />
        ) : (
          <Section title={t('conversations.comments.title', { n: summary?.commentCount ?? 0 })}>
            <Skeleton h={48} />
          </Section>
        )}
      </Stack>
    </HighlightProvider>
  );
}

/** The segments in time order, chats joined into threads, each as its kind reads best in a narrow pane. */
export function PreviewContent({ conversation, expandText = false }: { conversation: ConversationDetail; expandText?: boolean }) {
  const { t } = useTranslation();
  const blocks = segmentBlocks(conversation.segments);
  const firstText = blocks.find((b) => b.kind === 'chat' || b.segment.kind === 'email')?.key;
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(expandText && firstText ? [firstText] : []));
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  if (blocks.length === 0) return <EmptyNote>{t('conversations.segments.none')}</EmptyNote>;
  return (
    <Stack gap="sm" data-testid="preview-content">
      {blocks.map((b) => (
        <PreviewBlock key={b.key} block={b} conversation={conversation} open={open.has(b.key)} onToggle={() => toggle(b.key)} />
      ))}
    </Stack>
  );
}

function PreviewBlock({ block, conversation, open, onToggle }: { block: SegmentBlock; conversation: ConversationDetail; open: boolean; onToggle: () => void }) {
  const conversationId = conversation.id;
  // Times in the conversation's zone (its site's) unless the user chose theirs.
  const zone = conversation.timeZone;
  const { t } = useTranslation();
  const times = useTimes();
  const segments = block.kind === 'chat' ? block.segments : [block.segment];
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const kind = block.kind === 'chat' ? 'chat' : first.kind;
  const readable = kind === 'chat' || kind === 'email';
  const durationMs = Date.parse(last.endedAt) - Date.parse(first.startedAt);
  const title = kind === 'email' ? (first.email?.subject ?? first.title) : (first.title ?? first.queue);

  let body: ReactNode = null;
  if (block.kind === 'chat') body = <ChatThread messages={block.messages} zone={zone} />;
  else if (kind === 'email') body = open ? <EmailSegment segment={first} zone={zone} /> : <EmailPreview segment={first} />;
  else if (kind === 'call')
    body = (
      <Stack gap={4}>
        {/* Each leg of a transfer names its own agent. */}
        <LegAgent segment={first} participants={conversation.participants} size="xs" />
        <SegmentPlayButton conversationId={conversationId} segmentId={first.id} />
      </Stack>
    );

  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      data-testid={`preview-${kind}`}
      data-open={readable ? open : undefined}
      // A double-click opens (or closes) a chat or an email in full, here; the selection of text it makes is dropped.
      onDoubleClick={
        readable
          ? (e) => {
              e.preventDefault();
              window.getSelection()?.removeAllRanges();
              onToggle();
            }
          : undefined
      }
      title={readable && !open ? t('conversations.preview.openHint') : undefined}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <KindBadge kind={kind} />
            {title && (
              <Text size="xs" fw={600} truncate="end" title={title}>
                {title}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={times.title(first.startedAt, zone)}>
            {times.time(first.startedAt, zone)}
            {kind === 'call' || kind === 'screen' ? ` · ${formatDuration(Math.max(0, durationMs))}` : ''}
          </Text>
        </Group>
        {body && (
          <Box
            mah={readable && !open ? COLLAPSED_HEIGHT : undefined}
            style={readable && !open ? { overflow: 'hidden', maskImage: 'linear-gradient(to bottom, black 80%, transparent)' } : undefined}
            data-testid="preview-body"
          >
            {body}
          </Box>
        )}
        <DataTags segments={segments} />
        {readable && (
          <Group justify="flex-end">
            <Button size="compact-xs" variant="subtle" onClick={onToggle} data-testid="preview-toggle">
              {open ? t('conversations.preview.collapse') : t('conversations.preview.expand')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** An email in the narrow pane: who wrote to whom, and the start of its text. */
function EmailPreview({ segment }: { segment: Segment }) {
  const highlights = useHighlights();
  const mail = segment.email;
  if (!mail) return null;
  const from = mail.from.name ?? mail.from.address;
  const to = mail.to.map((a) => a.name ?? a.address).join(', ');
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" truncate="end">
        {from} → {to || '—'}
      </Text>
      <Text size="sm" style={PRE_WRAP} data-testid="preview-email-text">
        <Highlighted text={mail.text} ranges={highlights.emailBody(segment.id)} />
      </Text>
    </Stack>
  );
}

/** The data tags (key: value) put on these segments, one chip each. */
function DataTags({ segments }: { segments: Segment[] }) {
  const tags = segments.flatMap((s) => s.dataTags.map((d) => ({ ...d, segmentId: s.id })));
  if (tags.length === 0) return null;
  return (
    <Group gap={4} data-testid="preview-data-tags">
      {tags.map((d, i) => (
        <Badge
          key={`${d.segmentId}-${d.tagId}-${d.key}-${i}`}
          variant="outline"
          radius="sm"
          tt="none"
          size="sm"
          style={{ borderColor: cssColor(d.color), maxWidth: '100%' }}
          title={`${d.name} · ${d.key}: ${d.value}`}
          data-testid="preview-data-tag"
        >
          {d.key}: {d.value}
        </Badge>
      ))}
    </Group>
  );
}
