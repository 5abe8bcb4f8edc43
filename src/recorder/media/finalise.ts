// A finished (or crashed) call's spool becomes a conversation through the same ingest service as the API
// (ingestCall: stitching, recording policies, analysis and transcription follow): one µ-law WAV per leg, streamed from
// the spool into the media store, the SIPREC metadata as segment metadata, parties from the metadata's participants.
// What the call-ingest schema has no words for is added to the segment right after, idempotently: the paused time
// as marked gaps (segment events "recording_paused"), RFC 4733 digits ("dtmf"), and legs stored raw for want of a
// decoder (stream rows with status "unsupported_codec"). Then the live row in recorder_calls gets the quality and
// flags, and the spool folder goes.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../context.ts';
import { systemActor } from '../../auth/actor.ts';
import { ingestCall, type StoredUpload } from '../../conversations/ingest/calls.ts';
import * as convRepo from '../../conversations/repository.ts';
import type { CallMetadata } from '../../conversations/schemas.ts';
import { encodeWav } from '../../media/wav-write.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { getCallById, updateCall } from '../calls/repository.ts';
import type { AssuranceFlag, SiprecMetadata, StreamQuality } from '../model.ts';
import { toQuality } from '../rtp/quality.ts';
import { readManifestEnvelope, readSpool, writeManifest, type SpoolManifest, type SpoolStream } from './spool.ts';
import { CODED_RATE, decodeCoded, parseCodedRecords, planCoded } from './coded.ts';
import type { CloseResult } from './pool.ts';

/** An assurance threshold: a leg silent this long while not paused is "long gaps"; audio ending this early is "clipped". */
export const LONG_GAP_MS = 5000;

const RAW_TYPE = 'application/x-earshot-rtp-payloads';

/** The header of a mono 8 kHz µ-law WAV holding `dataBytes` bytes (sizes patched into encodeWav's empty file). */
export function mulawWavHeader(dataBytes: number): Buffer {
  const h = encodeWav({ sampleRate: 8000, channels: 1, samples: new Int16Array(0), format: 'mulaw' });
  h.writeUInt32LE(h.length - 8 + dataBytes + (dataBytes % 2), 4);
  for (let off = 12; off + 8 <= h.length;) {
    const id = h.toString('latin1', off, off + 4);
    const size = h.readUInt32LE(off + 4);
    if (id === 'fact') h.writeUInt32LE(dataBytes, off + 8);
    if (id === 'data') {
      h.writeUInt32LE(dataBytes, off + 4);
      break;
    }
    off += 8 + size + (size % 2);
  }
  return h;
}

async function plaintextSize(file: string, spoolId: string, dek: Buffer): Promise<number> {
  const st = { complete: false, bytes: 0 };
  for await (const _ of readSpool(file, spoolId, dek, st));
  return st.bytes;
}

/** The header of a mono 16-bit PCM WAV at `rate` holding `dataBytes` bytes. */
function pcmWavHeader(rate: number, dataBytes: number): Buffer {
  const h = encodeWav({ sampleRate: rate, channels: 1, samples: new Int16Array(0) });
  h.writeUInt32LE(h.length - 8 + dataBytes, 4);
  h.writeUInt32LE(dataBytes, h.length - 4);
  return h;
}

/** A G.722/Opus leg: its packets placed by RTP timestamp and decoded by ffmpeg into a 16 kHz WAV (media/coded.ts). */
async function storeCodedLeg(
  ctx: AppContext,
  tenantId: string,
  file: string,
  s: SpoolStream,
  dek: Buffer,
): Promise<{ upload: StoredUpload; bytes: number } | null> {
  const parts: Buffer[] = [];
  for await (const chunk of readSpool(file, s.spoolId, dek, { complete: false, bytes: 0 })) parts.push(Buffer.from(chunk));
  const plan = planCoded(s.coded!, parseCodedRecords(Buffer.concat(parts)));
  if (plan.total === 0) return null;
  const header = pcmWavHeader(CODED_RATE, plan.total * 2);
  let head = Buffer.from(header);
  async function* body() {
    yield header;
    for await (const part of decodeCoded(plan)) {
      if (head.length < 4096) head = Buffer.concat([head, part]).subarray(0, 4096);
      yield part;
    }
  }
  const info = await ctx.blobs.put(tenantId, body(), { contentType: 'audio/wav' });
  const fileName = `leg-${s.label.replace(/[^A-Za-z0-9_.-]/g, '_') || s.index}-${s.index}.wav`;
  return { upload: { fieldName: fileName, fileName, contentType: info.contentType, blobId: info.id, size: info.size, head }, bytes: plan.total * 2 };
}

