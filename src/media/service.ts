// Playback and export of analysed call media: the player's manifest, waveform peaks, the stereo mix and one party
// alone (ranged WAV rendered from the per-party PCM), the merged MP3 and the segment WAV. Every playback start and
// every download is audited on the conversation.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { loadVisible } from '../conversations/service.ts';
import { parseRange } from '../conversations/playback.ts';
import { DomainError, forbidden, notFound } from '../platform/errors.ts';
import type { StreamRenditionsTable } from '../platform/db/schema.ts';
import { createSoloWav, createStereoMix, type MixParty, type PartySide, type RangedWav } from './mix.ts';
import { assertSegmentsReady, encodeMp3, mp3ExportFilename, type Mp3Segment } from './mp3.ts';
import { PEAKS_HEADER_MAX, encodePeakSlice, peaksByteRange, readPeaksHeader } from './peaks.ts';
import { exportSegmentWav } from './wav-export.ts';
import { mediaErrorReason } from './errors.ts';
import { attachmentDisposition } from '../platform/http/content-disposition.ts';
import * as repo from './pipeline/repository.ts';
import * as conversationsRepo from '../conversations/repository.ts';
import { resolveSegmentParties } from '../conversations/segment-parties.ts';
import { queueMediaAnalysis } from './pipeline/service.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { crosstalkCoverage } from '../analytics/crosstalk-coverage.ts';
import { playbackChoice, type PlaybackChoice } from '../speech/redaction/service.ts';

const base = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

export function requirePlayer(actor: Actor) {
  if (!can(actor, 'media.play_redacted') && !can(actor, 'media.play_unredacted')) {
    throw forbidden('Playing media needs the permission "media.play_redacted" or "media.play_unredacted"');
  }
}

/** Who initiated the call sits on the calling side: the customer of an inbound call, the agent of an outbound one. */
export function sideOf(direction: string | null, role: string, isFirstParty: boolean): PartySide | null {
  if (direction === 'inbound') return role === 'customer' ? 'calling' : role === 'agent' ? 'called' : null;
  if (direction === 'outbound') return role === 'agent' ? 'calling' : role === 'customer' ? 'called' : null;
  if (direction === 'internal') return isFirstParty ? 'calling' : 'called';
  return null;
}

