// Archiving (issue 12): the tenant's settings, primary/secondary targets, connection test, runs and transfers.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../../src/compliance/archive/schemas.ts';
import { api, withQuery } from '../../../../api/client.ts';

export type ArchiveOverview = Static<typeof S.ArchiveOverview>;
export type TargetView = Static<typeof S.TargetView>;
export type TargetInput = Static<typeof S.TargetInput>;
export type ConfigInput = Static<typeof S.ConfigInput>;
export type TestResult = Static<typeof S.TestResult>;
export type ArchiveItem = Static<typeof S.ArchiveItem>;
export type Role = 'primary' | 'secondary';

const enc = encodeURIComponent;
export const archiveKeys = {
  all: ['archive'] as const,
  overview: ['archive', 'overview'] as const,
  items: (status: string | null, role: string | null) => ['archive', 'items', status, role] as const,
  conversation: (id: string) => ['archive', 'conversation', id] as const,
};

export function useArchive() {
  return useQuery({
    queryKey: archiveKeys.overview,
    queryFn: () => api.get<ArchiveOverview>('/api/archive'),
    // While copies wait or a run is going, the counts move: look again now and then.
    refetchInterval: (q) => {
      const d = q.state.data;
      const busy = d?.run?.status === 'running' || d?.run?.status === 'queued' || (d?.primary?.counts.pending ?? 0) + (d?.secondary?.counts.pending ?? 0) > 0;
      return busy ? 5000 : false;
    },
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: archiveKeys.all });
}

export function useSaveConfig() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConfigInput) => api.put<ArchiveOverview>('/api/archive/settings', body),
    onSuccess: (data) => qc.setQueryData(archiveKeys.overview, data),
  });
}

export function usePreviewTemplate() {
  return useMutation({
    mutationFn: (body: { nameTemplate: string; timeZone: string }) => api.post<{ example: string }>('/api/archive/template-preview', body),
  });
}

export function useSaveTarget(role: Role) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TargetInput) => api.put<ArchiveOverview>(`/api/archive/targets/${role}`, body),
    onSuccess: (data) => qc.setQueryData(archiveKeys.overview, data),
  });
}

export function useRemoveTarget(role: Role) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.del(`/api/archive/targets/${role}`), onSuccess: invalidate });
}

export function useTestTarget(role: Role) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (target: TargetInput | null) => api.post<TestResult>(`/api/archive/targets/${role}/test`, target ? { target } : {}),
    onSuccess: invalidate,
  });
}

export function useRunNow() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.post<{ queued: boolean; jobId: string | null }>('/api/archive/run'), onSuccess: invalidate });
}

export function useRetryFailed() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.post<{ retried: number }>('/api/archive/items/retry'), onSuccess: invalidate });
}

export function useArchiveItems(status: string | null, role: string | null) {
  return useInfiniteQuery({
    queryKey: archiveKeys.items(status, role),
    queryFn: ({ pageParam }) =>
      api.get<Static<typeof S.ItemsPage>>(
        withQuery('/api/archive/items', { status: status ?? undefined, role: role ?? undefined, cursor: pageParam ?? undefined }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useConversationArchive(conversationId: string, enabled = true) {
  return useQuery({
    queryKey: archiveKeys.conversation(conversationId),
    queryFn: () => api.get<{ items: ArchiveItem[] }>(`/api/conversations/${enc(conversationId)}/archive`),
    enabled,
  });
}
