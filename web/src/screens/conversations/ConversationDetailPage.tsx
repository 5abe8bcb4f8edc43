// One conversation in full: the segments as they happened (calls, chat threads, emails, screen recordings) and,
// beside them, who took part, tags, comments, custom fields, custom data and other metadata.
import { Anchor, Box, CloseButton, Grid, Group, Paper, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useConversation } from '../../api/conversations.ts';
import { useConversationHighlights } from '../../api/search.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconArrowLeft, IconSearch } from '../../components/icons.tsx';
import { CommentsSection } from './CommentsSection.tsx';
import { canPlay, ConversationActions, hasMedia } from './ConversationActions.tsx';
import { ConversationHeading, SummaryFacts } from './ConversationSummary.tsx';
import { InsightMarksProvider, PlayerSentiment } from './analytics/AnalyticsContext.tsx';
import { AnalyticsPanel } from './analytics/AnalyticsPanel.tsx';
import { AuditSection } from './detail/AuditSection.tsx';
import { ConversationArchive } from '../admin/compliance/archive/ConversationArchive.tsx';
import { CustomFieldsCard } from './detail/CustomFieldsCard.tsx';
import { CustomDataCard, MetadataCard, ParticipantsCard } from './detail/InfoCards.tsx';
import { SegmentList } from './detail/SegmentList.tsx';
import { Section } from './parts.tsx';
import { HighlightProvider } from './search/Highlighted.tsx';
import { listPath, SEARCH_PARAM } from './search/searchLinks.ts';
import { Player } from './player/Player.tsx';
import { PlayerContext, usePlayer } from './player/usePlayer.ts';
import { TranscriptPanel } from './player/transcript/TranscriptPanel.tsx';
import { SegmentTimeline } from './SegmentTimeline.tsx';
import { useCurrentUser } from '../shell/currentUser.tsx';
import { TagsSection } from './TagsSection.tsx';
import { ConversationMoments } from '../quality/moments/ConversationMoments.tsx';
import { EvaluationForm } from '../quality/evaluations/EvaluationForm.tsx';
import { evaluationMarkers, ReviewHistory } from '../quality/evaluations/ReviewHistory.tsx';
import { useEvaluation } from '../../api/evaluations.ts';

export function ConversationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { hash, state } = useLocation();
  const [params] = useSearchParams();
  const q = params.get(SEARCH_PARAM) ?? '';
  // An evaluation opened here (?evaluation=) fills the column beside the player and transcript.
  const evaluationId = params.get('evaluation');
  // Its comments at player positions are marked on the waveform beside the conversation's own.
  const evaluation = useEvaluation(evaluationId);
  const detail = useConversation(id);
  const highlights = useConversationHighlights(id, q);
  const c = detail.data;
  const hits = highlights.data?.items;
  const me = useCurrentUser();
  const player = usePlayer(c && hasMedia(c) && canPlay(me) ? id : null);

  // "Play" links here with #segments: scroll there once the segments are on the page. Opened from a search, the
  // first match is brought into view instead.
  useEffect(() => {
    if (c && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [c, hash]);
  useEffect(() => {
    if (c && hits?.length && !hash) document.querySelector('[data-testid="conversation-detail"] mark[data-search-hit]')?.scrollIntoView({ block: 'center' });
  }, [c, hits, hash]);

  return (
    <PlayerContext.Provider value={player}>
      {/* Keyed by conversation: what one conversation marked is not carried to the next. */}
      <InsightMarksProvider key={id}>
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
                        <SegmentTimeline segments={c.segments} participants={c.participants} timeZone={c.timeZone} />
                      </Section>
                      {player.conversationId && c.segments.some((s) => s.kind === 'call') && <TranscriptPanel conversationId={c.id} />}
                      <Box id="segments" style={{ scrollMarginTop: 72 }}>
                        <SegmentList conversation={c} />
                      </Box>
                    </Stack>
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, lg: 4 }}>
                    {/* Details beside the transcript, or Analytics, whose items seek the player and mark the transcript. */}
                    <Tabs
                      key={evaluationId ?? ''}
                      defaultValue={evaluationId ? 'review' : params.get('tab') === 'analytics' ? 'analytics' : 'details'}
                      keepMounted={false}
                    >
                      <Tabs.List mb="md">
                        {evaluationId && (
                          <Tabs.Tab value="review" data-testid="review-tab">
                            {t('evaluations.tab')}
                          </Tabs.Tab>
                        )}
                        <Tabs.Tab value="details">{t('conversations.detail.details')}</Tabs.Tab>
                        <Tabs.Tab value="analytics" data-testid="analytics-tab">
                          {t('analytics.tab')}
                        </Tabs.Tab>
                      </Tabs.List>
                      {evaluationId && (
                        <Tabs.Panel value="review">
                          <Paper withBorder radius="md" p="md">
                            <EvaluationForm evaluationId={evaluationId} />
                          </Paper>
                        </Tabs.Panel>
                      )}
                      <Tabs.Panel value="details">
                        <Stack gap="md">
                          <Section card title={t('conversations.detail.details')}>
                            <SummaryFacts conversation={c} detail />
                          </Section>
                          <ParticipantsCard conversation={c} />
                          <ReviewHistory card conversationId={c.id} />
                          <TagsSection card conversationId={c.id} tags={c.tags} />
                          <ConversationMoments card conversationId={c.id} hasCall={c.segments.some((s) => s.kind === 'call')} />
                          <CommentsSection card conversationId={c.id} comments={c.comments} />
                          <CustomFieldsCard conversationId={c.id} values={c.customFieldValues} />
                          <CustomDataCard data={c.customData} />
                          <MetadataCard conversation={c} />
                          <ConversationArchive conversationId={c.id} hasMedia={c.segments.some((s) => s.kind === 'call' || s.kind === 'screen')} />
                          <AuditSection conversationId={c.id} />
                        </Stack>
                      </Tabs.Panel>
                      <Tabs.Panel value="analytics">
                        <Paper withBorder radius="md" p="md">
                          <AnalyticsPanel conversation={c} />
                        </Paper>
                      </Tabs.Panel>
                    </Tabs>
                  </Grid.Col>
                </Grid>
                {player.conversationId && (
                  <Player
                    player={player}
                    comments={[...c.comments, ...evaluationMarkers(evaluation.data)]}
                    sticky
                    below={<PlayerSentiment conversationId={c.id} />}
                  />
                )}
              </>
            )}
          </Stack>
        </HighlightProvider>
      </InsightMarksProvider>
    </PlayerContext.Provider>
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
