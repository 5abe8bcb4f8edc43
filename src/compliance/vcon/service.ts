// vCon exports: a package of one conversation or of every conversation a search finds, built by a job with progress,
// downloaded by whoever asked (or a compliance manager), every step audited (asked, built, downloaded, deleted; each
// conversation's own trail says it was exported). The package format is package.ts; the offline check verify.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { loadVisible } from '../../conversations/service.ts';
import { searchConversations, MAX_PAGE } from '../../search/service.ts';
import type { VconExportsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { JobContext } from '../../platform/jobs/types.ts';
import { writePackage, type MediaMode } from './package.ts';
import { exportKey } from './signing.ts';
import * as repo from './repository.ts';
import { MAX_SEARCH_EXPORT, type ExportCreate } from './schemas.ts';

interface Scope {
  kind: 'conversations' | 'search';
  ids: string[];
  filter?: unknown;
}

type Row = VconExportsTable & { created_by_name?: string | null };

function view(r: Row) {
  const scope = JSON.parse(r.scope) as Scope;
  return {
    id: r.id,
    status: r.status as 'queued' | 'running' | 'done' | 'failed',
    scope: scope.kind,
    media: JSON.parse(r.scope).media ?? 'files',
    total: Number(r.total),
    done: Number(r.done),
    skipped: Number(r.skipped),
    fileName: r.file_name,
    bytes: r.bytes === null ? null : Number(r.bytes),
    sha256: r.sha256,
    error: r.error,
    createdBy: { id: r.created_by, name: r.created_by_name ?? null },
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** Every conversation the search finds for this actor now (the package is a snapshot), at most MAX_SEARCH_EXPORT. */
async function idsOfSearch(ctx: AppContext, actor: Actor, filter: unknown): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await searchConversations(ctx, actor, filter, { limit: MAX_PAGE, cursor });
    ids.push(...page.items.map((i) => i.id));
    if (ids.length > MAX_SEARCH_EXPORT)
      throw invalid(`The search finds more than ${MAX_SEARCH_EXPORT} conversations: narrow it (a shorter period, a group) and export in parts`, {
        reason: 'EXPORT_TOO_MANY',
        field: 'filter',
      });
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

export async function createExport(ctx: AppContext, actor: Actor, input: ExportCreate) {
  requirePermission(actor, 'conversations.export');
  if ((input.conversationIds === undefined) === (input.filter === undefined))
    throw invalid('Give either "conversationIds" or a search "filter"', { reason: 'SCOPE_REQUIRED', field: 'conversationIds' });
  let scope: Scope;
  if (input.conversationIds) {
    const ids = [...new Set(input.conversationIds)];
    // Out of sight answers like absent (404), as reading it would.
    for (const id of ids) await loadVisible(ctx, actor, id);
    scope = { kind: 'conversations', ids };
  } else {
    const ids = await idsOfSearch(ctx, actor, input.filter);
    if (ids.length === 0) throw invalid('The search finds no conversation to export', { reason: 'NOTHING_TO_EXPORT', field: 'filter' });
    scope = { kind: 'search', ids, filter: input.filter };
  }
  const media: MediaMode = input.media ?? 'files';
  const now = nowIso();
  const row: VconExportsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    status: 'queued',
    scope: JSON.stringify({ ...scope, media }),
    inline_media: media === 'inline' ? 1 : 0,
    total: scope.ids.length,
    done: 0,
    skipped: 0,
    blob_id: null,
    file_name: null,
    bytes: null,
    sha256: null,
    error: null,
    created_by: actor.userId,
    created_at: now,
    finished_at: null,
  };
  await inTransaction(ctx.db, async (uow) => {
    await repo.insertExport(uow.tx, row);
    await ctx.jobs.enqueue(uow, 'compliance.vcon_export', { exportId: row.id }, { tenantId: actor.tenantId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'vcon_export',
        resourceId: row.id,
        action: 'VCON_EXPORT_CREATE',
        details:
          scope.kind === 'search'
            ? `Asked for a vCon export of the ${scope.ids.length} conversation(s) a search finds (media: ${media})`
            : `Asked for a vCon export of ${scope.ids.length === 1 ? `conversation ${scope.ids[0]}` : `${scope.ids.length} conversations`} (media: ${media})`,
      },
      uow.tx,
    );
  });
  return view({ ...row, created_by_name: actor.name });
}

const manages = (actor: Actor) => can(actor, 'lifecycle.manage');

export async function listExports(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.export', 'lifecycle.manage');
  const rows = await repo.listExports(ctx.db, actor.tenantId, manages(actor) ? null : actor.userId, 200);
  return { items: rows.map(view) };
}

/** The export if the actor made it or manages the data life cycle; 404 otherwise (others' exports look absent). */
async function loadOwn(ctx: AppContext, actor: Actor, id: string) {
  const r = await repo.getExportWithName(ctx.db, actor.tenantId, id);
  if (!r || (!manages(actor) && r.created_by !== actor.userId)) throw notFound('Export', id);
  return r;
}

export async function getExport(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'conversations.export', 'lifecycle.manage');
  return view(await loadOwn(ctx, actor, id));
}

export async function downloadExport(ctx: AppContext, actor: Actor, id: string): Promise<{ fileName: string; size: number; body: Readable }> {
  requirePermission(actor, 'conversations.export');
  const r = await loadOwn(ctx, actor, id);
  if (r.status !== 'done' || !r.blob_id)
    throw new DomainError('CONFLICT', r.status === 'failed' ? `This export failed: ${r.error ?? 'unknown error'}` : 'This export is not ready yet', {
      reason: r.status === 'failed' ? 'EXPORT_FAILED' : 'EXPORT_NOT_READY',
    });
  const info = await ctx.blobs.stat(actor.tenantId, r.blob_id);
  const body = await ctx.blobs.read(actor.tenantId, r.blob_id);
  await ctx.audit
    .append({
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'vcon_export',
      resourceId: id,
      action: 'VCON_EXPORT_DOWNLOAD',
      details: `Downloaded vCon export ${r.file_name} (${r.total - r.skipped} conversation(s), SHA-256 ${r.sha256})`,
    })
    .catch((err: unknown) => {
      body.destroy();
      throw err;
    });
  return { fileName: r.file_name!, size: info.size, body };
}

export async function deleteExport(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'conversations.export', 'lifecycle.manage');
  const r = await loadOwn(ctx, actor, id);
  if (r.status === 'queued' || r.status === 'running') throw new DomainError('CONFLICT', 'This export is still being built', { reason: 'EXPORT_RUNNING' });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteExport(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'vcon_export',
        resourceId: id,
        action: 'VCON_EXPORT_DELETE',
        details: `Deleted vCon export ${r.file_name ?? id}`,
      },
      tx,
    );
  });
  if (r.blob_id) await ctx.blobs.delete(actor.tenantId, r.blob_id).catch(() => {});
}

