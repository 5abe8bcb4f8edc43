// One conversation in full: the segments as they happened (calls, chat threads, emails, screen recordings) and,
// beside them, who took part, tags, comments, custom fields, custom data and other metadata.
import { Anchor, Box, CloseButton, Grid, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useConversation } from '../../api/conversations.ts';
import { useConversationHighlights } from '../../api/search.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconArrowLeft, IconPlay, IconSearch } from '../../components/icons.tsx';
import { CommentsSection } from './CommentsSection.tsx';
import { ConversationActions, hasMedia } from './ConversationActions.tsx';
import { ConversationHeading, SummaryFacts } from './ConversationSummary.tsx';
import { CustomFieldsCard } from './detail/CustomFieldsCard.tsx';
import { CustomDataCard, MetadataCard, ParticipantsCard } from './detail/InfoCards.tsx';
import { SegmentList } from './detail/SegmentList.tsx';
import { Section } from './parts.tsx';
import { HighlightProvider } from './search/Highlighted.tsx';
import { listPath, SEARCH_PARAM } from './search/searchLinks.ts';
import { SegmentTimeline } from './SegmentTimeline.tsx';
import { TagsSection } from './TagsSection.tsx';

export function ConversationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { hash, state } = useLocation();
  const [params] = useSearchParams();
  const q = params.get(SEARCH_PARAM) ?? '';
  const detail = useConversation(id);
  const highlights = useConversationHighlights(id, q);
  const c = detail.data;
  const hits = highlights.data?.items;

  // "Play" links here with #segments: scroll there once the segments are on the page. Opened from a search, the
  // first match is brought into view instead.
  useEffect(() => {
    if (c && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [c, hash]);
  useEffect(() => {
    if (c && hits?.length && !hash) document.querySelector('[data-testid="conversation-detail"] mark[data-search-hit]')?.scrollIntoView({ block: 'center' });
  }, [c, hits, hash]);

  return (
    <HighlightProvider items={hits}>
      <Stack gap="md" data-testid="conversation-detail">
        <Anchor component={Link} to={listPath(id, state)} size="sm" w="fit-content">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('conversations.detail.back')}
          </Group>
        </Anchor>
        <ErrorAlert error={detail.error} />
        {q.trim() && <SearchMatchesBar q={q} count={highlights.isError ? 0 : hits?.reduce((n, h) => n + h.ranges.length, 0)} />}
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
    </HighlightProvider>
  );
}

/** Opened from a search: the query, how many matches are marked, and a way to stop marking them. */
function SearchMatchesBar({ q, count }: { q: string; count: number | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname, hash, state } = useLocation();
  return (
    <Paper withBorder radius="md" px="md" py={6} bg="yellow.0" data-testid="search-matches">
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
          <IconSearch size={14} />
          <Text size="sm" truncate="end">
            {count === undefined
              ? t('search.detail.searching', { q })
              : count === 1
                ? t('search.detail.matchOne', { q })
                : t('search.detail.matches', { q, n: count })}
          </Text>
        </Group>
        <CloseButton size="sm" aria-label={t('search.detail.clear')} onClick={() => navigate(`${pathname}${hash}`, { replace: true, state })} />
      </Group>
    </Paper>
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
