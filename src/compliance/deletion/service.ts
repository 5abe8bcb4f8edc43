// Deleting a conversation's media or the whole conversation, for a person (manual delete), anonymization (media) and
// the retention purge alike. Two steps, each safe to repeat:
//   plan     (the caller's transaction): media_state → planned_for_deletion, a `deletions` row, the job queued.
//   execute  (the job): one transaction re-checks protection, records every object's hash (deleted_blobs), deletes the
//            rows that hold the objects' wrapped data keys (crypto-shred) and the conversation's rows, and audits;
//            after it commits the objects are removed from storage. A crash before the commit leaves the conversation
//            whole; after it, the objects are already unreadable and the next run (or the sweep) removes them.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { describeProtection, protectionOf, type Protection } from '../protection.ts';
import { visibleAmong } from '../holds/repository.ts';
import * as repo from './repository.ts';

export type DeletionScope = 'media' | 'conversation';
export type DeletionOrigin = 'person' | 'policy' | 'anonymization';

export const MEDIA_PLANNED = 'planned_for_deletion';
export const MEDIA_DELETED = 'deleted';

/** Deletions per job: each is its own transaction, so a big batch only makes the job longer, never riskier. */
export const DELETIONS_PER_JOB = 50;

export interface PlanOptions {
  origin?: DeletionOrigin;
  policyId?: string | null;
  /** Skip the protection check (the retention purge checked it in the same transaction already). */
  checked?: boolean;
}

export interface PlannedDeletion {
  deletionId: string;
  conversationId: string;
}

/**
 * Plans the deletion of the media of these conversations (anonymization of media files, a retention rule that keeps
 * the record, a person): they show "Planned for deletion of media files" and stay playable until the job runs.
 * Refuses protected conversations with CONVERSATION_PROTECTED (callers that skip them never see it). Conversations
 * whose media is already planned or deleted are left as they are.
 */
export async function planMediaDeletion(
  ctx: AppContext,
  uow: Uow,
  actor: Actor,
  tenantId: string,
  conversationIds: string[],
  reason: string,
  opts: PlanOptions = {},
): Promise<PlannedDeletion[]> {
  return planDeletion(ctx, uow, actor, tenantId, conversationIds, 'media', reason, {
    origin: reason === 'anonymization' ? 'anonymization' : undefined,
    ...opts,
  });
}

