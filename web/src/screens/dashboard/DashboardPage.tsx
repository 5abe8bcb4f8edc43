// The dashboard (the landing page of those who may see reports): the organisation's activity at a glance over the last
// 7, 30 or 90 days, in the user's group scope, from the server's daily counts. Every figure opens the Conversations
// list (or Live, for active calls) filtered to what it counts; the chart's bars open their day and channel.
import { Anchor, Badge, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDuration, formatNumber } from '../../format.ts';
import { EChart } from '../reports/charts/EChart.tsx';
import { conversationsLink, useDashboard, type Dashboard } from '../reports/calls/api.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { NoAccessPage } from '../shell/NoAccessPage.tsx';

const PERIODS = ['7', '30', '90'] as const;
const CHANNELS = ['call', 'chat', 'email'] as const;
const COLORS = { call: '#228be6', chat: '#40c057', email: '#fab005' };

function Tile(props: { label: string; value: string; hint?: string; title?: string; to?: string; testId: string }) {
  const body = (
    <Paper withBorder p="md" radius="md" h="100%" data-testid={props.testId} title={props.title}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} mt={4}>
        {props.value}
      </Text>
      {props.hint && (
        <Text size="xs" c="dimmed" mt={2}>
          {props.hint}
        </Text>
      )}
    </Paper>
  );
  return props.to ? (
    <Anchor component={Link} to={props.to} underline="never" c="inherit">
      {body}
    </Anchor>
  ) : (
    body
  );
}

function Breakdown(props: {
  title: string;
  rows: Array<{ key: string; label: string; n: number; to?: string; color?: string }>;
  testId: string;
  /** Shares of the rows' sum: a conversation is in one direction and one group, but may carry several tags. */
  shares?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const total = props.rows.reduce((a, r) => a + r.n, 0);
  return (
    <Paper withBorder p="md" radius="md" data-testid={props.testId}>
      <Title order={3} size="h5" mb="xs">
        {props.title}
      </Title>
      {props.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {props.rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>
                  {r.color && <Badge color={r.color} size="xs" circle mr={6} />}
                  {r.to ? (
                    <Anchor component={Link} to={r.to} size="sm">
                      {r.label}
                    </Anchor>
                  ) : (
                    <Text span size="sm">
                      {r.label}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r.n, i18n.language)}</Table.Td>
                <Table.Td ta="right" w={60} c="dimmed">
                  {props.shares && total ? `${Math.round((100 * r.n) / total)} %` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function PerDayChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: data.days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: CHANNELS.map((c) => ({ name: t(`dashboard.channels.${c}`), type: 'bar', stack: 'all', data: data.perDay[c], color: COLORS[c] })),
    }),
    [data, t],
  );
  return (
    <EChart
      option={option}
      height={260}
      label={t('dashboard.perDay')}
      testId="dashboard-per-day"
      onPointClick={(series, index) => {
        const day = data.days[index];
        if (day) void navigate(conversationsLink(day, day, { channels: [CHANNELS[series]!] }));
      }}
    />
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const period = (PERIODS as readonly string[]).includes(params.get('days') ?? '') ? params.get('days')! : '30';
  const q = useDashboard(Number(period));
  if (!can(me, 'reports.view')) return <NoAccessPage />;
  const d = q.data;
  const n = (v: number) => formatNumber(v, i18n.language);
  const all = d ? { from: d.from, to: d.to } : null;
  return (
    <Stack gap="md">
      <PageHeader title={t('nav.dashboard')} description={t('dashboard.description')} />
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={period}
          onChange={(v) => setParams({ days: v }, { replace: true })}
          data={PERIODS.map((p) => ({ value: p, label: t('dashboard.lastDays', { count: Number(p) }) }))}
          data-testid="dashboard-period"
        />
        {d && (
          <Text size="xs" c="dimmed">
            {d.from} – {d.to}
          </Text>
        )}
      </Group>
      {q.isError && (
        <Text c="red" size="sm">
          {t('dashboard.loadFailed')}
        </Text>
      )}
      {!d ? (
        <Skeleton h={400} radius="md" />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
            <Tile
              testId="tile-active"
              label={t('dashboard.activeCalls')}
              value={d.activeCalls === null ? '—' : n(d.activeCalls)}
              hint={d.activeCalls === null ? t('dashboard.noRecorder') : t('dashboard.activeHint')}
              to={d.activeCalls === null || !can(me, 'live.monitor') ? undefined : '/live'}
            />
            <Tile
              testId="tile-calls"
              label={t('dashboard.calls')}
              value={n(d.calls)}
              hint={t('dashboard.ofConversations', { count: d.conversations })}
              to={all ? conversationsLink(all.from, all.to, { channels: ['call'] }) : undefined}
            />
            <Tile
              testId="tile-average"
              label={t('dashboard.averageCall')}
              value={formatDuration(d.averageCallMs)}
              hint={d.longestCallMs === null ? undefined : t('dashboard.longest', { duration: formatDuration(d.longestCallMs) })}
              to={all ? conversationsLink(all.from, all.to, { channels: ['call'] }) : undefined}
            />
            <Tile
              testId="tile-talk"
              label={t('dashboard.talkTime')}
              value={formatDuration(d.talkMs)}
              hint={d.averageTalkMs === null ? undefined : t('dashboard.averageTalk', { duration: formatDuration(d.averageTalkMs) })}
              title={t('dashboard.talkTimeHint')}
            />
            <Tile
              testId="tile-sentiment"
              label={t('dashboard.sentiment')}
              value={d.sentiment ? String(d.sentiment.average) : '—'}
              hint={d.sentiment ? t('dashboard.analysed', { count: d.sentiment.analysed }) : t('dashboard.noSentiment')}
            />
            <Tile
              testId="tile-evaluations"
              label={t('dashboard.evaluations')}
              value={d.evaluations ? `${d.evaluations.averagePercent} %` : '—'}
              hint={d.evaluations ? t('dashboard.evaluated', { count: d.evaluations.count }) : t('dashboard.noEvaluations')}
              to={d.evaluations ? '/quality' : undefined}
            />
          </SimpleGrid>
          <Paper withBorder p="md" radius="md">
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {t('dashboard.perDay')}
              </Title>
              <Anchor component={Link} to={`/reports?tab=calls&period=${period}`} size="sm">
                {t('dashboard.openReports')}
              </Anchor>
            </Group>
            <PerDayChart data={d} />
          </Paper>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Breakdown
              testId="dashboard-directions"
              shares
              title={t('dashboard.byDirection')}
              rows={d.byDirection.map((r) => ({
                key: r.direction,
                label: t(`dashboard.directions.${r.direction}`, { defaultValue: r.direction }),
                n: r.conversations,
                to: conversationsLink(d.from, d.to, { direction: r.direction }),
              }))}
            />
            <Breakdown
              testId="dashboard-groups"
              shares
              title={t('dashboard.byGroup')}
              rows={d.byGroup.map((r) => ({
                key: r.groupId ?? '',
                label: r.name ?? t('dashboard.noGroup'),
                n: r.conversations,
                to: r.groupId ? conversationsLink(d.from, d.to, { groupId: r.groupId }) : undefined,
              }))}
            />
            <Breakdown
              testId="dashboard-tags"
              title={t('dashboard.topTags')}
              rows={d.topTags.map((r) => ({
                key: r.tagId,
                label: r.name,
                n: r.conversations,
                color: r.color,
                to: conversationsLink(d.from, d.to, { tags: [r.tagId] }),
              }))}
            />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
