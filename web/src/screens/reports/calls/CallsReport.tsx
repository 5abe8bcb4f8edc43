// Reports → Calls: calls per day, per group, per agent or for the whole organisation over the report's period and
// scope (count, total/average/longest duration, talk time, inbound/outbound/internal), as a chart and a sortable table;
// the rows as CSV, every call of the period as a streamed CSV (a plain link: the browser saves it as it arrives and
// can cancel it), a printable view, and scheduled e-mails of the report. Rows open the Conversations list.
import { Anchor, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconDownload } from '../../../components/icons.tsx';
import { formatDuration, formatNumber } from '../../../format.ts';
import { EChart } from '../charts/EChart.tsx';
import {
  allCallsCsvHref,
  conversationsLink,
  useCallReport,
  useCallReportCsv,
  useCreateSchedule,
  useDeleteSchedule,
  useSchedules,
  type By,
  type CallFilter,
  type CallRow,
  type Channel,
} from './api.ts';

const BYS: By[] = ['day', 'group', 'user', 'tenant'];
const CHANNELS: Channel[] = ['call', 'chat', 'email', 'all'];
type SortKey = 'name' | 'conversations' | 'durationMs' | 'averageMs' | 'longestMs' | 'talkMs' | 'inbound' | 'outbound' | 'internal';
const NUMERIC: SortKey[] = ['conversations', 'durationMs', 'averageMs', 'longestMs', 'talkMs', 'inbound', 'outbound', 'internal'];
const DURATIONS = new Set<SortKey>(['durationMs', 'averageMs', 'longestMs', 'talkMs']);
const REPORT_OF: Record<By, 'calls_by_day' | 'calls_by_group' | 'calls_by_user' | 'calls_enterprise'> = {
  day: 'calls_by_day',
  group: 'calls_by_group',
  user: 'calls_by_user',
  tenant: 'calls_enterprise',
};

// Printing shows the report alone: no navigation, header, filters or buttons.
const PRINT_CSS = `@media print {
  .mantine-AppShell-navbar, .mantine-AppShell-header, [data-no-print], [data-testid="report-filters"], .mantine-Tabs-list { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; }
  [data-print-table] td, [data-print-table] th { font-size: 10pt; }
}`;

