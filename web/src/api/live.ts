// Live monitoring, recording control and recording assurance (issue 13): active calls and chats, start/stop/pause/
// resume, recording modes, Recording health, and a conversation's recording details (the player's quality lane).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as A from '../../../src/recorder/assurance/schemas.ts';
import type * as C from '../../../src/recorder/control/schemas.ts';
import type * as L from '../../../src/recorder/live/schemas.ts';
import { api, withQuery } from './client.ts';
import type { Items } from './types.ts';

export type LiveCall = Static<typeof L.LiveCall>;
export type LiveChat = Static<typeof L.LiveChat>;
export type LiveList = Static<typeof L.LiveList>;
export type LiveQuery = Static<typeof L.LiveQuery>;
export type ControlAction = C.ControlAction;
export type ControlResult = Static<typeof C.ControlResult>;
export type RecordingMode = Static<typeof C.RecordingMode>;
export type RecordingModeEntry = Static<typeof C.RecordingModeEntry>;
export type RecordingModeInput = Static<typeof C.RecordingModeInput>;
export type RecordingHealth = Static<typeof A.RecordingHealth>;
export type ConversationRecording = Static<typeof A.ConversationRecording>;

const enc = encodeURIComponent;

export const liveKeys = {
  all: ['live'] as const,
  list: (q: LiveQuery) => ['live', 'list', q] as const,
  modes: ['recorder', 'modes'] as const,
  health: (days: number) => ['recorder', 'health', days] as const,
  recording: (conversationId: string) => ['recorder', 'recording', conversationId] as const,
};

/** The Live screen's list, refreshed every 2 s (durations tick on the client between refreshes). */
export function useLive(q: LiveQuery) {
  return useQuery({
    queryKey: liveKeys.list(q),
    queryFn: () => api.get<LiveList>(withQuery('/api/live', q)),
    refetchInterval: 2000,
  });
}

export function useControlRecording() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callRef, action }: { callRef: string; action: ControlAction }) => api.post<ControlResult>(`/api/recordings/${enc(callRef)}/${action}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: liveKeys.all }),
  });
}

export function useRecordingModes(enabled = true) {
  return useQuery({ queryKey: liveKeys.modes, queryFn: () => api.get<Items<RecordingModeEntry>>('/api/recorder/recording-modes'), enabled });
}

export function useSaveRecordingMode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; input: RecordingModeInput }) =>
      v.id
        ? api.patch<RecordingModeEntry>(`/api/recorder/recording-modes/${enc(v.id)}`, { mode: v.input.mode, note: v.input.note ?? null })
        : api.post<RecordingModeEntry>('/api/recorder/recording-modes', v.input),
    onSettled: () => void qc.invalidateQueries({ queryKey: liveKeys.modes }),
  });
}

export function useDeleteRecordingMode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/recorder/recording-modes/${enc(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: liveKeys.modes }),
  });
}

export function useRecordingHealth(days: number) {
  return useQuery({
    queryKey: liveKeys.health(days),
    queryFn: () => api.get<RecordingHealth>(withQuery('/api/recorder/health', { days })),
    refetchInterval: 30_000,
  });
}

export function useConversationRecording(conversationId: string | null) {
  return useQuery({
    queryKey: liveKeys.recording(conversationId ?? ''),
    queryFn: () => api.get<ConversationRecording>(`/api/conversations/${enc(conversationId!)}/recording`),
    enabled: Boolean(conversationId),
    staleTime: 60_000,
  });
}

/** The listen-in WebSocket's address for a call (same origin; ws: or wss: as the page). */
export function listenUrl(callId: string, label: string | null): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}${withQuery(`/api/live/calls/${enc(callId)}/listen`, { label })}`;
}

/** Calls being recorded now in the user's scope (the Conversations screen's "Active calls"). */
export function useActiveCallCount(enabled: boolean) {
  return useQuery({ queryKey: ['live', 'count'], queryFn: () => api.get<{ calls: number }>('/api/live/count'), enabled, refetchInterval: 10_000 });
}
