// Offline interactions (issue 11): a contact that was not recorded here (a walk-in, a call on another system, a
// letter) added by hand so it can be evaluated like any other. It is a conversation — created through the same
// ingest path (participants, segment, aggregates, the pipeline that indexes it), so the list finds it, filters and
// scopes apply, and the evaluation API takes it — with one segment of kind 'offline'. Its own row keeps the channel,
// the notes and the optional uploaded file, stored encrypted like all media.
import type { FastifyReply } from 'fastify';
import { validateHeaderValue } from 'node:http';
import type { AppContext } from '../../context.ts';
import { assertWithinScope, can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { canViewAny, requireViewer } from '../../conversations/access.ts';
import { attachSegment, normalizePhone } from '../../conversations/ingest/common.ts';
import { startConversationPipeline } from '../../conversations/pipeline.ts';
import * as convRepo from '../../conversations/repository.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { attachmentDisposition } from '../../platform/http/content-disposition.ts';
import type { StoredUpload } from '../../conversations/ingest/calls.ts';
import * as repo from './repository.ts';
import type { OfflineMetadata } from './schemas.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.visibleOffline>>>;

const CHANNEL_LABEL: Record<string, string> = {
  phone: 'Phone call',
  in_person: 'In person',
  email: 'E-mail',
  chat: 'Chat',
  social: 'Social media',
  letter: 'Letter',
  other: 'Other',
};

function view(r: Row) {
  const base = `/api/offline-interactions/${encodeURIComponent(r.conversation_id)}`;
  return {
    conversationId: r.conversation_id,
    title: r.title ?? null,
    channel: r.channel,
    notes: r.notes,
    startedAt: r.started_at ?? null,
    endedAt: r.ended_at ?? null,
    agent: { id: r.agent_user_id ?? null, name: r.agent_name ?? null },
    file: r.file_blob_id
      ? { name: r.file_name ?? 'file', contentType: r.file_content_type ?? 'application/octet-stream', bytes: Number(r.file_bytes ?? 0), url: `${base}/file` }
      : null,
    createdBy: { id: r.created_by, name: r.created_by_name ?? null },
    createdAt: r.created_at,
  };
}

/**
 * Records the interaction. `file` is an upload already streamed into the media store (the caller deletes it if this
 * throws before the row that keeps it is written).
 */
export async function createOffline(ctx: AppContext, actor: Actor, meta: OfflineMetadata, file: StoredUpload | null) {
  requirePermission(actor, 'quality.review', 'quality.plan');
  requirePermission(actor, 'conversations.view');
  const agent = await repo.userById(ctx.db, actor.tenantId, meta.agentUserId);
  if (!agent || agent.disabled) throw invalid('Choose an active user of this organisation as the agent', { reason: 'UNKNOWN_AGENT' });
  // The interaction lands in the agent's group: one may add interactions only for agents one sees.
  assertWithinScope(actor, [agent.group_id], 'Adding an interaction for this agent');
  const started = Date.parse(meta.startedAt);
  if (started > Date.now() + 5 * 60_000) throw invalid('An interaction cannot start in the future', { reason: 'IN_FUTURE' });
  const endedAt = new Date(started + (meta.durationMinutes ?? 0) * 60_000).toISOString();
  const startedAt = new Date(started).toISOString();
  const title = meta.title?.trim() || `${CHANNEL_LABEL[meta.channel]}${meta.customerName?.trim() ? ` with ${meta.customerName.trim()}` : ''}`;
  const contact = meta.customerContact?.trim() || null;
  const email = contact && contact.includes('@') ? contact.toLowerCase() : null;
  const phone = contact && !email ? normalizePhone(contact) : null;
  const notes = meta.notes?.trim() ?? '';
  const externalId = `offline-${newId()}`;
  const direction = 'inbound';
  return inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const { conversationId } = await attachSegment(
      ctx,
      tx,
      actor.tenantId,
      {
        stitch: {},
        engagementId: null,
        title,
        direction,
        parties: [
          { key: 'agent', role: 'agent', name: agent.name, user: { id: agent.id, name: agent.name, groupId: agent.group_id, siteId: agent.site_id } },
          ...(meta.customerName?.trim() || contact
            ? [{ key: 'customer', role: 'customer' as const, name: meta.customerName?.trim() || null, phone, email, user: null }]
            : []),
        ],
        primaryAgentKey: 'agent',
      },
      {
        kind: 'offline',
        external_id: externalId,
        parent_segment_id: null,
        direction,
        started_at: startedAt,
        ended_at: endedAt,
        duration_ms: Date.parse(endedAt) - started,
        queue: null,
        agent_user_id: agent.id,
        agent_party_key: 'agent',
        title,
        monitor: null,
        source_url: null,
        metadata: { channel: meta.channel },
      },
    );
    await convRepo.refreshAggregates(tx, conversationId);
    await repo.markReviewable(tx, conversationId);
    await repo.insertOffline(tx, {
      conversation_id: conversationId,
      tenant_id: actor.tenantId,
      channel: meta.channel,
      notes,
      file_blob_id: file?.blobId ?? null,
      file_name: file?.fileName ?? null,
      file_content_type: file?.contentType ?? null,
      file_bytes: file?.size ?? null,
      created_by: actor.userId,
      created_at: nowIso(),
    });
    await startConversationPipeline(ctx, uow, actor.tenantId, { conversationId, hasAudio: false });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'OFFLINE_INTERACTION_CREATE',
        details: `Added offline interaction "${title}" (${CHANNEL_LABEL[meta.channel]}) for ${agent.name}${file ? ` with file ${file.fileName} (${file.size} bytes)` : ''}`,
        changes: [
          { field: 'agentUserId', old: null, new: agent.id },
          { field: 'startedAt', old: null, new: startedAt },
          { field: 'channel', old: null, new: meta.channel },
          { field: 'notes', old: null, new: notes },
          { field: 'file', old: null, new: file ? file.fileName : null },
        ],
      },
      tx,
    );
    const row = await repo.visibleOffline(tx, actor, conversationId);
    return view(row!);
  });
}