async function loadMedia(ctx: AppContext, actor: Actor, conversationId: string) {
  const conv = await loadVisible(ctx, actor, conversationId);
  const segments = await ctx.db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).orderBy('started_at').orderBy('id').execute();
  const segIds = segments.map((s) => s.id);
  const [streams, renditions, parties, events, partyLinks, segmentEvents] = await Promise.all([
    segIds.length ? ctx.db.selectFrom('streams').selectAll().where('segment_id', 'in', segIds).orderBy('channel_index').orderBy('id').execute() : [],
    repo.renditionsOf(ctx.db, conversationId),
    ctx.db
      .selectFrom('conversation_participants')
      .select(['id', 'party_key', 'role', 'name', 'user_id', 'created_at'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    repo.eventsOf(ctx.db, conversationId),
    conversationsRepo.segmentPartiesOf(ctx.db, segIds),
    conversationsRepo.eventsOf(ctx.db, segIds),
  ]);
  // Each leg's party keys name its own people (a transfer's two legs both say "agent").
  const who = resolveSegmentParties(
    segments,
    (sid) => streams.flatMap((st) => (st.segment_id === sid && st.party_key ? [st.party_key] : [])),
    parties,
    partyLinks,
  );
  return { conv, segments, streams, renditions: new Map(renditions.map((r) => [r.stream_id, r])), parties, events, who, segmentEvents };
}

export async function mediaManifest(ctx: AppContext, actor: Actor, conversationId: string) {
  const m = await loadMedia(ctx, actor, conversationId);
  const start = Date.parse(String(m.conv.started_at));
  const partyInfo = new Map(m.parties.map((p, i) => [p.id, { role: p.role, name: p.name, first: i === 0 }]));
  const segments = await Promise.all(
    m.segments.map(async (s) => {
      const segStreams = m.streams.filter((st) => st.segment_id === s.id);
      const direction = s.direction ?? m.conv.direction;
      const audio = segStreams.filter((st) => st.kind === 'audio');
      const video = segStreams.find((st) => st.kind !== 'audio');
      const streams = await Promise.all(
        audio.map(async (st) => {
          const r = m.renditions.get(st.id);
          const participantId = st.party_key ? (m.who.get(s.id)?.get(st.party_key) ?? null) : null;
          const info = (participantId && partyInfo.get(participantId)) || { role: 'other', name: null, first: false };
          const status = r ? r.status : st.status !== 'ok' ? 'no_audio' : 'pending';
          return {
            id: st.id,
            party: st.party_key ?? st.id,
            participantId,
            role: info.role,
            side: sideOf(direction, info.role, info.first),
            name: info.name,
            status,
            reason: r?.reason ?? (st.status !== 'ok' ? st.status_reason : null),
            sampleRate: r?.sample_rate ?? st.sample_rate ?? 0,
            durationMs: Number(st.duration_ms),
            talkMs: Number(r?.talk_ms ?? 0),
            soloUrl: r?.status === 'ok' ? `${base(conversationId)}/streams/${st.id}/solo.wav` : null,
            peaksUrl: r?.peaks_blob_id ? `${base(conversationId)}/streams/${st.id}/peaks` : null,
            peaks: r?.peaks_blob_id ? await peaksInfo(ctx, actor.tenantId, r.peaks_blob_id).catch(() => null) : null,
          };
        }),
      );
      const playable = streams.some((x) => x.status === 'ok');
      return {
        id: s.id,
        kind: s.kind,
        contactId: s.external_id,
        startMs: Date.parse(String(s.started_at)) - start,
        endMs: Date.parse(String(s.ended_at)) - start,
        recordedAt: s.started_at,
        monitor: s.monitor,
        mixUrl: s.kind === 'call' && playable ? `${base(conversationId)}/segments/${s.id}/mix.wav` : null,
        downloadWavUrl: s.kind === 'call' && playable ? `${base(conversationId)}/segments/${s.id}/download.wav` : null,
        videoUrl: video && video.status === 'ok' ? `${base(conversationId)}/streams/${video.id}/media` : null,
        streams,
      };
    }),
  );
  return {
    conversationId,
    startedAt: m.conv.started_at,
    durationMs: Date.parse(String(m.conv.ended_at)) - start,
    status: m.conv.media_status ?? null,
    holdCount: Number(m.conv.hold_count ?? 0),
    segments,
    events: m.events.map((e) => ({
      type: e.type,
      startMs: Number(e.start_ms),
      endMs: Number(e.end_ms),
      parties: ctx.adapter.fromJson<string[]>(e.parties),
      source: e.source,
    })),
    crosstalk: crosstalkCoverage(segments.filter((s) => s.kind === 'call').map((s) => s.streams.filter((x) => x.status === 'ok').map((x) => x.party))),
    marks: legMarks(m.segments, m.segmentEvents, start, (raw) => ctx.adapter.fromJson<Record<string, unknown>>(raw)),
    wrapUp: wrapUpOf(m.segments, start, (raw) => ctx.adapter.fromJson<Record<string, string>>(raw)),
    exportMp3Url: `${base(conversationId)}/export.mp3`,
  };
}

type SegmentRow = Awaited<ReturnType<typeof conversationsRepo.segmentsOf>>[number];
type SegmentEventRow = Awaited<ReturnType<typeof conversationsRepo.eventsOf>>[number];

/**
 * Transfers and consultations on the conversation timeline: the call events that say so, and a leg joined by
 * previousCallId / consultOfCallId whose call sent no such event marked where it starts.
 */
export function legMarks(segments: SegmentRow[], events: SegmentEventRow[], startMs: number, json: (raw: unknown) => Record<string, unknown>) {
  const marks: { type: 'transfer' | 'consult'; atMs: number; segmentId: string; to: string | null }[] = [];
  for (const e of events) {
    if (e.type !== 'transfer' && e.type !== 'consult') continue;
    const to = json(e.data).to;
    marks.push({ type: e.type, atMs: Date.parse(String(e.at)) - startMs, segmentId: e.segment_id, to: typeof to === 'string' ? to : null });
  }
  for (const s of segments) {
    if (s.kind !== 'call') continue;
    const meta = json(s.metadata);
    const type = meta.consultOfCallId ? 'consult' : meta.previousCallId ? 'transfer' : null;
    if (!type) continue;
    const from = segments.find((x) => x.kind === 'call' && x.external_id === (meta.consultOfCallId ?? meta.previousCallId));
    if (from && events.some((e) => e.segment_id === from.id && e.type === type)) continue;
    marks.push({ type, atMs: Date.parse(String(s.started_at)) - startMs, segmentId: s.id, to: null });
  }
  return marks.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The wrap-up after the last call, when the recording system said how long it took: `afterContactWorkDuration`
 * (seconds, as Amazon Connect's contact records have it) or `wrapUpSeconds` in the segment's metadata.
 */
export function wrapUpOf(segments: SegmentRow[], startMs: number, json: (raw: unknown) => Record<string, string>) {
  const calls = segments.filter((s) => s.kind === 'call');
  const last = calls.reduce<SegmentRow | null>((a, s) => (!a || Date.parse(String(s.ended_at)) >= Date.parse(String(a.ended_at)) ? s : a), null);
  if (!last) return null;
  const meta = json(last.metadata);
  const seconds = Number(meta.afterContactWorkDuration ?? meta.wrapUpSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  const end = Date.parse(String(last.ended_at)) - startMs;
  return { startMs: end, endMs: end + Math.round(seconds * 1000) };
}

async function peaksInfo(ctx: AppContext, tenantId: string, blobId: string) {
  const size = (await ctx.blobs.stat(tenantId, blobId)).size;
  const h = readPeaksHeader(await ctx.blobs.readAll(tenantId, blobId, { start: 0, end: Math.min(size, PEAKS_HEADER_MAX) - 1 }));
  return {
    sampleRate: h.sampleRate,
    totalSamples: h.totalSamples,
    levels: h.levels.map((l) => ({ samplesPerBucket: l.samplesPerBucket, bucketCount: l.bucketCount })),
  };
}

async function renditionFor(ctx: AppContext, actor: Actor, conversationId: string, streamId: string) {
  await loadVisible(ctx, actor, conversationId);
  const r = await repo.renditionOf(ctx.db, streamId);
  if (!r || r.conversation_id !== conversationId) throw notFound('Stream', streamId);
  if (r.status !== 'ok') throw new DomainError('NOT_FOUND', `No audio for this stream: ${r.reason ?? 'it could not be decoded'}`, { reason: 'NO_AUDIO' });
  return r;
}

/** A slice of one level of a stream's peaks (the coarsest level for the whole stream by default). */
export async function streamPeaks(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  streamId: string,
  q: { level?: number; startMs?: number; endMs?: number },
) {
  requirePlayer(actor);
  const r = await renditionFor(ctx, actor, conversationId, streamId);
  const size = (await ctx.blobs.stat(actor.tenantId, r.peaks_blob_id!)).size;
  const header = readPeaksHeader(await ctx.blobs.readAll(actor.tenantId, r.peaks_blob_id!, { start: 0, end: Math.min(size, PEAKS_HEADER_MAX) - 1 }));
  const level = q.level ?? header.levels.length - 1;
  if (level < 0 || level >= header.levels.length)
    throw new DomainError('VALIDATION_FAILED', `There is no level ${level}: levels go from 0 to ${header.levels.length - 1}`, { field: 'level' });
  const totalMs = (header.totalSamples * 1000) / header.sampleRate;
  const range = peaksByteRange(header, level, Math.max(0, q.startMs ?? 0), Math.min(totalMs, q.endMs ?? totalMs));
  // Only the byte range of this level and time window is read (and decrypted).
  const data =
    range.length > 0
      ? await ctx.blobs.readAll(actor.tenantId, r.peaks_blob_id!, { start: range.offset, end: range.offset + range.length - 1 })
      : Buffer.alloc(0);
  return encodePeakSlice({
    level,
    sampleRate: header.sampleRate,
    samplesPerBucket: header.levels[level]!.samplesPerBucket,
    firstBucket: range.firstBucket,
    startMs: (range.firstBucket * header.levels[level]!.samplesPerBucket * 1000) / header.sampleRate,
    data: new Int8Array(data.buffer, data.byteOffset, data.length),
  });
}

// The PCM a caller hears: the redacted copy without "media.play_unredacted" (src/speech/redaction/service.ts).
const readerOf = (ctx: AppContext, tenantId: string, r: StreamRenditionsTable, choice: PlaybackChoice) => {
  const blobId = choice.pcmOf(r);
  return {
    reader: (offset: number, length: number) => ctx.blobs.readAll(tenantId, blobId, { start: offset, end: offset + length - 1 }),
    pcmBytes: Number(r.pcm_bytes),
    label: r.stream_id,
  };
};

async function segmentParties(ctx: AppContext, actor: Actor, conversationId: string, segmentId: string, choice: PlaybackChoice) {
  const m = await loadMedia(ctx, actor, conversationId);
  const seg = m.segments.find((s) => s.id === segmentId && s.kind === 'call');
  if (!seg) throw notFound('Segment', segmentId);
  const firstParty = m.parties[0]?.party_key;
  const roles = new Map(m.parties.map((p) => [p.party_key, p.role]));
  const audio = m.streams.filter((st) => st.segment_id === seg.id && st.kind === 'audio');
  const ok = audio.map((st) => m.renditions.get(st.id)).filter((r): r is StreamRenditionsTable => r?.status === 'ok');
  const parties: MixParty[] = ok.map((r) => {
    const st = audio.find((x) => x.id === r.stream_id)!;
    const side = sideOf(seg.direction ?? m.conv.direction, roles.get(st.party_key ?? '') ?? 'other', st.party_key === firstParty) ?? 'calling';
    return { ...readerOf(ctx, actor.tenantId, r, choice), side };
  });
  return { seg, audio, ok, parties, sampleRate: ok[0]?.sample_rate ?? 8000 };
}

function missing(seg: { id: string; external_id: string }, audio: unknown[], ok: unknown[]) {
  if (audio.length === 0)
    return new DomainError('NOT_FOUND', `Missing media: segment ${seg.external_id} has no recording`, { reason: 'MISSING_MEDIA', segmentId: seg.id });
  if (ok.length === 0)
    return new DomainError('NOT_FOUND', `No audio: segment ${seg.external_id} could not be decoded`, { reason: 'NO_AUDIO', segmentId: seg.id });
  return null;
}

async function auditPlayback(ctx: AppContext, actor: Actor, conversationId: string, what: string, choice: PlaybackChoice) {
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'conversation',
    resourceId: conversationId,
    action: 'PLAYBACK',
    details: `Played ${what}${choice.auditNote}`,
  });
}

async function auditDownload(ctx: AppContext, actor: Actor, conversationId: string, what: string, choice: PlaybackChoice) {
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'conversation',
    resourceId: conversationId,
    action: 'RECORDING_DOWNLOADED',
    details: `Downloaded ${what}${choice.auditNote}`,
  });
}