function SchedulesModal({ opened, onClose, by, groupId }: { opened: boolean; onClose: () => void; by: By; groupId: string | null }) {
  const { t } = useTranslation();
  const list = useSchedules();
  const create = useCreateSchedule();
  const remove = useDeleteSchedule();
  const [frequency, setFrequency] = useState<'daily' | 'weekly' | 'monthly'>('weekly');
  return (
    <Modal opened={opened} onClose={onClose} title={t('reports.calls.schedule.title')}>
      <Stack gap="sm">
        <Text size="sm">{t('reports.calls.schedule.explain', { report: t(`reports.calls.by.${by}`) })}</Text>
        <Group align="flex-end">
          <Select
            label={t('reports.calls.schedule.frequency')}
            data={(['daily', 'weekly', 'monthly'] as const).map((f) => ({ value: f, label: t(`reports.calls.schedule.frequencies.${f}`) }))}
            value={frequency}
            onChange={(v) => v && setFrequency(v as typeof frequency)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
          <Button loading={create.isPending} onClick={() => create.mutate({ report: REPORT_OF[by], frequency, groupId })} data-testid="schedule-add">
            {t('reports.calls.schedule.add')}
          </Button>
        </Group>
        <ErrorAlert error={create.error ?? remove.error ?? list.error} />
        {list.data?.items.length ? (
          <Table>
            <Table.Tbody>
              {list.data.items.map((s) => (
                <Table.Tr key={s.id} data-testid="schedule-row">
                  <Table.Td>{t(`reports.calls.schedule.reports.${s.report}`)}</Table.Td>
                  <Table.Td>{t(`reports.calls.schedule.frequencies.${s.frequency}`)}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(s.id)}>
                      {t('reports.calls.schedule.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            {t('reports.calls.schedule.none')}
          </Text>
        )}
      </Stack>
    </Modal>
  );
}

export function CallsReport({ filter }: { filter: CallFilter }) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [by, setBy] = useState<By>(() => ((BYS as string[]).includes(params.get('by') ?? '') ? (params.get('by') as By) : 'day'));
  const [channel, setChannel] = useState<Channel>('call');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const report = useCallReport(filter, by, channel);
  const csv = useCallReportCsv();
  const data = report.data;

  const rows = useMemo(() => {
    const list = [...(data?.rows ?? [])];
    if (!sort) return list;
    const dir = sort.desc ? -1 : 1;
    return list.sort((a, b) =>
      sort.key === 'name' ? dir * (a.name ?? '').localeCompare(b.name ?? '') : dir * ((Number(a[sort.key] ?? -1) || 0) - (Number(b[sort.key] ?? -1) || 0)),
    );
  }, [data, sort]);

  const option = useMemo(() => {
    if (!data) return null;
    const shown = by === 'day' ? data.rows : [...data.rows].sort((a, b) => b.conversations - a.conversations).slice(0, 25);
    const label = (r: CallRow) => r.name ?? (by === 'group' ? t('reports.calls.noGroup') : t('reports.calls.unknownAgent'));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: by === 'day' ? 24 : 64 },
      xAxis: { type: 'category', data: shown.map(label), axisLabel: by === 'day' ? {} : { rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['inbound', 'outbound', 'internal'] as const).map((d) => ({
        name: t(`reports.calls.columns.${d}`),
        type: 'bar',
        stack: 'all',
        data: shown.map((r) => r[d]),
      })),
    };
  }, [data, by, t]);

  const linkOf = (r: CallRow) => {
    const channels = channel === 'all' ? undefined : [channel];
    const groupId = filter.groupId;
    if (by === 'day' && r.key) return conversationsLink(r.key, r.key, { channels, agentId: filter.userId ?? undefined, groupId });
    if (by === 'user' && r.key) return conversationsLink(filter.from, filter.to, { channels, agentId: r.key });
    // A group's row: its conversations (the group and its subgroups) on the Conversations screen.
    if (by === 'group' && r.key) return conversationsLink(filter.from, filter.to, { channels, agentId: filter.userId ?? undefined, groupId: r.key });
    return conversationsLink(filter.from, filter.to, { channels, agentId: filter.userId ?? undefined, groupId });
  };
  const header = (key: SortKey, label: string) => (
    <Table.Th key={key} ta={key === 'name' ? undefined : 'right'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton
        fz="sm"
        fw={600}
        onClick={() => setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: NUMERIC.includes(key) }))}
        aria-sort={sort?.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      >
        {label}
        {sort?.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </UnstyledButton>
    </Table.Th>
  );
  const cell = (r: CallRow, key: SortKey) => {
    const v = r[key as keyof CallRow] as number | null;
    return (
      <Table.Td key={key} ta="right">
        {DURATIONS.has(key) ? formatDuration(v) : formatNumber(v ?? 0, i18n.language)}
      </Table.Td>
    );
  };

  return (
    <Stack gap="md" data-testid="calls-report">
      <style>{PRINT_CSS}</style>
      <Group justify="space-between" data-no-print>
        <Group gap="sm">
          <SegmentedControl size="xs" value={by} onChange={(v) => setBy(v as By)} data={BYS.map((b) => ({ value: b, label: t(`reports.calls.by.${b}`) }))} />
          <Select
            size="xs"
            w={140}
            aria-label={t('reports.calls.channel')}
            data={CHANNELS.map((c) => ({ value: c, label: t(`reports.calls.channels.${c}`) }))}
            value={channel}
            onChange={(v) => v && setChannel(v as Channel)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
        </Group>
        <Group gap={4}>
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconDownload size={12} />}
            loading={csv.isPending}
            onClick={() => csv.mutate({ f: filter, by, channel })}
          >
            {t('reports.csv')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            component="a"
            href={allCallsCsvHref(filter, channel)}
            download
            leftSection={<IconDownload size={12} />}
            title={t('reports.calls.allCallsHint')}
            data-testid="all-calls-csv"
          >
            {t('reports.calls.allCalls')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => window.print()}>
            {t('reports.calls.print')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => setScheduling(true)}>
            {t('reports.calls.schedule.button')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={report.error ?? csv.error} />
      {data && (
        <Text size="sm" c="dimmed">
          {t('reports.calls.summary', {
            count: data.total.conversations,
            from: data.from,
            to: data.to,
            average: formatDuration(data.total.averageMs),
          })}
        </Text>
      )}
      {option && data && data.rows.length > 0 && (
        <Paper withBorder p="sm" radius="md">
          <EChart option={option} height={260} label={t('reports.calls.chart')} testId="calls-chart" />
        </Paper>
      )}
      {data && (
        <Table highlightOnHover aria-label={t('reports.calls.title')} data-print-table data-testid="calls-table">
          <Table.Thead>
            <Table.Tr>
              {header('name', t(`reports.calls.rowLabel.${by}`))}
              {NUMERIC.map((k) => header(k, t(`reports.calls.columns.${k}`)))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key ?? 'none'} data-testid="calls-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component={Link} to={linkOf(r)} size="sm">
                    {r.name ?? (by === 'group' ? t('reports.calls.noGroup') : t('reports.calls.unknownAgent'))}
                  </Anchor>
                </Table.Td>
                {NUMERIC.map((k) => cell(r, k))}
              </Table.Tr>
            ))}
            <Table.Tr fw={600} data-testid="calls-total">
              <Table.Td>{t('reports.calls.total')}</Table.Td>
              {NUMERIC.map((k) => cell(data.total, k))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
      <SchedulesModal opened={scheduling} onClose={() => setScheduling(false)} by={by} groupId={filter.groupId} />
    </Stack>
  );
}
