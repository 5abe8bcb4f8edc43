// Compliance setup (what anonymization overwrites) and anonymization itself: the preview the permanent dialog shows,
// one conversation at once, or a search's conversations as a run with progress (issue 12).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { Static } from 'typebox';
import type * as Setup from '../../../src/compliance/setup/schemas.ts';
import type * as S from '../../../src/compliance/anonymize/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { Items } from './types.ts';

export type ComplianceSetup = Static<typeof Setup.SetupView>;
export type ComplianceSetupInput = Static<typeof Setup.SetupInput>;
export type AnonymizePreview = Static<typeof S.Preview>;
export type AnonymizeResult = Static<typeof S.Result>;
export type AnonymizationRun = Static<typeof S.Run>;
export type AudioChoice = Static<typeof S.Audio>;
/** The conversations a dialog is about: a selection, or every match of a search filter. */
export type AnonymizeSelection = { conversationIds: string[] } | { filter: unknown };

export const anonymizationKeys = {
  setup: ['compliance', 'setup'] as const,
  runs: ['compliance', 'anonymizations'] as const,
  run: (id: string) => ['compliance', 'anonymizations', id] as const,
};
const enc = encodeURIComponent;

export function useComplianceSetup(enabled = true) {
  return useQuery({ queryKey: anonymizationKeys.setup, queryFn: () => api.get<ComplianceSetup>('/api/compliance/setup'), enabled });
}

export function useSaveComplianceSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ComplianceSetupInput) => api.put<ComplianceSetup>('/api/compliance/setup', input),
    onSuccess: (data) => qc.setQueryData(anonymizationKeys.setup, data),
  });
}

export function useAnonymizePreview(selection: AnonymizeSelection | null) {
  return useQuery({
    queryKey: ['compliance', 'preview', selection] as const,
    queryFn: () => api.post<AnonymizePreview>('/api/compliance/anonymize/preview', selection),
    enabled: selection !== null,
    staleTime: 0,
    gcTime: 0,
  });
}

function useInvalidateConversations() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.conversations });
    // Exact: a run's own query sits under this key and calls this when it is done (a prefix would refetch it forever).
    void qc.invalidateQueries({ queryKey: anonymizationKeys.runs, exact: true });
  };
}

export function useAnonymizeConversation() {
  const invalidate = useInvalidateConversations();
  return useMutation({
    mutationFn: (v: { conversationId: string; audio?: AudioChoice }) =>
      api.post<AnonymizeResult>(`/api/conversations/${enc(v.conversationId)}/anonymize`, { confirm: true, ...(v.audio ? { audio: v.audio } : {}) }),
    onSuccess: invalidate,
  });
}

export function useStartAnonymization() {
  const invalidate = useInvalidateConversations();
  return useMutation({
    mutationFn: (v: { selection: AnonymizeSelection; audio?: AudioChoice }) =>
      api.post<AnonymizationRun>('/api/compliance/anonymizations', { ...v.selection, confirm: true, ...(v.audio ? { audio: v.audio } : {}) }),
    onSuccess: invalidate,
  });
}

/** A run, polled every second while it is queued or running. */
export function useAnonymizationRun(id: string | null) {
  const invalidate = useInvalidateConversations();
  const finished = useRef(false);
  return useQuery({
    queryKey: anonymizationKeys.run(id ?? ''),
    queryFn: async () => {
      const run = await api.get<AnonymizationRun>(`/api/compliance/anonymizations/${enc(id!)}`);
      if (run.status === 'done' && !finished.current) {
        finished.current = true;
        invalidate();
      }
      return run;
    },
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 1000),
  });
}

export function useAnonymizationRuns(enabled = true) {
  return useQuery({
    queryKey: anonymizationKeys.runs,
    queryFn: () => api.get<Items<AnonymizationRun>>('/api/compliance/anonymizations'),
    enabled,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ? 2000 : false),
  });
}
