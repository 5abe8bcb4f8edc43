// Thin HTTP edge for manual deletion, the protection check the dialogs use, and the deletions record.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function deletionRoutes(app: App, ctx: AppContext) {
  const tags = ['Deletion'];
  app.post(
    '/api/conversations/delete',
    {
      config: { access: needs('conversations.delete') },
      schema: {
        tags,
        summary:
          'Delete the media or the whole of conversations: they show "Planned for deletion" until the job destroys the data keys and removes everything; 409 CONVERSATION_PROTECTED (details.protected: which and why) and nothing planned when one is protected; audited',
        body: schemas.DeleteRequest,
        response: { 202: schemas.DeleteResult, ...errors },
      },
    },
    async (req, reply) => reply.status(202).send(await service.deleteConversations(ctx, actorOf(req), req.body)),
  );
  app.post(
    '/api/compliance/protection',
    {
      config: { access: needs('conversations.delete', 'conversations.anonymize', 'legal_holds.manage', 'lifecycle.manage') },
      schema: {
        tags,
        summary: 'Which of these conversations are protected from deletion and anonymization, and why (reviewed, legal hold, protection tag)',
        body: schemas.ProtectionRequest,
        response: { 200: schemas.ProtectionResult, ...errors },
      },
    },
    (req) => service.protectionFor(ctx, actorOf(req), req.body.conversationIds),
  );
  app.get(
    '/api/compliance/deletions',
    {
      config: { access: needs('lifecycle.manage', 'conversations.delete') },
      schema: {
        tags,
        summary: 'Deletions, newest first (by a person, a retention policy or anonymization), with their objects and bytes',
        querystring: schemas.DeletionsQuery,
        response: { 200: schemas.DeletionList, ...errors },
      },
    },
    (req) => service.listDeletions(ctx, actorOf(req), req.query),
  );
}
