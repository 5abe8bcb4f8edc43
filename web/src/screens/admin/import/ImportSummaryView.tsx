// The outcome of an import, worded as `earshot import` prints it: imported / skipped / failed, the skip reasons,
// the notes and each failure with its file.
import { Alert, Badge, Group, List, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportRun } from '../../../api/imports.ts';
import { formatDuration } from '../../../format.ts';

const STATUS_COLOR: Record<ImportRun['status'], string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red' };

export function ImportStatusBadge({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  const color = run.status === 'done' && run.summary?.failed ? 'orange' : STATUS_COLOR[run.status];
  return (
    <Badge variant="light" color={color} data-testid="import-status">
      {t(`import.status.${run.status}`)}
    </Badge>
  );
}

/** Job progress: items done of total and the file being read (before the tree is counted: indeterminate). */
export function ImportProgress({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  const pct = run.total ? Math.round((run.done * 100) / run.total) : 0;
  return (
    <Stack gap={4} data-testid="import-progress">
      <Progress value={run.total ? pct : 100} animated striped={!run.total} aria-label={t('import.progress.job')} />
      <Text size="sm" c="dimmed">
        {run.status === 'queued'
          ? t('import.progress.queued')
          : run.total == null
            ? t('import.progress.counting')
            : t('import.progress.items', { done: run.done, total: run.total })}
        {run.currentLabel ? ` · ${run.currentLabel}` : ''}
      </Text>
      {run.error && (
        <Text size="sm" c="orange.8">
          {run.error}
        </Text>
      )}
    </Stack>
  );
}

export function ImportSummaryView({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  if (run.status === 'failed')
    return (
      <Alert color="red" variant="light" role="alert" title={t('import.summary.failedTitle')} data-testid="import-summary">
        {run.error}
      </Alert>
    );
  const s = run.summary;
  if (!s) return null;
  const counts = { imported: s.imported, skipped: s.skipped, failed: s.failed, total: s.total, took: formatDuration(s.elapsedMs) };
  const reasons = Object.entries(s.skippedByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <Stack gap="sm" data-testid="import-summary">
      <Group gap="xs">
        <Text fw={600}>{s.dryRun ? t('import.summary.dryRun', counts) : t('import.summary.line', counts)}</Text>
        <Badge variant="light" color="gray">
          {t(`import.format.${s.format}`)}
        </Badge>
      </Group>
      {reasons.length > 0 && (
        <div>
          <Text size="sm" fw={500}>
            {t('import.summary.skipped')}
          </Text>
          <List size="sm">
            {reasons.map(([reason, n]) => (
              <List.Item key={reason}>
                {n} × {reason}
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {s.notes.length > 0 && (
        <div>
          <Text size="sm" fw={500}>
            {t('import.summary.notes')}
          </Text>
          <List size="sm">
            {s.notes.map((n, i) => (
              <List.Item key={i}>
                <Text span ff="monospace" fz="xs">
                  {n.file}
                </Text>
                : {n.note}
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {s.failures.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label={t('import.summary.failures')} data-testid="import-failures">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="40%">{t('import.summary.file')}</Table.Th>
                <Table.Th>{t('import.summary.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.failures.map((f, i) => (
                <Table.Tr key={i}>
                  <Table.Td ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                    {f.file}
                  </Table.Td>
                  <Table.Td fz="sm">{f.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
