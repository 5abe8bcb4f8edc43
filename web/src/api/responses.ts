// Agents' responses to evaluations (issue 11): "My results" (acknowledge, dispute), the disputes an evaluator or
// manager answers (re-affirm; re-evaluating is the evaluation form's submit), and the user's notification preferences.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/responses/schemas.ts';
import type * as P from '../../../src/notify/preferences/schemas.ts';
import { api } from './client.ts';

export type Result = Static<typeof S.Result>;
export type Results = Static<typeof S.Results>;
export type Dispute = Static<typeof S.Dispute>;
export type Disputes = Static<typeof S.Disputes>;
export type NotificationPreference = Static<typeof P.NotificationPreference>;
export type NotificationEvent = NotificationPreference['event'];

const enc = encodeURIComponent;

/** Responses change evaluations too: every key here starts with 'evaluations' so the queues refresh with them. */
export const responseKeys = {
  all: ['evaluations'] as const,
  results: (state: 'pending' | 'all') => ['evaluations', 'results', state] as const,
  disputes: (state: 'open' | 'resolved' | 'all') => ['evaluations', 'disputes', state] as const,
  prefs: ['me', 'notification-preferences'] as const,
};

export function useResults(state: 'pending' | 'all') {
  return useQuery({
    queryKey: responseKeys.results(state),
    queryFn: () => api.get<Results>('/api/quality/results', { state, limit: 200 }),
    placeholderData: keepPreviousData,
  });
}

export function useDisputes(state: 'open' | 'resolved' | 'all') {
  return useQuery({
    queryKey: responseKeys.disputes(state),
    queryFn: () => api.get<Disputes>('/api/quality/disputes', { state, limit: 200 }),
    placeholderData: keepPreviousData,
  });
}

function useRefresh() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: responseKeys.all });
}

export function useAcknowledge() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (v: { id: string; comment?: string }) => api.post<Result>(`/api/evaluations/${enc(v.id)}/acknowledge`, v.comment ? { comment: v.comment } : {}),
    onSuccess: refresh,
  });
}

export function useDispute() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (v: { id: string; reason: string }) => api.post<Result>(`/api/evaluations/${enc(v.id)}/dispute`, { reason: v.reason }),
    onSuccess: refresh,
  });
}

export function useReaffirm() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (v: { id: string; comment: string }) => api.post<Dispute>(`/api/evaluations/${enc(v.id)}/reaffirm`, { comment: v.comment }),
    onSuccess: refresh,
  });
}

export function useNotificationPreferences() {
  return useQuery({ queryKey: responseKeys.prefs, queryFn: () => api.get<{ items: NotificationPreference[] }>('/api/me/notification-preferences') });
}

export function useSaveNotificationPreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: Array<{ event: NotificationEvent; email: boolean }>) =>
      api.put<{ items: NotificationPreference[] }>('/api/me/notification-preferences', { items }),
    onSuccess: (data) => qc.setQueryData(responseKeys.prefs, data),
  });
}
