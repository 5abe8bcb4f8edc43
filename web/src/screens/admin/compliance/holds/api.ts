// Legal holds (issue 12): list, place by rule or list, change, release, and the conversations each keeps.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../../src/compliance/holds/schemas.ts';
import { api } from '../../../../api/client.ts';

export type Hold = Static<typeof S.Hold>;
export type HoldCreate = Static<typeof S.HoldCreate>;
export type HoldPatch = Static<typeof S.HoldPatch>;

const enc = encodeURIComponent;
const KEY = ['compliance', 'holds'] as const;

export function useHolds(enabled = true) {
  return useQuery({ queryKey: KEY, queryFn: () => api.get<{ items: Hold[] }>('/api/compliance/holds'), enabled });
}

function useHoldMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }) });
}

export const useCreateHold = () => useHoldMutation((body: HoldCreate) => api.post<Hold>('/api/compliance/holds', body));
export const useUpdateHold = () =>
  useHoldMutation(({ id, patch }: { id: string; patch: HoldPatch }) => api.patch<Hold>(`/api/compliance/holds/${enc(id)}`, patch));
export const useReleaseHold = () =>
  useHoldMutation(({ id, reason }: { id: string; reason: string }) => api.post<Hold>(`/api/compliance/holds/${enc(id)}/release`, { reason }));
export const useAddToHold = () =>
  useHoldMutation(({ id, conversationIds }: { id: string; conversationIds: string[] }) =>
    api.post<{ changed: number; conversations: number }>(`/api/compliance/holds/${enc(id)}/conversations`, { conversationIds }),
  );
export const useRemoveFromHold = () =>
  useHoldMutation(({ id, conversationIds }: { id: string; conversationIds: string[] }) =>
    api.post<{ changed: number; conversations: number }>(`/api/compliance/holds/${enc(id)}/conversations/remove`, { conversationIds }),
  );

export function useHoldConversations(id: string | null) {
  return useInfiniteQuery({
    queryKey: [...KEY, id, 'conversations'],
    queryFn: ({ pageParam }) =>
      api.get<Static<typeof S.HoldMemberPage>>(`/api/compliance/holds/${enc(id!)}/conversations`, { after: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    enabled: Boolean(id),
  });
}