async function storeLeg(ctx: AppContext, tenantId: string, dir: string, s: SpoolStream): Promise<{ upload: StoredUpload; bytes: number } | null> {
  const dek = ctx.keyring.unwrapDek(tenantId, s.spoolId, s.wrappedKey, s.kekId);
  try {
    const file = path.join(dir, s.file);
    if (s.coded) {
      try {
        return await storeCodedLeg(ctx, tenantId, file, s, dek);
      } catch (err) {
        // Kept as received rather than lost: the leg shows why it does not play.
        ctx.log.error({ err, label: s.label, codec: s.coded }, 'recorder: a coded leg could not be decoded; stored as received');
        s.storedRaw = true;
        s.reason = `${s.codec.toUpperCase()} could not be decoded (${(err as Error).message.slice(0, 200)}); the packets are stored as received`;
      }
    }
    const bytes = await plaintextSize(file, s.spoolId, dek);
    if (bytes === 0) return null;
    const header = s.storedRaw ? Buffer.alloc(0) : mulawWavHeader(bytes);
    let head = Buffer.from(header);
    async function* body() {
      if (header.length) yield header;
      const st = { complete: false, bytes: 0 };
      let left = bytes;
      for await (const chunk of readSpool(file, s.spoolId, dek, st)) {
        const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= part.length;
        if (head.length < 4096) head = Buffer.concat([head, part]).subarray(0, 4096);
        yield part;
        if (left === 0) break;
      }
      if (!s.storedRaw && bytes % 2) yield Buffer.alloc(1, 0xff);
    }
    const info = await ctx.blobs.put(tenantId, body(), { contentType: s.storedRaw ? RAW_TYPE : 'audio/wav' });
    const fileName = `leg-${s.label.replace(/[^A-Za-z0-9_.-]/g, '_') || s.index}-${s.index}.${s.storedRaw ? 'rtp' : 'wav'}`;
    return { upload: { fieldName: fileName, fileName, contentType: info.contentType, blobId: info.id, size: info.size, head }, bytes };
  } finally {
    dek.fill(0);
  }
}

function partyKeys(meta: SiprecMetadata) {
  return meta.participants.map((p, i) => ({ p, key: `p${i + 1}` }));
}

function directionOf(meta: SiprecMetadata): CallMetadata['direction'] {
  if (meta.direction !== 'unknown') return meta.direction;
  const caller = meta.participants.find((p) => p.side === 'caller');
  const callee = meta.participants.find((p) => p.side === 'callee');
  if (caller?.role === 'agent' && callee?.role === 'agent') return 'internal';
  if (caller?.role === 'agent') return 'outbound';
  return 'inbound';
}