/** Plans deletions of a scope; see planMediaDeletion. A whole-conversation deletion takes over a media one in flight. */
export async function planDeletion(
  ctx: AppContext,
  uow: Uow,
  actor: Actor,
  tenantId: string,
  conversationIds: string[],
  scope: DeletionScope,
  reason: string,
  opts: PlanOptions = {},
): Promise<PlannedDeletion[]> {
  requirePermission(actor, 'conversations.delete', 'conversations.anonymize', 'lifecycle.manage');
  if (actor.tenantId !== tenantId) throw notFound('Tenant', tenantId);
  const why = reason.trim();
  if (!why) throw invalid('A deletion needs a reason', { field: 'reason' });
  const ids = [...new Set(conversationIds)];
  if (!ids.length) return [];
  const tx = uow.tx;
  const rows = await repo.conversationState(tx, tenantId, ids);
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id));
    throw notFound(
      'Conversation',
      ids.find((id) => !found.has(id)),
    );
  }
  if (!opts.checked) assertUnprotected(await protectionOf(tx, tenantId, ids));
  const origin: DeletionOrigin = opts.origin ?? (actor.userId ? 'person' : 'policy');
  const now = nowIso();
  const planned: PlannedDeletion[] = [];
  for (const c of rows) {
    // Media only: nothing to do where it is already gone, or where there never was any (a chat, an e-mail thread).
    if (scope === 'media' && (c.media_state === MEDIA_DELETED || (!Number(c.has_call) && !Number(c.has_screen)))) continue;
    const open = await repo.openDeletionOf(tx, c.id);
    if (open && (open.scope === 'conversation' || open.scope === scope)) continue;
    if (open) await repo.updateDeletion(tx, open.id, { status: 'superseded', finished_at: now });
    const deletionId = newId();
    await repo.insertDeletion(tx, {
      id: deletionId,
      tenant_id: tenantId,
      conversation_id: c.id,
      scope,
      status: 'planned',
      origin,
      policy_id: opts.policyId ?? null,
      reason: why,
      requested_by: actor.userId || null,
      requested_by_name: actor.name,
      requested_at: now,
      finished_at: null,
      bytes: 0,
    });
    if (c.media_state !== MEDIA_DELETED) await repo.setMediaState(tx, [c.id], MEDIA_PLANNED, why, now);
    await ctx.audit.append(
      {
        tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: c.id,
        action: scope === 'media' ? 'CONVERSATION_MEDIA_DELETION_PLANNED' : 'CONVERSATION_DELETION_PLANNED',
        details: `Planned the deletion of ${scope === 'media' ? 'the media files of ' : ''}conversation ${c.id} (${originLabel(origin)}): ${why}`,
        changes: [{ field: 'mediaState', old: c.media_state ?? null, new: c.media_state === MEDIA_DELETED ? MEDIA_DELETED : MEDIA_PLANNED }],
      },
      tx,
    );
    planned.push({ deletionId, conversationId: c.id });
  }
  for (let i = 0; i < planned.length; i += DELETIONS_PER_JOB) {
    await ctx.jobs.enqueue(uow, 'compliance.delete', { deletionIds: planned.slice(i, i + DELETIONS_PER_JOB).map((p) => p.deletionId) }, { tenantId });
  }
  return planned;
}

function originLabel(origin: DeletionOrigin) {
  return origin === 'policy' ? 'retention policy' : origin === 'anonymization' ? 'anonymization' : 'by a person';
}

/** Throws CONVERSATION_PROTECTED listing each protected conversation and why. */
export function assertUnprotected(protections: Map<string, Protection[]>) {
  if (protections.size === 0) return;
  const protectedList = [...protections].map(([conversationId, why]) => ({ conversationId, protections: why }));
  const first = protectedList[0]!;
  throw new DomainError(
    'CONVERSATION_PROTECTED',
    protectedList.length === 1
      ? `Conversation ${first.conversationId} is protected (${first.protections.map(describeProtection).join(', ')}) and cannot be deleted`
      : `${protectedList.length} conversations are protected and cannot be deleted; nothing was deleted`,
    { protected: protectedList },
  );
}

export type ExecuteResult = 'done' | 'cancelled' | 'skipped';

/**
 * Runs one planned deletion (the job): idempotent, and each conversation all or nothing. A conversation that became
 * protected since it was planned (a legal hold placed meanwhile) is not deleted: the deletion is cancelled and its
 * media state restored.
 */
export async function executeDeletion(ctx: AppContext, deletionId: string): Promise<ExecuteResult> {
  const first = await repo.getDeletion(ctx.db, deletionId);
  if (!first || first.status === 'done' || first.status === 'cancelled' || first.status === 'superseded') return 'skipped';
  if (first.status === 'planned') {
    const outcome = await inTransaction(ctx.db, async (uow) => {
      // The dashboard's daily counts forget a deleted conversation (src/reports, queued by name).
      await ctx.jobs.enqueue(uow, 'reports.refresh_days', { conversations: [first.conversation_id] }, { tenantId: first.tenant_id });
      return shred(ctx, uow.tx, deletionId);
    });
    if (outcome === 'cancelled' || outcome === 'skipped') return outcome;
  }
  await removeObjects(ctx, deletionId);
  return 'done';
}

