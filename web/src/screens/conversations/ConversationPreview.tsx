// The pane beside the list: the selected conversation's key facts, its segments on a timeline, review history,
// tags and comments, with the actions.
import { ActionIcon, Divider, Group, Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConversation } from '../../api/conversations.ts';
import type { ConversationSummary } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconClose } from '../../components/icons.tsx';
import { CommentsSection } from './CommentsSection.tsx';
import { ConversationActions } from './ConversationActions.tsx';
import { ConversationHeading, SummaryFacts } from './ConversationSummary.tsx';
import { EmptyNote, Section } from './parts.tsx';
import { PreviewRecordings } from './player/SegmentPlayback.tsx';
import { SegmentTimeline } from './SegmentTimeline.tsx';
import { TagsSection } from './TagsSection.tsx';

export function ConversationPreview({ id, summary, onClose }: { id: string; summary?: ConversationSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useConversation(id);
  const c = detail.data ?? summary;

  return (
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
        <Stack gap="sm">
          {detail.data ? <SegmentTimeline segments={detail.data.segments} /> : <Skeleton h={48} />}
          <PreviewRecordings conversationId={id} />
        </Stack>
      </Section>
      <Divider />
      <Section title={t('conversations.reviews.title')}>
        <EmptyNote>{t('conversations.reviews.none')}</EmptyNote>
      </Section>
      <Divider />
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
  );
}
