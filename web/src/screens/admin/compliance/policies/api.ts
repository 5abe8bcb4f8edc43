// Recording policies (issue 12): the tenant's ordered rules, their changes, reordering and the "test a call" answer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../../src/compliance/recording-policies/schemas.ts';
import { api } from '../../../../api/client.ts';

export type Policy = Static<typeof S.Policy>;
export type PolicyCreate = Static<typeof S.PolicyCreate>;
export type PolicyPatch = Static<typeof S.PolicyPatch>;
export type PolicyTest = Static<typeof S.PolicyTest>;
export type Decision = Static<typeof S.Decision>;

const BASE = '/api/compliance/recording-policies';
const KEY = ['compliance', 'recording-policies'] as const;

export const usePolicies = () => useQuery({ queryKey: KEY, queryFn: () => api.get<{ items: Policy[] }>(BASE) });

function usePolicyMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }) });
}

export const useCreatePolicy = () => usePolicyMutation((body: PolicyCreate) => api.post<Policy>(BASE, body));
export const useUpdatePolicy = () =>
  usePolicyMutation(({ id, patch }: { id: string; patch: PolicyPatch }) => api.patch<Policy>(`${BASE}/${encodeURIComponent(id)}`, patch));
export const useDeletePolicy = () => usePolicyMutation((id: string) => api.del(`${BASE}/${encodeURIComponent(id)}`));
export const useReorderPolicies = () => usePolicyMutation((ids: string[]) => api.put<{ items: Policy[] }>(`${BASE}/order`, { ids }));
export const useTestPolicies = () => useMutation({ mutationFn: (body: PolicyTest) => api.post<Decision>(`${BASE}/test`, body) });
