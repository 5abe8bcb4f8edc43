// Users, roles, the permission catalogue, groups and sites.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as Auth from '../../../src/auth/schemas.ts';
import { api } from './client.ts';
import { keys } from './keys.ts';
import type { Group, Items, Page, PermissionInfo, Role, Site, User, UserInput } from './types.ts';

const enc = encodeURIComponent;

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: keys.permissions,
    queryFn: () => api.get<Items<PermissionInfo>>('/api/permissions'),
    staleTime: Infinity,
  });
}

export function useRoles() {
  return useQuery({ queryKey: keys.roles, queryFn: () => api.get<Items<Role>>('/api/roles') });
}

export type RoleInput = Static<typeof Auth.RoleCreate>;

export function useSaveRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: RoleInput }) =>
      id ? api.patch<Role>(`/api/roles/${enc(id)}`, input) : api.post<Role>('/api/roles', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles }),
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/roles/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles }),
  });
}

export function useUsers(q: string, limit: number, offset: number) {
  return useQuery({
    queryKey: keys.userList(q, limit, offset),
    queryFn: () => api.get<Page<User>>('/api/users', { q, limit, offset }),
    placeholderData: keepPreviousData,
  });
}

/** Every user, for pickers (the first 500 are plenty for a filter list). */
export function useAllUsers(enabled: boolean) {
  return useQuery({
    queryKey: keys.userList('', 500, 0),
    queryFn: () => api.get<Page<User>>('/api/users', { limit: 500, offset: 0 }),
    enabled,
  });
}

function useUserMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.users });
      void qc.invalidateQueries({ queryKey: keys.roles });
    },
  });
}

export const useCreateUser = () => useUserMutation((input: UserInput & { password: string }) => api.post<User>('/api/users', input));
export const useUpdateUser = () =>
  useUserMutation(({ id, input }: { id: string; input: Partial<UserInput> }) => api.patch<User>(`/api/users/${enc(id)}`, input));
export const useDeleteUser = () => useUserMutation((id: string) => api.del(`/api/users/${enc(id)}`));
export const useUnlockUser = () => useUserMutation((id: string) => api.post<User>(`/api/users/${enc(id)}/unlock`));
export const useResetPassword = () =>
  useMutation({
    mutationFn: ({ id, newPassword }: { id: string; newPassword: string }) => api.post<void>(`/api/users/${enc(id)}/password`, { newPassword }),
  });

export function useGroups(enabled = true) {
  return useQuery({ queryKey: keys.groups, queryFn: () => api.get<Items<Group>>('/api/groups'), enabled });
}

export type GroupInput = Static<typeof Auth.GroupCreate>;

export function useSaveGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: Partial<GroupInput> }) =>
      id ? api.patch<Group>(`/api/groups/${enc(id)}`, input) : api.post<Group>('/api/groups', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.groups }),
  });
}

export function useDeleteGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/groups/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.groups }),
  });
}

export function useSites(enabled = true) {
  return useQuery({ queryKey: keys.sites, queryFn: () => api.get<Items<Site>>('/api/sites'), enabled });
}

export type SiteInput = Static<typeof Auth.SiteCreate>;

export function useSaveSite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SiteInput }) =>
      id ? api.patch<Site>(`/api/sites/${enc(id)}`, input) : api.post<Site>('/api/sites', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.sites }),
  });
}

export function useDeleteSite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/sites/${enc(id)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.sites });
      void qc.invalidateQueries({ queryKey: keys.groups });
    },
  });
}
