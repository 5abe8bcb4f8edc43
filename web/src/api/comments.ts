// Comments on a conversation: edit, pin and unpin, and the people the @mention picker offers.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/conversations/comments/schemas.ts';
import { api, request, withQuery } from './client.ts';
import { keys } from './keys.ts';
import type { ConversationComment, Items } from './types.ts';

export type CommentPatch = Static<typeof S.CommentPatch>;
export type MentionableUser = Static<typeof S.MentionableList>['items'][number];

const enc = encodeURIComponent;

export function useUpdateComment(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: CommentPatch }) =>
      api.patch<ConversationComment>(`/api/conversations/${enc(conversationId)}/comments/${enc(id)}`, patch),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.conversations }),
  });
}

/** Who may be mentioned: people who can see the conversation, matching what follows the @. */
/** Who the @mention picker offers, from `path` (a conversation's or an evaluation's mentionable list); null q = closed. */
export function useMentionable(path: string, q: string | null) {
  return useQuery({
    queryKey: ['comments', 'mentionable', path, q ?? ''],
    queryFn: ({ signal }) => request<Items<MentionableUser>>('GET', withQuery(path, { q: q ?? '' }), undefined, signal),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
