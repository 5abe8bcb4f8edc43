// Conversation insights (issue 10): one conversation's scores, mentions and topic hits (the Analytics tab), the
// indicator and topic definitions (Administration → Indicators & topics), the Indicator Mentions and Speaker Metrics
// reports with their drill-down and CSV, and indicator subscriptions.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, withQuery } from './client.ts';
import { keys } from './keys.ts';
import type { Items } from './types.ts';
import type { Static } from 'typebox';
import type * as Indicators from '../../../src/analytics/indicators/schemas.ts';
import type * as Insights from '../../../src/analytics/insights/schemas.ts';
import type * as Topics from '../../../src/analytics/topics/schemas.ts';

const enc = encodeURIComponent;
const conv = (id: string) => `/api/conversations/${enc(id)}`;

// ——— shapes (from the server's schemas, type-only) ——————————————————————————————————————————————————————————————

export type ConversationInsights = Static<typeof Insights.ConversationInsights>;
export type InsightDetails = Static<typeof Insights.InsightDetails>;
export type SentimentLabel = NonNullable<ConversationInsights['sentimentLabel']>;
export type SentimentPoint = InsightDetails['sentiment']['points'][number];
export type SentimentSection = InsightDetails['sentiment']['sections'][number];
export type PlacedText = InsightDetails['goodQuestions'][number];

export type Speaker = Static<typeof Indicators.Speaker>;
export type Mention = Static<typeof Indicators.Mention>;
export type TopicHit = Static<typeof Indicators.TopicHitView>;
export type ConversationMentions = Static<typeof Indicators.ConversationMentions>;
export type IndicatorCategory = Static<typeof Indicators.Category>;
export type Indicator = Static<typeof Indicators.Indicator>;
export type IndicatorInput = Static<typeof Indicators.IndicatorCreate>;
export type AnalysisJob = Indicator['analysis'];
export type Topic = Static<typeof Topics.Topic>;
export type TopicInput = Static<typeof Topics.TopicCreate>;
export type CategoryList = Static<typeof Indicators.CategoryList>;
export type TopicList = Static<typeof Topics.TopicList>;

// ——— the conversation ————————————————————————————————————————————————————————————————————————————————————————

const POLL_MS = 4000;

/** The insights of one conversation (status "none" until analysed). */
export function useConversationInsights(conversationId: string) {
  return useQuery({
    queryKey: keys.insights(conversationId),
    queryFn: () => api.get<ConversationInsights>(`${conv(conversationId)}/insights`),
    // Not analysed yet (a transcript on its way): asked again until it is.
    refetchInterval: (q) => (q.state.data?.status === 'none' ? POLL_MS : false),
    staleTime: 30_000,
  });
}

export function useConversationMentions(conversationId: string) {
  return useQuery({
    queryKey: keys.mentions(conversationId),
    queryFn: () => api.get<ConversationMentions>(`${conv(conversationId)}/mentions`),
    staleTime: 30_000,
  });
}

export const running = (a: AnalysisJob | undefined) => !!a && (a.status === 'queued' || a.status === 'running');

// ——— definitions —————————————————————————————————————————————————————————————————————————————————————————————

export function useIndicatorCategories(enabled = true) {
  return useQuery({
    queryKey: keys.indicatorCategories,
    queryFn: () => api.get<CategoryList>('/api/insights/categories'),
    enabled,
    // A change re-analyses the stored conversations: its progress shows until done.
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.indicators.some((i) => running(i.analysis))) ? 2000 : false),
  });
}

export function useIndicators(enabled = true) {
  return useQuery({ queryKey: keys.indicators, queryFn: () => api.get<Static<typeof Indicators.IndicatorList>>('/api/insights/indicators'), enabled });
}

export function useTopics(enabled = true) {
  return useQuery({
    queryKey: keys.topics,
    queryFn: () => api.get<TopicList>('/api/insights/topics'),
    enabled,
    refetchInterval: (q) => (q.state.data?.items.some((t) => running(t.analysis)) ? 2000 : false),
  });
}

function useInvalidateDefinitions() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.indicatorCategories });
    void qc.invalidateQueries({ queryKey: keys.indicators });
    void qc.invalidateQueries({ queryKey: keys.topics });
    // A change re-analyses history in the background: the Jobs page shows it.
    void qc.invalidateQueries({ queryKey: ['jobs'] });
  };
}

export function useSaveCategory() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({
    mutationFn: ({ id, name }: { id?: string; name: string }): Promise<unknown> =>
      id ? api.patch<IndicatorCategory>(`/api/insights/categories/${enc(id)}`, { name }) : api.post<IndicatorCategory>('/api/insights/categories', { name }),
    onSuccess: invalidate,
  });
}

export function useDeleteCategory() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/insights/categories/${enc(id)}`), onSuccess: invalidate });
}

export function useSaveIndicator() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: IndicatorInput }): Promise<unknown> =>
      id ? api.patch<Indicator>(`/api/insights/indicators/${enc(id)}`, input) : api.post<Indicator>('/api/insights/indicators', input),
    onSuccess: invalidate,
  });
}

export function useDeleteIndicator() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/insights/indicators/${enc(id)}`), onSuccess: invalidate });
}

