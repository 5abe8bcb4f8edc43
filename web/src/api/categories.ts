// Categories: definitions (Administration → Tags → Categories) and what conversations are filed under, one at a time
// (detail page) or the list's selection at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/conversations/categories/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { Items } from './types.ts';

export type Category = Static<typeof S.Category>;
export type CategoryCreateInput = Static<typeof S.CategoryCreate>;
export type CategoryPatchInput = Static<typeof S.CategoryPatch>;
export type BulkCategoriesInput = Static<typeof S.BulkCategories>;
export type BulkCategoriesResult = Static<typeof S.BulkResult>;
export const BULK_CATEGORIES_MAX = 200;

export const categoryKeys = { all: ['categories'] as const };
const enc = encodeURIComponent;

export function useCategories(enabled = true) {
  return useQuery({ queryKey: categoryKeys.all, queryFn: () => api.get<Items<Category>>('/api/categories'), enabled, staleTime: 60_000 });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: categoryKeys.all });
    // The search filter lists categories with the tags, and list rows and details show them.
    void qc.invalidateQueries({ queryKey: keys.searchOptions });
    void qc.invalidateQueries({ queryKey: keys.conversations });
  };
}

export function useSaveCategory() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; input: CategoryPatchInput } | { id?: undefined; input: CategoryCreateInput }) =>
      v.id ? api.patch<Category>(`/api/categories/${enc(v.id)}`, v.input) : api.post<Category>('/api/categories', v.input),
    onSuccess: invalidate,
  });
}

/** Files one conversation under exactly these categories. */
export function useSetCategories(conversationId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (categoryIds: string[]) => api.put(`/api/conversations/${enc(conversationId)}/categories`, { categoryIds }),
    onSuccess: invalidate,
  });
}

/** Adds and removes categories on the selected conversations (all or nothing on the server). */
export function useBulkCategories() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: BulkCategoriesInput) => api.post<BulkCategoriesResult>('/api/conversations/categories', input),
    onSuccess: invalidate,
  });
}
