// Call ingest: validate everything first (metadata, every audio file), then store media, then one transaction.
// A failure at any step leaves nothing behind: no conversation, no orphan object. Files uploaded through the
// API arrive already stored (streamed into the store, see multipart.ts): they are checked from their header
// and deleted unless the call keeps them.
import type { AppContext } from '../../context.ts';
import { initiatorOf, type Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { detectContainer, probeAudio, type AudioProbe } from '../../media/decode.ts';
import { parseWav } from '../../media/wav.ts';
import { probeCompressedStream } from './probe-stream.ts';
import { assignStreams } from '../../media/channels.ts';
import * as repo from '../repository.ts';
import type { CallMetadata, IngestResult } from '../schemas.ts';
import { attachSegment, resolveParties } from './common.ts';
import type { StreamsTable } from '../../platform/db/schema.ts';
import { markMediaPending } from '../../media/pipeline/service.ts';
import { startConversationPipeline } from '../pipeline.ts';
import { decideRecording, decisionColumns } from '../../compliance/recording-policies/decide.ts';
import { publishEvent } from '../../platform/events/index.ts';

interface FileBase {
  fieldName: string;
  fileName: string;
  contentType: string;
}
/** A file held in memory (read by the import, or an email). */
export interface BufferedFile extends FileBase {
  data: Buffer;
}
/** A file streamed into the media store as it arrived; its first bytes are kept for header checks. */
export interface StoredUpload extends FileBase {
  blobId: string;
  size: number;
  head: Buffer;
}
export type UploadedFile = BufferedFile | StoredUpload;

const isStored = (f: UploadedFile): f is StoredUpload => 'blobId' in f;

interface PlannedFile {
  file: UploadedFile;
  probe: AudioProbe;
  /** One stream per entry; party null = a mono mix of every party. */
  parties: Array<{ channel: number | null; party: string | null }>;
}

export async function ingestCall(ctx: AppContext, actor: Actor, meta: CallMetadata, files: UploadedFile[]): Promise<IngestResult> {
  let kept = false;
  try {
    const result = await ingestCallFiles(ctx, actor, meta, files);
    kept = !result.duplicate;
    return result;
  } finally {
    // Uploads of a refused call, or of one already stored, are not kept.
    if (!kept) await Promise.allSettled(files.filter(isStored).map((f) => ctx.blobs.delete(actor.tenantId, f.blobId)));
  }
}

async function ingestCallFiles(ctx: AppContext, actor: Actor, meta: CallMetadata, files: UploadedFile[]): Promise<IngestResult> {
  const tenantId = actor.tenantId;
  const existing = await repo.findSegmentByExternalId(ctx.db, tenantId, 'call', meta.callId);
  if (existing) return { conversationId: existing.conversation_id, segmentId: existing.id, duplicate: true };

  const startedAt = new Date(meta.startTime);
  const partyKeys = new Set(meta.parties.map((p) => p.key));
  if (meta.agent && !partyKeys.has(meta.agent))
    throw invalid(`"agent" names the party "${meta.agent}", which is not in "parties"`, { reason: 'UNKNOWN_PARTY' });
  const plans = await planAudio(ctx, tenantId, meta, files, partyKeys);
  const parties = await resolveParties(ctx, tenantId, meta.parties);
  const durationMs = Math.max(0, ...plans.map((p) => p.probe.durationMs));
  const events = (meta.events ?? []).map((e) => {
    if (e.at === undefined && e.offsetMs === undefined) throw invalid(`A "${e.type}" event needs "at" or "offsetMs"`, { reason: 'INVALID_EVENT' });
    if (e.party && !partyKeys.has(e.party)) throw invalid(`A "${e.type}" event names the unknown party "${e.party}"`, { reason: 'UNKNOWN_PARTY' });
    const at = e.at ? new Date(e.at) : new Date(startedAt.getTime() + e.offsetMs!);
    return { type: e.type, at: at.toISOString(), data: { party: e.party ?? null, to: e.to ?? null, offsetMs: at.getTime() - startedAt.getTime() } };
  });
  const agentKey = meta.agent ?? parties.find((p) => p.role === 'agent')?.key ?? null;
  const customer = parties.find((p) => p.role === 'customer');
  // Recording policy (src/compliance/recording-policies): a call not to be recorded keeps its metadata and the rule's
  // reason; its audio is not stored (uploads already in the store are removed once the rows are committed).
  const decision = await decideRecording(ctx.db, tenantId, {
    kind: 'call',
    callRef: meta.callId,
    numbers: parties.flatMap((p) => [p.phone, p.extension].filter((x): x is string => !!x)),
    agentUserIds: parties.flatMap((p) => (p.user ? [p.user.id] : [])),
    queue: meta.queue ?? null,
    direction: meta.direction,
    durationMs: plans.length ? durationMs : null,
  });
  const kept = decision.record ? plans : [];

  // Media first (encrypted, invisible until complete); rows second. On any failure the stored objects are removed.
  const stored: Array<{ plan: PlannedFile; blobId: string }> = [];
  try {
    for (const plan of kept) {
      const f = plan.file;
      const blobId = isStored(f) ? f.blobId : (await ctx.blobs.put(tenantId, f.data, { contentType: f.contentType || 'application/octet-stream' })).id;
      stored.push({ plan, blobId });
    }
    const result = await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      const { conversationId, segmentId } = await attachSegment(
        ctx,
        tx,
        tenantId,
        {
          stitch: { engagementId: meta.engagementId, linkedCallIds: [meta.previousCallId, meta.consultOfCallId] },
          engagementId: meta.engagementId ?? null,
          title: callTitle(meta.direction, customer?.name ?? customer?.phone ?? null),
          direction: meta.direction,
          parties,
          primaryAgentKey: agentKey,
          customData: meta.customData,
        },
        {
          kind: 'call',
          external_id: meta.callId,
          parent_segment_id: null,
          direction: meta.direction,
          started_at: startedAt.toISOString(),
          ended_at: new Date(startedAt.getTime() + durationMs).toISOString(),
          duration_ms: durationMs,
          queue: meta.queue ?? null,
          agent_user_id: parties.find((p) => p.key === agentKey)?.user?.id ?? null,
          agent_party_key: agentKey,
          title: null,
          monitor: null,
          source_url: null,
          metadata: {
            ...(meta.metadata ?? {}),
            ...(meta.previousCallId ? { previousCallId: meta.previousCallId } : {}),
            ...(meta.consultOfCallId ? { consultOfCallId: meta.consultOfCallId } : {}),
          },
          ...decisionColumns(decision),
        },
      );
      const now = nowIso();
      const streams: StreamsTable[] = stored.flatMap(({ plan, blobId }) =>
        plan.parties.map((p) => ({
          id: newId(),
          segment_id: segmentId,
          kind: 'audio',
          party_key: p.party,
          channel_index: p.channel,
          blob_id: blobId,
          file_name: plan.file.fileName,
          container: plan.probe.container,
          codec: plan.probe.codec,
          sample_rate: plan.probe.sampleRate,
          channels: plan.probe.channels,
          duration_ms: plan.probe.durationMs,
          status: 'ok',
          status_reason: null,
          created_at: now,
        })),
      );
      await repo.insertStreams(tx, streams);
      await repo.insertEvents(
        tx,
        events.map((e) => ({ id: newId(), segment_id: segmentId, type: e.type, at: e.at, data: ctx.adapter.json(e.data) })),
      );
      await repo.refreshAggregates(tx, conversationId);
      // media.analyze → … → search.index (src/conversations/pipeline.ts); the player says "analysing" until then.
      if (stored.length) await markMediaPending(uow, [conversationId]);
      await startConversationPipeline(ctx, uow, tenantId, { conversationId, hasAudio: stored.length > 0 });
      await publishEvent(ctx, uow, tenantId, 'conversation.recorded', {
        conversationId,
        segmentId,
        kind: 'call',
        direction: meta.direction,
        startedAt: startedAt.toISOString(),
        recorded: decision.record,
      });
      if (stored.length) await publishEvent(ctx, uow, tenantId, 'recording.stored', { conversationId, segmentId, files: stored.length });
      await ctx.audit.append(
        {
          tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'conversation',
          resourceId: conversationId,
          action: 'CONVERSATION_INGEST',
          details: decision.record
            ? `Ingested call ${meta.callId} (${Math.round(durationMs / 1000)} s, ${stored.length} audio file(s))`
            : `Ingested call ${meta.callId} (${Math.round(durationMs / 1000)} s) without its audio: not recorded. ${decision.reason}`,
        },
        tx,
      );
      return { conversationId, segmentId, duplicate: false };
    });
    if (!decision.record) await Promise.allSettled(plans.flatMap((p) => (isStored(p.file) ? [ctx.blobs.delete(tenantId, p.file.blobId)] : [])));
    return result;
  } catch (err) {
    await Promise.allSettled(stored.map((s) => ctx.blobs.delete(tenantId, s.blobId)));
    // The same call posted twice at once: the loser reports the winner's result.
    if (err instanceof DomainError && err.details?.reason === 'CONCURRENT_INGEST') {
      const seg = await repo.findSegmentByExternalId(ctx.db, tenantId, 'call', meta.callId);
      if (seg) return { conversationId: seg.conversation_id, segmentId: seg.id, duplicate: true };
    }
    throw err;
  }
}

