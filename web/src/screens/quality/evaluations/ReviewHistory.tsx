// A conversation's reviews (the preview pane and the detail page): who reviewed whom with which scorecard, the state,
// the score and pass/fail; each opens the evaluation beside the player.
import { Anchor, Badge, Divider, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { useConversationEvaluations, type Evaluation } from '../../../api/evaluations.ts';
import type { ConversationSummary } from '../../../api/types.ts';
import type { ConversationComment } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useTimes } from '../../../format.ts';
import { Section } from '../../conversations/parts.tsx';
import { ScoreText } from './ScoreText.tsx';
import { evaluationPath } from './links.ts';

/** Shown only when the conversation has reviews the user may read (with a divider after it in the preview pane). */
export function ReviewHistory({ conversationId, card, divider }: { conversationId: string; card?: boolean; divider?: boolean }) {
  const { t } = useTranslation();
  const times = useTimes();
  const list = useConversationEvaluations(conversationId);
  const items = list.data?.items ?? [];
  // A conversation gone meanwhile (404) says so elsewhere on the page; other failures show here.
  if (list.error) return list.error instanceof ApiError && list.error.status === 404 ? null : <ErrorAlert error={list.error} />;
  if (!items.length) return null;
  return (
    <>
      <Section card={card} title={t('conversations.reviews.title')}>
        <Stack gap={6} data-testid="review-history">
          {items.map((e) => (
            <Group key={e.id} justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={evaluationPath(e)} size="sm">
                  {`${e.scorecard.name} v${e.scorecard.version}`}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t('evaluations.history.line', {
                    agent: e.agent.name,
                    evaluator: e.evaluator.name,
                    date: times.dateTime(e.submittedAt ?? e.dueAt ?? e.createdAt),
                  })}
                </Text>
              </div>
              {e.status === 'submitted' && e.score !== null && e.maxScore !== null && e.percent !== null ? (
                <Group gap={4} wrap="nowrap">
                  <Text size="sm">
                    <ScoreText score={e.score} maxScore={e.maxScore} percent={e.percent} />
                  </Text>
                  {e.passed !== null && (
                    <Badge size="xs" color={e.passed ? 'green' : 'red'}>
                      {e.passed ? t('evaluations.passed') : t('evaluations.failed')}
                    </Badge>
                  )}
                </Group>
              ) : (
                <Badge size="xs" variant="light" color={e.overdue ? 'red' : 'gray'}>
                  {e.overdue ? t('evaluations.status.overdue') : t(`evaluations.status.${e.status}`)}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      </Section>
      {divider && <Divider />}
    </>
  );
}

/** The list's Reviewed cell: the latest score the user may read with pass/fail, else whether it was reviewed. */
export function ReviewedCell({ review }: { review: ConversationSummary['review'] | undefined }) {
  const { t } = useTranslation();
  if (!review) return null;
  const l = review.latest;
  if (l)
    return (
      <Group gap={4} wrap="nowrap" data-testid="reviewed-cell">
        <Text size="xs">{`${l.percent} %`}</Text>
        {l.passed !== null && (
          <Badge size="xs" color={l.passed ? 'green' : 'red'} title={l.autoFailed ? t('evaluations.autoFailedShort') : undefined}>
            {l.passed ? t('evaluations.passed') : t('evaluations.failed')}
          </Badge>
        )}
      </Group>
    );
  return review.reviewedAt ? (
    <Badge size="xs" variant="light" color="green" data-testid="reviewed-cell">
      {t('evaluations.reviewed')}
    </Badge>
  ) : null;
}

/** An evaluation's comments at player positions, as the player's comment markers read them (the waveform shows them). */
export function evaluationMarkers(e: Evaluation | undefined): ConversationComment[] {
  return (e?.comments ?? [])
    .filter((c) => c.positionMs !== null)
    .map((c) => ({
      id: `evaluation-${c.id}`,
      authorId: c.author.id,
      authorName: c.author.name,
      text: c.body,
      offsetMs: c.positionMs,
      pinned: false,
      visibility: 'evaluation',
      mentions: [],
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
      edited: false,
    }));
}
