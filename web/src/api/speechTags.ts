// Speech tag definitions (Administration → Speech tags) and their hits: the player's timeline markers and the
// conversation list's icons.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/speech/tags/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { Items } from './types.ts';

export type SpeechTag = Static<typeof S.SpeechTag>;
export type SpeechTagInput = Static<typeof S.SpeechTagCreate>;
export type SpeechTagHit = Static<typeof S.SpeechTagHit>;
export type SpeechTagLevel = Static<typeof S.Level>;
export type SpeechTagSummary = Static<typeof S.SpeechTagSummary>;

const enc = encodeURIComponent;
const spotting = (items: SpeechTag[] | undefined) => items?.some((s) => s.spotting && (s.spotting.status === 'queued' || s.spotting.status === 'running'));

/** The definitions with their counts; polled while a tag is being spotted over stored transcripts. */
export function useSpeechTags(enabled = true) {
  return useQuery({
    queryKey: keys.speechTags,
    queryFn: () => api.get<Items<SpeechTag>>('/api/speech-tags'),
    enabled,
    refetchInterval: (q) => (spotting(q.state.data?.items) ? 2000 : false),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.speechTags });
    // The search filter lists the speech tags.
    void qc.invalidateQueries({ queryKey: keys.searchOptions });
  };
}

export function useSaveSpeechTag() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SpeechTagInput }) =>
      id ? api.patch<SpeechTag>(`/api/speech-tags/${enc(id)}`, input) : api.post<SpeechTag>('/api/speech-tags', input),
    onSuccess: invalidate,
  });
}

export function useDeleteSpeechTag() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/speech-tags/${enc(id)}`), onSuccess: invalidate });
}

/** The hits on one conversation, in time order. */
export function useConversationSpeechTags(conversationId: string | null) {
  return useQuery({
    queryKey: keys.conversationSpeechTags(conversationId ?? ''),
    queryFn: () => api.get<Items<SpeechTagHit>>(`/api/conversations/${enc(conversationId!)}/speech-tags`),
    enabled: !!conversationId,
  });
}

/** Per conversation of the loaded result pages: the tags it has hits of (asked 200 ids at a time, as the API takes). */
export function useSpeechTagSummary(conversationIds: string[]) {
  const chunks: string[] = [];
  for (let i = 0; i < conversationIds.length; i += 200) chunks.push(conversationIds.slice(i, i + 200).join(','));
  const results = useQueries({
    queries: chunks.map((ids) => ({
      queryKey: keys.speechTagSummary(ids),
      queryFn: () => api.get<SpeechTagSummary>('/api/speech-tags/summary', { conversationIds: ids }),
      staleTime: 30_000,
    })),
  });
  return new Map(results.flatMap((r) => r.data?.items ?? []).map((i) => [i.conversationId, i.tags]));
}
