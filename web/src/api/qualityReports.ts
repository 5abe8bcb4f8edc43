// The quality reports (/api/reports/quality): scores, pass rates, evaluators, disputes, calibrations and auto-rule
// overrides over a period, the drill-down to the evaluations behind a figure, and CSV downloads of each table.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as Q from '../../../src/quality/reports/schemas.ts';
import { api } from './client.ts';
import type { Bucket } from './insights.ts';

export type QualityReport = Static<typeof Q.QualityReport>;
export type QualityRow = QualityReport['agents'][number];
export type QualityDrill = Static<typeof Q.DrillReport>;
export type QualityDrillItem = QualityDrill['items'][number];
export type ReportTable = Q.ReportTable;

export interface QualityFilter {
  from: string;
  to: string;
  bucket: Bucket;
  groupId: string | null;
  /** The agent (the shared report filters call it userId). */
  userId: string | null;
  scorecardId: string | null;
  evaluatorId: string | null;
}

/** What a drill-down narrows to besides the filters. */
export interface DrillTarget {
  label: string;
  agentId?: string;
  groupId?: string;
  noGroup?: boolean;
  scorecardId?: string;
  evaluatorId?: string;
  questionId?: string;
  overridden?: boolean;
  bucketStart?: string;
  outcome?: 'passed' | 'failed' | 'auto_failed' | 'disputed';
}

type Query = Record<string, string | number | undefined>;

export const qualityQuery = (f: QualityFilter, extra: Query = {}): Query => ({
  from: f.from,
  to: f.to,
  bucket: f.bucket,
  groupId: f.groupId ?? undefined,
  agentId: f.userId ?? undefined,
  scorecardId: f.scorecardId ?? undefined,
  evaluatorId: f.evaluatorId ?? undefined,
  ...extra,
});

/** The filters with a drill target's narrowing on top (the target wins where both name one). */
export const drillQuery = (f: QualityFilter, d: DrillTarget, extra: Query = {}): Query => {
  const { label: _label, noGroup, overridden, ...narrow } = d;
  return qualityQuery(f, { ...narrow, noGroup: noGroup ? 'true' : undefined, overridden: overridden ? 'true' : undefined, ...extra });
};

export function useQualityReport(f: QualityFilter) {
  return useQuery({
    queryKey: ['reports', 'quality', f],
    queryFn: () => api.get<QualityReport>('/api/reports/quality', qualityQuery(f)),
    placeholderData: keepPreviousData,
  });
}

export const DRILL_PAGE = 20;

export function useQualityDrill(f: QualityFilter, target: DrillTarget | null, page: number) {
  return useQuery({
    queryKey: ['reports', 'quality', 'drill', f, target, page],
    queryFn: () => api.get<QualityDrill>('/api/reports/quality/evaluations', drillQuery(f, target!, { limit: DRILL_PAGE, offset: page * DRILL_PAGE })),
    enabled: !!target,
    placeholderData: keepPreviousData,
  });
}

/** Starts the pre-fill of the open reviews a saved search finds (a job; progress on the Jobs page). */
export function useStartPrefillRun() {
  return useMutation({
    mutationFn: (input: { savedSearchId: string; scorecardId: string | null }) => api.post<{ jobId: string }>('/api/quality/prefill-runs', input),
  });
}
