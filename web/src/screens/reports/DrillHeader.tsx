// A report's drill-down header: what it lists and how many, the CSV of the whole drill-down (the server streams and
// audits it), and Close. The caller shows `csv.error` with its own load error.
import { Button, CloseButton, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { useReportCsv } from '../../api/insights.ts';
import { IconDownload } from '../../components/icons.tsx';
import { formatNumber } from '../../format.ts';

export function DrillHeader(props: {
  title: string;
  total: number | undefined;
  csv: ReturnType<typeof useReportCsv>;
  download: Parameters<ReturnType<typeof useReportCsv>['mutate']>[0];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Group justify="space-between" mb="sm">
      <Title order={4} size="h5">
        {props.title}
        {props.total !== undefined && (
          <Text span c="dimmed" size="sm" ml="xs">
            ({formatNumber(props.total, i18n.language)})
          </Text>
        )}
      </Title>
      <Group gap={4}>
        <Button
          size="compact-xs"
          variant="default"
          leftSection={<IconDownload size={12} />}
          loading={props.csv.isPending}
          onClick={() => props.csv.mutate(props.download)}
        >
          {t('reports.csv')}
        </Button>
        <CloseButton onClick={props.onClose} aria-label={t('common.close')} />
      </Group>
    </Group>
  );
}