async function shred(ctx: AppContext, tx: Executor, deletionId: string): Promise<ExecuteResult | 'shredded'> {
  // Re-read in the transaction: a concurrent run of the same job finds it shredded and only finishes the removal.
  const d = await repo.getDeletion(tx, deletionId);
  if (!d || d.status !== 'planned') return 'skipped';
  const now = nowIso();
  const system = { userId: d.requested_by, name: d.requested_by_name, ip: null, application: 'system' as const };
  const [conv] = await repo.conversationState(tx, d.tenant_id, [d.conversation_id]);
  if (!conv) {
    await repo.updateDeletion(tx, d.id, { status: 'done', finished_at: now });
    return 'skipped';
  }
  const protections = (await protectionOf(tx, d.tenant_id, [d.conversation_id])).get(d.conversation_id);
  if (protections?.length) {
    await repo.updateDeletion(tx, d.id, { status: 'cancelled', finished_at: now });
    if (conv.media_state === MEDIA_PLANNED) await repo.setMediaState(tx, [conv.id], null, null, now);
    await ctx.audit.append(
      {
        tenantId: d.tenant_id,
        initiator: system,
        resourceType: 'conversation',
        resourceId: conv.id,
        action: 'CONVERSATION_DELETION_CANCELLED',
        details: `Did not delete ${d.scope === 'media' ? 'the media files of ' : ''}conversation ${conv.id}: it became protected (${protections.map(describeProtection).join(', ')})`,
        changes: [{ field: 'mediaState', old: conv.media_state ?? null, new: conv.media_state === MEDIA_PLANNED ? null : (conv.media_state ?? null) }],
      },
      tx,
    );
    return 'cancelled';
  }
  const held = await repo.conversationObjects(tx, conv.id, ctx.blobs.references ?? []);
  const blobs = await repo.blobRows(
    tx,
    d.tenant_id,
    held.map((o) => o.blobId),
  );
  const kindOf = new Map(held.map((o) => [o.blobId, o.kind]));
  await repo.insertDeletedBlobs(
    tx,
    blobs.map((b) => ({
      blob_id: b.id,
      tenant_id: d.tenant_id,
      deletion_id: d.id,
      kind: kindOf.get(b.id) ?? 'object',
      sha256: b.sha256,
      size: Number(b.size),
      storage_key: b.storage_key,
      shredded_at: now,
      removed_at: null,
    })),
  );
  if (d.scope === 'media') {
    await repo.detachMedia(tx, conv.id, now);
    await repo.setMediaState(tx, [conv.id], MEDIA_DELETED, d.reason, now);
  } else {
    await repo.deleteConversationRows(tx, conv.id);
  }
  // Crypto-shred: the rows with the wrapped data keys go in this transaction; the objects are removed after it commits.
  await repo.deleteBlobRows(
    tx,
    d.tenant_id,
    blobs.map((b) => b.id),
  );
  const bytes = blobs.reduce((n, b) => n + Number(b.size), 0);
  await repo.updateDeletion(tx, d.id, { status: 'shredded', bytes });
  await ctx.audit.append(
    {
      tenantId: d.tenant_id,
      initiator: system,
      resourceType: 'conversation',
      resourceId: conv.id,
      action: d.scope === 'media' ? 'CONVERSATION_MEDIA_DELETE' : 'CONVERSATION_DELETE',
      details:
        `Deleted ${d.scope === 'media' ? 'the media files of ' : ''}conversation ${conv.id} (${originLabel(d.origin as DeletionOrigin)}` +
        `${d.policy_id ? ` ${d.policy_id}` : ''}, asked by ${d.requested_by_name}): ${d.reason}; ${blobs.length} object(s), ${bytes} bytes, data keys destroyed`,
      changes: [
        { field: 'mediaState', old: conv.media_state ?? null, new: d.scope === 'media' ? MEDIA_DELETED : null },
        { field: 'objects', old: blobs.map((b) => ({ blobId: b.id, kind: kindOf.get(b.id), sha256: b.sha256, size: Number(b.size) })), new: null },
        ...(d.scope === 'conversation' ? [{ field: 'conversation', old: { id: conv.id, title: conv.title, startedAt: conv.started_at }, new: null }] : []),
      ],
    },
    tx,
  );
  return 'shredded';
}