/** `recoveredBytes`: after a crash the worker's counters are gone and a leg's audio is what its spool holds. */
export function flagsOf(m: SpoolManifest, recovered: boolean, recoveredBytes = new Map<string, number>()): AssuranceFlag[] {
  const flags = new Set<AssuranceFlag>();
  const legs = m.streams.filter((s) => !s.storedRaw);
  // A G.722/Opus leg's audio is its kept packets (the G.711 timeline writes none of it).
  // After a dead worker its last counters may be a second old: what the spool holds is the audio.
  const audio = legs.map((s) =>
    m.workerLost
      ? (recoveredBytes.get(s.file) ?? 0)
      : s.coded
        ? (s.result?.spoolBytes ?? 0) || (recoveredBytes.get(s.file) ?? 0)
        : (s.result?.stats.audioSamples ?? recoveredBytes.get(s.file) ?? 0),
  );
  const any = audio.some((a) => a > 0) || m.streams.some((s) => s.storedRaw && (s.result?.spoolBytes ?? recoveredBytes.get(s.file) ?? 0) > 0);
  if (!any) flags.add('empty');
  else if (legs.length >= 2 && audio.some((a) => a === 0)) flags.add('one_sided');
  if (m.streams.some((s) => s.storedRaw)) flags.add('unsupported_codec');
  if (m.streams.some((s) => (s.result?.stats.longestGapMs ?? 0) >= LONG_GAP_MS)) flags.add('long_gaps');
  const end = m.closedAtMs !== null ? m.closedAtMs - m.openedAtMs : null;
  const pausedAtEnd = m.pauses.some((p) => end !== null && (p.endMs === null || p.endMs >= end - LONG_GAP_MS));
  const last = Math.max(-1, ...m.streams.map((s) => s.result?.lastPacketMs ?? -1));
  if (any && end !== null && !pausedAtEnd && last >= 0 && last < end - LONG_GAP_MS) flags.add('clipped');
  if (m.workerLost) flags.add('clipped');
  if (recovered) flags.add('recovered');
  return [...flags];
}

function qualities(m: SpoolManifest): StreamQuality[] {
  return m.streams.filter((s) => s.result).map((s) => toQuality(s.label, s.result!.stats, s.result!.intervals));
}

export interface FinaliseOptions {
  cancelled?: boolean;
  recovered?: boolean;
  /** Saves the manifest (progress marks), so a crash during finalisation does not ingest twice. */
  save?: (m: SpoolManifest) => void;
}

