// Imports uploaded on the Administration → Import screen. The upload is stored (encrypted, in the media store) and
// recorded as a run in one transaction with its audit event and its job; the job (conversations.import) writes the
// files into a private working folder, unpacks zips, and runs the same importTree as `earshot import` as the user
// who uploaded, recording progress on the run and, at the end, the same summary. The uploaded objects and the
// working folder are removed when the run ends (or its last attempt fails).
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { JobContext } from '../../platform/jobs/types.ts';
import { assertCanIngest } from '../ingest/common.ts';
import * as repo from './repository.ts';
import type { ImportRunView } from './schemas.ts';
import { importTree, parseFormat, type ImportSummary } from './service.ts';
import type { ImportUpload } from './upload.ts';
import { extractZip } from './zip.ts';

/** Attempts of the import job; files are kept for a retry until the last one. Re-running is safe (ingest is idempotent). */
export const IMPORT_JOB_ATTEMPTS = 3;
/** Progress is written at most this often (a tree of small chats finishes thousands of items a second). */
const PROGRESS_EVERY_MS = 500;

const isZip = (p: string) => p.toLowerCase().endsWith('.zip');

function viewOf(ctx: AppContext, r: repo.ImportRunRow): ImportRunView {
  const summary = r.summary == null ? null : ctx.adapter.fromJson<ImportRunView['summary']>(r.summary);
  return {
    id: r.id,
    status: r.status as ImportRunView['status'],
    format: r.format,
    dryRun: !!r.dry_run,
    fileCount: Number(r.file_count),
    totalBytes: Number(r.total_bytes),
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: new Date(r.created_at).toISOString(),
    startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    jobId: r.job_id,
    total: r.total == null ? null : Number(r.total),
    done: Number(r.done),
    currentLabel: r.current_label,
    summary,
    error: r.error,
  };
}

/** Who may import: ingest.write and an organisation-wide scope (as the ingest API). */
export function assertCanImport(actor: Actor) {
  requirePermission(actor, 'ingest.write');
  assertCanIngest(actor);
}

export function importLimits(ctx: AppContext) {
  return { maxFiles: ctx.config.importMaxFiles, maxBytes: ctx.config.importMaxBytes, maxFileBytes: ctx.config.uploadLimitBytes };
}

/** Records an uploaded import and queues its job. The caller deletes the uploaded objects if this throws. */
export async function startImport(ctx: AppContext, actor: Actor, upload: ImportUpload): Promise<ImportRunView> {
  assertCanImport(actor);
  const format = parseFormat(upload.fields.format || undefined);
  const dryRun = ['true', '1', 'on'].includes((upload.fields.dryRun ?? '').toLowerCase());
  if (upload.files.length === 0) throw invalid('No file was uploaded: drop files, a folder or a zip', { reason: 'MISSING_FILE' });
  const id = newId();
  const now = new Date().toISOString();
  const totalBytes = upload.files.reduce((n, f) => n + f.size, 0);
  await inTransaction(ctx.db, async (uow) => {
    await repo.insertRun(uow.tx, {
      id,
      tenant_id: actor.tenantId,
      created_by: actor.userId || null,
      created_by_name: actor.name,
      status: 'queued',
      format,
      dry_run: dryRun ? 1 : 0,
      file_count: upload.files.length,
      total_bytes: totalBytes,
      done: 0,
      created_at: now,
    });
    await repo.insertRunFiles(uow.tx, id, upload.files);
    const jobId = await ctx.jobs.enqueue(uow, 'conversations.import', { runId: id }, { tenantId: actor.tenantId });
    await repo.updateRun(uow.tx, id, { job_id: jobId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'import',
        resourceId: id,
        action: 'IMPORT_STARTED',
        details: `Uploaded ${upload.files.length} file(s), ${(totalBytes / 2 ** 20).toFixed(1)} MB, to import (format ${format}${dryRun ? ', dry run' : ''})`,
      },
      uow.tx,
    );
  });
  return getImport(ctx, actor, id);
}

export async function getImport(ctx: AppContext, actor: Actor, id: string): Promise<ImportRunView> {
  assertCanImport(actor);
  const row = await repo.getRun(ctx.db, actor.tenantId, id);
  if (!row) throw notFound('Import', id);
  return viewOf(ctx, row);
}

export async function listImports(ctx: AppContext, actor: Actor) {
  assertCanImport(actor);
  return { items: (await repo.listRuns(ctx.db, actor.tenantId, 20)).map((r) => viewOf(ctx, r)), limits: importLimits(ctx) };
}

const workDirOf = (ctx: AppContext, runId: string) => path.join(ctx.config.dataDir, 'import-work', runId);

