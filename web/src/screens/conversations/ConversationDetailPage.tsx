// One conversation in full: the segments as they happened (calls, chat threads, emails, screen recordings) and,
// beside them, who took part, tags, comments, custom fields, custom data and other metadata.
import { Anchor, Box, Grid, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useConversation } from '../../api/conversations.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconArrowLeft, IconPlay } from '../../components/icons.tsx';
import { CommentsSection } from './CommentsSection.tsx';
import { ConversationActions, hasMedia } from './ConversationActions.tsx';
import { ConversationHeading, SummaryFacts } from './ConversationSummary.tsx';
import { CustomFieldsCard } from './detail/CustomFieldsCard.tsx';
import { CustomDataCard, MetadataCard, ParticipantsCard } from './detail/InfoCards.tsx';
import { SegmentList } from './detail/SegmentList.tsx';
import { Section } from './parts.tsx';
import { SegmentTimeline } from './SegmentTimeline.tsx';
import { TagsSection } from './TagsSection.tsx';

export function ConversationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { hash } = useLocation();
  const detail = useConversation(id);
  const c = detail.data;

  // "Play" links here with #segments: scroll there once the segments are on the page.
  useEffect(() => {
    if (c && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [c, hash]);

  return (
    <Stack gap="md" data-testid="conversation-detail">
      <Anchor component={Link} to={`/conversations?c=${encodeURIComponent(id)}`} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('conversations.detail.back')}
        </Group>
      </Anchor>
      <ErrorAlert error={detail.error} />
      {detail.isPending && <Skeleton h={96} radius="md" />}
      {c && (
        <>
          <Paper withBorder radius="md" p="md">
            <Stack gap="sm">
              <ConversationHeading conversation={c} order={2} />
              <ConversationActions conversation={c} />
            </Stack>
          </Paper>
          <Grid gap="md" align="flex-start">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack gap="md">
                <Section card title={t('conversations.timeline.title')}>
                  <SegmentTimeline segments={c.segments} />
                </Section>
                <Box id="segments" style={{ scrollMarginTop: 72 }}>
                  <SegmentList conversation={c} />
                </Box>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Stack gap="md">
                <Section card title={t('conversations.detail.details')}>
                  <SummaryFacts conversation={c} detail />
                </Section>
                <ParticipantsCard conversation={c} />
                <TagsSection card conversationId={c.id} tags={c.tags} />
                <CommentsSection card conversationId={c.id} comments={c.comments} />
                <CustomFieldsCard conversationId={c.id} values={c.customFieldValues} />
                <CustomDataCard data={c.customData} />
                <MetadataCard conversation={c} />
              </Stack>
            </Grid.Col>
          </Grid>
          {hasMedia(c) && <PlayerPlaceholder />}
        </>
      )}
    </Stack>
  );
}

/** Where the interaction player will sit (bottom of the screen, as in the design); until then it says where to play. */
function PlayerPlaceholder() {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      radius="md"
      px="md"
      py="xs"
      pos="sticky"
      bottom={8}
      shadow="sm"
      bg="gray.0"
      style={{ zIndex: 2, borderStyle: 'dashed' }}
      data-testid="player-placeholder"
    >
      <Group gap="sm" wrap="nowrap">
        <IconPlay size={16} />
        <Text size="sm" fw={600}>
          {t('conversations.player.title')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('conversations.player.placeholder')}
        </Text>
      </Group>
    </Paper>
  );
}
