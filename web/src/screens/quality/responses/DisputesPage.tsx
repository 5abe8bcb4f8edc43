// Quality → Disputes: the disputes of evaluations I made, or (managers) of agents in my scope. Open ones first, oldest
// first; each can be re-affirmed with a comment for the agent, or re-evaluated in the evaluation form (a new revision).
import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useDisputes, useReaffirm, type Dispute } from '../../../api/responses.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { useTimes } from '../../../format.ts';
import { evaluationPath, useScrollToMarked } from '../evaluations/links.ts';
import { ScoreCell } from '../evaluations/ScoreText.tsx';
import { TextModal } from './TextModal.tsx';

type State = 'open' | 'resolved' | 'all';
const STATES: State[] = ['open', 'resolved', 'all'];

export function DisputesPage() {
  const { t } = useTranslation();
  const times = useTimes();
  const [params, setParams] = useSearchParams();
  const marked = params.get('evaluation');
  const state: State = (STATES as string[]).includes(params.get('state') ?? '') ? (params.get('state') as State) : 'open';
  const disputes = useDisputes(state);
  const reaffirm = useReaffirm();
  const [answering, setAnswering] = useState<Dispute | null>(null);
  const items = disputes.data?.items ?? [];

  useScrollToMarked(marked, Boolean(marked && items.some((i) => i.evaluationId === marked)));

  return (
    <Stack gap="md" data-testid="quality-disputes">
      <SegmentedControl
        w="fit-content"
        value={state}
        onChange={(v) => setParams({ state: v }, { replace: true })}
        data={STATES.map((s) => ({ value: s, label: t(`responses.disputes.${s}`) }))}
        data-testid="disputes-state"
      />
      <ErrorAlert error={disputes.error} />
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('evaluations.cols.conversation')}</Table.Th>
            <Table.Th>{t('evaluations.cols.agent')}</Table.Th>
            <Table.Th>{t('evaluations.cols.evaluator')}</Table.Th>
            <Table.Th>{t('evaluations.cols.score')}</Table.Th>
            <Table.Th>{t('responses.cols.reason')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {disputes.isPending && <SkeletonRows rows={3} columns={6} />}
          {!disputes.isPending && items.length === 0 && <EmptyRow colSpan={6}>{t(`responses.disputes.empty.${state}`)}</EmptyRow>}
          {items.map((d) => (
            <Table.Tr
              key={d.id}
              data-testid="dispute-row"
              data-evaluation={d.evaluationId}
              bg={d.evaluationId === marked ? 'var(--mantine-color-yellow-light)' : undefined}
            >
              <Table.Td>
                <Anchor component={Link} to={evaluationPath({ id: d.evaluationId, conversation: d.conversation })} size="sm">
                  {d.conversation.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {d.scorecard.name}
                </Text>
              </Table.Td>
              <Table.Td>{d.agent.name}</Table.Td>
              <Table.Td>{d.evaluator.name}</Table.Td>
              <Table.Td>
                <ScoreCell score={d.score} maxScore={d.maxScore} percent={d.percent} passed={d.passed} />
              </Table.Td>
              <Table.Td maw={360}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="dispute-reason">
                  {d.reason}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('responses.disputes.raised', { date: times.dateTime(d.raisedAt), n: d.revision })}
                </Text>
                {d.outcome && (
                  <Text size="xs" mt={4} data-testid="dispute-outcome">
                    {t(`responses.disputes.outcome.${d.outcome}`, { name: d.resolvedBy?.name ?? '', date: d.resolvedAt ? times.dateTime(d.resolvedAt) : '' })}
                    {d.resolutionComment ? ` — ${d.resolutionComment}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {d.can.reaffirm && (
                    <Button size="xs" variant="default" onClick={() => (reaffirm.reset(), setAnswering(d))} data-testid="reaffirm">
                      {t('responses.reaffirm')}
                    </Button>
                  )}
                  {d.can.reevaluate && (
                    <Button size="xs" component={Link} to={evaluationPath({ id: d.evaluationId, conversation: d.conversation })} data-testid="reevaluate">
                      {t('responses.reevaluate')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <TextModal
        opened={answering !== null}
        title={t('responses.reaffirmTitle')}
        intro={answering ? t('responses.reaffirmIntro', { name: answering.agent.name }) : undefined}
        label={t('responses.reaffirmComment')}
        required
        submitLabel={t('responses.reaffirm')}
        pending={reaffirm.isPending}
        error={reaffirm.error}
        onClose={() => setAnswering(null)}
        onSubmit={(comment) => answering && reaffirm.mutate({ id: answering.evaluationId, comment }, { onSuccess: () => setAnswering(null) })}
        testId="reaffirm-modal"
      />
    </Stack>
  );
}
