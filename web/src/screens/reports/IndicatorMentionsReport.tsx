// Indicator Mentions: how often each category, indicator or keyword came up over a period (interactions with a
// mention and their share of the interactions counted), its trend per day, week or month as lines or bubbles, and a
// drill-down to the interactions with the words around each mention and a link that plays from there. CSV of both.
import { ActionIcon, Anchor, Badge, Box, Button, Checkbox, Group, Mark, Paper, SegmentedControl, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  drillQuery,
  reportQuery,
  useMentionInteractions,
  useMentionsReport,
  useReportCsv,
  type DrillItem,
  type DrillTarget,
  type Level,
  type MentionRow,
  type MentionsReport,
  type ReportFilter,
} from '../../api/insights.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconDownload, IconPlay } from '../../components/icons.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { DrillHeader } from './DrillHeader.tsx';
import { SubscribeButton } from '../conversations/analytics/SubscribeButton.tsx';
import { formatClock } from '../conversations/player/model.ts';
import { detailPath } from '../conversations/search/searchLinks.ts';
import { EChart } from './charts/EChart.tsx';

export const LEVELS: Level[] = ['category', 'indicator', 'keyword'];
const CHART_MAX = 10;
const DEFAULT_SHOWN = 5;

export const rowsOf = (r: MentionsReport | undefined, level: Level): MentionRow[] =>
  !r ? [] : level === 'category' ? r.categories : level === 'indicator' ? r.indicators : r.keywords;

/** A row's share of the interactions counted in each bucket (0–100; null where nothing was counted). */
export function percentTrend(row: MentionRow, totals: readonly number[]): (number | null)[] {
  return row.trend.map((n, i) => (totals[i] ? Math.round((n / totals[i]!) * 1000) / 10 : null));
}

/** Who a row belongs to, for its label: an indicator's category, a keyword's indicator. */
function parentName(r: MentionsReport, row: MentionRow, level: Level): string | null {
  if (level === 'indicator') return r.categories.find((c) => c.id === row.categoryId)?.name ?? null;
  if (level === 'keyword') return r.indicators.find((i) => i.id === row.indicatorId)?.name ?? null;
  return null;
}