function callTitle(direction: string, customer: string | null) {
  if (direction === 'internal') return 'Internal call';
  const who = customer ?? 'unknown number';
  return direction === 'outbound' ? `Call to ${who}` : `Call from ${who}`;
}

/**
 * What an audio file holds. A stored WAV is read from its header alone (sizes checked against the whole file);
 * other containers are streamed from the store through ffmpeg (see probe-stream.ts), never read whole.
 */
export async function probeUpload(ctx: AppContext, tenantId: string, file: UploadedFile): Promise<AudioProbe> {
  if (!isStored(file)) return probeAudio(file.data, file.fileName);
  const container = file.head.length ? detectContainer(file.head) : undefined;
  if (container === 'wav') {
    const info = parseWav(file.head, file.fileName, file.size);
    const codec =
      info.format === 'mulaw' ? 'pcm_mulaw' : info.format === 'alaw' ? 'pcm_alaw' : info.bitsPerSample === 8 ? 'pcm_u8' : `pcm_s${info.bitsPerSample}le`;
    return { container, codec, sampleRate: info.sampleRate, channels: info.channels, durationMs: info.durationMs };
  }
  // Empty or unrecognised: the header says so (probeAudio throws the error that names the problem).
  if (!container) return probeAudio(file.head, file.fileName);
  const streamed = await probeCompressedStream(() => ctx.blobs.read(tenantId, file.blobId), file.fileName, container);
  // Without ffmpeg the in-memory probe answers FFMPEG_MISSING, as before.
  return streamed ?? probeAudio(file.head, file.fileName);
}

