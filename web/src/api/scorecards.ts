// Scorecards for Quality → Scorecards: the list, one scorecard with its versions, and create, save (in place or as a
// new version), archive / unarchive and duplicate.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/scorecards/schemas.ts';
import { api } from './client.ts';
import type { Items } from './types.ts';

export type ScorecardSummary = Static<typeof S.ScorecardSummary>;
export type Scorecard = Static<typeof S.Scorecard>;
export type ScorecardCreateInput = Static<typeof S.ScorecardCreate>;
export type ScorecardUpdateInput = Static<typeof S.ScorecardUpdate>;
export type ArchivedFilter = 'active' | 'archived' | 'all';

const enc = encodeURIComponent;

/** Every scorecard query starts with 'scorecards', so one invalidation refreshes lists, details and pickers. */
export const scorecardKeys = {
  all: ['scorecards'] as const,
  list: (archived: ArchivedFilter) => ['scorecards', 'list', archived] as const,
  detail: (id: string) => ['scorecards', 'detail', id] as const,
};

export function useScorecards(archived: ArchivedFilter = 'active') {
  return useQuery({ queryKey: scorecardKeys.list(archived), queryFn: () => api.get<Items<ScorecardSummary>>('/api/scorecards', { archived }) });
}

export function useScorecard(id: string | null) {
  return useQuery({ queryKey: scorecardKeys.detail(id ?? ''), queryFn: () => api.get<Scorecard>(`/api/scorecards/${enc(id!)}`), enabled: id !== null });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: scorecardKeys.all });
}

export function useSaveScorecard() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; input: ScorecardUpdateInput } | { id?: undefined; input: ScorecardCreateInput }) =>
      v.id ? api.put<Scorecard & { newVersion: boolean }>(`/api/scorecards/${enc(v.id)}`, v.input) : api.post<Scorecard>('/api/scorecards', v.input),
    onSuccess: invalidate,
  });
}

export function useArchiveScorecard() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; archive: boolean }) => api.post<Scorecard>(`/api/scorecards/${enc(v.id)}/${v.archive ? 'archive' : 'unarchive'}`, {}),
    onSuccess: invalidate,
  });
}

export function useDuplicateScorecard() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; name?: string }) => api.post<Scorecard>(`/api/scorecards/${enc(v.id)}/duplicate`, v.name ? { name: v.name } : {}),
    onSuccess: invalidate,
  });
}
