// vCon exports (issue 12): the list (polled while one is being built), creating one, download, delete, signing key.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../../src/compliance/vcon/schemas.ts';
import { api, download } from '../../../../api/client.ts';

export type VconExport = Static<typeof S.ExportView>;
export type VconExportCreate = Static<typeof S.ExportCreate>;
export type SigningKey = Static<typeof S.SigningKey>;

const BASE = '/api/compliance/vcon-exports';
export const VCON_EXPORTS_KEY = ['compliance', 'vcon-exports'] as const;

export function useVconExports(enabled = true) {
  return useQuery({
    queryKey: VCON_EXPORTS_KEY,
    queryFn: () => api.get<{ items: VconExport[] }>(BASE),
    enabled,
    // While a package is being built its progress moves: refresh every 2 s until none is queued or running.
    refetchInterval: (q) => (q.state.data?.items.some((x) => x.status === 'queued' || x.status === 'running') ? 2000 : false),
  });
}

export const useSigningKey = () => useQuery({ queryKey: [...VCON_EXPORTS_KEY, 'key'], queryFn: () => api.get<SigningKey>(`${BASE}/signing-key`) });

export function useCreateVconExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VconExportCreate) => api.post<VconExport>(BASE, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: VCON_EXPORTS_KEY }),
  });
}

export function useDeleteVconExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`${BASE}/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: VCON_EXPORTS_KEY }),
  });
}

export const downloadVconExport = (x: VconExport) => download(`${BASE}/${encodeURIComponent(x.id)}/download`, x.fileName ?? `vcon-export-${x.id}.zip`);