/** Sends a ranged WAV (206 for a Range request, 416 outside it); `onStart` runs for a listen from the start. */
async function sendWav(reply: FastifyReply, wav: RangedWav, rangeHeader: string | undefined, onStart: () => Promise<void>, fileName?: string) {
  let range: { start: number; end: number } | null;
  try {
    range = parseRange(rangeHeader, wav.totalBytes);
  } catch (err) {
    reply.header('content-range', `bytes */${wav.totalBytes}`);
    return reply.status(416).send({ error: { code: 'VALIDATION_FAILED', message: (err as Error).message } });
  }
  // Audited only once the response can go out (the name is always a valid header value now).
  const disposition = fileName ? attachmentDisposition(fileName) : null;
  if (!range || range.start === 0) await onStart();
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', 'audio/wav');
  reply.header('cache-control', 'private, no-store');
  if (disposition) reply.header('content-disposition', disposition);
  const start = range?.start ?? 0;
  const end = range?.end ?? wav.totalBytes - 1;
  if (range) {
    reply.status(206);
    reply.header('content-range', `bytes ${start}-${end}/${wav.totalBytes}`);
  }
  reply.header('content-length', end - start + 1);
  return reply.send(Readable.from(wav.stream(start, end)));
}

export async function playMix(ctx: AppContext, actor: Actor, conversationId: string, segmentId: string, rangeHeader: string | undefined, reply: FastifyReply) {
  requirePlayer(actor);
  const choice = await playbackChoice(ctx, actor, conversationId);
  const p = await segmentParties(ctx, actor, conversationId, segmentId, choice);
  const err = missing(p.seg, p.audio, p.ok);
  if (err) throw err;
  const frames = Math.max(...p.ok.map((r) => Number(r.pcm_bytes) / 2));
  const wav = createStereoMix({ sampleRate: p.sampleRate, parties: p.parties, frames });
  return sendWav(reply, wav, rangeHeader, () => auditPlayback(ctx, actor, conversationId, `segment ${p.seg.external_id} (stereo mix)`, choice));
}

