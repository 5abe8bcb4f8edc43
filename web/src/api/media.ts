// Call media for the interaction player: the manifest (segments on the conversation timeline, streams per party,
// peaks levels, speech events), reprocessing, downloads (merged MP3, segment WAV) and the conversation's audit list.
// Peaks and audio are fetched by the player itself (binary, ranged); see screens/conversations/player/.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client.ts';
import { keys } from './keys.ts';

const enc = encodeURIComponent;
const base = (id: string) => `/api/conversations/${enc(id)}`;

export type MediaStatus = 'pending' | 'ready' | 'partial' | 'no_audio';
export type StreamSide = 'calling' | 'called';
export type StreamRole = 'agent' | 'customer' | 'other';

export interface PeaksInfo {
  sampleRate: number;
  totalSamples: number;
  /** Finest first. */
  levels: { samplesPerBucket: number; bucketCount: number }[];
}

export interface MediaPartyStream {
  id: string;
  party: string;
  role: StreamRole | string;
  side: StreamSide | null | string;
  name: string | null;
  status: 'ok' | 'no_audio' | 'pending' | string;
  reason: string | null;
  sampleRate: number;
  durationMs: number;
  talkMs: number;
  soloUrl: string | null;
  peaksUrl: string | null;
  peaks: PeaksInfo | null;
}

export interface MediaSegment {
  id: string;
  kind: 'call' | 'screen' | 'chat' | 'email' | string;
  contactId: string;
  /** Offsets on the conversation timeline (ms from the conversation's start). */
  startMs: number;
  endMs: number;
  recordedAt: string;
  monitor: number | null;
  mixUrl: string | null;
  downloadWavUrl: string | null;
  videoUrl: string | null;
  streams: MediaPartyStream[];
}

export interface SpeechEvent {
  type: 'silence' | 'crosstalk' | 'hold' | 'gap' | string;
  startMs: number;
  endMs: number;
  parties: string[];
  source: string;
}

export interface MediaManifest {
  conversationId: string;
  startedAt: string;
  durationMs: number;
  status: MediaStatus | null | string;
  holdCount: number;
  segments: MediaSegment[];
  events: SpeechEvent[];
  wrapUp: { startMs: number; endMs: number } | null;
  exportMp3Url: string;
}

export interface ConversationAuditItem {
  id: string;
  at: string;
  action: string;
  label: string;
  initiator: string | null;
  details: string | null;
}

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
    queryFn: () => api.get<{ items: ConversationAuditItem[] }>(`${base(conversationId)}/audit`),
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
