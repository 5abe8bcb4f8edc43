// The line analyser that runs after indicators (LINE_ANALYSERS in src/analytics/insights/analysers.ts): once a
// conversation's mentions are stored, continuous subscribers to a mentioned indicator are alerted (in the background,
// once per conversation). Typed here by shape, not by importing LineAnalyser, so the two modules form no import cycle.
import type { AppContext } from '../../context.ts';
import type { Executor } from '../../platform/db/index.ts';
import { notifyMentions } from './service.ts';

export const subscriptionAnalyser = {
  name: 'subscriptions',
  run: (ctx: AppContext, exec: Executor, subject: { tenantId: string; conversationId: string }): Promise<void> => notifyMentions(ctx, exec, subject),
};