export async function playSolo(ctx: AppContext, actor: Actor, conversationId: string, streamId: string, rangeHeader: string | undefined, reply: FastifyReply) {
  requirePlayer(actor);
  const r = await renditionFor(ctx, actor, conversationId, streamId);
  // The same length as the segment's mix, so switching between solo and mix keeps the time.
  const siblings = (await repo.renditionsOf(ctx.db, conversationId)).filter((x) => x.status === 'ok');
  const stream = await ctx.db.selectFrom('streams').select(['segment_id', 'party_key']).where('id', '=', streamId).executeTakeFirstOrThrow();
  const sameSegment = await ctx.db.selectFrom('streams').select('id').where('segment_id', '=', stream.segment_id).execute();
  const ids = new Set(sameSegment.map((s) => s.id));
  const frames = Math.max(...siblings.filter((x) => ids.has(x.stream_id)).map((x) => Number(x.pcm_bytes) / 2));
  const choice = await playbackChoice(ctx, actor, conversationId);
  const wav = createSoloWav({ sampleRate: r.sample_rate, party: readerOf(ctx, actor.tenantId, r, choice), frames });
  return sendWav(reply, wav, rangeHeader, () => auditPlayback(ctx, actor, conversationId, `party ${stream.party_key ?? streamId} alone`, choice));
}

