import { Badge, Progress, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../api/types.ts';
import { formatDateTime } from '../../../format.ts';
import { EmptyRow } from '../../../components/TableStates.tsx';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'dead'] as const;

const STATUS_COLOR: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  dead: 'red',
  cancelled: 'yellow',
};

export function JobsTable({ jobs, loading }: { jobs: Job[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label={t('jobs.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('jobs.cols.type')}</Table.Th>
            <Table.Th>{t('jobs.cols.status')}</Table.Th>
            <Table.Th w={220}>{t('jobs.cols.progress')}</Table.Th>
            <Table.Th>{t('jobs.cols.attempts')}</Table.Th>
            <Table.Th>{t('jobs.cols.lastError')}</Table.Th>
            <Table.Th>{t('jobs.cols.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => {
            const pct = Math.round(Math.max(0, Math.min(1, job.progress ?? 0)) * 100);
            return (
              <Table.Tr key={job.id}>
                <Table.Td ff="monospace" fz="sm">
                  {job.type}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATUS_COLOR[job.status] ?? 'gray'}>
                    {t(`jobs.status.${job.status}`, { defaultValue: job.status })}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Progress value={pct} color={STATUS_COLOR[job.status] ?? 'blue'} animated={job.status === 'running'} aria-label={t('jobs.cols.progress')} />
                    <Text size="xs" c="dimmed">
                      {pct}%{job.progressNote ? ` · ${job.progressNote}` : ''}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {job.attempts} / {job.maxAttempts}
                </Table.Td>
                <Table.Td maw={320}>
                  {job.lastError ? (
                    <Tooltip label={job.lastError} multiline w={400}>
                      <Text size="sm" c="red.7" lineClamp={2}>
                        {job.lastError}
                      </Text>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(job.createdAt, i18n.language)}</Table.Td>
              </Table.Tr>
            );
          })}
          {!loading && jobs.length === 0 && <EmptyRow colSpan={6}>{t('jobs.empty')}</EmptyRow>}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
