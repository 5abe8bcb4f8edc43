// Conversations search: the options the filter editors offer, the agent suggestions, the highlights of one
// conversation, and saved searches. The list itself (POST /api/conversations/search) is useConversationList.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request, withQuery } from './client.ts';
import { keys } from './keys.ts';
import type { AgentSuggestion, ConversationHighlight, Items, SavedSearch, SavedSearchDeleted, SearchFilterInput, SearchOptions, SearchPage } from './types.ts';

const enc = encodeURIComponent;

/** One page of search results; `cursor` null for the first page; `signal` cancels it (a newer search replaces it). */
export const searchConversations = (filter: SearchFilterInput, limit: number, cursor: string | null, signal?: AbortSignal) =>
  api.post<SearchPage>(withQuery('/api/conversations/search', { cursor, limit }), filter, signal);

/** The exact number of conversations a search finds (the list's first page may only say "more than"). */
export const countConversations = (filter: SearchFilterInput, signal?: AbortSignal) =>
  api.post<{ total: number; totalExact: true }>('/api/conversations/search/count', filter, signal);

/**
 * The exact total, counted in the background once the first page said it stopped counting (`needed`). The request
 * is cancelled when the search changes (TanStack Query aborts the signal of a query nobody observes any more) and
 * the answer is kept per search, so going back to a search shows its count at once.
 */
export function useExactCount(filter: SearchFilterInput, needed: boolean) {
  return useQuery({
    queryKey: ['conversations', 'count', filter] as const,
    queryFn: ({ signal }) => countConversations(filter, signal),
    enabled: needed,
    staleTime: 60_000,
    retry: false,
  });
}

export function useSearchOptions() {
  return useQuery({
    queryKey: keys.searchOptions,
    queryFn: () => api.get<SearchOptions>('/api/conversations/search/options'),
    staleTime: 60_000,
  });
}

/** The server suggests agents from the second character typed. */
export const AGENT_QUERY_MIN = 2;

export function useAgentSuggestions(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: keys.searchAgents(term),
    queryFn: () => api.get<Items<AgentSuggestion>>('/api/conversations/search/agents', { q: term }),
    enabled: term.length >= AGENT_QUERY_MIN,
    staleTime: 30_000,
  });
}

/** Where the text query matches inside one conversation (chat messages, email subject and body, tag comments, room names). */
export function useConversationHighlights(id: string, q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: keys.conversationHighlights(id, query),
    queryFn: () => api.get<Items<ConversationHighlight>>(`/api/conversations/${enc(id)}/highlights`, { q: query }),
    enabled: !!id && query !== '',
    staleTime: 60_000,
  });
}

export function useSavedSearches() {
  return useQuery({ queryKey: keys.savedSearches, queryFn: () => api.get<Items<SavedSearch>>('/api/saved-searches') });
}

function useSavedSearchMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: keys.savedSearches }) });
}

export const useCreateSavedSearch = () =>
  useSavedSearchMutation((input: { name: string; filter: SearchFilterInput }) => api.post<SavedSearch>('/api/saved-searches', input));

export const useRenameSavedSearch = () =>
  useSavedSearchMutation(({ id, name }: { id: string; name: string }) => api.patch<SavedSearch>(`/api/saved-searches/${enc(id)}`, { name }));

export const useDeleteSavedSearch = () => useSavedSearchMutation((id: string) => request<SavedSearchDeleted>('DELETE', `/api/saved-searches/${enc(id)}`));

export const useRestoreSavedSearch = () =>
  useSavedSearchMutation(({ id, undoToken }: { id: string; undoToken: string }) =>
    api.post<SavedSearch>(`/api/saved-searches/${enc(id)}/restore`, { undoToken }),
  );

export const useProtectSavedSearch = () =>
  useSavedSearchMutation(({ id, protect }: { id: string; protect: boolean }) =>
    api.put<SavedSearch>(`/api/saved-searches/${enc(id)}/protected`, { protected: protect }),
  );
