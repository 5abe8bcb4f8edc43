// The Settings screen's speech calls: which engines can run on the server, and "transcribe every call again".
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as Speech from '../../../../../src/speech/schemas.ts';
import { api } from '../../../api/client.ts';

export type SpeechEngines = Static<typeof Speech.SpeechEngines>;

/** The job the "Transcribe all calls again" button starts (shown on the admin Jobs page). */
export const RETRANSCRIBE_JOB = 'speech.retranscribe';

/** The engine choices of the settings, in the order shown ("auto" picks the best available one). */
export const ENGINE_CHOICES = ['auto', 'none', 'pocketsphinx', 'openai', 'local'] as const;

export function useSpeechEngines() {
  return useQuery({ queryKey: ['speech', 'engines'], queryFn: () => api.get<SpeechEngines>('/api/speech/engines') });
}

export function useRetranscribeAll() {
  return useMutation({ mutationFn: () => api.post<{ jobId: string }>('/api/speech/retranscribe', {}) });
}

/** Vocabulary as typed in the textarea (one entry per line) → the list the server stores. */
export function vocabularyFromText(text: string): string[] {
  return [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ];
}
