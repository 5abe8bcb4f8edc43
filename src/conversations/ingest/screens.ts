// Screen recordings: a video linked to a call segment by call id and time; several monitors allowed.
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as repo from '../repository.ts';
import type { IngestResult, ScreenMetadata } from '../schemas.ts';
import type { UploadedFile } from './calls.ts';
import { probeVideo, type VideoSource } from './video.ts';
import { queueIndexing } from '../../search/index/indexer.ts';
import { decideRecording, decisionColumns } from '../../compliance/recording-policies/decide.ts';

export async function ingestScreen(ctx: AppContext, actor: Actor, meta: ScreenMetadata, files: UploadedFile[]): Promise<IngestResult> {
  let kept = false;
  try {
    const result = await ingestScreenFile(ctx, actor, meta, files);
    kept = !result.duplicate;
    return result;
  } finally {
    // Uploads (already in the store) of a refused or duplicate recording are not kept.
    if (!kept) await Promise.allSettled(files.flatMap((f) => ('blobId' in f ? [ctx.blobs.delete(actor.tenantId, f.blobId)] : [])));
  }
}

/** A stored upload is probed by byte ranges from the store, never read whole. */
function videoSource(ctx: AppContext, tenantId: string, file: UploadedFile): VideoSource | Buffer {
  if (!('blobId' in file)) return file.data;
  return {
    size: file.size,
    head: file.head,
    read: async (offset, length) => {
      if (offset >= file.size || length <= 0) return Buffer.alloc(0);
      if (offset + length <= file.head.length) return file.head.subarray(offset, offset + length);
      return ctx.blobs.readAll(tenantId, file.blobId, { start: offset, end: Math.min(file.size, offset + length) - 1 });
    },
    stream: () => ctx.blobs.read(tenantId, file.blobId),
  };
}

async function ingestScreenFile(ctx: AppContext, actor: Actor, meta: ScreenMetadata, files: UploadedFile[]): Promise<IngestResult> {
  const tenantId = actor.tenantId;
  if (files.length !== 1)
    throw invalid(`Send exactly one video file per screen recording (got ${files.length})`, { reason: files.length ? 'TOO_MANY_FILES' : 'MISSING_FILE' });
  const file = files[0]!;
  const monitor = meta.monitor ?? 0;
  const externalId = meta.recordingId ?? `${meta.callId}#screen${monitor}`;
  const existing = await repo.findSegmentByExternalId(ctx.db, tenantId, 'screen', externalId);
  if (existing) return { conversationId: existing.conversation_id, segmentId: existing.id, duplicate: true };
  const call = await repo.findSegmentByExternalId(ctx.db, tenantId, 'call', meta.callId);
  if (!call)
    throw new DomainError('VALIDATION_FAILED', `No call with callId "${meta.callId}" has been ingested; send the call first`, { reason: 'UNKNOWN_CALL' });
  const probe = await probeVideo(videoSource(ctx, tenantId, file), file.fileName);
  const startedAt = meta.startTime ? new Date(meta.startTime) : new Date(call.started_at);
  // Recording policy for screens, drawn from the call's reference so a sampled call keeps its screens too.
  const parties = await repo.participantsOf(ctx.db, [call.conversation_id]);
  const decision = await decideRecording(ctx.db, tenantId, {
    kind: 'screen',
    callRef: meta.callId,
    numbers: parties.flatMap((p) => [p.phone, p.extension].filter((x): x is string => !!x)),
    agentUserIds: call.agent_user_id ? [call.agent_user_id] : [],
    queue: call.queue,
    direction: call.direction ?? 'inbound',
    durationMs: probe.durationMs,
  });
  const blob = !decision.record
    ? null
    : 'blobId' in file
      ? { id: file.blobId }
      : await ctx.blobs.put(tenantId, file.data, { contentType: probe.container === 'mp4' ? 'video/mp4' : 'video/webm' });
  try {
    const result = await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      const now = nowIso();
      const segmentId = newId(startedAt.getTime());
      await repo.insertSegment(tx, {
        id: segmentId,
        tenant_id: tenantId,
        conversation_id: call.conversation_id,
        kind: 'screen',
        external_id: externalId,
        parent_segment_id: call.id,
        direction: null,
        started_at: startedAt.toISOString(),
        ended_at: new Date(startedAt.getTime() + probe.durationMs).toISOString(),
        duration_ms: probe.durationMs,
        queue: null,
        agent_user_id: call.agent_user_id,
        agent_party_key: call.agent_party_key,
        title: `Screen ${monitor + 1}`,
        monitor,
        source_url: null,
        metadata: ctx.adapter.json({}),
        ...decisionColumns(decision),
        created_at: now,
        updated_at: now,
      });
      if (blob)
        await repo.insertStreams(tx, [
          {
            id: newId(),
            segment_id: segmentId,
            kind: 'video',
            party_key: call.agent_party_key,
            channel_index: null,
            blob_id: blob!.id,
            file_name: file.fileName,
            container: probe.container,
            codec: null,
            sample_rate: null,
            channels: null,
            duration_ms: probe.durationMs,
            status: 'ok',
            status_reason: null,
            created_at: now,
          },
        ]);
      await repo.refreshAggregates(tx, call.conversation_id);
      await queueIndexing(ctx, uow, tenantId, [call.conversation_id]);
      await ctx.audit.append(
        {
          tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: call.conversation_id,
          action: 'CONVERSATION_INGEST',
          details: blob
            ? `Ingested screen recording of call ${meta.callId} (monitor ${monitor + 1}, ${Math.round(probe.durationMs / 1000)} s)`
            : `Ingested screen recording of call ${meta.callId} (monitor ${monitor + 1}) without its video: not recorded. ${decision.reason}`,
        },
        tx,
      );
      return { conversationId: call.conversation_id, segmentId, duplicate: false };
    });
    // Not recorded: the upload (already in the store) goes once the segment that says why is committed.
    if (!blob && 'blobId' in file) await ctx.blobs.delete(tenantId, file.blobId).catch(() => {});
    return result;
  } catch (err) {
    if (blob) await ctx.blobs.delete(tenantId, blob.id).catch(() => {});
    if (ctx.adapter.isUniqueViolation(err)) {
      const seg = await repo.findSegmentByExternalId(ctx.db, tenantId, 'screen', externalId);
      if (seg) return { conversationId: seg.conversation_id, segmentId: seg.id, duplicate: true };
    }
    throw err;
  }
}
