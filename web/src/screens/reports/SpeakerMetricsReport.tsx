// Speaker Metrics: per agent or group over a period — talk-to-listen, talking speed, fillers per minute, longest
// monologue, response time (calls apart from chats and e-mails), sentiment, engagement and speech events per call — and the trend of one metric over time
// for the agents chosen, against everyone's (did coaching change it?). CSV of the whole report.
import { Button, Checkbox, Group, Paper, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reportQuery, useReportCsv, useSpeakerMetrics, type MetricsPoint, type ReportFilter, type SpeakerRow } from '../../api/insights.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconDownload } from '../../components/icons.tsx';
import { formatDuration, formatNumber } from '../../format.ts';
import { EChart } from './charts/EChart.tsx';

export const METRICS = [
  'talkListenRatio',
  'wordsPerMinute',
  'fillersPerMinute',
  'longestMonologueMs',
  'avgResponseMs',
  'textResponseMs',
  'sentiment',
  'engagement',
  'silencesPerCall',
  'crosstalksPerCall',
  'holdsPerCall',
] as const;
export type Metric = (typeof METRICS)[number];

const DURATION: ReadonlySet<Metric> = new Set(['longestMonologueMs', 'avgResponseMs', 'textResponseMs']);
/** Durations charted in minutes: a chat or e-mail is answered in minutes to hours, a call in seconds. */
const IN_MINUTES: ReadonlySet<Metric> = new Set(['textResponseMs']);
const DEFAULT_SHOWN = 5;

/** A metric as the table shows it: durations as m:ss, ratios and rates with one decimal, scores whole. */
export function formatMetric(metric: Metric, v: number | null, lang: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (DURATION.has(metric)) return formatDuration(v);
  const digits = metric === 'wordsPerMinute' || metric === 'sentiment' || metric === 'engagement' ? 0 : metric === 'talkListenRatio' ? 2 : 1;
  return formatNumber(Number(v.toFixed(digits)), lang);
}

/** The chart's value for a point: durations in seconds (or minutes), the rest as they are. */
const chartValue = (metric: Metric, p: MetricsPoint) => {
  const v = p[metric];
  if (v === null) return null;
  if (IN_MINUTES.has(metric)) return Math.round(v / 6_000) / 10;
  return DURATION.has(metric) ? Math.round(v / 100) / 10 : Math.round(v * 100) / 100;
};

export function SpeakerMetricsReport({ filter }: { filter: ReportFilter }) {
  const { t, i18n } = useTranslation();
  const report = useSpeakerMetrics(filter);
  const csv = useReportCsv();
  const [by, setBy] = useState<'agents' | 'groups'>('agents');
  const [metric, setMetric] = useState<Metric>('talkListenRatio');
  const [picked, setPicked] = useState<string[] | null>(null);
  const data = report.data;
  const rows = useMemo(() => [...(data?.[by] ?? [])].sort((a, b) => b.interactions - a.interactions || a.name.localeCompare(b.name)), [data, by]);
  const keyOf = (r: SpeakerRow) => r.id ?? '';
  const shown = picked ? rows.filter((r) => picked.includes(keyOf(r))) : rows.slice(0, DEFAULT_SHOWN);
  const toggle = (id: string) => {
    const current = shown.map(keyOf);
    setPicked(current.includes(id) ? current.filter((x) => x !== id) : [...current, id]);
  };

  const option = useMemo(() => {
    if (!data) return null;
    const unit = IN_MINUTES.has(metric) ? ' min' : DURATION.has(metric) ? ' s' : '';
    return {
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${v}${unit}`) },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: data.buckets },
      yAxis: { type: 'value', axisLabel: { formatter: `{value}${unit}` }, scale: true },
      series: [
        {
          type: 'line',
          name: t('reports.speakers.everyone'),
          data: data.overall.trend.map((p) => chartValue(metric, p)),
          lineStyle: { type: 'dashed', color: '#868e96' },
          itemStyle: { color: '#868e96' },
          symbol: 'none',
          connectNulls: true,
        },
        // Buckets without analysed interactions are skipped, not drawn as zero.
        ...shown.map((r) => ({ type: 'line', name: r.name, data: r.trend.map((p) => chartValue(metric, p)), symbolSize: 6, connectNulls: true })),
      ],
    };
  }, [data, shown, metric, t]);

  const cell = (m: Metric, v: number | null) => (
    <Table.Td key={m} ta="right" style={{ whiteSpace: 'nowrap' }}>
      {formatMetric(m, v, i18n.language)}
    </Table.Td>
  );

  return (
    <Stack gap="md" data-testid="speakers-report">
      <ErrorAlert error={report.error ?? csv.error} />
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={by}
          onChange={(v) => {
            setBy(v as 'agents' | 'groups');
            setPicked(null);
          }}
          data={[
            { value: 'agents', label: t('reports.speakers.byAgent') },
            { value: 'groups', label: t('reports.speakers.byGroup') },
          ]}
          aria-label={t('reports.speakers.by')}
        />
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          loading={csv.isPending}
          onClick={() =>
            csv.mutate({ path: '/api/reports/speaker-metrics', query: reportQuery(filter), name: `speaker-metrics_${filter.from}_${filter.to}.csv` })
          }
        >
          {t('reports.csv')}
        </Button>
      </Group>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="xs">
          <Title order={4} size="h5">
            {t('reports.speakers.trend')}
          </Title>
          <Select
            size="xs"
            w={240}
            aria-label={t('reports.speakers.metric')}
            data={METRICS.map((m) => ({ value: m, label: t(`reports.speakers.metrics.${m}`) }))}
            value={metric}
            onChange={(m) => m && setMetric(m as Metric)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            data-testid="speakers-metric"
          />
        </Group>
        {option && <EChart option={option} height={280} label={t('reports.speakers.trend')} testId="speakers-chart" />}
      </Paper>
      <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
        <Table aria-label={t('reports.speakers.title')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40} />
              <Table.Th>{by === 'agents' ? t('reports.speakers.agent') : t('reports.speakers.group')}</Table.Th>
              <Table.Th ta="right">{t('reports.speakers.interactions')}</Table.Th>
              {METRICS.map((m) => (
                <Table.Th key={m} ta="right">
                  {t(`reports.speakers.metrics.${m}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data && (
              <Table.Tr data-testid="speakers-overall" fw={600}>
                <Table.Td />
                <Table.Td>{t('reports.speakers.everyone')}</Table.Td>
                <Table.Td ta="right">{formatNumber(data.overall.interactions, i18n.language)}</Table.Td>
                {METRICS.map((m) => cell(m, data.overall[m]))}
              </Table.Tr>
            )}
            {rows.map((r) => (
              <Table.Tr key={keyOf(r) || r.name} data-testid="speakers-row">
                <Table.Td>
                  <Checkbox
                    size="xs"
                    checked={shown.some((s) => keyOf(s) === keyOf(r))}
                    onChange={() => toggle(keyOf(r))}
                    aria-label={t('reports.mentions.showInChart', { name: r.name })}
                  />
                </Table.Td>
                <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                  {r.name}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r.interactions, i18n.language)}</Table.Td>
                {METRICS.map((m) => cell(m, r[m]))}
              </Table.Tr>
            ))}
            {data && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={METRICS.length + 3}>
                  <Text c="dimmed" ta="center" py="lg" size="sm">
                    {t('reports.speakers.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