export function useSaveTopic() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: TopicInput }): Promise<unknown> =>
      id ? api.patch<Topic>(`/api/insights/topics/${enc(id)}`, input) : api.post<Topic>('/api/insights/topics', input),
    onSuccess: invalidate,
  });
}

export function useDeleteTopic() {
  const invalidate = useInvalidateDefinitions();
  return useMutation({ mutationFn: (id: string) => api.del(`/api/insights/topics/${enc(id)}`), onSuccess: invalidate });
}

export function useReanalyze() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ jobId?: string }>('/api/insights/reanalyze'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
}

// ——— reports ————————————————————————————————————————————————————————————————————————————————————————————————

export type Bucket = 'day' | 'week' | 'month';

export interface ReportFilter {
  from: string;
  to: string;
  bucket: Bucket;
  groupId?: string | null;
  userId?: string | null;
}

/** A count of interactions with a mention, and its share of the interactions in the period. */
export interface MentionCount {
  id: string;
  name: string;
  interactions: number;
  mentions?: number;
  percent: number;
}

export interface MentionRow extends MentionCount {
  level: 'category' | 'indicator' | 'keyword';
  categoryId?: string | null;
  indicatorId?: string | null;
  keywordId?: string | null;
}

export interface TrendPoint {
  bucket: string;
  interactions: number;
  percent?: number;
}

export interface MentionSeries {
  level: 'category' | 'indicator' | 'keyword';
  id: string;
  name: string;
  points: TrendPoint[];
}

export interface IndicatorMentionsReport {
  totalInteractions: number;
  rows: MentionRow[];
  series: MentionSeries[];
  /** Interactions per bucket (the denominator of the percentages over time). */
  totals?: TrendPoint[];
}

export interface DrillItem {
  conversationId: string;
  startedAt: string;
  agentName?: string | null;
  channel?: string | null;
  snippets: { lineId: string; text: string; startMs: number | null; range?: [number, number] | null; keyword?: string | null }[];
}

export interface SpeakerMetricsRow {
  key: string;
  name: string;
  kind?: 'agent' | 'group';
  interactions: number;
  talkListenRatio: number | null;
  wordsPerMinute: number | null;
  fillersPerMinute: number | null;
  longestMonologueMs: number | null;
  avgResponseMs: number | null;
  speechEvents?: number | null;
}

export interface SpeakerMetricsSeries {
  key: string;
  name: string;
  points: (Omit<SpeakerMetricsRow, 'key' | 'name' | 'kind'> & { bucket: string })[];
}

export interface SpeakerMetricsReport {
  rows: SpeakerMetricsRow[];
  series: SpeakerMetricsSeries[];
}

const reportQuery = (f: ReportFilter, extra: Record<string, string | undefined> = {}) => ({
  from: f.from,
  to: f.to,
  bucket: f.bucket,
  groupId: f.groupId ?? undefined,
  userId: f.userId ?? undefined,
  ...extra,
});

export function useIndicatorMentionsReport(f: ReportFilter, enabled = true) {
  return useQuery({
    queryKey: keys.reportMentions(f),
    queryFn: () => api.get<IndicatorMentionsReport>('/api/reports/indicator-mentions', reportQuery(f)),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export interface DrillTarget {
  level: 'category' | 'indicator' | 'keyword';
  id: string;
  name: string;
}

export function useMentionInteractions(f: ReportFilter, target: DrillTarget | null) {
  const level = target ? `${target.level}Id` : '';
  return useQuery({
    queryKey: keys.reportMentionInteractions(f, target?.level ?? '', target?.id ?? ''),
    queryFn: () => api.get<Items<DrillItem>>('/api/reports/indicator-mentions/interactions', reportQuery(f, { [level]: target!.id })),
    enabled: !!target,
  });
}

export function useSpeakerMetricsReport(f: ReportFilter & { by: 'agent' | 'group' }, enabled = true) {
  return useQuery({
    queryKey: keys.reportSpeakers(f),
    queryFn: () => api.get<SpeakerMetricsReport>('/api/reports/speaker-metrics', { ...reportQuery(f), by: f.by }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The report as CSV, streamed by the server (audited there). */
export function useReportCsv() {
  return useMutation({
    mutationFn: ({ path, query, name }: { path: string; query: Record<string, string | undefined>; name: string }) =>
      download(withQuery(path, { ...query, format: 'csv' }), name),
  });
}
export const reportCsvQuery = reportQuery;

// ——— subscriptions ——————————————————————————————————————————————————————————————————————————————————————————

export type Frequency = 'continuous' | 'daily' | 'weekly' | 'monthly';

export interface Subscription {
  id: string;
  indicatorId: string;
  keywordIds: string[] | null;
  frequency: Frequency;
}

export function useSubscriptions(enabled = true) {
  return useQuery({ queryKey: keys.subscriptions, queryFn: () => api.get<Items<Subscription>>('/api/insights/subscriptions'), enabled });
}

export function useSaveSubscription() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: Omit<Subscription, 'id'> }) =>
      id ? api.patch<Subscription>(`/api/insights/subscriptions/${enc(id)}`, input) : api.post<Subscription>('/api/insights/subscriptions', input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.subscriptions }),
  });
}

export function useDeleteSubscription() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/insights/subscriptions/${enc(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.subscriptions }),
  });
}
