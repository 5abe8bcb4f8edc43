// Tag definitions for Administration → Tags (plain tags, data tags, archived ones) with how many conversations carry each.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/conversations/tags/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { Items } from './types.ts';

export type TagWithUsage = Static<typeof S.TagDefinitionWithUsage>;
export type TagCreateInput = Static<typeof S.TagCreate>;
export type TagPatchInput = Static<typeof S.TagPatch>;

const enc = encodeURIComponent;

/** Every tag definition, archived ones included (the Add tag picker leaves those out). */
export function useTags(enabled = true) {
  return useQuery({ queryKey: keys.tagDefinitions, queryFn: () => api.get<Items<TagWithUsage>>('/api/tags'), enabled, staleTime: 60_000 });
}

/** Tags are listed by the Add tag picker, the search filter and every conversation that carries them. */
export function useInvalidateTags() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.tagDefinitions });
    void qc.invalidateQueries({ queryKey: keys.searchOptions });
    void qc.invalidateQueries({ queryKey: keys.conversations });
  };
}

export function useSaveTag() {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: (v: { id: string; input: TagPatchInput } | { id?: undefined; input: TagCreateInput }) =>
      v.id ? api.patch<TagWithUsage>(`/api/tags/${enc(v.id)}`, v.input) : api.post<TagWithUsage>('/api/tags', v.input),
    onSuccess: invalidate,
  });
}

export function useDeleteTag() {
  const invalidate = useInvalidateTags();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/tags/${enc(id)}`), onSuccess: invalidate });
}
