// Manual deletion of conversations or their media, and the protection check its dialog shows (issue 12).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../src/compliance/deletion/schemas.ts';
import { api } from '../../../api/client.ts';
import { keys } from '../../../api/keys.ts';

export type Protected = Static<typeof S.ProtectionResult>['items'][number];
export type DeleteRequest = Static<typeof S.DeleteRequest>;

export function useProtection(conversationIds: string[], enabled = true) {
  return useQuery({
    queryKey: ['compliance', 'protection', ...conversationIds],
    queryFn: () => api.post<Static<typeof S.ProtectionResult>>('/api/compliance/protection', { conversationIds }),
    enabled: enabled && conversationIds.length > 0,
  });
}

export function useDeleteConversations() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeleteRequest) => api.post<Static<typeof S.DeleteResult>>('/api/conversations/delete', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.conversations });
      void qc.invalidateQueries({ queryKey: ['compliance'] });
    },
  });
}
