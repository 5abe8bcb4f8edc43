// Custom field definitions (Administration → Tags → Custom fields): text, date or option; list column; filter.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/conversations/custom-fields/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { CustomFieldDefinition } from './types.ts';

export type CustomFieldCreateInput = Static<typeof S.CustomFieldCreate>;
export type CustomFieldPatchInput = Static<typeof S.CustomFieldPatch>;
const enc = encodeURIComponent;

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.customFieldDefinitions });
    // The filter menu and the list's columns read the definitions too.
    void qc.invalidateQueries({ queryKey: keys.searchOptions });
    void qc.invalidateQueries({ queryKey: keys.conversations });
  };
}

export function useSaveCustomField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; input: CustomFieldPatchInput } | { id?: undefined; input: CustomFieldCreateInput }) =>
      v.id ? api.patch<CustomFieldDefinition>(`/api/custom-fields/${enc(v.id)}`, v.input) : api.post<CustomFieldDefinition>('/api/custom-fields', v.input),
    onSuccess: invalidate,
  });
}

export function useDeleteCustomField() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/custom-fields/${enc(id)}`), onSuccess: invalidate });
}
