// Retention policies, their dry-run preview, an on-demand purge and the deletions record (issue 12).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as D from '../../../../../../src/compliance/deletion/schemas.ts';
import type * as S from '../../../../../../src/compliance/retention/schemas.ts';
import { api } from '../../../../api/client.ts';

export type RetentionPolicy = Static<typeof S.RetentionPolicy>;
export type RetentionPut = Static<typeof S.RetentionPut>;
export type RetentionPreview = Static<typeof S.RetentionPreview>;
export type RetentionConditions = Static<typeof S.RetentionConditions>;
export type Deletion = Static<typeof D.DeletionList>['items'][number];

const KEY = ['compliance', 'retention'] as const;
const DELETIONS = ['compliance', 'deletions'] as const;

export function useRetention() {
  return useQuery({ queryKey: KEY, queryFn: () => api.get<RetentionPolicy>('/api/compliance/retention') });
}

export function useSaveRetention() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RetentionPut) => api.put<RetentionPolicy>('/api/compliance/retention', body),
    onSuccess: (data) => qc.setQueryData(KEY, data),
  });
}

export function usePreviewRetention() {
  return useMutation({
    mutationFn: (policy: Omit<RetentionPut, 'confirmDeleteAll'>) => api.post<RetentionPreview>('/api/compliance/retention/preview', { policy }),
  });
}

export function useRunPurge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ jobId: string }>('/api/compliance/retention/run', {}),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      void qc.invalidateQueries({ queryKey: DELETIONS });
    },
  });
}

export function useDeletions(enabled = true) {
  return useQuery({
    queryKey: DELETIONS,
    queryFn: () => api.get<Static<typeof D.DeletionList>>('/api/compliance/deletions', { limit: 50 }),
    enabled,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'planned' || d.status === 'shredded') ? 3000 : false),
  });
}
