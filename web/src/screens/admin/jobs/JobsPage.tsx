import { Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { JOBS_REFRESH_MS, useJobs } from '../../../api/system.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatTime } from '../../../format.ts';
import { JOB_STATUSES, JobsTable } from './JobsTable.tsx';

export function JobsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  // ?type= preselects a job type (the settings page links here after starting a reindex).
  const [params] = useSearchParams();
  const [type, setType] = useState(params.get('type') ?? '');
  const [debouncedType] = useDebouncedValue(type.trim(), 300);
  const jobs = useJobs(status ?? '', debouncedType);

  return (
    <>
      <PageHeader title={t('jobs.title')} description={t('jobs.description', { seconds: JOBS_REFRESH_MS / 1000 })} />
      <Paper withBorder radius="md">
        <Group p="md" justify="space-between">
          <Group>
            <Select
              placeholder={t('jobs.anyStatus')}
              aria-label={t('jobs.cols.status')}
              data={JOB_STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) }))}
              value={status}
              onChange={setStatus}
              clearable
              w={200}
            />
            <TextInput
              placeholder={t('jobs.typeFilter')}
              aria-label={t('jobs.cols.type')}
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              w={220}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {jobs.dataUpdatedAt ? t('jobs.updated', { time: formatTime(new Date(jobs.dataUpdatedAt).toISOString(), i18n.language, true) }) : ''}
          </Text>
        </Group>
        <ErrorAlert error={jobs.error} />
        <JobsTable jobs={jobs.data?.items ?? []} loading={jobs.isPending} />
      </Paper>
    </>
  );
}