export function IndicatorMentionsReport({ filter }: { filter: ReportFilter }) {
  const { t, i18n } = useTranslation();
  const report = useMentionsReport(filter);
  const csv = useReportCsv();
  const [level, setLevel] = useState<Level>('indicator');
  const [view, setView] = useState<'line' | 'bubble'>('line');
  const [picked, setPicked] = useState<Record<Level, string[] | null>>({ category: null, indicator: null, keyword: null });
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const data = report.data;
  const rows = useMemo(() => [...rowsOf(data, level)].sort((a, b) => b.interactions - a.interactions || a.name.localeCompare(b.name)), [data, level]);
  const shown = useMemo(() => {
    const ids =
      picked[level] ??
      rows
        .filter((r) => r.interactions > 0)
        .slice(0, DEFAULT_SHOWN)
        .map((r) => r.id);
    return rows.filter((r) => ids.includes(r.id));
  }, [picked, level, rows]);
  const toggle = (id: string) => {
    const current = shown.map((r) => r.id);
    const next = current.includes(id) ? current.filter((x) => x !== id) : [...current, id].slice(-CHART_MAX);
    setPicked({ ...picked, [level]: next });
  };
  const num = (n: number) => formatNumber(n, i18n.language);

  const option = useMemo(() => {
    if (!data) return null;
    const buckets = data.buckets;
    if (view === 'line')
      return {
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${v} %`) },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 48, right: 16, top: 16, bottom: 48 },
        xAxis: { type: 'category', data: buckets },
        yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
        series: shown.map((r) => ({ type: 'line', name: r.name, data: percentTrend(r, data.interactionsTrend), connectNulls: false, symbolSize: 6 })),
      };
    const max = Math.max(1, ...shown.flatMap((r) => r.trend));
    return {
      animation: false,
      tooltip: { formatter: (p: { value: [number, number, number] }) => `${shown[p.value[1]]?.name}: ${buckets[p.value[0]]} · ${p.value[2]}` },
      grid: { left: 160, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: buckets, boundaryGap: true },
      yAxis: { type: 'category', data: shown.map((r) => r.name), boundaryGap: true },
      series: [
        {
          type: 'scatter',
          cursor: 'pointer',
          data: shown.flatMap((r, y) => r.trend.map((n, x) => [x, y, n] as [number, number, number]).filter((v) => v[2] > 0)),
          symbolSize: (v: [number, number, number]) => 6 + 34 * Math.sqrt(v[2] / max),
          itemStyle: { color: 'rgba(174, 62, 201, 0.6)' },
        },
      ],
    };
  }, [data, shown, view]);

  const bubbleRow = (dataIndex: number) => {
    const points = shown.flatMap((r, y) => r.trend.map((n, x) => [x, y, n]).filter((v) => v[2]! > 0));
    const row = shown[points[dataIndex]?.[1] ?? -1];
    if (row) setDrill({ level, id: row.id, name: row.name });
  };

  return (
    <Stack gap="md" data-testid="mentions-report">
      <ErrorAlert error={report.error} />
      <ErrorAlert error={csv.error} />
      <Group justify="space-between">
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={level}
            onChange={(v) => setLevel(v as Level)}
            data={LEVELS.map((l) => ({ value: l, label: t(`reports.mentions.levels.${l}`) }))}
            aria-label={t('reports.mentions.level')}
          />
          {data && (
            <Text size="sm" c="dimmed" data-testid="mentions-total">
              {t('reports.mentions.total', { n: num(data.interactions) })}
            </Text>
          )}
        </Group>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          loading={csv.isPending}
          onClick={() =>
            csv.mutate({ path: '/api/reports/indicator-mentions', query: reportQuery(filter), name: `indicator-mentions_${filter.from}_${filter.to}.csv` })
          }
        >
          {t('reports.csv')}
        </Button>
      </Group>

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="xs">
          <Title order={4} size="h5">
            {t('reports.mentions.trend')}
          </Title>
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(v) => setView(v as 'line' | 'bubble')}
            data={[
              { value: 'line', label: t('reports.mentions.line') },
              { value: 'bubble', label: t('reports.mentions.bubble') },
            ]}
            aria-label={t('reports.mentions.view')}
            data-testid="mentions-view"
          />
        </Group>
        {shown.length === 0 ? (
          <Text size="sm" c="dimmed" py="lg" ta="center">
            {t('reports.mentions.nothingToChart')}
          </Text>
        ) : (
          option && (
            <EChart
              option={option}
              height={view === 'line' ? 280 : Math.max(160, 40 + shown.length * 36)}
              label={t('reports.mentions.trend')}
              onPointClick={(_, k) => view === 'bubble' && bubbleRow(k)}
              testId="mentions-chart"
            />
          )
        )}
      </Paper>

      <Paper withBorder radius="md">
        <Table aria-label={t('reports.mentions.title')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Tooltip label={t('reports.mentions.inChart')}>
                  <span>{t('reports.mentions.chartColumn')}</span>
                </Tooltip>
              </Table.Th>
              <Table.Th>{t(`reports.mentions.levels.${level}`)}</Table.Th>
              <Table.Th ta="right">{t('reports.mentions.interactions')}</Table.Th>
              <Table.Th ta="right">{t('reports.mentions.percent')}</Table.Th>
              <Table.Th ta="right">{t('reports.mentions.mentions')}</Table.Th>
              <Table.Th w={150} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data &&
              rows.map((r) => {
                const parent = parentName(data, r, level);
                return (
                  <Table.Tr key={r.id} data-testid="mentions-row">
                    <Table.Td>
                      <Checkbox
                        size="xs"
                        checked={shown.some((s) => s.id === r.id)}
                        onChange={() => toggle(r.id)}
                        aria-label={t('reports.mentions.showInChart', { name: r.name })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.name}
                      </Text>
                      {parent && (
                        <Text size="xs" c="dimmed">
                          {parent}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{num(r.interactions)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(Math.round(r.percent * 10) / 10, i18n.language)} %</Table.Td>
                    <Table.Td ta="right">{num(r.mentions)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {level === 'indicator' && <SubscribeButton indicatorId={r.id} name={r.name} />}
                        <Button
                          size="compact-xs"
                          variant={drill?.id === r.id ? 'filled' : 'light'}
                          disabled={r.interactions === 0}
                          onClick={() => setDrill({ level, id: r.id, name: r.name })}
                          data-testid="mentions-drill"
                        >
                          {t('reports.mentions.drill')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            {data && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" ta="center" py="lg" size="sm">
                    {t('reports.mentions.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      {drill && <DrillDown filter={filter} target={drill} onClose={() => setDrill(null)} />}
    </Stack>
  );
}

/** `text` with [start, end) marked. */
function Snippet({ text, highlight }: { text: string; highlight: [number, number] }) {
  const [a, b] = highlight;
  return (
    <>
      {text.slice(0, a)}
      <Mark color="grape.1">{text.slice(a, b)}</Mark>
      {text.slice(b)}
    </>
  );
}

function DrillDown({ filter, target, onClose }: { filter: ReportFilter; target: DrillTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const [pages, setPages] = useState(1);
  const drill = useMentionInteractions(filter, target, pages);
  const csv = useReportCsv();
  const items = drill.data?.items ?? [];
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={t('reports.mentions.drillTitle', { name: target.name })}
      data-testid="mentions-drilldown"
    >
      <DrillHeader
        title={t('reports.mentions.drillTitle', { name: target.name })}
        total={drill.data?.total}
        csv={csv}
        download={{
          path: '/api/reports/indicator-mentions/interactions',
          query: drillQuery(filter, target, { limit: 200 }),
          name: `indicator-mentions_${target.level}_${filter.from}_${filter.to}.csv`,
        }}
        onClose={onClose}
      />
      <ErrorAlert error={drill.error ?? csv.error} />
      <Stack gap="sm">
        {items.map((item) => (
          <DrillRow key={item.conversationId} item={item} />
        ))}
        {drill.data && items.length < drill.data.total && (
          <Button variant="subtle" size="xs" onClick={() => setPages((p) => p + 1)} loading={drill.isFetching} w="fit-content">
            {t('common.loadMore')}
          </Button>
        )}
        {drill.data && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('reports.mentions.noInteractions')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function DrillRow({ item }: { item: DrillItem }) {
  const { t, i18n } = useTranslation();
  return (
    <Box data-testid="drill-item" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} pb="xs">
      <Group gap="xs" wrap="nowrap">
        <Anchor component={Link} to={detailPath(item.conversationId, null, '', item.snippets[0]?.startMs)} size="sm" fw={600}>
          {item.title || item.conversationId}
        </Anchor>
        <Badge size="xs" variant="light" color="gray">
          {t(`conversations.kind.${item.channel}`, { defaultValue: item.channel })}
        </Badge>
        <Text size="xs" c="dimmed">
          {formatDateTime(item.startedAt, i18n.language)}
          {item.agentName ? ` · ${item.agentName}` : ''}
        </Text>
        <Badge size="xs" variant="light" color="grape" ml="auto">
          {t('reports.mentions.mentionCount', { n: item.mentions })}
        </Badge>
      </Group>
      <Stack gap={2} mt={4}>
        {item.snippets.map((s, k) => (
          <Group key={k} gap={6} wrap="nowrap" align="flex-start">
            {s.startMs !== null ? (
              <Tooltip label={t('reports.mentions.playFrom', { time: formatClock(s.startMs) })}>
                <ActionIcon
                  component={Link}
                  to={detailPath(item.conversationId, null, '', s.startMs)}
                  size="sm"
                  variant="light"
                  aria-label={t('reports.mentions.playFrom', { time: formatClock(s.startMs) })}
                  data-testid="drill-play"
                >
                  <IconPlay size={12} />
                </ActionIcon>
              </Tooltip>
            ) : (
              <ActionIcon
                component={Link}
                to={detailPath(item.conversationId, null, '#segments')}
                size="sm"
                variant="subtle"
                aria-label={t('reports.mentions.open')}
              >
                <IconPlay size={12} />
              </ActionIcon>
            )}
            <Text size="sm">
              <Text span size="xs" c="dimmed" fw={600}>
                {s.keyword} ·{' '}
              </Text>
              <Snippet text={s.text} highlight={s.highlight} />
            </Text>
          </Group>
        ))}
      </Stack>
    </Box>
  );
}
