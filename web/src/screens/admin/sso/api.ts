// Administration → Single sign-on: providers, sign-in policy, mapping rules and the SCIM token (src/auth/sso).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../src/auth/sso/schemas.ts';
import { api } from '../../../api/client.ts';

export type SsoOverview = Static<typeof S.SsoOverview>;
export type SsoProvider = Static<typeof S.Provider>;
export type SsoSettingsPatch = Static<typeof S.SsoSettingsPatch>;
export type ProviderInput = Static<typeof S.ProviderCreate>;
export type MappingRule = Static<typeof S.MappingRule>;

const key = ['admin', 'sso'] as const;
const enc = encodeURIComponent;

export const useSso = () => useQuery({ queryKey: key, queryFn: () => api.get<SsoOverview>('/api/admin/sso') });

function useSsoMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => void qc.invalidateQueries({ queryKey: key }) });
}

export const useSaveSsoSettings = () => useSsoMutation((patch: SsoSettingsPatch) => api.patch<SsoOverview>('/api/admin/sso/settings', patch));
export const useSaveProvider = () =>
  useSsoMutation((v: { id?: string; input: Partial<ProviderInput> }) =>
    v.id ? api.patch<SsoProvider>(`/api/admin/sso/providers/${enc(v.id)}`, v.input) : api.post<SsoProvider>('/api/admin/sso/providers', v.input),
  );
export const useDeleteProvider = () => useSsoMutation((id: string) => api.del(`/api/admin/sso/providers/${enc(id)}`));
export const useRotateScimToken = () => useSsoMutation(() => api.post<{ token: string; prefix: string; createdAt: string }>('/api/admin/sso/scim-token'));
export const useRevokeScimToken = () => useSsoMutation(() => api.del('/api/admin/sso/scim-token'));
