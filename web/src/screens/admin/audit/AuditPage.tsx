import { Button, Group, Paper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAudit } from '../../../api/system.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { AuditFilterBar, EMPTY_FILTERS, toQuery, type AuditFilterState } from './AuditFilterBar.tsx';
import { AuditTable } from './AuditTable.tsx';
import { VerifyChain } from './VerifyChain.tsx';

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilterState>(EMPTY_FILTERS);
  const [debounced] = useDebouncedValue(filters, 300);
  const query = useMemo(() => toQuery(debounced), [debounced]);
  const audit = useAudit(query);
  const events = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} actions={<VerifyChain />} />
      <Paper withBorder radius="md">
        <AuditFilterBar value={filters} onChange={setFilters} />
        <ErrorAlert error={audit.error} />
        <AuditTable events={events} loading={audit.isPending} />
        <Group justify="space-between" p="md">
          <Text size="sm" c="dimmed">
            {t('audit.shown', { n: events.length })}
          </Text>
          {audit.hasNextPage && (
            <Button variant="default" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          )}
        </Group>
      </Paper>
    </>
  );
}
