// Reports: Indicator Mentions and Speaker Metrics over a period, for those who may see reports (reports.view; the
// server narrows them to the groups they supervise). The filters are shared by both and kept in the address, so a
// report can be bookmarked and sent.
import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { Bucket } from '../../api/insights.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { NoAccessPage } from '../shell/NoAccessPage.tsx';
import { IndicatorMentionsReport } from './IndicatorMentionsReport.tsx';
import { BUCKETS, initialFilter, lastDays, PRESETS, ReportFilters, type FilterState, type Preset } from './ReportFilters.tsx';
import { SpeakerMetricsReport } from './SpeakerMetricsReport.tsx';
import { CallsReport } from './calls/CallsReport.tsx';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters from the address (anything missing or malformed: the default, the last 90 days by week). */
export function filterFromParams(params: URLSearchParams): FilterState {
  const base = initialFilter();
  const preset = (PRESETS as string[]).includes(params.get('period') ?? '') ? (params.get('period') as Preset) : base.preset;
  const range = preset === 'custom' ? { from: params.get('from') ?? '', to: params.get('to') ?? '' } : lastDays(Number(preset));
  const custom = DAY.test(range.from) && DAY.test(range.to);
  const bucket = params.get('bucket');
  return {
    preset: custom ? preset : base.preset,
    ...(custom ? range : lastDays(90)),
    bucket: (BUCKETS as string[]).includes(bucket ?? '') ? (bucket as Bucket) : base.bucket,
    groupId: params.get('group') || null,
    userId: params.get('agent') || null,
  };
}

function paramsOf(f: FilterState, tab: string): Record<string, string> {
  const out: Record<string, string> = { tab, period: f.preset, bucket: f.bucket };
  if (f.preset === 'custom') Object.assign(out, { from: f.from, to: f.to });
  if (f.groupId) out.group = f.groupId;
  if (f.userId) out.agent = f.userId;
  return out;
}

export function ReportsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  if (!can(me, 'reports.view')) return <NoAccessPage />;
  const tab = params.get('tab') === 'speakers' ? 'speakers' : params.get('tab') === 'calls' ? 'calls' : 'mentions';
  const filter = filterFromParams(params);
  const update = (f: FilterState, nextTab = tab) => setParams(paramsOf(f, nextTab), { replace: true });
  return (
    <Stack gap="md">
      <PageHeader title={t('nav.reports')} description={t('reports.description')} />
      <ReportFilters value={filter} onChange={(f) => update(f)} />
      <Tabs value={tab} onChange={(v) => v && update(filter, v)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="mentions">{t('reports.mentions.title')}</Tabs.Tab>
          <Tabs.Tab value="speakers">{t('reports.speakers.title')}</Tabs.Tab>
          <Tabs.Tab value="calls">{t('reports.calls.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mentions">
          <IndicatorMentionsReport filter={filter} />
        </Tabs.Panel>
        <Tabs.Panel value="speakers">
          <SpeakerMetricsReport filter={filter} />
        </Tabs.Panel>
        <Tabs.Panel value="calls">
          <CallsReport filter={filter} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