export async function finaliseSpool(ctx: AppContext, dir: string, m: SpoolManifest, opts: FinaliseOptions = {}): Promise<CloseResult> {
  const recovered = !!opts.recovered;
  const quality = qualities(m);
  if (opts.cancelled) {
    fs.rmSync(dir, { recursive: true, force: true });
    await markCall(ctx, m, { conversationId: null, quality, flags: [] }, recovered);
    return { conversationId: null, quality, flags: [] };
  }
  const tenantId = m.tenantId;
  const stored: { s: SpoolStream; upload: StoredUpload; bytes: number }[] = [];
  const kept = new Set<string>();
  try {
    if (!m.conversationId) {
      for (const s of m.streams) {
        const r = await storeLeg(ctx, tenantId, dir, s);
        if (r) stored.push({ s, ...r });
      }
    }
    let flags = flagsOf(m, recovered, new Map(stored.map((x) => [x.s.file, x.bytes])));
    // Re-run after a crash that followed the ingest: the audio is in the conversation already, not in `stored`.
    if (m.conversationId) flags = flags.filter((f) => f !== 'empty' && f !== 'one_sided');
    const legs = stored.filter((x) => !x.s.storedRaw);
    if (!m.conversationId && legs.length === 0) {
      // Nothing to play: no conversation, the flags say why (assurance shows the call as not recorded).
      await Promise.allSettled(stored.map((x) => ctx.blobs.delete(tenantId, x.upload.blobId)));
      fs.rmSync(dir, { recursive: true, force: true });
      const result = { conversationId: null, quality, flags: flags.includes('empty') ? flags : [...flags, 'empty' as const] };
      await markCall(ctx, m, result, recovered);
      return result;
    }
    const meta = m.meta;
    const keys = partyKeys(meta);
    const byParticipant = new Map(keys.map(({ p, key }) => [p.id, key]));
    const parties: CallMetadata['parties'] = keys.length
      ? keys.map(({ p, key }) => ({
          key,
          role: p.role === 'unknown' ? 'other' : p.role,
          ...(p.name ? { name: p.name } : {}),
          ...(p.number ? (p.role === 'agent' && /^\d{2,8}$/.test(p.number) ? { extension: p.number } : { phone: p.number }) : {}),
          ...(p.aor ? { externalId: p.aor } : {}),
        }))
      : [{ key: 'p1', role: 'other' }];
    const partyOfLabel = (label: string) => {
      const pid = meta.streams.find((s) => s.label === label)?.participantId ?? meta.participants.find((p) => p.sends.includes(label))?.id ?? null;
      return pid ? (byParticipant.get(pid) ?? null) : null;
    };
    const agent = keys.find(({ p }) => p.role === 'agent')?.key;
    const pausedMs = m.pauses.reduce((n, p) => n + Math.max(0, (p.endMs ?? p.startMs) - p.startMs), 0);
    const callMeta: CallMetadata = {
      callId: `siprec:${m.callId}`,
      ...(meta.groupId || meta.callRef ? { engagementId: (meta.groupId ?? meta.callRef).slice(0, 200) } : {}),
      startTime: m.openedAt,
      direction: directionOf(meta),
      ...(agent ? { agent } : {}),
      parties,
      audio: legs.map((x) => {
        const party = partyOfLabel(x.s.label);
        return { file: x.upload.fileName, ...(party ? { party } : {}) };
      }),
      metadata: {
        'siprec.sessionId': meta.sessionId,
        'siprec.callRef': meta.callRef,
        ...(meta.groupId ? { 'siprec.groupId': meta.groupId } : {}),
        'siprec.vendor': meta.vendor,
        'recorder.callId': m.callId,
        'recorder.streams': m.streams.map((s) => `${s.label}:${s.codec}${s.answer.crypto ? '/srtp' : ''}`).join(', '),
        ...(pausedMs ? { 'recorder.pausedMs': String(pausedMs) } : {}),
        ...(flags.length ? { 'recorder.flags': flags.join(',') } : {}),
        ...Object.fromEntries(Object.entries(meta.extensions).map(([k, v]) => [`siprec.${k}`.slice(0, 100), String(v).slice(0, 2000)])),
      },
    };
    let conversationId = m.conversationId;
    let segmentId = m.segmentId;
    if (!conversationId) {
      const res = await ingestCall(
        ctx,
        systemActor(tenantId, 'Recorder', 'system'),
        callMeta,
        legs.map((x) => x.upload),
      );
      for (const x of legs) kept.add(x.upload.blobId);
      conversationId = res.conversationId;
      segmentId = res.segmentId;
      m.conversationId = conversationId;
      m.segmentId = segmentId;
      opts.save?.(m);
    }
    await addSegmentDetails(
      ctx,
      m,
      segmentId!,
      stored.filter((x) => x.s.storedRaw),
      partyOfLabel,
      kept,
    );
    const result = { conversationId, quality, flags };
    await markCall(ctx, m, result, recovered);
    fs.rmSync(dir, { recursive: true, force: true });
    return result;
  } finally {
    await Promise.allSettled(stored.filter((x) => !kept.has(x.upload.blobId)).map((x) => ctx.blobs.delete(tenantId, x.upload.blobId)));
  }
}

