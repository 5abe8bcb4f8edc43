// Offline interactions (issue 11): contacts not recorded here, added by hand (with an optional file) to be evaluated.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/offline/schemas.ts';
import { ApiError, api, withQuery } from './client.ts';
import { keys } from './keys.ts';

export type OfflineInteraction = Static<typeof S.OfflineInteraction>;
export type OfflineMetadata = Static<typeof S.OfflineMetadata>;
export type OfflineChannel = OfflineMetadata['channel'];
export const OFFLINE_CHANNELS: OfflineChannel[] = ['phone', 'in_person', 'email', 'chat', 'social', 'letter', 'other'];

const enc = encodeURIComponent;

export const offlineKeys = {
  all: ['offline'] as const,
  list: ['offline', 'list'] as const,
  one: (id: string) => ['offline', 'one', id] as const,
};

export function useOfflineList() {
  return useInfiniteQuery({
    queryKey: offlineKeys.list,
    queryFn: ({ pageParam }) => api.get<Static<typeof S.OfflineList>>(withQuery('/api/offline-interactions', { cursor: pageParam ?? undefined })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useOffline(conversationId: string, enabled = true) {
  return useQuery({
    queryKey: offlineKeys.one(conversationId),
    queryFn: () => api.get<OfflineInteraction>(`/api/offline-interactions/${enc(conversationId)}`),
    enabled: enabled && Boolean(conversationId),
  });
}

/** Sends the metadata first, then the file (the server reads them in that order). Errors are ApiErrors. */
export async function createOffline(meta: OfflineMetadata, file: File | null): Promise<OfflineInteraction> {
  const form = new FormData();
  form.append('metadata', JSON.stringify(meta));
  if (file) form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch('/api/offline-interactions', { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'Network error');
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | undefined;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details);
  return body as unknown as OfflineInteraction;
}

export function useCreateOffline() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ meta, file }: { meta: OfflineMetadata; file: File | null }) => createOffline(meta, file),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: offlineKeys.all });
      void qc.invalidateQueries({ queryKey: keys.conversations });
    },
  });
}

export function useUpdateOfflineNotes(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (notes: string) => api.patch<OfflineInteraction>(`/api/offline-interactions/${enc(conversationId)}`, { notes }),
    onSuccess: (o) => {
      qc.setQueryData(offlineKeys.one(conversationId), o);
      void qc.invalidateQueries({ queryKey: offlineKeys.list });
    },
  });
}