async function removeObjects(ctx: AppContext, deletionId: string) {
  const pending = await repo.pendingObjects(ctx.db, deletionId);
  for (let i = 0; i < pending.length; i += 100) {
    const batch = pending.slice(i, i + 100);
    await ctx.blobs.removeShredded(batch.map((o) => ({ blobId: o.blob_id, storageKey: o.storage_key })));
    await repo.markRemoved(
      ctx.db,
      batch.map((o) => o.blob_id),
      nowIso(),
    );
  }
  await repo.updateDeletion(ctx.db, deletionId, { status: 'done', finished_at: nowIso() });
}

/** Deletions whose objects a crash left in storage (status shredded): finished by the scheduled purge. */
export async function finishShredded(ctx: AppContext, limit = 100): Promise<number> {
  const rows = await repo.shreddedDeletions(ctx.db, limit);
  for (const r of rows) await removeObjects(ctx, r.id);
  return rows.length;
}

// ---- people: manual deletion, protection, the deletions list ----------------------------------------------------

/**
 * Deletes the media or the whole of conversations the actor can see, for a reason (audited). All or nothing: when one
 * is protected, nothing is planned and the error names each protected conversation and why.
 */
export async function deleteConversations(ctx: AppContext, actor: Actor, input: { conversationIds: string[]; scope: DeletionScope; reason: string }) {
  requirePermission(actor, 'conversations.delete');
  const ids = await visibleIds(ctx, actor, input.conversationIds);
  const reason = input.reason.trim();
  if (!reason) throw invalid('Say why the conversations are deleted', { field: 'reason' });
  const planned = await inTransaction(ctx.db, (uow) => planDeletion(ctx, uow, actor, actor.tenantId, ids, input.scope, reason, { origin: 'person' }));
  return { deletions: planned };
}

/** Which of these conversations (that the actor can see) are protected, and why: what the delete and anonymize dialogs list. */
export async function protectionFor(ctx: AppContext, actor: Actor, conversationIds: string[]) {
  requirePermission(actor, 'conversations.delete', 'conversations.anonymize', 'legal_holds.manage', 'lifecycle.manage');
  const ids = await visibleIds(ctx, actor, conversationIds);
  const map = await protectionOf(ctx.db, actor.tenantId, ids);
  return { items: ids.filter((id) => map.has(id)).map((id) => ({ conversationId: id, protections: map.get(id)! })) };
}

async function visibleIds(ctx: AppContext, actor: Actor, conversationIds: string[]) {
  const ids = [...new Set(conversationIds)];
  const visible = await visibleAmong(ctx.db, actor, ids);
  const missing = ids.find((id) => !visible.has(id));
  if (missing) throw notFound('Conversation', missing);
  return ids;
}

export async function listDeletions(ctx: AppContext, actor: Actor, q: { conversationId?: string; limit?: number }) {
  requirePermission(actor, 'lifecycle.manage', 'conversations.delete');
  if (q.conversationId)
    await visibleIds(ctx, actor, [q.conversationId]).catch(() => {
      throw notFound('Conversation', q.conversationId);
    });
  const rows = await repo.listDeletions(ctx.db, actor.tenantId, { conversationId: q.conversationId, limit: q.limit ?? 50 });
  const counts = await repo.objectCounts(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      scope: r.scope,
      status: r.status,
      origin: r.origin,
      policyId: r.policy_id,
      reason: r.reason,
      requestedBy: r.requested_by_name,
      requestedAt: r.requested_at,
      finishedAt: r.finished_at,
      objects: counts.get(r.id) ?? 0,
      bytes: Number(r.bytes),
    })),
  };
}