/** Pauses, DTMF and raw legs on the segment, once (a re-run after a crash finds them there). */
async function addSegmentDetails(
  ctx: AppContext,
  m: SpoolManifest,
  segmentId: string,
  raw: { s: SpoolStream; upload: StoredUpload; bytes: number }[],
  partyOfLabel: (label: string) => string | null,
  kept: Set<string>,
) {
  await inTransaction(ctx.db, async ({ tx }) => {
    const done = await tx
      .selectFrom('segment_events')
      .select('id')
      .where('segment_id', '=', segmentId)
      .where('type', 'in', ['recording_paused', 'recording_details'])
      .executeTakeFirst();
    if (done) return;
    const at = (ms: number) => new Date(m.openedAtMs + ms).toISOString();
    const events = [
      ...m.pauses.map((p) => ({
        type: 'recording_paused',
        at: at(p.startMs),
        data: { offsetMs: p.startMs, durationMs: Math.max(0, (p.endMs ?? p.startMs) - p.startMs), by: p.by, party: null },
      })),
      ...m.streams.flatMap((s) =>
        (s.result?.dtmf ?? []).map((d) => ({
          type: 'dtmf',
          at: at(d.offsetMs),
          data: { offsetMs: d.offsetMs, durationMs: d.durationMs, digit: d.digit, party: partyOfLabel(s.label) },
        })),
      ),
      // The marker that this step ran (also when there was nothing else to add).
      {
        type: 'recording_details',
        at: at(0),
        data: { offsetMs: 0, streams: m.streams.map((s) => ({ label: s.label, codec: s.codec, storedRaw: s.storedRaw, reason: s.reason })) },
      },
    ];
    await convRepo.insertEvents(
      tx,
      events.map((e) => ({ id: newId(), segment_id: segmentId, type: e.type, at: e.at, data: ctx.adapter.json(e.data) })),
    );
    const now = nowIso();
    if (raw.length) {
      await convRepo.insertStreams(
        tx,
        raw.map((x) => ({
          id: newId(),
          segment_id: segmentId,
          kind: 'audio',
          party_key: partyOfLabel(x.s.label),
          channel_index: null,
          blob_id: x.upload.blobId,
          file_name: x.upload.fileName,
          container: 'rtp-payloads',
          codec: x.s.codec,
          sample_rate: x.s.answer.codec?.rate ?? null,
          channels: 1,
          duration_ms: 0,
          status: 'unsupported_codec',
          status_reason: x.s.reason,
          created_at: now,
        })),
      );
      for (const x of raw) kept.add(x.upload.blobId);
    }
  });
}

async function markCall(ctx: AppContext, m: SpoolManifest, r: CloseResult, recovered: boolean) {
  try {
    const row = await getCallById(ctx.db, ctx.adapter, m.callId);
    if (!row) return;
    await updateCall(ctx.db, ctx.adapter, m.callId, {
      quality: r.quality,
      flags: r.flags,
      conversationId: r.conversationId,
      ...(recovered && !row.endedAt
        ? { state: 'ended' as const, endedAt: new Date(m.closedAtMs ?? Date.now()).toISOString(), endReason: 'recovered' as const }
        : {}),
    });
  } catch (err) {
    ctx.log.warn({ err, callId: m.callId }, 'could not record the quality of a recorded call');
  }
}

/** Finalises the calls a previous process left in the spool; `skip` holds folders of calls open in this process. */
export async function recoverSpools(ctx: AppContext, root: string, skip: Set<string>): Promise<{ callId: string; conversationId: string | null }[]> {
  const out: { callId: string; conversationId: string | null }[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const name of entries) {
    const dir = path.join(root, name);
    if (skip.has(dir)) continue;
    const env = readManifestEnvelope(dir);
    if (!env) continue;
    try {
      const dek = ctx.keyring.unwrapDek(env.tenantId, env.id, env.wrappedKey, env.kekId);
      const m = env.open(dek);
      const keys = { dek, wrappedKey: env.wrappedKey, kekId: env.kekId, id: env.id };
      if (m.closedAtMs === null) {
        // Crashed while recording: the call ends where its last sealed audio ends.
        m.closedAtMs = Date.now();
        m.closeReason = 'recovered';
        for (const p of m.pauses) if (p.endMs === null) p.endMs = m.closedAtMs - m.openedAtMs;
      }
      const r = await finaliseSpool(ctx, dir, m, { recovered: true, cancelled: m.closeReason === 'cancel', save: (x) => writeManifest(dir, x, keys) });
      dek.fill(0);
      out.push({ callId: m.callId, conversationId: r.conversationId });
    } catch (err) {
      ctx.log.error({ err, dir }, 'a recorder spool could not be finalised; it is kept for the next start');
    }
  }
  return out;
}
