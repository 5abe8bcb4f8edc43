// Thin HTTP edge of anonymization: preview (who is protected and why), one conversation now, a search as a job.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function anonymizationRoutes(app: App, ctx: AppContext) {
  const tags = ['Compliance'];
  const anonymize = { access: needs('conversations.anonymize') };
  app.post(
    '/api/compliance/anonymize/preview',
    {
      config: anonymize,
      schema: {
        tags,
        summary: 'What anonymizing these conversations (or a search) would do: how many, which are protected and why, the data classes, the media options',
        body: schemas.PreviewInput,
        response: { 200: schemas.Preview, ...errors },
      },
    },
    (req) => service.previewAnonymization(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/conversations/:id/anonymize',
    {
      config: anonymize,
      schema: {
        tags,
        summary:
          'Anonymize one conversation permanently (confirm: true): the setup’s data classes are overwritten with placeholders in the database and the search index; protected ones are refused (409 CONVERSATION_PROTECTED); audited',
        params: IdParams,
        body: schemas.AnonymizeOneInput,
        response: { 200: schemas.Result, ...errors },
      },
    },
    (req) => service.anonymizeConversation(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/compliance/anonymizations',
    {
      config: anonymize,
      schema: {
        tags,
        summary:
          'Anonymize every conversation of a search or selection permanently (confirm: true), as a job with progress; protected ones are skipped with the reason; audited',
        body: schemas.RunInput,
        response: { 200: schemas.Run, ...errors },
      },
    },
    (req) => service.startRun(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/compliance/anonymizations',
    {
      config: { access: needs('conversations.anonymize', 'lifecycle.manage') },
      schema: {
        tags,
        summary: 'The latest anonymization runs of the organisation',
        response: { 200: Type.Object({ items: Type.Array(schemas.Run) }), ...authErrors },
      },
    },
    (req) => service.listRuns(ctx, actorOf(req)),
  );
  app.get(
    '/api/compliance/anonymizations/:id',
    {
      config: { access: needs('conversations.anonymize', 'lifecycle.manage') },
      schema: {
        tags,
        summary: 'One anonymization run: progress, and the conversations skipped and why',
        params: IdParams,
        response: { 200: schemas.Run, ...errors },
      },
    },
    (req) => service.getRun(ctx, actorOf(req), req.params.id),
  );
}
