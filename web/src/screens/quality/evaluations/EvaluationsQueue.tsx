// Quality → My evaluations (the evaluations I perform: to do, overdue, done) and Team evaluations (managers: every
// evaluation of the agents in their scope). A row opens the evaluation beside its conversation's player.
import { Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useEvaluationList, useScorecardChoices, type ListQuery } from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { useTimes } from '../../../format.ts';
import { AgentPicker } from '../../conversations/search/editors/AgentPicker.tsx';
import { evaluationPath } from './links.ts';
import { ScoreCell } from './ScoreText.tsx';

type State = NonNullable<ListQuery['state']>;
const STATES: State[] = ['todo', 'overdue', 'done', 'all'];

export function MyEvaluationsPage() {
  return <EvaluationsQueue queue="mine" />;
}

export function TeamEvaluationsPage() {
  return <EvaluationsQueue queue="team" />;
}

export function EvaluationsQueue({ queue }: { queue: 'mine' | 'team' }) {
  const { t } = useTranslation();
  const times = useTimes();
  const [params, setParams] = useSearchParams();
  const state = (STATES as string[]).includes(params.get('state') ?? '') ? (params.get('state') as State) : queue === 'mine' ? 'todo' : 'all';
  const [limit] = useState(50);
  // Agent and scorecard narrow the queue; kept in the address with the state.
  const agentId = params.get('agent') ?? undefined;
  const scorecardId = params.get('scorecard') ?? undefined;
  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const scorecards = useScorecardChoices();
  const list = useEvaluationList({ queue, state, limit, agentId, scorecardId });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns = queue === 'team' ? 7 : 6;

  return (
    <Stack gap="md" data-testid={`evaluations-${queue}`}>
      <Group justify="space-between" align="flex-end">
        <SegmentedControl
          value={state}
          onChange={(v) => setParam('state', v)}
          data={STATES.map((s) => ({ value: s, label: t(`evaluations.queue.${s}`) }))}
          data-testid="evaluations-state"
        />
        <Group gap="sm" align="flex-end">
          {queue === 'team' && <AgentPicker label={t('evaluations.cols.agent')} value={agentId ?? null} onChange={(id) => setParam('agent', id)} />}
          <Select
            label={t('evaluations.cols.scorecard')}
            placeholder={t('evaluations.queue.anyScorecard')}
            data={(scorecards.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={scorecardId ?? null}
            onChange={(v) => setParam('scorecard', v)}
            clearable
            searchable
            data-testid="evaluations-scorecard"
          />
        </Group>
      </Group>
      <ErrorAlert error={list.error} />
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('evaluations.cols.conversation')}</Table.Th>
            <Table.Th>{t('evaluations.cols.agent')}</Table.Th>
            {queue === 'team' && <Table.Th>{t('evaluations.cols.evaluator')}</Table.Th>}
            <Table.Th>{t('evaluations.cols.scorecard')}</Table.Th>
            <Table.Th>{t('evaluations.cols.status')}</Table.Th>
            <Table.Th>{t('evaluations.cols.due')}</Table.Th>
            <Table.Th>{t('evaluations.cols.score')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.isPending && <SkeletonRows rows={4} columns={columns} />}
          {!list.isPending && items.length === 0 && <EmptyRow colSpan={columns}>{t(`evaluations.queue.empty.${state}`)}</EmptyRow>}
          {items.map((e) => (
            <Table.Tr key={e.id} data-testid="evaluation-row">
              <Table.Td>
                <Anchor component={Link} to={evaluationPath(e)} size="sm">
                  {e.conversation.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {times.dateTime(e.conversation.startedAt)}
                </Text>
              </Table.Td>
              <Table.Td>{e.agent.name}</Table.Td>
              {queue === 'team' && <Table.Td>{e.evaluator.name}</Table.Td>}
              <Table.Td>{`${e.scorecard.name} v${e.scorecard.version}`}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={e.status === 'submitted' ? 'green' : e.overdue ? 'red' : e.status === 'draft' ? 'blue' : 'gray'}>
                  {e.overdue ? t('evaluations.status.overdue') : t(`evaluations.status.${e.status}`)}
                </Badge>
                {e.responseStatus !== 'none' && (
                  <Text size="xs" c="dimmed">
                    {t(`evaluations.response.${e.responseStatus}`)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{e.dueAt ? times.dateTime(e.dueAt) : '—'}</Table.Td>
              <Table.Td>
                <ScoreCell score={e.score} maxScore={e.maxScore} percent={e.percent} passed={e.passed} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
