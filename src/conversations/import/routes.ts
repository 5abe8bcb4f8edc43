// Thin HTTP edge of the Import screen: upload files to import (a job imports them), follow a run, list recent runs.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { discardUploads, withUploadSlot } from '../multipart.ts';
import { assertCanImport, getImport, listImports, startImport } from './runs.ts';
import { ImportRunList, ImportRunParams, ImportRunView } from './schemas.ts';
import { receiveImportUpload } from './upload.ts';

export function importRoutes(app: App, ctx: AppContext) {
  const tags = ['Ingest'];
  const access = { access: needs('ingest.write') };

  app.post(
    '/api/imports',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Upload files to import as `earshot import` does (audio + sidecar JSON, .eml, .chat.json, Amazon Connect CTRs and recordings, zips of these): multipart/form-data with optional "format" (auto, files, connect) and "dryRun" fields before the files, each file named by its path inside the dropped folder. At most EARSHOT_IMPORT_MAX_FILES files (413 TOO_MANY_FILES) and EARSHOT_IMPORT_MAX_MB in all (413 UPLOAD_TOO_LARGE), each file but a zip at most EARSHOT_UPLOAD_LIMIT_MB (413 FILE_TOO_LARGE); a refused upload stores nothing. Answers 202 with the run; a job imports it. Audited.',
        consumes: ['multipart/form-data'],
        response: { 202: ImportRunView, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 503: ErrorResponse, ...authErrors },
      } as never,
    },
    (req, reply) =>
      withUploadSlot(ctx, async () => {
        const actor = actorOf(req);
        assertCanImport(actor); // before the upload is read
        const upload = await receiveImportUpload(ctx, actor.tenantId, req);
        try {
          const run = await startImport(ctx, actor, upload);
          reply.code(202);
          return run;
        } catch (err) {
          await discardUploads(ctx, actor.tenantId, upload.files);
          throw err;
        }
      }),
  );

  app.get(
    '/api/imports',
    {
      config: access,
      schema: { tags, summary: 'The 20 latest imports of the tenant, newest first, and the upload limits', response: { 200: ImportRunList, ...authErrors } },
    },
    (req) => listImports(ctx, actorOf(req)),
  );

  app.get(
    '/api/imports/:id',
    {
      config: access,
      schema: {
        tags,
        summary: 'One import: status, progress (items done of total, the item being read) and, when done, the summary',
        params: ImportRunParams,
        response: { 200: ImportRunView, 404: ErrorResponse, ...authErrors },
      },
    },
    (req) => getImport(ctx, actorOf(req), req.params.id),
  );
}
