// Quality → Reports: how the QA programme is doing over a period, for those who may see reports (the server narrows
// every figure to the groups they supervise). Filters (period, bucket, group, agent, scorecard, evaluator) are kept in
// the address; a chart of the average score and pass rate over time (everyone, and the rows chosen below); tables per
// agent, group, scorecard, question and evaluator, disputes, calibrations and auto-rule overrides, each with its CSV;
// any count opens the evaluations behind it.
import { Anchor, Badge, Box, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useReportCsv, type Bucket } from '../../../api/insights.ts';
import {
  DRILL_PAGE,
  drillQuery,
  qualityQuery,
  useQualityDrill,
  useQualityReport,
  type DrillTarget,
  type QualityFilter,
  type QualityReport,
  type QualityRow,
  type ReportTable,
} from '../../../api/qualityReports.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconDownload } from '../../../components/icons.tsx';
import { formatDateTime, formatNumber } from '../../../format.ts';
import { DrillHeader } from '../../reports/DrillHeader.tsx';
import { EChart } from '../../reports/charts/EChart.tsx';
import { ReportFilters, type FilterState } from '../../reports/ReportFilters.tsx';
import { filterFromParams } from '../../reports/ReportsPage.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { NoAccessPage } from '../../shell/NoAccessPage.tsx';
import { PrefillRunButton } from './PrefillRunDialog.tsx';

type Dim = 'agents' | 'groups' | 'scorecards' | 'questions';
const TABS = ['agents', 'groups', 'scorecards', 'questions', 'evaluators', 'disputes', 'calibrations', 'overrides'] as const;
type Tab = (typeof TABS)[number];
const DEFAULT_SHOWN = 5;

type State = FilterState & { scorecardId: string | null; evaluatorId: string | null };

/** The filters from the address; the quality report's default bucket is the week, like the others. */
export function qualityFilterFromParams(params: URLSearchParams): State {
  return { ...filterFromParams(params), scorecardId: params.get('scorecard') || null, evaluatorId: params.get('evaluator') || null };
}

function paramsOf(f: State, tab: Tab): Record<string, string> {
  const out: Record<string, string> = { tab, period: f.preset, bucket: f.bucket };
  if (f.preset === 'custom') Object.assign(out, { from: f.from, to: f.to });
  if (f.groupId) out.group = f.groupId;
  if (f.userId) out.agent = f.userId;
  if (f.scorecardId) out.scorecard = f.scorecardId;
  if (f.evaluatorId) out.evaluator = f.evaluatorId;
  return out;
}

const pct = (v: number | null | undefined, lang: string) => (v === null || v === undefined ? '—' : `${formatNumber(v, lang)} %`);

