// Who is signed in, signing in and out, and the user's own profile, password and API tokens.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { LoginBody } from '../../../src/auth/schemas.ts';
import { api, ApiError } from './client.ts';
import { keys } from './keys.ts';
import type { ApiToken, Items, Me, PublicConfig } from './types.ts';

export function usePublicConfig() {
  return useQuery({
    queryKey: keys.config,
    queryFn: () => api.get<PublicConfig>('/api/config/public'),
    staleTime: Infinity,
    retry: 1,
  });
}

/** The signed-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export type LoginInput = Static<typeof LoginBody>;

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<{ user: Me }>('/api/auth/login', input),
    onSuccess: ({ user }) => {
      qc.clear();
      qc.setQueryData(keys.me, user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(keys.me, null);
    },
  });
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    // language null: no language of my own, follow my group's or my organisation's.
    mutationFn: (patch: { name?: string; language?: string | null; timeDisplay?: Me['timeDisplay'] }) => api.patch<Me>('/api/me', patch),
    onSuccess: (me) => qc.setQueryData(keys.me, me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/api/me/password', input),
  });
}

export function useTokens(enabled: boolean) {
  return useQuery({
    queryKey: keys.tokens,
    // maxDays: the organisation's cap on token lifetime (null: none).
    queryFn: () => api.get<Items<ApiToken> & { maxDays: number | null }>('/api/me/tokens'),
    enabled,
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; expiresInDays?: number }) => api.post<{ token: string; item: ApiToken }>('/api/me/tokens', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/me/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  });
}
