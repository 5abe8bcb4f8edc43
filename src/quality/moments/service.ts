// Moments (issue 11): a named time range of a conversation saved as a clip. A job renders the clip (render.ts); it
// plays for anyone who may see the conversation and play media (the redacted clip without "play unredacted"), and a
// manager may share it outside with an unguessable link that expires, can be revoked, and plays only that clip,
// redacted, each play audited.
import { createHash, randomBytes } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { canViewAny, requireViewer } from '../../conversations/access.ts';
import { loadVisible } from '../../conversations/service.ts';
import { parseRange } from '../../conversations/playback.ts';
import { requirePlayer } from '../../media/service.ts';
import { publicBaseUrl } from '../../notify/service.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { MomentSharesTable, MomentsTable } from '../../platform/db/schema.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { Initiator } from '../../platform/audit/types.ts';
import * as repo from './repository.ts';
import { MAX_MOMENT_MS, MIN_MOMENT_MS, type LibraryQuery, type MomentCreate, type MomentPatch, type ShareCreate } from './schemas.ts';
import { ClipNotReady, conversationHasPii, encodeClip, MOMENT_CLIP_CONTENT_TYPE, planClip } from './render.ts';

type MomentRow = Awaited<ReturnType<typeof repo.visibleMoment>> & object;
type ShareRow = Awaited<ReturnType<typeof repo.sharesOf>>[number];

