// Administration → Recorder → Sources & parties: the SRC allow-list and the party rules (src/recorder/sources).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/recorder/sources/schemas.ts';
import { api } from './client.ts';
import type { Items } from './types.ts';

export type RecorderSource = Static<typeof S.Source>;
export type RecorderSourceInput = Static<typeof S.SourceCreate>;
export type SourceList = Static<typeof S.SourceList>;
export type PartyRule = Static<typeof S.PartyRule>;
export type PartyRuleInput = Static<typeof S.PartyRuleCreate>;
export type PartyTestResult = Static<typeof S.PartyTestResult>;

const enc = encodeURIComponent;
export const recorderSourceKeys = { sources: ['recorder', 'sources'] as const, rules: ['recorder', 'party-rules'] as const };

export function useRecorderSources() {
  return useQuery({ queryKey: recorderSourceKeys.sources, queryFn: () => api.get<SourceList>('/api/recorder/sources'), refetchInterval: 30_000 });
}

export function useSaveRecorderSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; input: Partial<RecorderSourceInput> }) =>
      v.id ? api.patch<RecorderSource>(`/api/recorder/sources/${enc(v.id)}`, v.input) : api.post<RecorderSource>('/api/recorder/sources', v.input),
    onSettled: () => void qc.invalidateQueries({ queryKey: recorderSourceKeys.sources }),
  });
}

export function useDeleteRecorderSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/recorder/sources/${enc(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: recorderSourceKeys.sources }),
  });
}

export function usePartyRules() {
  return useQuery({ queryKey: recorderSourceKeys.rules, queryFn: () => api.get<Items<PartyRule>>('/api/recorder/party-rules') });
}

export function useSavePartyRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; input: Partial<PartyRuleInput> & { position?: number } }) =>
      v.id ? api.patch<PartyRule>(`/api/recorder/party-rules/${enc(v.id)}`, v.input) : api.post<PartyRule>('/api/recorder/party-rules', v.input),
    onSettled: () => void qc.invalidateQueries({ queryKey: recorderSourceKeys.rules }),
  });
}

export function useDeletePartyRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/recorder/party-rules/${enc(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: recorderSourceKeys.rules }),
  });
}

export function useTestParty() {
  return useMutation({ mutationFn: (aor: string) => api.post<PartyTestResult>('/api/recorder/party-rules/test', { aor }) });
}
