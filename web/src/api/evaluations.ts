// Evaluations (issue 11): review now / plan review from a conversation, the evaluation form (draft, submit, comments
// at the player position), the queues (mine, team, own), a conversation's review history and the list's Reviewed column.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../src/quality/evaluations/schemas.ts';
import { api, withQuery } from './client.ts';
import type { Items } from './types.ts';

export type { Answer, Answers, Prefill, Proposal, Question, ScoreResult, ScorecardDefinition, Section } from '../../../src/quality/evaluations/schemas.ts';
export type Evaluation = Static<typeof S.EvaluationView>;
export type EvaluationSummary = Static<typeof S.EvaluationSummary>;
export type EvaluationList = Static<typeof S.EvaluationList>;
export type ListQuery = Static<typeof S.ListQuery>;
export type CreateEvaluation = Static<typeof S.CreateEvaluation>;
export type AnswersBody = Static<typeof S.AnswersBody>;
export type Person = { id: string; name: string };
/** What the Review dialog needs of a scorecard (GET /api/scorecards lists more). */
export interface ScorecardChoice {
  id: string;
  name: string;
  version: number;
}

const enc = encodeURIComponent;

export const evaluationKeys = {
  all: ['evaluations'] as const,
  one: (id: string) => ['evaluations', 'one', id] as const,
  list: (q: Omit<ListQuery, 'cursor'>) => ['evaluations', 'list', q] as const,
  ofConversation: (id: string) => ['evaluations', 'conversation', id] as const,
  agents: (id: string) => ['evaluations', 'agents', id] as const,
  reviewers: (id: string) => ['evaluations', 'reviewers', id] as const,
  scorecards: ['evaluations', 'scorecards'] as const,
};

export function useEvaluation(id: string | null) {
  return useQuery({ queryKey: evaluationKeys.one(id ?? ''), queryFn: () => api.get<Evaluation>(`/api/evaluations/${enc(id!)}`), enabled: Boolean(id) });
}

/** A queue, page after page ("Load more"). */
export function useEvaluationList(q: Omit<ListQuery, 'cursor'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: evaluationKeys.list(q),
    queryFn: ({ pageParam }) => api.get<EvaluationList>(withQuery('/api/evaluations', { ...q, cursor: pageParam ?? undefined })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useConversationEvaluations(conversationId: string | null) {
  return useQuery({
    queryKey: evaluationKeys.ofConversation(conversationId ?? ''),
    queryFn: () => api.get<Items<EvaluationSummary>>(`/api/conversations/${enc(conversationId!)}/evaluations`),
    enabled: Boolean(conversationId),
  });
}

export function useReviewAgents(conversationId: string, enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.agents(conversationId),
    queryFn: () => api.get<Items<Person>>(`/api/conversations/${enc(conversationId)}/review-agents`),
    enabled,
  });
}

export function useReviewers(conversationId: string, enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.reviewers(conversationId),
    queryFn: () => api.get<Items<Person>>(`/api/conversations/${enc(conversationId)}/reviewers`),
    enabled,
  });
}

/** Active scorecards, to review with. */
export function useScorecardChoices(enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.scorecards,
    queryFn: () => api.get<Items<ScorecardChoice>>('/api/scorecards', { archived: 'active' }),
    enabled,
    staleTime: 60_000,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: evaluationKeys.all });
  };
}

export function useCreateEvaluation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateEvaluation) => api.post<Evaluation | { evaluations: Evaluation[] }>('/api/evaluations', body),
    onSuccess: invalidate,
  });
}

/** Save, submit, start: each answers with the evaluation as it now is, which replaces the cached one. */
function useEvaluationAction<V>(fn: (v: V) => Promise<Evaluation>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (e) => {
      qc.setQueryData(evaluationKeys.one(e.id), e);
      void qc.invalidateQueries({ queryKey: ['evaluations', 'list'] });
      void qc.invalidateQueries({ queryKey: ['evaluations', 'conversation'] });
      // The list rows carry their Reviewed cell (score, pass/fail).
      void qc.invalidateQueries({ queryKey: ['conversations', 'list'] });
    },
  });
}

export const useStartEvaluation = () => useEvaluationAction((id: string) => api.post<Evaluation>(`/api/evaluations/${enc(id)}/start`));
export const useSaveDraft = () =>
  useEvaluationAction(({ id, body }: { id: string; body: AnswersBody }) => api.put<Evaluation>(`/api/evaluations/${enc(id)}/draft`, body));
export const useSubmitEvaluation = () =>
  useEvaluationAction(({ id, body }: { id: string; body: AnswersBody }) => api.post<Evaluation>(`/api/evaluations/${enc(id)}/submit`, body));

export function useAddEvaluationComment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string; positionMs?: number | null }) => api.post(`/api/evaluations/${enc(id)}/comments`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: evaluationKeys.one(id) }),
  });
}
