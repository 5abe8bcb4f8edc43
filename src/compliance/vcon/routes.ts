// Thin HTTP edge for vCon exports.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { attachmentDisposition } from '../../platform/http/content-disposition.ts';
import { ErrorResponse, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function vconExportRoutes(app: App, ctx: AppContext) {
  const tags = ['Compliance'];
  const base = '/api/compliance/vcon-exports';
  const readers = { access: needs('conversations.export', 'lifecycle.manage') };
  app.post(
    base,
    {
      config: { access: needs('conversations.export') },
      schema: {
        tags,
        summary:
          'Export conversations (by id, or every conversation a search finds now) as IETF vCons in a signed package; built by a job with progress; audited',
        body: schemas.ExportCreate,
        response: { 200: schemas.ExportView, ...errors },
      },
    },
    (req) => service.createExport(ctx, actorOf(req), req.body),
  );
  app.get(
    base,
    {
      config: readers,
      schema: {
        tags,
        summary: "vCon exports, newest first (one's own; every one with lifecycle.manage)",
        response: { 200: schemas.ExportList, ...authErrors },
      },
    },
    (req) => service.listExports(ctx, actorOf(req)),
  );
  app.get(
    `${base}/signing-key`,
    {
      config: readers,
      schema: {
        tags,
        summary: "The organisation's Ed25519 public key that signs export packages (pin it when verifying offline)",
        response: { 200: schemas.SigningKey, ...authErrors },
      },
    },
    (req) => service.signingKey(ctx, actorOf(req)),
  );
  app.get(
    `${base}/:id`,
    {
      config: readers,
      schema: { tags, summary: 'One vCon export with its progress', params: schemas.ExportParams, response: { 200: schemas.ExportView, ...errors } },
    },
    (req) => service.getExport(ctx, actorOf(req), req.params.id),
  );
  app.get(
    `${base}/:id/download`,
    {
      config: { access: needs('conversations.export') },
      schema: { tags, summary: 'Download the package (ZIP); 409 while it is being built; audited', params: schemas.ExportParams, response: { ...errors } },
    },
    async (req, reply) => {
      const { fileName, size, body } = await service.downloadExport(ctx, actorOf(req), req.params.id);
      reply.headers({
        'content-type': 'application/zip',
        'content-length': size,
        'content-disposition': attachmentDisposition(fileName),
        'cache-control': 'private, no-store',
      });
      return reply.send(body as never);
    },
  );
  app.delete(
    `${base}/:id`,
    {
      config: readers,
      schema: {
        tags,
        summary: 'Delete an export package (not while it is being built); audited',
        params: schemas.ExportParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await service.deleteExport(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