const fmt = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const rangeText = (m: Pick<MomentsTable, 'start_ms' | 'end_ms'>) => `${fmt(Number(m.start_ms))}–${fmt(Number(m.end_ms))}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function shareState(s: Pick<MomentSharesTable, 'revoked_at' | 'expires_at'>, now = Date.now()) {
  return s.revoked_at ? 'revoked' : Date.parse(s.expires_at) <= now ? 'expired' : 'active';
}

function shareView(s: ShareRow) {
  return {
    id: s.id,
    createdAt: s.created_at,
    createdBy: { id: s.created_by, name: s.created_by_name ?? null },
    expiresAt: s.expires_at,
    revokedAt: s.revoked_at,
    state: shareState(s),
    plays: Number(s.plays),
    lastPlayedAt: s.last_played_at,
  };
}

const seesShares = (actor: Actor) => can(actor, 'moments.manage') || can(actor, 'moments.share_external');

function view(actor: Actor, m: MomentRow, shares: ShareRow[]) {
  const base = `/api/moments/${encodeURIComponent(m.id)}`;
  return {
    id: m.id,
    name: m.name,
    note: m.note ?? null,
    conversation: { id: m.conversation_id, title: m.conversation_title ?? null, startedAt: m.conversation_started_at ?? null },
    startMs: Number(m.start_ms),
    endMs: Number(m.end_ms),
    status: m.status,
    reason: m.reason,
    clipUrl: m.status === 'ready' ? `${base}/clip` : null,
    link: `/conversations/${encodeURIComponent(m.conversation_id)}?moment=${encodeURIComponent(m.id)}`,
    createdBy: { id: m.created_by, name: m.created_by_name ?? null },
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    shares: seesShares(actor) ? shares.filter((s) => s.moment_id === m.id).map(shareView) : [],
  };
}

async function viewsOf(ctx: AppContext, actor: Actor, rows: MomentRow[]) {
  const shares = seesShares(actor)
    ? await repo.sharesOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    : [];
  return rows.map((r) => view(actor, r, shares));
}

/** The moment if the actor sees its conversation; 404 otherwise (like a conversation outside the scope). */
async function loadMoment(ctx: AppContext, actor: Actor, id: string) {
  // Without any view permission every conversation is out of scope, and so are its moments: 404, as for conversations.
  if (!canViewAny(actor)) throw notFound('Moment', id);
  const m = await repo.visibleMoment(ctx.db, actor, id);
  if (!m) throw notFound('Moment', id);
  return m;
}

export async function conversationMoments(ctx: AppContext, actor: Actor, conversationId: string) {
  await loadVisible(ctx, actor, conversationId);
  return { items: await viewsOf(ctx, actor, await repo.momentsOfConversation(ctx.db, actor, conversationId)) };
}

export async function momentLibrary(ctx: AppContext, actor: Actor, query: LibraryQuery) {
  requireViewer(actor);
  const limit = query.limit ?? 50;
  const rows = await repo.library(ctx.db, actor, { q: query.q?.trim() || null, mine: query.mine ?? false, limit, before: query.cursor ?? null });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: await viewsOf(ctx, actor, page), nextCursor: rows.length > limit && last ? `${last.created_at}|${last.id}` : null };
}

export async function getMoment(ctx: AppContext, actor: Actor, id: string) {
  const [v] = await viewsOf(ctx, actor, [await loadMoment(ctx, actor, id)]);
  return v!;
}

async function queueRender(ctx: AppContext, uow: Uow, tenantId: string, momentId: string) {
  await ctx.jobs.enqueue(uow, 'quality.moment_render', { momentId }, { tenantId });
}

export async function createMoment(ctx: AppContext, actor: Actor, conversationId: string, input: MomentCreate) {
  requirePermission(actor, 'moments.manage');
  const conv = await loadVisible(ctx, actor, conversationId);
  const name = input.name.trim();
  if (!name) throw invalid('A moment needs a name', { reason: 'NAME_REQUIRED' });
  if (!conv.has_call) throw new DomainError('CONFLICT', 'This conversation has no call recording to clip', { reason: 'NO_AUDIO' });
  const durationMs = Date.parse(String(conv.ended_at)) - Date.parse(String(conv.started_at));
  if (input.endMs <= input.startMs) throw invalid('The moment must end after it starts', { reason: 'INVALID_RANGE' });
  if (input.endMs - input.startMs < MIN_MOMENT_MS) throw invalid(`A moment lasts at least ${MIN_MOMENT_MS / 1000} s`, { reason: 'RANGE_TOO_SHORT' });
  if (input.endMs - input.startMs > MAX_MOMENT_MS)
    throw invalid(`A moment lasts at most ${MAX_MOMENT_MS / 60_000} minutes`, { reason: 'RANGE_TOO_LONG', maxMs: MAX_MOMENT_MS });
  if (input.startMs >= durationMs || input.endMs > durationMs + 1000)
    throw invalid(`The range ${fmt(input.startMs)}–${fmt(input.endMs)} is outside the conversation (${fmt(durationMs)})`, {
      reason: 'OUT_OF_RANGE',
      durationMs,
    });
  const now = nowIso();
  const row: MomentsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    conversation_id: conv.id,
    name,
    start_ms: input.startMs,
    end_ms: Math.min(input.endMs, durationMs),
    status: 'pending',
    reason: null,
    clip_blob_id: null,
    redacted_clip_blob_id: null,
    clip_bytes: null,
    clip_pii: null,
    note: input.note?.trim() || null,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async (uow) => {
    await repo.insertMoment(uow.tx, row);
    await queueRender(ctx, uow, actor.tenantId, row.id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'moment',
        resourceId: row.id,
        action: 'MOMENT_CREATE',
        details: `Saved moment "${name}" (${rangeText(row)}) of conversation ${conv.id}`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'conversationId', old: null, new: conv.id },
          { field: 'startMs', old: null, new: row.start_ms },
          { field: 'endMs', old: null, new: row.end_ms },
          { field: 'note', old: null, new: row.note },
        ],
      },
      uow.tx,
    );
  });
  return getMoment(ctx, actor, row.id);
}

export async function updateMoment(ctx: AppContext, actor: Actor, id: string, patch: MomentPatch) {
  requirePermission(actor, 'moments.manage');
  const m = await loadMoment(ctx, actor, id);
  const next = { name: patch.name !== undefined ? patch.name.trim() : m.name, note: patch.note !== undefined ? patch.note?.trim() || null : (m.note ?? null) };
  if (!next.name) throw invalid('A moment needs a name', { reason: 'NAME_REQUIRED' });
  const changes = (['name', 'note'] as const).filter((f) => (m[f] ?? null) !== next[f]).map((f) => ({ field: f, old: m[f] ?? null, new: next[f] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateMoment(tx, id, { ...next, updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'moment',
          resourceId: id,
          action: 'MOMENT_UPDATE',
          details: `Edited moment "${next.name}"`,
          changes,
        },
        tx,
      );
    });
  }
  return getMoment(ctx, actor, id);
}

export async function deleteMoment(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'moments.manage');
  const m = await loadMoment(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteShares(tx, id);
    await repo.deleteMoment(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'moment',
        resourceId: id,
        action: 'MOMENT_DELETE',
        details: `Deleted moment "${m.name}" (${rangeText(m)}) of conversation ${m.conversation_id} and its share links`,
        changes: [
          { field: 'name', old: m.name, new: null },
          { field: 'startMs', old: Number(m.start_ms), new: null },
          { field: 'endMs', old: Number(m.end_ms), new: null },
        ],
      },
      tx,
    );
  });
  // The rows are gone: their clips too (the orphan sweep would find them otherwise).
  await ctx.blobs.release(m.tenant_id, [m.clip_blob_id, m.redacted_clip_blob_id]);
}

// ——— clips ——————————————————————————————————————————————————————————————————————————————————————————————

/**
 * The clip a listener gets: the original with "play unredacted" (internal only), else the redacted copy when the
 * transcript has PII. A clip rendered before PII was found is stale for them: it is rendered again and refused
 * meanwhile, never handed out.
 */
async function clipFor(ctx: AppContext, m: MomentsTable, unredacted: boolean): Promise<{ blobId: string; note: string }> {
  if (m.status === 'pending') throw new DomainError('CONFLICT', 'The clip is still being prepared; try again in a moment', { reason: 'CLIP_PENDING' });
  if (m.status !== 'ready' || !m.clip_blob_id)
    throw new DomainError('CONFLICT', `The clip could not be made: ${m.reason ?? 'unknown reason'}`, { reason: 'CLIP_FAILED' });
  if (unredacted) return { blobId: m.clip_blob_id, note: ' (unredacted)' };
  if (m.redacted_clip_blob_id && !(await redactedClipStale(ctx, m.conversation_id, m.redacted_clip_blob_id)))
    return { blobId: m.redacted_clip_blob_id, note: ' (redacted)' };
  if (m.redacted_clip_blob_id || (await conversationHasPii(ctx, m.conversation_id))) {
    await inTransaction(ctx.db, async (uow) => {
      await repo.updateMoment(uow.tx, m.id, { status: 'pending', reason: null, updated_at: nowIso() });
      await queueRender(ctx, uow, m.tenant_id, m.id);
    });
    throw new DomainError('CONFLICT', 'The personal data found in the recording changed: the clip is being prepared again without it', {
      reason: 'CLIP_PENDING',
    });
  }
  return { blobId: m.clip_blob_id, note: '' };
}

/** A redacted clip older than the conversation's redacted audio was cut before a later transcript's redaction. */
async function redactedClipStale(ctx: AppContext, conversationId: string, clipBlobId: string) {
  const [audio, clip] = await Promise.all([repo.newestRedactedAudioAt(ctx.db, conversationId), repo.blobCreatedAt(ctx.db, clipBlobId)]);
  if (!audio?.at || !clip) return false;
  return Date.parse(String(audio.at)) > Date.parse(String(clip.created_at));
}

async function sendClip(
  ctx: AppContext,
  tenantId: string,
  blobId: string,
  fileName: string,
  rangeHeader: string | undefined,
  reply: FastifyReply,
  onStart: () => Promise<void>,
) {
  const info = await ctx.blobs.stat(tenantId, blobId);
  let range: { start: number; end: number } | null;
  try {
    range = parseRange(rangeHeader, info.size);
  } catch (err) {
    reply.header('content-range', `bytes */${info.size}`);
    return reply.status(416).send({ error: { code: 'VALIDATION_FAILED', message: (err as Error).message } });
  }
  const headers: Record<string, string | number> = {
    'accept-ranges': 'bytes',
    'content-type': MOMENT_CLIP_CONTENT_TYPE,
    'cache-control': 'private, no-store',
    'content-length': range ? range.end - range.start + 1 : info.size,
    'content-disposition': `inline; filename="${fileName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'moment'}.mp3"`,
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
  for (const [name, value] of Object.entries(headers)) validateHeaderValue(name, String(value));
  const body = await ctx.blobs.read(tenantId, blobId, range ?? undefined);
  // One audit event per listen (a request from the start), not one per seek.
  if (!range || range.start === 0) {
    await onStart().catch((err: unknown) => {
      body.destroy();
      throw err;
    });
  }
  reply.headers(headers);
  if (range) reply.status(206);
  return reply.send(body);
}

export async function playMomentClip(ctx: AppContext, actor: Actor, id: string, rangeHeader: string | undefined, reply: FastifyReply) {
  requirePlayer(actor);
  const m = await loadMoment(ctx, actor, id);
  const clip = await clipFor(ctx, m, can(actor, 'media.play_unredacted'));
  return sendClip(ctx, actor.tenantId, clip.blobId, m.name, rangeHeader, reply, async () => {
    await ctx.audit.append({
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: m.conversation_id,
      action: 'PLAYBACK',
      details: `Played moment "${m.name}" (${rangeText(m)})${clip.note}`,
    });
  });
}

// ——— external share links ——————————————————————————————————————————————————————————————————————————————————

export const shareUrl = (ctx: Pick<AppContext, 'config'>, token: string) => `${publicBaseUrl(ctx)}/api/shared/moments/${token}`;

export async function createShare(ctx: AppContext, actor: Actor, id: string, input: ShareCreate) {
  requirePermission(actor, 'moments.share_external');
  const m = await loadMoment(ctx, actor, id);
  if (m.status === 'failed')
    throw new DomainError('CONFLICT', `This moment has no clip to share: ${m.reason ?? 'rendering failed'}`, { reason: 'CLIP_FAILED' });
  const token = randomBytes(24).toString('base64url');
  const now = new Date();
  const row: MomentSharesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    moment_id: id,
    token_hash: hashToken(token),
    expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
    revoked_at: null,
    revoked_by: null,
    plays: 0,
    last_played_at: null,
    created_by: actor.userId,
    created_at: now.toISOString(),
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertShare(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'moment',
        resourceId: id,
        action: 'MOMENT_SHARE_CREATE',
        details: `Shared moment "${m.name}" of conversation ${m.conversation_id} outside by link ${row.id}, until ${row.expires_at}`,
        changes: [
          { field: 'shareId', old: null, new: row.id },
          { field: 'expiresAt', old: null, new: row.expires_at },
        ],
      },
      tx,
    );
  });
  return { ...shareView({ ...row, created_by_name: actor.name }), url: shareUrl(ctx, token) };
}

export async function revokeShare(ctx: AppContext, actor: Actor, id: string, shareId: string) {
  requirePermission(actor, 'moments.share_external');
  const m = await loadMoment(ctx, actor, id);
  const share = await repo.getShare(ctx.db, id, shareId);
  if (!share) throw notFound('Share link', shareId);
  if (share.revoked_at) throw new DomainError('CONFLICT', 'This link is already revoked', { reason: 'ALREADY_REVOKED' });
  const at = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.revokeShare(tx, shareId, at, actor.userId);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'moment',
        resourceId: id,
        action: 'MOMENT_SHARE_REVOKE',
        details: `Revoked share link ${shareId} of moment "${m.name}"`,
        changes: [{ field: 'revokedAt', old: null, new: at }],
      },
      tx,
    );
  });
  return getMoment(ctx, actor, id);
}

/** The share behind a public token, refused with a stable reason when unknown, revoked or expired. */
async function liveShare(db: Executor, token: string) {
  const share = await repo.shareByTokenHash(db, hashToken(token));
  if (!share) throw new DomainError('NOT_FOUND', 'This link does not exist', { reason: 'SHARE_NOT_FOUND' });
  const state = shareState(share);
  if (state === 'revoked') throw new DomainError('GONE', 'This link was revoked by its owner', { reason: 'SHARE_REVOKED' });
  if (state === 'expired') throw new DomainError('GONE', `This link expired on ${share.expires_at.slice(0, 10)}`, { reason: 'SHARE_EXPIRED' });
  const m = await repo.getMomentById(db, share.moment_id);
  if (!m) throw new DomainError('NOT_FOUND', 'This link does not exist', { reason: 'SHARE_NOT_FOUND' });
  return { share, moment: m };
}

export async function describeShared(ctx: AppContext, token: string) {
  const { share, moment } = await liveShare(ctx.db, token);
  return { name: moment.name, durationMs: Number(moment.end_ms) - Number(moment.start_ms), status: moment.status, expiresAt: share.expires_at };
}

/** Plays a shared clip to anyone holding the link: always the redacted clip when there is PII; every play audited. */
export async function playShared(ctx: AppContext, token: string, client: { ip: string | null }, rangeHeader: string | undefined, reply: FastifyReply) {
  const { share, moment } = await liveShare(ctx.db, token);
  const clip = await clipFor(ctx, moment, false);
  const initiator: Initiator = { userId: null, name: 'External share link', ip: client.ip, application: 'api' };
  return sendClip(ctx, share.tenant_id, clip.blobId, moment.name, rangeHeader, reply, async () => {
    const at = nowIso();
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.countPlay(tx, share.id, at);
      await ctx.audit.append(
        {
          tenantId: share.tenant_id,
          initiator,
          resourceType: 'moment',
          resourceId: moment.id,
          action: 'MOMENT_SHARE_PLAYED',
          details: `Moment "${moment.name}" (${rangeText(moment)}) of conversation ${moment.conversation_id} played through share link ${share.id}${clip.note}`,
        },
        tx,
      );
    });
  });
}

// ——— the render job ————————————————————————————————————————————————————————————————————————————————————

/** Renders (or renders again) a moment's clip(s); on the last attempt a media problem marks the moment failed. */
export async function renderMoment(ctx: AppContext, momentId: string, job: { attempt: number; maxAttempts: number; signal?: AbortSignal }) {
  const m = await repo.getMomentById(ctx.db, momentId);
  if (!m) return { status: 'gone' };
  const written: string[] = [];
  try {
    const plan = await planClip(ctx, m.conversation_id, Number(m.start_ms), Number(m.end_ms));
    if (!plan.segments.length) {
      await repo.updateMoment(ctx.db, m.id, { status: 'failed', reason: 'There is no recorded audio in this range', updated_at: nowIso() });
      return { status: 'failed' };
    }
    const pii = await conversationHasPii(ctx, m.conversation_id);
    const original = await ctx.blobs.put(m.tenant_id, await encodeClip(ctx, m.tenant_id, plan, false, job.signal), { contentType: MOMENT_CLIP_CONTENT_TYPE });
    written.push(original.id);
    const redacted = pii
      ? await ctx.blobs.put(m.tenant_id, await encodeClip(ctx, m.tenant_id, plan, true, job.signal), { contentType: MOMENT_CLIP_CONTENT_TYPE })
      : null;
    if (redacted) written.push(redacted.id);
    const old = [m.clip_blob_id, m.redacted_clip_blob_id].filter((x): x is string => Boolean(x));
    const still = await inTransaction(ctx.db, async ({ tx }) => {
      if (!(await repo.getMomentById(tx, m.id))) return false;
      await repo.updateMoment(tx, m.id, {
        status: 'ready',
        reason: null,
        clip_blob_id: original.id,
        redacted_clip_blob_id: redacted?.id ?? null,
        clip_bytes: original.size,
        clip_pii: pii ? 1 : 0,
        updated_at: nowIso(),
      });
      return true;
    });
    if (!still) {
      for (const b of written) await ctx.blobs.delete(m.tenant_id, b).catch(() => {});
      return { status: 'gone' };
    }
    await ctx.blobs.release(m.tenant_id, old);
    return { status: 'ready', bytes: original.size, redacted: Boolean(redacted) };
  } catch (err) {
    for (const b of written) await ctx.blobs.delete(m.tenant_id, b).catch(() => {});
    const last = job.attempt >= job.maxAttempts;
    if (err instanceof ClipNotReady && !last) throw err;
    if (last || err instanceof DomainError) {
      const reason = err instanceof ClipNotReady ? `The recording was not ready: ${err.message}` : err instanceof Error ? err.message : String(err);
      await repo.updateMoment(ctx.db, m.id, { status: 'failed', reason: reason.slice(0, 500), updated_at: nowIso() });
      if (err instanceof DomainError) return { status: 'failed', reason };
    }
    throw err;
  }
}
