// Quality → Calibrations: the sessions I run or score in (and, for calibration managers, those on conversations
// they see), and a form to start one. A session compares several evaluators scoring the same conversation.
import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useCalibrations, type CalibrationStatusFilter, type CalibrationSummary } from '../../../api/calibrations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { useTimes } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { NewCalibrationModal } from './NewCalibrationModal.tsx';

const FILTERS: CalibrationStatusFilter[] = ['open', 'closed', 'all'];

export const calibrationPath = (id: string) => `/quality/calibrations/${encodeURIComponent(id)}`;

export function CalibrationsPage() {
  const { t } = useTranslation();
  const times = useTimes();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<CalibrationStatusFilter>('open');
  // ?conversation=<id> (the conversation page's "Calibrate" link) opens the form for that conversation.
  const preset = params.get('conversation');
  const [creating, setCreating] = useState(Boolean(preset));
  const list = useCalibrations(status);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md" data-testid="calibrations-page">
      <Group justify="space-between">
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as CalibrationStatusFilter)}
          data={FILTERS.map((f) => ({ value: f, label: t(`calibrations.filter.${f}`) }))}
          aria-label={t('calibrations.filter.label')}
        />
        {can(me, 'quality.calibrate') && (
          <Button leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)} data-testid="new-calibration">
            {t('calibrations.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('calibrations.intro')}
      </Text>
      <ErrorAlert error={list.error} />
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('calibrations.col.name')}</Table.Th>
            <Table.Th>{t('calibrations.col.conversation')}</Table.Th>
            <Table.Th>{t('calibrations.col.agent')}</Table.Th>
            <Table.Th>{t('calibrations.col.scorecard')}</Table.Th>
            <Table.Th>{t('calibrations.col.progress')}</Table.Th>
            <Table.Th>{t('calibrations.col.due')}</Table.Th>
            <Table.Th>{t('calibrations.col.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.isPending && <SkeletonRows rows={3} columns={7} />}
          {!list.isPending && items.length === 0 && <EmptyRow colSpan={7}>{t('calibrations.empty')}</EmptyRow>}
          {items.map((c) => (
            <Row
              key={c.id}
              c={c}
              due={c.dueAt ? times.dateTime(c.dueAt, null, 'compact') : '—'}
              started={times.dateTime(c.conversation.startedAt, null, 'compact')}
            />
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} w="fit-content">
          {t('calibrations.more')}
        </Button>
      )}
      {creating && (
        <NewCalibrationModal
          conversationId={preset ?? ''}
          onClose={() => {
            setCreating(false);
            if (preset) setParams({}, { replace: true });
          }}
        />
      )}
    </Stack>
  );
}

function Row({ c, due, started }: { c: CalibrationSummary; due: string; started: string }) {
  const { t } = useTranslation();
  const overdue = c.status === 'open' && c.dueAt && Date.parse(c.dueAt) < Date.now() && c.submitted < c.evaluators;
  return (
    <Table.Tr data-testid={`calibration-row-${c.id}`}>
      <Table.Td>
        <Anchor component={Link} to={calibrationPath(c.id)} size="sm" fw={500}>
          {c.name}
        </Anchor>
        {c.myStatus && (
          <Badge ml={6} size="xs" variant="light" color={c.myStatus === 'submitted' ? 'teal' : 'blue'}>
            {t(`calibrations.myStatus.${c.myStatus}`)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/conversations/${encodeURIComponent(c.conversation.id)}`} size="sm">
          {c.conversation.title || t('calibrations.untitled')}
        </Anchor>
        <Text size="xs" c="dimmed">
          {started}
        </Text>
      </Table.Td>
      <Table.Td>{c.agent.name ?? '—'}</Table.Td>
      <Table.Td>{c.scorecard.name}</Table.Td>
      <Table.Td>{t('calibrations.progress', { done: c.submitted, total: c.evaluators })}</Table.Td>
      <Table.Td c={overdue ? 'red' : undefined}>{due}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={c.status === 'open' ? 'blue' : 'gray'}>
          {t(`calibrations.status.${c.status}`)}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}
