// Call media for the interaction player: the manifest (segments on the conversation timeline, streams per party,
// peaks levels, speech events), reprocessing, downloads (merged MP3, segment WAV) and the conversation's audit list.
// Peaks and audio are fetched by the player itself (binary, ranged); see screens/conversations/player/.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as Media from '../../../src/media/schemas.ts';
import { api, download } from './client.ts';
import { keys } from './keys.ts';

const enc = encodeURIComponent;
const base = (id: string) => `/api/conversations/${enc(id)}`;

// Shapes from the server's schemas (src/media/schemas.ts), type-only.
export type MediaManifest = Static<typeof Media.Manifest>;
export type MediaSegment = Static<typeof Media.MediaSegment>;
export type MediaPartyStream = Static<typeof Media.MediaStream>;
export type PeaksInfo = Static<typeof Media.PeaksInfo>;
export type SpeechEvent = Static<typeof Media.SpeechEvent>;
export type ConversationAuditItem = Static<typeof Media.ConversationAudit>['items'][number];

/** How often the manifest is asked again while the media analysis runs. */
export const MEDIA_POLL_MS = 3000;

export function useMedia(conversationId: string | null) {
  return useQuery({
    queryKey: keys.media(conversationId ?? ''),
    queryFn: () => api.get<MediaManifest>(`${base(conversationId!)}/media`),
    enabled: !!conversationId,
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? MEDIA_POLL_MS : false),
    staleTime: 30_000,
  });
}

export function useReprocessMedia(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ jobId: string }>(`${base(conversationId)}/media/reprocess`),
    onSuccess: () => {
      // The server marks the media pending at once: polling starts with the next manifest.
      void qc.invalidateQueries({ queryKey: keys.media(conversationId) });
      void qc.invalidateQueries({ queryKey: keys.conversationAudit(conversationId) });
    },
  });
}

export function useConversationAudit(conversationId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.conversationAudit(conversationId),
    queryFn: () => api.get<Static<typeof Media.ConversationAudit>>(`${base(conversationId)}/audit`),
    enabled: enabled && !!conversationId,
  });
}

/** A recording download (merged MP3 or segment WAV) under the server's file name; a 409 says which segment is missing. */
export function useMediaDownload(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ url, fallbackName }: { url: string; fallbackName: string }) => download(url, fallbackName),
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.conversationAudit(conversationId) }),
  });
}
