// The analysers that read a conversation's lines after analytics.insights has loaded them (src/analytics/insights/jobs.ts).
// Each feature that works on text (indicators, topics, ...) appends one entry here instead of running its own job over
// the same lines, so a conversation is loaded once and every result of one run is stored in one transaction.
import type { AppContext } from '../../context.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { InsightLine } from './model.ts';
import { subscriptionAnalyser } from '../subscriptions/analyser.ts';
import { indicatorAnalyser, topicAnalyser } from '../indicators/analysis.ts';

/** Which conversation the lines belong to. `startedAt` is the conversation's start, copied into report rows. */
export interface LineAnalyserSubject {
  tenantId: string;
  conversationId: string;
  startedAt: string;
}

export interface LineAnalyser {
  /** Stable name, used in logs and in the insights status when an analyser fails. */
  name: string;
  /**
   * Replaces this analyser's stored results for the conversation (idempotent: a re-run deletes and rewrites).
   * `exec` is a transaction of this analyser's own, opened after the insights row is stored (one analyser failing
   * neither loses the insights nor the others' results); `lines` are in conversation order and may be empty.
   */
  run(ctx: AppContext, exec: Executor, subject: LineAnalyserSubject, lines: readonly InsightLine[]): Promise<void>;
}

/** Run in this order by analytics.insights; append one line per feature. */
export const LINE_ANALYSERS: LineAnalyser[] = [indicatorAnalyser, topicAnalyser, subscriptionAnalyser];
