// Thin HTTP edge of archiving: settings and targets (archive.manage), the connection test, "Run now", the transfers
// list and "Retry failed", and one conversation's archive copies (whoever may see the conversation).
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };
const manage = { access: needs('archive.manage') };

export function archiveRoutes(app: App, ctx: AppContext) {
  const tags = ['Archiving'];
  app.get(
    '/api/archive',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Archive settings, the primary and secondary targets with their copy counts, the last run',
        response: { 200: schemas.ArchiveOverview, ...errors },
      },
    },
    (req) => service.getArchive(ctx, actorOf(req)),
  );
  app.put(
    '/api/archive/settings',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Switch archiving on or off; file name template (validated), time zone, original or OpenPGP-encrypted copies; audited',
        body: schemas.ConfigInput,
        response: { 200: schemas.ArchiveOverview, ...errors },
      },
    },
    (req) => service.updateConfig(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/archive/template-preview',
    {
      config: manage,
      schema: {
        tags,
        summary: 'The file name a template gives a sample call (a bad template: 400 naming the field)',
        body: schemas.TemplatePreviewInput,
        response: { 200: schemas.TemplatePreview, ...errors },
      },
    },
    (req) => service.previewTemplate(actorOf(req), req.body),
  );
  app.put(
    '/api/archive/targets/:role',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Set up or change the primary or secondary target (folder, sftp, s3, ftp); secrets are write-only; audited',
        params: schemas.RoleParams,
        body: schemas.TargetInput,
        response: { 200: schemas.ArchiveOverview, ...errors },
      },
    },
    (req) => service.saveTarget(ctx, actorOf(req), req.params.role, req.body),
  );
  app.delete(
    '/api/archive/targets/:role',
    {
      config: manage,
      schema: { tags, summary: 'Remove a target (its copies stay listed); audited', params: schemas.RoleParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.removeTarget(ctx, actorOf(req), req.params.role);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/archive/targets/:role/test',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Connection test: write, read back and delete a small file (the saved target, or the one in the body before saving)',
        params: schemas.RoleParams,
        body: schemas.TestInput,
        response: { 200: schemas.TestResult, ...errors },
      },
    },
    (req) => service.testTarget(ctx, actorOf(req), req.params.role, req.body ?? {}),
  );
  app.post(
    '/api/archive/run',
    {
      config: manage,
      schema: { tags, summary: 'Start an archive run now (unless one is waiting or running)', response: { 200: schemas.RunResult, ...errors } },
    },
    (req) => service.requestRun(ctx, actorOf(req)),
  );
  app.get(
    '/api/archive/items',
    {
      config: manage,
      schema: { tags, summary: 'Transfers, most recently changed first', querystring: schemas.ItemsQuery, response: { 200: schemas.ItemsPage, ...errors } },
    },
    (req) => service.listItems(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/archive/items/retry',
    { config: manage, schema: { tags, summary: 'Try every failed copy again; audited', response: { 200: schemas.RetryResult, ...errors } } },
    (req) => service.retryFailed(ctx, actorOf(req)),
  );
  app.get(
    '/api/conversations/:id/archive',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags,
        summary: 'Where the conversation is archived (paths for archive managers only)',
        params: IdParams,
        response: { 200: schemas.ConversationArchive, ...errors },
      },
    },
    (req) => service.conversationArchive(ctx, actorOf(req), req.params.id),
  );
}
