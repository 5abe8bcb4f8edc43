// Calibration sessions (issue 11): the list, one session with its results, creating, closing and reopening. Each
// evaluator scores through the evaluation form (their evaluation row, kind 'calibration').
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/calibrations/schemas.ts';
import { api, withQuery } from './client.ts';

export type CalibrationSummary = Static<typeof S.CalibrationSummary>;
export type CalibrationDetail = Static<typeof S.CalibrationDetail>;
export type CalibrationResults = Static<typeof S.CalibrationResults>;
export type CalibrationCreate = Static<typeof S.CalibrationCreate>;
export type CalibrationStatusFilter = 'open' | 'closed' | 'all';

const enc = encodeURIComponent;

export const calibrationKeys = {
  all: ['calibrations'] as const,
  list: (status: CalibrationStatusFilter) => ['calibrations', 'list', status] as const,
  one: (id: string) => ['calibrations', 'one', id] as const,
};

export function useCalibrations(status: CalibrationStatusFilter) {
  return useInfiniteQuery({
    queryKey: calibrationKeys.list(status),
    queryFn: ({ pageParam }) => api.get<Static<typeof S.CalibrationList>>(withQuery('/api/calibrations', { status, cursor: pageParam ?? undefined })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useCalibration(id: string) {
  return useQuery({ queryKey: calibrationKeys.one(id), queryFn: () => api.get<CalibrationDetail>(`/api/calibrations/${enc(id)}`), enabled: Boolean(id) });
}

export function useCreateCalibration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CalibrationCreate) => api.post<CalibrationDetail>('/api/calibrations', body),
    onSuccess: (c) => {
      qc.setQueryData(calibrationKeys.one(c.id), c);
      void qc.invalidateQueries({ queryKey: calibrationKeys.all });
      void qc.invalidateQueries({ queryKey: ['evaluations'] });
    },
  });
}

export function useSetCalibrationStatus(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (status: 'open' | 'closed') => api.post<CalibrationDetail>(`/api/calibrations/${enc(id)}/${status === 'closed' ? 'close' : 'reopen'}`),
    onSuccess: (c) => {
      qc.setQueryData(calibrationKeys.one(c.id), c);
      void qc.invalidateQueries({ queryKey: ['calibrations', 'list'] });
    },
  });
}