export async function downloadSegmentWav(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  segmentId: string,
  rangeHeader: string | undefined,
  reply: FastifyReply,
) {
  requirePermission(actor, 'media.download');
  const choice = await playbackChoice(ctx, actor, conversationId);
  const p = await segmentParties(ctx, actor, conversationId, segmentId, choice);
  const err = missing(p.seg, p.audio, p.ok);
  if (err) throw err;
  const out = exportSegmentWav({ contactId: p.seg.external_id, sampleRate: p.sampleRate, parties: p.parties });
  return sendWav(
    reply,
    out.wav,
    rangeHeader,
    () => auditDownload(ctx, actor, conversationId, `segment ${p.seg.external_id} as ${out.filename}`, choice),
    out.filename,
  );
}

/** The merged MP3 of every call segment; refused (naming the segment) when one has no usable media. */
export async function exportMp3(ctx: AppContext, actor: Actor, conversationId: string, reply: FastifyReply) {
  requirePermission(actor, 'media.download');
  const m = await loadMedia(ctx, actor, conversationId);
  const calls = m.segments.filter((s) => s.kind === 'call');
  if (calls.length === 0) throw new DomainError('NOT_FOUND', 'Missing media: this conversation has no call recording', { reason: 'MISSING_MEDIA' });
  const segments: Mp3Segment[] = [];
  const checks = [];
  const choice = await playbackChoice(ctx, actor, conversationId);
  for (const seg of calls) {
    const p = await segmentParties(ctx, actor, conversationId, seg.id, choice);
    const failed = p.audio.filter((st) => m.renditions.get(st.id)?.status !== 'ok');
    const reason =
      p.audio.length === 0
        ? 'it has no recording'
        : failed.length
          ? `stream ${failed[0]!.file_name ?? failed[0]!.id} has no usable audio (${m.renditions.get(failed[0]!.id)?.reason ?? (m.renditions.get(failed[0]!.id) ? 'not decodable' : 'not analysed yet')})`
          : undefined;
    checks.push({ segmentId: seg.id, contactId: seg.external_id, ok: !reason, reason });
    segments.push({ segmentId: seg.id, contactId: seg.external_id, sampleRate: p.sampleRate, parties: p.parties.map((x) => ({ ...x })) });
  }
  assertSegmentsReady(checks);
  const fileName = mp3ExportFilename(conversationId);
  const body = await encodeMp3(segments).catch((err: unknown) => {
    // Without ffmpeg the server cannot encode at all: that is the server's state (503), not a bad request.
    if (mediaErrorReason(err) === 'FFMPEG_MISSING')
      throw new DomainError('UNAVAILABLE', 'MP3 export needs ffmpeg, which is not installed on this server', { reason: 'FFMPEG_MISSING' });
    throw err;
  });
  const disposition = attachmentDisposition(fileName);
  await auditDownload(ctx, actor, conversationId, `the conversation as ${fileName}`, choice);
  reply.header('content-type', 'audio/mpeg');
  reply.header('cache-control', 'private, no-store');
  reply.header('content-disposition', disposition);
  return reply.send(body);
}