/** The job: runs one uploaded import to its summary. */
export async function runImport(ctx: AppContext, runId: string, job: Pick<JobContext, 'attempt' | 'progress'>): Promise<unknown> {
  const run = await repo.getRunById(ctx.db, runId);
  if (!run || run.status === 'done' || run.status === 'failed') return { skipped: true };
  const work = workDirOf(ctx, runId);
  try {
    const actor = run.created_by ? await actorFor(ctx, run.created_by, { ip: null, application: 'system' }) : null;
    if (!actor) throw new DomainError('FORBIDDEN', `${run.created_by_name}, who uploaded this import, no longer has an active account`);
    assertCanImport(actor);
    await repo.updateRun(ctx.db, runId, { status: 'running', started_at: new Date().toISOString(), error: null });

    // The working folder: private to the server's user, rebuilt from the stored files at each attempt.
    await fs.promises.rm(work, { recursive: true, force: true });
    await fs.promises.mkdir(work, { recursive: true, mode: 0o700 });
    const files = await repo.runFiles(ctx.db, runId);
    const taken = new Set(files.map((f) => f.path.split('/')[0]!));
    const zipFailures: Array<{ file: string; reason: string }> = [];
    for (const f of files) {
      const dest = path.join(work, ...f.path.split('/'));
      await fs.promises.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      await pipeline(await ctx.blobs.read(run.tenant_id, f.blob_id), fs.createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
      if (!isZip(f.path)) continue;
      // "export.zip" unpacks into "export/" beside it (or "export (zip)/" when the upload has such a folder).
      let folder = f.path.slice(0, -4);
      if (!folder.includes('/') && taken.has(folder)) folder = `${folder} (zip)`;
      try {
        const r = await extractZip(dest, path.join(work, ...folder.split('/')), f.path, {
          maxEntries: ctx.config.importMaxFiles * 10,
          maxTotalBytes: ctx.config.importMaxBytes * 4,
          maxEntryBytes: ctx.config.uploadLimitBytes,
        });
        zipFailures.push(...r.refused);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        zipFailures.push({ file: f.path, reason: err.message });
      }
      await fs.promises.rm(dest);
    }

    let last = 0;
    // Progress writes go one after the other and are waited for before the outcome, which they must not overwrite.
    let writes: Promise<unknown> = Promise.resolve();
    const record = (set: Parameters<typeof repo.updateRun>[2]) => {
      writes = writes.then(() => repo.updateRun(ctx.db, runId, set)).catch(() => {});
    };
    const summary: ImportSummary = await importTree(ctx, actor, {
      dir: work,
      format: parseFormat(run.format),
      dryRun: !!run.dry_run,
      onStart: ({ total }) => record({ total: total + zipFailures.length, done: zipFailures.length }),
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        const done = p.done + zipFailures.length;
        const total = p.total + zipFailures.length;
        record({ done, total, current_label: p.label });
        void job.progress(total ? done / total : 1, `${done} of ${total} items`);
      },
    });
    await writes;
    // Zip entries that were not unpacked count as failed items; the server's folder is not shown.
    const { dir: _dir, ...shown } = summary;
    const result = {
      ...shown,
      total: summary.total + zipFailures.length,
      failed: summary.failed + zipFailures.length,
      failures: [...zipFailures, ...summary.failures],
    };
    await finish(ctx, run, { status: 'done', summary: result });
    return { imported: result.imported, skipped: result.skipped, failed: result.failed };
  } catch (err) {
    const last = job.attempt >= IMPORT_JOB_ATTEMPTS || err instanceof DomainError;
    if (last) await finish(ctx, run, { status: 'failed', error: (err as Error).message });
    else await repo.updateRun(ctx.db, runId, { status: 'queued', error: `Attempt ${job.attempt} failed: ${(err as Error).message}; trying again` });
    // A DomainError is the run's own problem (the uploader's account, a folder): no retry, the run says why.
    if (err instanceof DomainError) return { failed: err.message };
    throw err;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

/** Ends a run: its outcome and audit event in one transaction, then the uploaded objects are deleted. */
async function finish(
  ctx: AppContext,
  run: repo.ImportRunRow,
  outcome: { status: 'done'; summary: Omit<ImportSummary, 'dir'> } | { status: 'failed'; error: string },
) {
  const files = await repo.runFiles(ctx.db, run.id);
  const s = outcome.status === 'done' ? outcome.summary : null;
  await inTransaction(ctx.db, async (uow) => {
    await repo.updateRun(uow.tx, run.id, {
      status: outcome.status,
      finished_at: new Date().toISOString(),
      current_label: null,
      ...(s ? { summary: ctx.adapter.json(s) as never, total: s.total, done: s.total, error: null } : { error: (outcome as { error: string }).error }),
    });
    await repo.deleteRunFiles(uow.tx, run.id);
    await ctx.audit.append(
      {
        tenantId: run.tenant_id,
        initiator: { userId: run.created_by, name: run.created_by_name, ip: null, application: 'system' },
        resourceType: 'import',
        resourceId: run.id,
        action: 'IMPORT_FINISHED',
        details: s
          ? `${s.dryRun ? 'Dry run: would import' : 'Imported'} ${s.imported}, skipped ${s.skipped}, failed ${s.failed} of ${s.total} item(s)`
          : `The import failed: ${(outcome as { error: string }).error}`,
      },
      uow.tx,
    );
  });
  await Promise.allSettled(files.map((f) => ctx.blobs.delete(run.tenant_id, f.blob_id)));
}
