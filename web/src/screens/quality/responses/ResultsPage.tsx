// Quality → My results: the agent's evaluated interactions (by others), to acknowledge or dispute with a reason; the
// answer to a dispute (re-affirmed with a comment, or re-evaluated) shows under the result. A link from an e-mail
// (?evaluation=…) marks its row.
import { Alert, Anchor, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAcknowledge, useDispute, useResults, type Result } from '../../../api/responses.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { useTimes } from '../../../format.ts';
import { evaluationPath, useScrollToMarked } from '../evaluations/links.ts';
import { ScoreCell } from '../evaluations/ScoreText.tsx';
import { ResponseBadge } from './ResponseBadge.tsx';
import { TextModal } from './TextModal.tsx';

type State = 'pending' | 'all';

export function ResultsPage() {
  const { t } = useTranslation();
  const times = useTimes();
  const [params, setParams] = useSearchParams();
  const marked = params.get('evaluation');
  const state: State = params.get('state') === 'all' || (marked && params.get('state') !== 'pending') ? 'all' : 'pending';
  const results = useResults(state);
  const acknowledge = useAcknowledge();
  const dispute = useDispute();
  const [acking, setAcking] = useState<Result | null>(null);
  const [disputing, setDisputing] = useState<Result | null>(null);
  const items = results.data?.items ?? [];

  useScrollToMarked(marked, Boolean(marked && items.some((i) => i.id === marked)));

  return (
    <Stack gap="md" data-testid="quality-results">
      {results.data?.requireAcknowledgement && (
        <Alert variant="light" color="blue" data-testid="ack-required">
          {results.data.autoAcknowledgeDays > 0 ? t('responses.requiredWithDelay', { count: results.data.autoAcknowledgeDays }) : t('responses.required')}
        </Alert>
      )}
      <SegmentedControl
        w="fit-content"
        value={state}
        onChange={(v) => setParams({ state: v }, { replace: true })}
        data={[
          { value: 'pending', label: t('responses.pending') },
          { value: 'all', label: t('responses.all') },
        ]}
        data-testid="results-state"
      />
      <ErrorAlert error={results.error} />
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('evaluations.cols.conversation')}</Table.Th>
            <Table.Th>{t('evaluations.cols.evaluator')}</Table.Th>
            <Table.Th>{t('evaluations.cols.scorecard')}</Table.Th>
            <Table.Th>{t('evaluations.cols.score')}</Table.Th>
            <Table.Th>{t('responses.cols.response')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {results.isPending && <SkeletonRows rows={3} columns={6} />}
          {!results.isPending && items.length === 0 && <EmptyRow colSpan={6}>{t(`responses.empty.${state}`)}</EmptyRow>}
          {items.map((r) => (
            <Table.Tr key={r.id} data-testid="result-row" data-evaluation={r.id} bg={r.id === marked ? 'var(--mantine-color-yellow-light)' : undefined}>
              <Table.Td>
                <Anchor component={Link} to={evaluationPath(r)} size="sm">
                  {r.conversation.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {times.dateTime(r.conversation.startedAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.evaluator.name}</Text>
                <Text size="xs" c="dimmed">
                  {r.submittedAt ? times.dateTime(r.submittedAt) : ''}
                  {r.revision > 1 ? ` · ${t('responses.revision', { n: r.revision })}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{r.scorecard.name}</Table.Td>
              <Table.Td>
                <ScoreCell score={r.score} maxScore={r.maxScore} percent={r.percent} passed={r.passed} />
                {r.autoFailReason && (
                  <Text size="xs" c="red">
                    {r.autoFailReason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <ResponseBadge status={r.responseStatus} auto={r.autoAcknowledged} />
                {r.dispute && <DisputeNote d={r.dispute} />}
                {r.autoAcknowledgeAt && (
                  <Text size="xs" c="dimmed" data-testid="auto-ack-at">
                    {t('responses.autoAckOn', { date: times.dateTime(r.autoAcknowledgeAt) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {r.can.acknowledge && (
                    <Button size="xs" onClick={() => (acknowledge.reset(), setAcking(r))} data-testid="acknowledge">
                      {t('responses.acknowledge')}
                    </Button>
                  )}
                  {r.can.dispute && (
                    <Button size="xs" variant="default" color="orange" onClick={() => (dispute.reset(), setDisputing(r))} data-testid="dispute">
                      {t('responses.dispute')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <TextModal
        opened={acking !== null}
        title={t('responses.acknowledgeTitle')}
        intro={acking ? t('responses.acknowledgeIntro', { title: acking.conversation.title }) : undefined}
        label={t('responses.acknowledgeComment')}
        required={false}
        submitLabel={t('responses.acknowledge')}
        pending={acknowledge.isPending}
        error={acknowledge.error}
        onClose={() => setAcking(null)}
        onSubmit={(comment) => acking && acknowledge.mutate({ id: acking.id, comment: comment || undefined }, { onSuccess: () => setAcking(null) })}
        testId="acknowledge-modal"
      />
      <TextModal
        opened={disputing !== null}
        title={t('responses.disputeTitle')}
        intro={disputing ? t('responses.disputeIntro', { title: disputing.conversation.title }) : undefined}
        label={t('responses.disputeReason')}
        required
        submitLabel={t('responses.dispute')}
        pending={dispute.isPending}
        error={dispute.error}
        onClose={() => setDisputing(null)}
        onSubmit={(reason) => disputing && dispute.mutate({ id: disputing.id, reason }, { onSuccess: () => setDisputing(null) })}
        testId="dispute-modal"
      />
    </Stack>
  );
}

function DisputeNote({ d }: { d: NonNullable<Result['dispute']> }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0} mt={4}>
      <Text size="xs" c="dimmed" lineClamp={2} title={d.reason}>
        {t('responses.yourReason', { reason: d.reason })}
      </Text>
      {d.outcome === 'reaffirmed' && d.resolutionComment && (
        <Text size="xs" lineClamp={3} title={d.resolutionComment} data-testid="reaffirm-comment">
          {t('responses.reaffirmedBecause', { comment: d.resolutionComment })}
        </Text>
      )}
      {d.outcome === 'reevaluated' && <Text size="xs">{t('responses.reevaluatedNote')}</Text>}
    </Stack>
  );
}