export function signingKey(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'conversations.export', 'lifecycle.manage');
  const k = exportKey(ctx.keyring, actor.tenantId);
  return { keyId: k.keyId, algorithm: 'Ed25519' as const, publicKeyPem: k.publicKeyPem };
}

/**
 * The job: builds the package as the user who asked (their permissions and scope now), stores it encrypted like media,
 * and records its SHA-256. A crash leaves a temporary file that the retry replaces; nothing is half-recorded.
 */
export async function runExport(ctx: AppContext, exportId: string, job: Pick<JobContext, 'progress' | 'attempt'>) {
  const r = await repo.getExportById(ctx.db, exportId);
  if (!r || r.status === 'done') return { skipped: true };
  const scope = JSON.parse(r.scope) as Scope & { media: MediaMode };
  const fail = async (message: string) => {
    await repo.updateExport(ctx.db, exportId, { status: 'failed', error: message, finished_at: nowIso() });
    return { failed: message };
  };
  const actor = await actorFor(ctx, r.created_by, { ip: null, application: 'system' });
  if (!actor || actor.tenantId !== r.tenant_id) return fail('The user who asked for this export no longer exists or is disabled');
  if (!can(actor, 'conversations.export')) return fail('The user who asked for this export no longer has the permission "conversations.export"');
  await repo.updateExport(ctx.db, exportId, { status: 'running', done: 0, skipped: 0, error: null });
  const tmp = path.join(ctx.config.dataDir, 'tmp', 'vcon-exports', `${exportId}.zip`);
  try {
    const result = await writePackage(
      ctx,
      actor,
      { exportId, tenantId: r.tenant_id, conversationIds: scope.ids, media: scope.media ?? 'files', createdAt: r.created_at },
      tmp,
      async (done, total) => {
        await job.progress(done / Math.max(1, total), `${done} of ${total} conversation(s)`);
        await repo.updateExport(ctx.db, exportId, { done });
      },
    );
    const { createHash } = await import('node:crypto');
    const h = createHash('sha256');
    for await (const c of fs.createReadStream(tmp)) h.update(c as Buffer);
    const sha256 = h.digest('hex');
    const blob = await ctx.blobs.put(r.tenant_id, fs.createReadStream(tmp), { contentType: 'application/zip' });
    const fileName = `vcon-export-${r.created_at.slice(0, 10)}-${exportId}.zip`;
    try {
      await inTransaction(ctx.db, async ({ tx }) => {
        await repo.updateExport(tx, exportId, {
          status: 'done',
          blob_id: blob.id,
          file_name: fileName,
          bytes: result.bytes,
          sha256,
          done: scope.ids.length,
          skipped: result.skipped,
          finished_at: nowIso(),
        });
        await ctx.audit.append(
          {
            tenantId: r.tenant_id,
            initiator: initiatorOf(actor),
            resourceType: 'vcon_export',
            resourceId: exportId,
            action: 'VCON_EXPORT_READY',
            details: `Built vCon export ${fileName}: ${result.included} conversation(s)${result.skipped ? `, ${result.skipped} skipped` : ''}, ${result.bytes} bytes, SHA-256 ${sha256}, signed with key ${exportKey(ctx.keyring, r.tenant_id).keyId}`,
          },
          tx,
        );
      });
    } catch (err) {
      await ctx.blobs.delete(r.tenant_id, blob.id).catch(() => {});
      throw err;
    }
    return { conversations: result.included, skipped: result.skipped, bytes: result.bytes };
  } catch (err) {
    if (err instanceof DomainError && err.details?.reason === 'EXPORT_TOO_LARGE') return fail(err.message);
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** After its last retry: the export says it failed, with why. */
export async function markExportFailed(ctx: AppContext, exportId: string, err: unknown) {
  await repo.updateExport(ctx.db, exportId, { status: 'failed', error: (err as Error)?.message ?? String(err), finished_at: nowIso() });
}
