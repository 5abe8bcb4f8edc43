// The filters the insights reports share: a period (the last 7, 30 or 90 days, or chosen days), the trend bucket,
// a group and an agent. Days are calendar days as the server counts them (the agent's site calendar).
import { Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Bucket, ReportFilter } from '../../api/insights.ts';
import { useGroups } from '../../api/directory.ts';
import { AgentPicker } from '../conversations/search/editors/AgentPicker.tsx';

export type Preset = '7' | '30' | '90' | 'custom';
export const PRESETS: Preset[] = ['7', '30', '90', 'custom'];
export const BUCKETS: Bucket[] = ['day', 'week', 'month'];

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` days up to today (inclusive), as YYYY-MM-DD. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const to = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: day(from), to: day(to) };
}

export interface FilterState extends ReportFilter {
  preset: Preset;
}

/** The name of the agent a report is filtered on: the address keeps only the id. */
function useAgentName(userId: string | null) {
  const q = useQuery({
    queryKey: ['reports', 'agent', userId],
    queryFn: () => api.get<{ id: string; name: string }>(`/api/reports/agents/${encodeURIComponent(userId!)}`),
    enabled: !!userId,
    staleTime: Infinity,
  });
  return q.data?.name;
}

export const initialFilter = (): FilterState => ({ preset: '90', ...lastDays(90), bucket: 'week', groupId: null, userId: null });

export function ReportFilters({ value, onChange }: { value: FilterState; onChange: (f: FilterState) => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const agentName = useAgentName(value.userId);
  const set = (patch: Partial<FilterState>) => onChange({ ...value, ...patch });
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="report-filters">
      <Select
        size="xs"
        w={150}
        label={t('reports.filters.period')}
        data={PRESETS.map((p) => ({ value: p, label: t(`reports.filters.presets.${p}`) }))}
        value={value.preset}
        onChange={(p) => p && set(p === 'custom' ? { preset: 'custom' } : { preset: p as Preset, ...lastDays(Number(p)) })}
        allowDeselect={false}
        comboboxProps={{ withinPortal: false }}
      />
      {value.preset === 'custom' && (
        <>
          <TextInput
            size="xs"
            type="date"
            label={t('reports.filters.from')}
            value={value.from}
            onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })}
          />
          <TextInput
            size="xs"
            type="date"
            label={t('reports.filters.to')}
            value={value.to}
            onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })}
          />
        </>
      )}
      <SegmentedControl
        size="xs"
        value={value.bucket}
        onChange={(b) => set({ bucket: b as Bucket })}
        data={BUCKETS.map((b) => ({ value: b, label: t(`reports.filters.buckets.${b}`) }))}
        aria-label={t('reports.filters.bucket')}
      />
      <Select
        size="xs"
        w={180}
        label={t('reports.filters.group')}
        placeholder={t('reports.filters.allGroups')}
        data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
        value={value.groupId}
        onChange={(g) => set({ groupId: g })}
        clearable
        searchable
        comboboxProps={{ withinPortal: false }}
      />
      <div style={{ width: 200 }}>
        <AgentPicker label={t('reports.filters.agent')} value={value.userId} valueName={agentName} onChange={(u) => set({ userId: u })} />
      </div>
    </Group>
  );
}
