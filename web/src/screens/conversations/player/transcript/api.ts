// The transcript panel's server calls: the conversation's transcript (polled while it is being made), asking for it
// again, its speech-tag hits (when the server has them), and the downloads (TXT, SRT, WebVTT, JSON).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, isApiError } from '../../../../api/client.ts';
import { keys } from '../../../../api/keys.ts';

const base = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

/** As src/speech/schemas.ts names them; "none": never queued (a call from before transcription). */
export type TranscriptStatus = 'none' | 'pending' | 'ready' | 'no_speech' | 'no_engine' | 'failed';

export interface TranscriptWordView {
  w: string;
  s: number;
  e: number;
  c: number | null;
}

export interface TranscriptUtterance {
  id: string;
  role: 'agent' | 'customer' | 'unknown';
  partyKey: string | null;
  segmentId?: string | null;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
  words: TranscriptWordView[];
  redacted: boolean;
}

/** GET /api/conversations/:id/transcript (src/speech/schemas.ts `Transcript`; the fields the panel reads). */
export interface Transcript {
  status: TranscriptStatus | null;
  reason: string | null;
  engine: string | null;
  language: string | null;
  createdAt: string | null;
  /** True when this reader gets the redacted view. */
  redacted?: boolean;
  utterances: TranscriptUtterance[];
}

/** A speech tag heard in the call (a mark on the words it covers). */
export interface SpeechTagMark {
  startMs: number;
  endMs: number;
  label: string;
  confidence: number | null;
  /** The utterance it was spotted in, when known (then only its words are marked, not the other speaker's). */
  utteranceId: string | null;
}

export const transcriptKey = (id: string) => ['transcript', id] as const;
const speechTagsKey = (id: string) => ['transcript', id, 'speechTags'] as const;

/** How often the transcript is asked again while it is being made. */
export const TRANSCRIPT_POLL_MS = 4000;

export function useTranscript(conversationId: string) {
  return useQuery({
    queryKey: transcriptKey(conversationId),
    queryFn: () => api.get<Transcript>(`${base(conversationId)}/transcript`),
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? TRANSCRIPT_POLL_MS : false),
    staleTime: 30_000,
  });
}

export function useRetranscribe(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>(`${base(conversationId)}/transcribe`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: transcriptKey(conversationId) }),
  });
}

interface RawTagHit {
  startMs?: number;
  endMs?: number | null;
  name?: string;
  phrase?: string;
  label?: string;
  tag?: string | { name?: string };
  confidence?: number | null;
  utteranceId?: string | null;
}

/** Speech-tag hits of the conversation; none where the server has no such route (older servers) or refuses it. */
export function useSpeechTagMarks(conversationId: string) {
  return useQuery({
    queryKey: speechTagsKey(conversationId),
    queryFn: async (): Promise<SpeechTagMark[]> => {
      try {
        const res = await api.get<{ items?: RawTagHit[] } | RawTagHit[]>(`${base(conversationId)}/speech-tags`);
        const items = Array.isArray(res) ? res : (res?.items ?? []);
        return items
          .filter((h) => typeof h.startMs === 'number')
          .map((h) => ({
            startMs: h.startMs!,
            endMs: typeof h.endMs === 'number' ? h.endMs : h.startMs! + 1000,
            label: h.name ?? h.phrase ?? h.label ?? (typeof h.tag === 'string' ? h.tag : h.tag?.name) ?? '',
            confidence: h.confidence ?? null,
            utteranceId: h.utteranceId ?? null,
          }));
      } catch (e) {
        if (isApiError(e) && (e.status === 404 || e.status === 403)) return [];
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export type TranscriptFormat = 'txt' | 'srt' | 'vtt' | 'json';

export function useTranscriptDownload(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (format: TranscriptFormat) => download(`${base(conversationId)}/transcript.${format}`, `${conversationId}_transcript.${format}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.conversationAudit(conversationId) }),
  });
}