export async function requestReprocess(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'media.reprocess');
  await loadVisible(ctx, actor, conversationId);
  const jobId = await inTransaction(ctx.db, async (uow) => {
    const id = await queueMediaAnalysis(ctx, uow, actor.tenantId, conversationId);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'MEDIA_REPROCESS',
        details: 'Started the media analysis again',
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

export async function requestBulkReprocess(ctx: AppContext, actor: Actor, savedSearchId: string | null) {
  requirePermission(actor, 'media.reprocess');
  if (savedSearchId) {
    const saved = await ctx.db
      .selectFrom('saved_searches')
      .select(['id', 'owner_id', 'protected'])
      .where('id', '=', savedSearchId)
      .where('tenant_id', '=', actor.tenantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!saved || (saved.owner_id !== actor.userId && !saved.protected)) throw notFound('Saved search', savedSearchId);
  } else if (!actor.scope.all) {
    throw forbidden('Reprocessing every conversation needs a tenant-wide scope; pick a saved search instead');
  }
  const jobId = await inTransaction(ctx.db, async (uow) => {
    const id = await ctx.jobs.enqueue(uow, 'media.reprocess', { tenantId: actor.tenantId, userId: actor.userId, savedSearchId }, { tenantId: actor.tenantId });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'media',
        resourceId: savedSearchId,
        action: 'MEDIA_REPROCESS',
        details: savedSearchId ? `Started the media analysis again for saved search ${savedSearchId}` : 'Started the media analysis again for every call',
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

const ACTION_LABELS: Record<string, string> = {
  PLAYBACK: 'Playback',
  RECORDING_DOWNLOADED: 'Recording downloaded',
  TRANSCRIPT_DOWNLOADED: 'Transcript downloaded',
  MEDIA_REPROCESS: 'Media reprocessed',
  CONVERSATION_EXPORT: 'Conversation exported',
  CONVERSATION_INGEST: 'Conversation recorded',
};

/** The audit events of one conversation, newest first. */
export async function conversationAudit(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'audit.view');
  await loadVisible(ctx, actor, conversationId);
  const { items } = await ctx.audit.find({ tenantId: actor.tenantId, resourceType: 'conversation', resourceId: conversationId, limit: 200 });
  return {
    items: items.map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      label:
        ACTION_LABELS[e.action] ??
        e.action
          .toLowerCase()
          .replace(/_/g, ' ')
          .replace(/^./, (c) => c.toUpperCase()),
      initiator: e.initiatorName,
      details: e.details,
    })),
  };
}