async function planAudio(ctx: AppContext, tenantId: string, meta: CallMetadata, files: UploadedFile[], partyKeys: Set<string>): Promise<PlannedFile[]> {
  const entries = meta.audio ?? [];
  const byName = new Map<string, UploadedFile>();
  for (const f of files) {
    byName.set(f.fileName, f);
    byName.set(f.fieldName, f);
  }
  if (entries.length === 0 && files.length > 0)
    throw invalid('Audio files were sent but "audio" in the metadata does not say whose they are', { reason: 'AUDIO_NOT_DESCRIBED' });
  const used = new Set<UploadedFile>();
  const plans: PlannedFile[] = [];
  for (const entry of entries) {
    const file = byName.get(entry.file);
    if (!file) throw invalid(`The metadata names the audio file "${entry.file}", which was not uploaded`, { reason: 'MISSING_FILE' });
    if (used.has(file)) throw invalid(`The audio file "${entry.file}" is listed twice`, { reason: 'DUPLICATE_FILE' });
    used.add(file);
    if (entry.party && !partyKeys.has(entry.party))
      throw invalid(`The audio file "${entry.file}" names the unknown party "${entry.party}"`, { reason: 'UNKNOWN_PARTY' });
    for (const p of Object.values(entry.channelMap ?? {})) {
      if (!partyKeys.has(p)) throw invalid(`The channel map of "${entry.file}" names the unknown party "${p}"`, { reason: 'UNKNOWN_PARTY' });
    }
    const probe = await probeUpload(ctx, tenantId, file);
    if (entry.party && entry.channelMap)
      throw invalid(`The audio file "${entry.file}" has both "party" and "channelMap"; give one`, { reason: 'CHANNEL_MAP_MISMATCH' });
    // A mono file of one party names it with "party"; a multi-channel file maps each channel.
    const assigned = entry.party && probe.channels === 1 ? [{ channel: 0, party: entry.party }] : assignStreams(probe, entry.channelMap, file.fileName);
    plans.push({ file, probe, parties: assigned.map((a) => ({ channel: probe.channels > 1 ? a.channel : null, party: a.party })) });
  }
  const unused = files.filter((f) => !used.has(f));
  if (unused.length) throw invalid(`The uploaded file "${unused[0]!.fileName}" is not listed in "audio"`, { reason: 'UNDESCRIBED_FILE' });
  return plans;
}
