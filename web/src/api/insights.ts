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
import type * as Reports from '../../../src/analytics/reports/schemas.ts';
import type * as Subs from '../../../src/analytics/subscriptions/schemas.ts';
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
export type MentionsReport = Static<typeof Reports.MentionsReport>;
export type MentionRow = MentionsReport['categories'][number];
export type DrillReport = Static<typeof Reports.DrillReport>;
export type DrillItem = DrillReport['items'][number];
export type MetricsReport = Static<typeof Reports.MetricsReport>;
export type SpeakerRow = MetricsReport['agents'][number];
export type MetricsPoint = MetricsReport['overall']['trend'][number];
export type Level = 'category' | 'indicator' | 'keyword';

/** The filters every report takes: a period of days (inclusive), the trend bucket, a group and an agent. */
export interface ReportFilter {
  from: string;
  to: string;
  bucket: Bucket;
  groupId: string | null;
  userId: string | null;
}

export interface DrillTarget {
  level: Level;
  id: string;
  name: string;
}

type Query = Record<string, string | number | undefined>;

export const reportQuery = (f: ReportFilter, extra: Query = {}): Query => ({
  from: f.from,
  to: f.to,
  bucket: f.bucket,
  groupId: f.groupId ?? undefined,
  userId: f.userId ?? undefined,
  ...extra,
});

export const drillQuery = (f: ReportFilter, target: DrillTarget, extra: Query = {}) => reportQuery(f, { [`${target.level}Id`]: target.id, ...extra });

export function useMentionsReport(f: ReportFilter) {
  return useQuery({
    queryKey: keys.reportMentions(f),
    queryFn: () => api.get<MentionsReport>('/api/reports/indicator-mentions', reportQuery(f)),
    placeholderData: keepPreviousData,
  });
}

export const DRILL_PAGE = 20;

export function useMentionInteractions(f: ReportFilter, target: DrillTarget | null, pages: number) {
  return useQuery({
    queryKey: keys.reportMentionInteractions({ ...f, pages }, target?.level ?? '', target?.id ?? ''),
    queryFn: () => api.get<DrillReport>('/api/reports/indicator-mentions/interactions', drillQuery(f, target!, { limit: DRILL_PAGE * pages })),
    enabled: !!target,
    placeholderData: keepPreviousData,
  });
}

export function useSpeakerMetrics(f: ReportFilter) {
  return useQuery({
    queryKey: keys.reportSpeakers(f),
    queryFn: () => api.get<MetricsReport>('/api/reports/speaker-metrics', reportQuery(f)),
    placeholderData: keepPreviousData,
  });
}

/** A report as CSV, streamed by the server (which audits the export). */
export function useReportCsv() {
  return useMutation({
    mutationFn: ({ path, query, name }: { path: string; query: Query; name: string }) => download(withQuery(path, { ...query, format: 'csv' }), name),
  });
}

// ——— subscriptions ——————————————————————————————————————————————————————————————————————————————————————————

export type Subscription = Static<typeof Subs.Subscription>;
export type Frequency = Subscription['frequency'];
export type SubscriptionInput = Static<typeof Subs.SubscriptionCreate>;

export function useSubscriptions(enabled = true) {
  return useQuery({ queryKey: keys.subscriptions, queryFn: () => api.get<Items<Subscription>>('/api/insights/subscriptions'), enabled });
}

export function useSaveSubscription() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SubscriptionInput }) =>
      // A subscription stays on its indicator: a change sends only what may change.
      id
        ? api.patch<Subscription>(`/api/insights/subscriptions/${enc(id)}`, { keywordIds: input.keywordIds ?? null, frequency: input.frequency })
        : api.post<Subscription>('/api/insights/subscriptions', input),
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
