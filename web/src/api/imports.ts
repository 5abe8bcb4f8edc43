// The Import screen: upload files (with upload progress: XMLHttpRequest, since fetch reports none), follow the run
// its job imports, list recent runs.
import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as Import from '../../../src/conversations/import/schemas.ts';
import { api, ApiError } from './client.ts';
import { keys } from './keys.ts';

export type ImportRun = Static<typeof Import.ImportRunView>;
export type ImportRunList = Static<typeof Import.ImportRunList>;
export type ImportFormat = 'auto' | 'files' | 'connect';

/** How often a run that is not finished is asked for again. */
export const IMPORT_POLL_MS = 1000;

export const isFinished = (r: Pick<ImportRun, 'status'>) => r.status === 'done' || r.status === 'failed';

export function useImports() {
  return useQuery({
    queryKey: keys.imports,
    queryFn: () => api.get<ImportRunList>('/api/imports'),
    refetchInterval: (q) => (q.state.data?.items.some((r) => !isFinished(r)) ? IMPORT_POLL_MS * 3 : false),
  });
}

export function useImportRun(id: string | null) {
  return useQuery({
    queryKey: keys.importRun(id ?? ''),
    queryFn: () => api.get<ImportRun>(`/api/imports/${encodeURIComponent(id!)}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : IMPORT_POLL_MS),
  });
}

export interface UploadFile {
  file: Blob;
  /** Its path inside what was dropped ("export/connect/…/x.wav"), sent as the file name. */
  path: string;
}

/**
 * Sends the files to POST /api/imports; `onProgress` gets the bytes sent of the total. Resolves with the run (202);
 * rejects with an ApiError carrying the server's code and reason (413 TOO_MANY_FILES, …). `signal` aborts the upload.
 */
export function uploadImport(
  files: UploadFile[],
  opts: { format: ImportFormat; dryRun: boolean; onProgress?: (sent: number, total: number) => void; signal?: AbortSignal },
): Promise<ImportRun> {
  const form = new FormData();
  // The fields go first: the server reads them before the files stream in.
  form.append('format', opts.format);
  form.append('dryRun', String(opts.dryRun));
  for (const f of files) form.append('files', f.file, f.path);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as ImportRun);
      const err = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
      reject(new ApiError(xhr.status, err?.code ?? `HTTP_${xhr.status}`, err?.message ?? (xhr.statusText || `HTTP ${xhr.status}`), err?.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Network error'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