export function QualityReportsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const state = qualityFilterFromParams(params);
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'agents';
  const update = (f: State, next: Tab = tab) => setParams(paramsOf(f, next), { replace: true });
  const filter: QualityFilter = {
    from: state.from,
    to: state.to,
    bucket: state.bucket as Bucket,
    groupId: state.groupId,
    userId: state.userId,
    scorecardId: state.scorecardId,
    evaluatorId: state.evaluatorId,
  };
  const report = useQualityReport(filter);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  // Scorecards and evaluators seen in this session's reports: a filter keeps offering what it narrowed away.
  const [seen] = useState(() => ({ scorecards: new Map<string, string>(), evaluators: new Map<string, string>() }));
  for (const s of report.data?.scorecards ?? []) if (s.id) seen.scorecards.set(s.id, s.name);
  for (const e of report.data?.evaluators ?? []) seen.evaluators.set(e.id, e.name);
  if (!can(me, 'reports.view')) return <NoAccessPage />;
  const open = (d: DrillTarget) => setDrill(d);
  const data = report.data;

  return (
    <Stack gap="md" data-testid="quality-reports">
      <Group justify="flex-end">
        <PrefillRunButton />
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <ReportFilters value={state} onChange={(f) => update({ ...state, ...f })} />
        <Select
          size="xs"
          w={180}
          label={t('qualityReports.filters.scorecard')}
          placeholder={t('qualityReports.filters.allScorecards')}
          data={[...seen.scorecards].map(([value, label]) => ({ value, label }))}
          value={state.scorecardId}
          onChange={(v) => update({ ...state, scorecardId: v })}
          clearable
          searchable
          comboboxProps={{ withinPortal: false }}
        />
        <Select
          size="xs"
          w={180}
          label={t('qualityReports.filters.evaluator')}
          placeholder={t('qualityReports.filters.allEvaluators')}
          data={[...seen.evaluators].map(([value, label]) => ({ value, label }))}
          value={state.evaluatorId}
          onChange={(v) => update({ ...state, evaluatorId: v })}
          clearable
          searchable
          comboboxProps={{ withinPortal: false }}
        />
      </Group>
      <ErrorAlert error={report.error} />
      {data && <Summary data={data} onDrill={open} />}
      {data && <TrendChart data={data} />}
      {drill && <Drill key={JSON.stringify(drill)} filter={filter} target={drill} onClose={() => setDrill(null)} />}
      {data && (
        <Tabs value={tab} onChange={(v) => v && update(state, v as Tab)} keepMounted={false}>
          <Tabs.List mb="md">
            {TABS.map((x) => (
              <Tabs.Tab key={x} value={x}>
                {t(`qualityReports.tabs.${x}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {TABS.map((x) => (
            <Tabs.Panel key={x} value={x}>
              <TableView tab={x} data={data} filter={filter} onDrill={open} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}

function Stat({ label, value, onClick, testId }: { label: string; value: string; onClick?: () => void; testId: string }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {onClick ? (
        <Anchor component="button" type="button" fz="xl" fw={700} onClick={onClick}>
          {value}
        </Anchor>
      ) : (
        <Text fz="xl" fw={700}>
          {value}
        </Text>
      )}
    </Paper>
  );
}

function Summary({ data, onDrill }: { data: QualityReport; onDrill: (d: DrillTarget) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const o = data.overall;
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
      <Stat
        testId="stat-evaluations"
        label={t('qualityReports.stats.evaluations')}
        value={formatNumber(o.evaluations, lang)}
        onClick={() => onDrill({ label: t('qualityReports.stats.evaluations') })}
      />
      <Stat testId="stat-average" label={t('qualityReports.stats.average')} value={pct(o.avgPercent, lang)} />
      <Stat testId="stat-pass" label={t('qualityReports.stats.passRate')} value={pct(o.passRate, lang)} />
      <Stat
        testId="stat-autofail"
        label={t('qualityReports.stats.autoFailed')}
        value={formatNumber(o.autoFailed, lang)}
        onClick={() => onDrill({ label: t('qualityReports.stats.autoFailed'), outcome: 'auto_failed' })}
      />
      <Stat
        testId="stat-disputes"
        label={t('qualityReports.stats.disputes')}
        value={formatNumber(data.disputes.raised, lang)}
        onClick={() => onDrill({ label: t('qualityReports.stats.disputes'), outcome: 'disputed' })}
      />
    </SimpleGrid>
  );
}

function TrendChart({ data }: { data: QualityReport }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<Dim>('agents');
  const [measure, setMeasure] = useState<'trend' | 'passTrend'>('trend');
  const rows = useMemo(() => {
    // A question has no pass rate of its own: its line is the average share of its points either way.
    const all =
      by === 'questions'
        ? data.questions.map((q) => ({ name: q.text, evaluations: q.answered, trend: q.trend, passTrend: q.trend }))
        : data[by].map((r) => ({ name: r.name, evaluations: r.evaluations, trend: r.trend, passTrend: r.passTrend }));
    return all.sort((a, b) => b.evaluations - a.evaluations).slice(0, DEFAULT_SHOWN);
  }, [data, by]);
  const option = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${v} %`) },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: data.buckets },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          type: 'line',
          name: t('qualityReports.everyone'),
          data: data.overall.trend.map((p) => (measure === 'trend' ? p.avgPercent : p.passRate)),
          lineStyle: { type: 'dashed', color: '#868e96' },
          itemStyle: { color: '#868e96' },
          connectNulls: true,
        },
        // Buckets without evaluations are skipped, not drawn as zero.
        ...rows.map((r) => ({ type: 'line', name: r.name, data: r[measure], symbolSize: 6, connectNulls: true })),
      ],
    }),
    [data, rows, measure, t],
  );
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4} size="h5">
          {t('qualityReports.trend')}
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            value={measure}
            onChange={(v) => setMeasure(v as 'trend' | 'passTrend')}
            data={[
              { value: 'trend', label: t('qualityReports.stats.average') },
              { value: 'passTrend', label: t('qualityReports.stats.passRate') },
            ]}
            aria-label={t('qualityReports.measure')}
          />
          <SegmentedControl
            size="xs"
            value={by}
            onChange={(v) => setBy(v as Dim)}
            data={(['agents', 'groups', 'scorecards', 'questions'] as const).map((d) => ({ value: d, label: t(`qualityReports.tabs.${d}`) }))}
            aria-label={t('qualityReports.by')}
          />
        </Group>
      </Group>
      <EChart option={option} height={260} label={t('qualityReports.trend')} testId="quality-trend-chart" />
    </Paper>
  );
}

