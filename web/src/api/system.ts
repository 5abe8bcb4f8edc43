// Tenant settings, the audit trail and background jobs.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { AuditEvent, AuditFilters, AuditVerify, AuditVocabulary, Items, Job, Settings } from './types.ts';

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => api.get<Settings>('/api/settings') });
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Settings>) => api.patch<Settings>('/api/settings', patch),
    onSuccess: (s) => {
      qc.setQueryData(keys.settings, s);
      void qc.invalidateQueries({ queryKey: keys.me });
    },
  });
}

export const AUDIT_PAGE_SIZE = 50;

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: keys.auditList(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditEvent[]; nextCursor: string | null }>('/api/audit', {
        ...filters,
        limit: AUDIT_PAGE_SIZE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The resource types and actions that occur in the trail: the filters' suggestions (new ones appear without a UI change). */
export function useAuditVocabulary() {
  return useQuery({ queryKey: keys.auditVocabulary, queryFn: () => api.get<AuditVocabulary>('/api/audit/vocabulary'), staleTime: 60_000 });
}

export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api.get<AuditVerify>('/api/audit/verify') });
}

export const JOBS_REFRESH_MS = 3000;

export function useJobs(status: string, type: string) {
  return useQuery({
    queryKey: keys.jobs(status, type),
    queryFn: () => api.get<Items<Job>>('/api/jobs', { status, type }),
    refetchInterval: JOBS_REFRESH_MS,
  });
}
