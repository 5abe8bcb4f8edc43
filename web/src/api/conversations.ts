// Conversations: the list, one conversation, its tags, comments and custom fields, and the JSON export.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, download } from './client.ts';
import { keys } from './keys.ts';
import { searchConversations } from './search.ts';
import type {
  CommentInput,
  ConversationComment,
  ConversationDetail,
  ConversationListQuery,
  CustomFieldDefinition,
  Items,
  SearchPage,
  TagDefinition,
} from './types.ts';

const enc = encodeURIComponent;
const base = (id: string) => `/api/conversations/${enc(id)}`;

/** How long a result page counts as fresh: a search just run to check a filter is shown without asking again. */
const LIST_STALE_MS = 15_000;

/** The search results (POST /api/conversations/search), one keyset page at a time ("Load more"). */
export function useConversationList(query: ConversationListQuery) {
  return useInfiniteQuery({
    queryKey: keys.conversationList(query),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => searchConversations(query.filter, query.limit, pageParam, signal),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: LIST_STALE_MS,
  });
}

/** Puts a first page already fetched (while checking a filter) in the cache, so switching to it asks nothing. */
export function primeConversationList(qc: QueryClient, query: ConversationListQuery, page: SearchPage) {
  qc.setQueryData<InfiniteData<SearchPage, string | null>>(keys.conversationList(query), { pages: [page], pageParams: [null] });
}

export function useConversation(id: string | null) {
  return useQuery({
    queryKey: keys.conversation(id ?? ''),
    queryFn: () => api.get<ConversationDetail>(base(id!)),
    enabled: !!id,
  });
}

export const mediaUrl = (conversationId: string, streamId: string) => `${base(conversationId)}/streams/${enc(streamId)}/media`;

/** Downloads the conversation as JSON under the server's file name (`<id>_<timestamp>.json`). */
export const useExportConversation = () => useMutation({ mutationFn: (id: string) => download(`${base(id)}/export`, `${id}.json`) });

export function useTagDefinitions(enabled = true) {
  return useQuery({
    queryKey: keys.tagDefinitions,
    queryFn: () => api.get<Items<TagDefinition>>('/api/tags'),
    enabled,
    staleTime: 60_000,
  });
}

export function useCustomFieldDefinitions() {
  return useQuery({
    queryKey: keys.customFieldDefinitions,
    queryFn: () => api.get<Items<CustomFieldDefinition>>('/api/custom-fields'),
    staleTime: 60_000,
  });
}

/** A change to one conversation: refresh it and the list rows that summarise it. */
function useConversationMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.conversations }),
  });
}

export const useAddTag = (conversationId: string) =>
  useConversationMutation((input: { tagId: string; comment?: string }) => api.post(`${base(conversationId)}/tags`, input));

export const useRemoveTag = (conversationId: string) => useConversationMutation((tagId: string) => api.del(`${base(conversationId)}/tags/${enc(tagId)}`));

export const useAddComment = (conversationId: string) =>
  useConversationMutation((input: CommentInput) => api.post<ConversationComment>(`${base(conversationId)}/comments`, input));

export const useDeleteComment = (conversationId: string) =>
  useConversationMutation((commentId: string) => api.del(`${base(conversationId)}/comments/${enc(commentId)}`));

export const useSaveCustomFields = (conversationId: string) =>
  useConversationMutation((values: Record<string, string | null>) => api.put(`${base(conversationId)}/custom-fields`, { values }));
