// The dashboard's and the call reports' requests (src/reports), typed from the server's schemas, and the links from
// their figures into the Conversations list (its `f` filter parameter: a custom period and the matching condition).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, download, withQuery } from '../../../api/client.ts';
import type * as S from '../../../../../src/reports/schemas.ts';

export type Dashboard = Static<typeof S.Dashboard>;
export type CallReport = Static<typeof S.CallReport>;
export type CallRow = CallReport['rows'][number];
export type By = CallReport['by'];
export type Channel = CallReport['channel'];
export type Schedule = Static<typeof S.Schedule>;
export type ScheduleInput = Static<typeof S.ScheduleCreate>;

export interface CallFilter {
  from: string;
  to: string;
  groupId: string | null;
  userId: string | null;
}

const query = (f: CallFilter, extra: Record<string, string | undefined> = {}) => ({
  from: f.from,
  to: f.to,
  groupId: f.groupId ?? undefined,
  userId: f.userId ?? undefined,
  ...extra,
});

export function useDashboard(days: number) {
  return useQuery({
    queryKey: ['dashboard', days],
    queryFn: () => api.get<Dashboard>('/api/dashboard', { days: String(days) }),
    placeholderData: keepPreviousData,
    // Active calls change by the minute.
    refetchInterval: 60_000,
  });
}

export function useCallReport(f: CallFilter, by: By, channel: Channel) {
  return useQuery({
    queryKey: ['reports', 'calls', f, by, channel],
    queryFn: () => api.get<CallReport>('/api/reports/calls', query(f, { by, channel })),
    placeholderData: keepPreviousData,
  });
}

/** The report's rows as CSV (small: one line per day, group or agent), through the audited endpoint. */
export function useCallReportCsv() {
  return useMutation({
    mutationFn: ({ f, by, channel }: { f: CallFilter; by: By; channel: Channel }) =>
      download(withQuery('/api/reports/calls', query(f, { by, channel, format: 'csv' })), `calls-by-${by}.csv`),
  });
}

/** Every conversation of the period: a plain link, so the browser streams it to disk and can cancel it. */
export const allCallsCsvHref = (f: CallFilter, channel: Channel) => withQuery('/api/reports/calls/all.csv', query(f, { channel }));

export function useSchedules() {
  return useQuery({ queryKey: ['reports', 'schedules'], queryFn: () => api.get<{ items: Schedule[] }>('/api/reports/schedules') });
}

export function useCreateSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ScheduleInput) => api.post<Schedule>('/api/reports/schedules', input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

export function useDeleteSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/reports/schedules/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

/** The Conversations list with a custom period and the conditions of a figure (channel, direction, agent, tag). */
export function conversationsLink(
  from: string,
  to: string,
  extra: { channels?: string[]; direction?: string; agentId?: string; tags?: string[]; groupId?: string | null } = {},
): string {
  // The group has its own URL parameter on the Conversations screen (useListQuery); the rest is the `f` filter.
  const { groupId, ...rest } = extra;
  const filter = { period: { kind: 'custom', from, to }, ...rest };
  return `/conversations?f=${encodeURIComponent(JSON.stringify(filter))}${groupId ? `&group=${encodeURIComponent(groupId)}` : ''}`;
}