function CsvButton({ filter, table }: { filter: QualityFilter; table: ReportTable }) {
  const { t } = useTranslation();
  const csv = useReportCsv();
  return (
    <>
      <ErrorAlert error={csv.error} />
      <Button
        size="xs"
        variant="default"
        leftSection={<IconDownload size={14} />}
        loading={csv.isPending}
        onClick={() =>
          csv.mutate({ path: '/api/reports/quality', query: qualityQuery(filter, { table }), name: `quality-${table}_${filter.from}_${filter.to}.csv` })
        }
        data-testid={`csv-${table}`}
      >
        {t('reports.csv')}
      </Button>
    </>
  );
}

/** A count that opens the evaluations behind it. */
function DrillCount({ n, target, onDrill }: { n: number; target: DrillTarget; onDrill: (d: DrillTarget) => void }) {
  const { i18n } = useTranslation();
  if (n === 0) return <>0</>;
  return (
    <Anchor component="button" type="button" size="sm" onClick={() => onDrill(target)} data-testid="drill-count">
      {formatNumber(n, i18n.language)}
    </Anchor>
  );
}

function SimpleTable({ head, rows, empty }: { head: ReactNode[]; rows: ReactNode[][]; empty: string }) {
  return (
    <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
      <Table highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {head.map((h, i) => (
              <Table.Th key={i} ta={i === 0 ? undefined : 'right'}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i} data-testid="quality-row">
              {r.map((c, j) => (
                <Table.Td key={j} ta={j === 0 ? undefined : 'right'} style={{ whiteSpace: j === 0 ? undefined : 'nowrap' }}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={head.length}>
                <Text c="dimmed" ta="center" py="lg" size="sm">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function TableView({ tab, data, filter, onDrill }: { tab: Tab; data: QualityReport; filter: QualityFilter; onDrill: (d: DrillTarget) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, lang));
  const empty = t('qualityReports.empty');
  const scoreRows = (rows: QualityRow[], narrow: (r: QualityRow) => Partial<DrillTarget>) =>
    rows.map((r) => [
      <Text key="n" size="sm" fw={500}>
        {r.name}
      </Text>,
      <DrillCount key="e" n={r.evaluations} target={{ label: r.name, ...narrow(r) }} onDrill={onDrill} />,
      pct(r.avgPercent, lang),
      pct(r.passRate, lang),
      <DrillCount key="f" n={r.autoFailed} target={{ label: r.name, outcome: 'auto_failed', ...narrow(r) }} onDrill={onDrill} />,
    ]);
  const scoreHead = (first: string) => [
    first,
    t('qualityReports.stats.evaluations'),
    t('qualityReports.stats.average'),
    t('qualityReports.stats.passRate'),
    t('qualityReports.stats.autoFailed'),
  ];
  let table: ReactNode;
  switch (tab) {
    case 'agents':
      table = (
        <SimpleTable head={scoreHead(t('qualityReports.cols.agent'))} rows={scoreRows(data.agents, (r) => ({ agentId: r.id ?? undefined }))} empty={empty} />
      );
      break;
    case 'groups':
      table = (
        <SimpleTable
          head={scoreHead(t('qualityReports.cols.group'))}
          rows={scoreRows(data.groups, (r) => (r.id ? { groupId: r.id } : { noGroup: true }))}
          empty={empty}
        />
      );
      break;
    case 'scorecards':
      table = (
        <SimpleTable
          head={[...scoreHead(t('qualityReports.cols.scorecard')), t('qualityReports.cols.avgScore')]}
          rows={data.scorecards.map((r, i) => [
            ...scoreRows([r], (x) => ({ scorecardId: x.id ?? undefined }))[0]!,
            `${n(r.avgScore)} / ${n(data.scorecards[i]!.avgMaxScore)}`,
          ])}
          empty={empty}
        />
      );
      break;
    case 'questions':
      table = (
        <SimpleTable
          head={[
            t('qualityReports.cols.question'),
            t('qualityReports.cols.scorecard'),
            t('qualityReports.cols.answered'),
            t('qualityReports.cols.na'),
            t('qualityReports.stats.average'),
            t('qualityReports.cols.failing'),
          ]}
          rows={data.questions.map((q) => [
            <Box key="q">
              <Text size="sm" fw={500}>
                {q.text}
              </Text>
              <Text size="xs" c="dimmed">
                {q.section}
              </Text>
            </Box>,
            q.scorecardName,
            <DrillCount key="a" n={q.answered} target={{ label: q.text, scorecardId: q.scorecardId, questionId: q.questionId }} onDrill={onDrill} />,
            n(q.na),
            pct(q.avgPercent, lang),
            n(q.failing),
          ])}
          empty={empty}
        />
      );
      break;
    case 'evaluators':
      table = (
        <SimpleTable
          head={[
            t('qualityReports.cols.evaluator'),
            t('qualityReports.cols.submitted'),
            t('qualityReports.stats.average'),
            t('qualityReports.stats.passRate'),
            t('qualityReports.cols.deviation'),
            t('qualityReports.cols.open'),
            t('qualityReports.cols.overdue'),
          ]}
          rows={data.evaluators.map((e) => [
            <Text key="n" size="sm" fw={500}>
              {e.name}
            </Text>,
            <DrillCount key="s" n={e.submitted} target={{ label: e.name, evaluatorId: e.id }} onDrill={onDrill} />,
            pct(e.avgPercent, lang),
            pct(e.passRate, lang),
            e.deviation === null ? '—' : `${e.deviation > 0 ? '+' : ''}${formatNumber(e.deviation, lang)}`,
            n(e.open),
            e.overdue ? (
              <Badge key="o" color="red" variant="light" size="sm">
                {n(e.overdue)}
              </Badge>
            ) : (
              '0'
            ),
          ])}
          empty={empty}
        />
      );
      break;
    case 'disputes':
      table = (
        <Stack gap="sm">
          <Text size="sm" c="dimmed" data-testid="disputes-summary">
            {t('qualityReports.disputes.summary', {
              raised: data.disputes.raised,
              rate: data.disputes.rate === null ? '—' : formatNumber(data.disputes.rate, lang),
              change: data.disputes.avgChange === null ? '—' : `${data.disputes.avgChange > 0 ? '+' : ''}${formatNumber(data.disputes.avgChange, lang)}`,
            })}
          </Text>
          <SimpleTable
            head={[
              t('qualityReports.cols.agent'),
              t('qualityReports.disputes.raised'),
              t('qualityReports.disputes.open'),
              t('qualityReports.disputes.reaffirmed'),
              t('qualityReports.disputes.reevaluated'),
            ]}
            rows={[
              ...data.disputes.agents.map((a) => [
                <Text key="n" size="sm" fw={500}>
                  {a.name}
                </Text>,
                <DrillCount key="r" n={a.raised} target={{ label: a.name, agentId: a.id, outcome: 'disputed' }} onDrill={onDrill} />,
                n(a.open),
                n(a.reaffirmed),
                n(a.reevaluated),
              ]),
            ]}
            empty={empty}
          />
        </Stack>
      );
      break;
    case 'calibrations':
      table = (
        <Stack gap="sm">
          <Paper withBorder radius="md" p="md">
            <Title order={4} size="h5" mb="xs">
              {t('qualityReports.calibrations.trend')}
            </Title>
            <EChart
              option={{
                animation: false,
                tooltip: { trigger: 'axis' },
                grid: { left: 48, right: 16, top: 16, bottom: 32 },
                xAxis: { type: 'category', data: data.buckets },
                yAxis: { type: 'value', min: 0 },
                series: [{ type: 'line', name: t('qualityReports.calibrations.stdDev'), data: data.calibrationTrend, connectNulls: true }],
              }}
              height={200}
              label={t('qualityReports.calibrations.trend')}
              testId="calibration-trend-chart"
            />
          </Paper>
          <SimpleTable
            head={[
              t('qualityReports.cols.calibration'),
              t('qualityReports.cols.scorecard'),
              t('qualityReports.calibrations.day'),
              t('qualityReports.calibrations.evaluators'),
              t('qualityReports.calibrations.mean'),
              t('qualityReports.calibrations.spread'),
              t('qualityReports.calibrations.stdDev'),
            ]}
            rows={data.calibrations.map((c) => [
              <Anchor key="n" component={Link} to={`/quality/calibrations/${c.id}`} size="sm" fw={500}>
                {c.name}
              </Anchor>,
              c.scorecardName,
              c.day,
              n(c.evaluators),
              pct(c.mean, lang),
              n(c.spread),
              n(c.stdDev),
            ])}
            empty={empty}
          />
        </Stack>
      );
      break;
    case 'overrides':
      table = (
        <SimpleTable
          head={[
            t('qualityReports.cols.question'),
            t('qualityReports.cols.rule'),
            t('qualityReports.overrides.proposed'),
            t('qualityReports.overrides.overridden'),
            t('qualityReports.overrides.rate'),
          ]}
          rows={data.overrides.map((o) => [
            <Box key="q">
              <Text size="sm" fw={500}>
                {o.text}
              </Text>
              <Text size="xs" c="dimmed">
                {o.scorecardName}
              </Text>
            </Box>,
            <Text key="r" size="xs">
              {o.rule}
            </Text>,
            n(o.proposed),
            <DrillCount
              key="o"
              n={o.overridden}
              target={{ label: o.text, scorecardId: o.scorecardId, questionId: o.questionId, overridden: true }}
              onDrill={onDrill}
            />,
            pct(o.rate, lang),
          ])}
          empty={t('qualityReports.overrides.empty')}
        />
      );
      break;
  }
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <CsvButton filter={filter} table={tab} />
      </Group>
      {table}
    </Stack>
  );
}

function Drill({ filter, target, onClose }: { filter: QualityFilter; target: DrillTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const drill = useQualityDrill(filter, target, page);
  const csv = useReportCsv();
  const items = drill.data?.items ?? [];
  const pages = drill.data ? Math.ceil(drill.data.total / DRILL_PAGE) : 0;
  return (
    <Paper withBorder radius="md" p="md" data-testid="quality-drill">
      <DrillHeader
        title={t('qualityReports.drill.title', { name: target.label })}
        total={drill.data?.total}
        csv={csv}
        download={{ path: '/api/reports/quality/evaluations', query: drillQuery(filter, target), name: `quality-evaluations_${filter.from}_${filter.to}.csv` }}
        onClose={onClose}
      />
      <ErrorAlert error={drill.error ?? csv.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('qualityReports.drill.conversation')}</Table.Th>
            <Table.Th>{t('qualityReports.cols.agent')}</Table.Th>
            <Table.Th>{t('qualityReports.cols.evaluator')}</Table.Th>
            <Table.Th>{t('qualityReports.cols.scorecard')}</Table.Th>
            <Table.Th>{t('qualityReports.drill.submitted')}</Table.Th>
            <Table.Th ta="right">{t('qualityReports.drill.score')}</Table.Th>
            <Table.Th>{t('qualityReports.drill.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.id} data-testid="quality-drill-item">
              <Table.Td>
                <Anchor component={Link} to={`/quality/evaluations/${encodeURIComponent(i.id)}`} size="sm">
                  {i.conversation.title || i.conversation.id}
                </Anchor>
              </Table.Td>
              <Table.Td>{i.agent.name}</Table.Td>
              <Table.Td>{i.evaluator.name}</Table.Td>
              <Table.Td>
                {i.scorecard.name}
                {i.scorecard.version !== null && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    v{i.scorecard.version}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(i.submittedAt, i18n.language)}</Table.Td>
              <Table.Td ta="right">{pct(i.percent, i18n.language)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {i.autoFailed ? (
                    <Badge size="xs" color="red">
                      {t('qualityReports.drill.autoFailed')}
                    </Badge>
                  ) : i.passed === null ? null : (
                    <Badge size="xs" color={i.passed ? 'green' : 'orange'} variant="light">
                      {i.passed ? t('qualityReports.drill.passed') : t('qualityReports.drill.failed')}
                    </Badge>
                  )}
                  {i.responseStatus !== 'none' && (
                    <Badge size="xs" color="gray" variant="light">
                      {t(`qualityReports.response.${i.responseStatus}`, { defaultValue: i.responseStatus })}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {drill.data && items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('qualityReports.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {pages > 1 && (
        <Group justify="center" mt="sm" gap="xs">
          <Button size="compact-xs" variant="default" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            {t('qualityReports.drill.previous')}
          </Button>
          <Text size="xs">
            {page + 1} / {pages}
          </Text>
          <Button size="compact-xs" variant="default" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
            {t('qualityReports.drill.next')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
