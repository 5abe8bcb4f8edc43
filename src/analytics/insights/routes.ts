// Thin HTTP edge of conversation insights: read a conversation's insights, and re-run them over the whole tenant.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, Id, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { ConversationInsights, ReanalyzeResponse } from './schemas.ts';
import * as service from './service.ts';

const ConvParams = Type.Object({ id: Id });

export function insightsRoutes(app: App, ctx: AppContext) {
  const tags = ['Insights'];
  app.get(
    '/api/conversations/:id/insights',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags,
        summary:
          'Sentiment (0–100, per line and over time), engagement, agent summary, next steps, questions and the optional summary of a conversation; status "none" until analysed',
        params: ConvParams,
        response: { 200: ConversationInsights, 404: ErrorResponse, ...authErrors },
      },
    },
    (req) => service.getInsights(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/insights/reanalyze',
    {
      config: { access: needs('insights.manage') },
      schema: {
        tags,
        summary: 'Analyse every conversation of the tenant again (a background job with progress on the Jobs page); tenant-wide scope only; audited',
        response: { 200: ReanalyzeResponse, ...authErrors },
      },
    },
    (req) => service.requestReanalysis(ctx, actorOf(req)),
  );
}
