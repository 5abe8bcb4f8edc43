// Moments (issue 11): named clips of a conversation, the library, and their external share links.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/moments/schemas.ts';
import { api, withQuery } from './client.ts';
import type { Items } from './types.ts';

export type Moment = Static<typeof S.Moment>;
export type MomentShare = Static<typeof S.Share>;
export type ShareCreated = Static<typeof S.ShareCreated>;
export type MomentCreate = Static<typeof S.MomentCreate>;
export const MAX_MOMENT_MS = 10 * 60_000;
export const MIN_MOMENT_MS = 500;

const enc = encodeURIComponent;

export const momentKeys = {
  all: ['moments'] as const,
  ofConversation: (id: string) => ['moments', 'conversation', id] as const,
  library: (q: string, mine: boolean) => ['moments', 'library', q, mine] as const,
};

export function useConversationMoments(conversationId: string | null, enabled = true) {
  return useQuery({
    queryKey: momentKeys.ofConversation(conversationId ?? ''),
    queryFn: () => api.get<Items<Moment>>(`/api/conversations/${enc(conversationId!)}/moments`),
    enabled: enabled && Boolean(conversationId),
    // A clip being rendered: look again until it is ready.
    refetchInterval: (q) => (q.state.data?.items.some((m) => m.status === 'pending') ? 3000 : false),
  });
}

export function useMomentLibrary(q: string, mine: boolean) {
  return useInfiniteQuery({
    queryKey: momentKeys.library(q, mine),
    queryFn: ({ pageParam }) => api.get<Static<typeof S.MomentList>>(withQuery('/api/moments', { q, mine: mine || undefined, cursor: pageParam ?? undefined })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some((m) => m.status === 'pending')) ? 3000 : false),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: momentKeys.all });
}

export function useCreateMoment(conversationId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: MomentCreate) => api.post<Moment>(`/api/conversations/${enc(conversationId)}/moments`, body),
    onSuccess: invalidate,
  });
}

export function useUpdateMoment() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { name?: string; note?: string | null } }) => api.patch<Moment>(`/api/moments/${enc(id)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteMoment() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/moments/${enc(id)}`), onSuccess: invalidate });
}

export function useCreateShare() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, expiresInDays }: { id: string; expiresInDays: number }) => api.post<ShareCreated>(`/api/moments/${enc(id)}/shares`, { expiresInDays }),
    onSuccess: invalidate,
  });
}

export function useRevokeShare() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, shareId }: { id: string; shareId: string }) => api.del(`/api/moments/${enc(id)}/shares/${enc(shareId)}`),
    onSuccess: invalidate,
  });
}