async function load(ctx: AppContext, actor: Actor, conversationId: string) {
  // Without any view permission every conversation is out of scope: 404, as for conversations.
  if (!canViewAny(actor)) throw notFound('Offline interaction', conversationId);
  const row = await repo.visibleOffline(ctx.db, actor, conversationId);
  if (!row) throw notFound('Offline interaction', conversationId);
  return row;
}

export async function getOffline(ctx: AppContext, actor: Actor, conversationId: string) {
  return view(await load(ctx, actor, conversationId));
}

export async function listOffline(ctx: AppContext, actor: Actor, query: { limit?: number; cursor?: string }) {
  requireViewer(actor);
  const limit = query.limit ?? 50;
  const rows = await repo.listOffline(ctx.db, actor, limit, query.cursor ?? null);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: rows.length > limit && last ? `${last.created_at}|${last.conversation_id}` : null };
}

export async function updateNotes(ctx: AppContext, actor: Actor, conversationId: string, notes: string) {
  requirePermission(actor, 'quality.review', 'quality.plan');
  const row = await load(ctx, actor, conversationId);
  const next = notes.trim();
  if (next !== row.notes) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateNotes(tx, conversationId, next);
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: conversationId,
          action: 'OFFLINE_INTERACTION_UPDATE',
          details: 'Edited the notes of an offline interaction',
          changes: [{ field: 'notes', old: row.notes, new: next }],
        },
        tx,
      );
    });
  }
  return getOffline(ctx, actor, conversationId);
}

/** The attached file, for who may play or download media of the conversation; audited like a recording download. */
export async function downloadFile(ctx: AppContext, actor: Actor, conversationId: string, reply: FastifyReply) {
  requirePermission(actor, 'media.download', 'media.play_redacted', 'media.play_unredacted');
  const row = await load(ctx, actor, conversationId);
  if (!row.file_blob_id) throw new DomainError('NOT_FOUND', 'This interaction has no file', { reason: 'NO_FILE' });
  const info = await ctx.blobs.stat(actor.tenantId, row.file_blob_id);
  const headers: Record<string, string | number> = {
    'content-type': row.file_content_type ?? info.contentType ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'private, no-store',
    'content-disposition': attachmentDisposition(row.file_name ?? 'file'),
    'x-content-type-options': 'nosniff',
  };
  for (const [name, value] of Object.entries(headers)) validateHeaderValue(name, String(value));
  const body = await ctx.blobs.read(actor.tenantId, row.file_blob_id);
  await ctx.audit
    .append({
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: conversationId,
      action: 'RECORDING_DOWNLOADED',
      details: `Downloaded the file ${row.file_name ?? ''} of an offline interaction${can(actor, 'media.download') ? '' : ' (to play it)'}`,
    })
    .catch((err: unknown) => {
      body.destroy();
      throw err;
    });
  reply.headers(headers);
  return reply.send(body);
}
