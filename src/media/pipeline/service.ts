// The media pipeline of one conversation: decode every call stream, keep a normalized mono PCM copy per party
// (encrypted, read by ranges for playback and export), waveform peaks, voice activity and speech events.
// Run by the media.analyze job after a call is ingested and on reprocessing; idempotent (replaces earlier results).
import type { AppContext } from '../../context.ts';
import { analyzeStreams, type AnalysisStreamInput } from '../../analytics/analyze-call.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { SpeechEventsTable, StreamRenditionsTable, StreamsTable } from '../../platform/db/schema.ts';
import { readSettings } from '../../settings/model.ts';
import { splitChannels, mixdown } from '../channels.ts';
import { decodeToPcm16 } from '../decode.ts';
import * as repo from './repository.ts';
import { startConversationPipeline } from '../../conversations/pipeline.ts';
import { queueRedactionIfPii } from '../../speech/redaction/queue.ts';

export const PCM_CONTENT_TYPE = 'audio/L16';
export const PEAKS_CONTENT_TYPE = 'application/x-earshot-peaks';

/** Marks conversations' media as awaiting analysis (until media.analyze has run). */
export function markMediaPending(uow: Uow, conversationIds: string[]) {
  return repo.setMediaStatus(uow.tx, conversationIds, 'pending');
}

/**
 * Marks the conversation's media as pending and re-runs its pipeline from media.analyze (analysis, then the later
 * steps, then indexing) after the surrounding transaction commits.
 */
export async function queueMediaAnalysis(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, conversationId: string): Promise<string> {
  await markMediaPending(uow, [conversationId]);
  const id = await startConversationPipeline(ctx, uow, tenantId, { conversationId, hasAudio: true }, { from: 'media.analyze' });
  // media.analyze is registered and applies to every subject with audio.
  if (!id) throw new Error('media.analyze is not registered');
  return id;
}

interface Decoded {
  stream: StreamsTable;
  samples: Int16Array;
  sampleRate: number;
}

/** Linear resampling, for a party recorded at another rate than the segment's first stream. */
function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const n = Math.floor((samples.length * to) / from);
  const out = new Int16Array(n);
  const step = from / to;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const f = x - j;
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * f);
  }
  return out;
}

const asBytes = (s: Int16Array) => Buffer.from(s.buffer, s.byteOffset, s.byteLength);

export async function analyzeConversation(ctx: AppContext, conversationId: string, onProgress: (fraction: number, note: string) => void = () => {}) {
  const conv = await repo.conversationOf(ctx.db, conversationId);
  if (!conv) return { status: 'gone' as const };
  const tenantId = conv.tenant_id;
  const segments = await repo.callSegments(ctx.db, conversationId);
  const segIds = segments.map((s) => s.id);
  const [streams, controls, parties, tenant, before] = await Promise.all([
    repo.audioStreams(ctx.db, segIds),
    repo.segmentEvents(ctx.db, segIds),
    repo.participants(ctx.db, conversationId),
    ctx.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst(),
    repo.renditionsOf(ctx.db, conversationId),
  ]);
  const settings = readSettings(ctx.adapter.fromJson(tenant?.settings));
  const roleOf = new Map(parties.map((p) => [p.party_key, p.role]));
  const convStart = Date.parse(String(conv.started_at));
  const now = nowIso();
  const renditions: StreamRenditionsTable[] = [];
  const inputs: AnalysisStreamInput[] = [];
  const decodedById = new Map<string, Decoded>();
  const earlier = new Map(before.map((r) => [r.stream_id, r]));
  const noAudio = (st: StreamsTable, reason: string) =>
    renditions.push({
      stream_id: st.id,
      conversation_id: conversationId,
      status: 'no_audio',
      reason,
      pcm_blob_id: null,
      redacted_pcm_blob_id: null,
      pcm_bytes: 0,
      sample_rate: 0,
      peaks_blob_id: null,
      speech: ctx.adapter.json([]),
      talk_ms: 0,
      analyzed_at: now,
    });

  for (const [i, seg] of segments.entries()) {
    onProgress(i / Math.max(1, segments.length), `decoding segment ${i + 1} of ${segments.length}`);
    const segStreams = streams.filter((s) => s.segment_id === seg.id);
    const byBlob = new Map<string, StreamsTable[]>();
    const decodedHere: Decoded[] = [];
    for (const st of segStreams) {
      // Anonymized with the gentler option, the redacted PCM is the only audio left (its original file removed):
      // analysed again from that PCM, never turned into "no audio" with the copy deleted after it.
      const pcmOnly = st.status === 'ok' && !st.blob_id ? earlier.get(st.id) : undefined;
      if (pcmOnly?.status === 'ok' && pcmOnly.pcm_blob_id) {
        try {
          const buf = await ctx.blobs.readAll(tenantId, pcmOnly.pcm_blob_id);
          const samples = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + (buf.byteLength & ~1)));
          decodedHere.push({ stream: st, samples, sampleRate: Number(pcmOnly.sample_rate) });
        } catch (err) {
          noAudio(st, (err as Error).message);
        }
        continue;
      }
      if (st.status !== 'ok' || !st.blob_id) {
        noAudio(st, st.status_reason ?? 'The file could not be stored');
        continue;
      }
      byBlob.set(st.blob_id, [...(byBlob.get(st.blob_id) ?? []), st]);
    }
    for (const [blobId, group] of byBlob) {
      try {
        const file = await ctx.blobs.readAll(tenantId, blobId);
        const dec = await decodeToPcm16(file, group[0]!.file_name ?? 'audio');
        const channels = dec.channels > 1 ? splitChannels(dec.samples, dec.channels) : [dec.samples];
        for (const st of group) {
          const ch = st.channel_index;
          const mono = ch !== null && ch < channels.length ? channels[ch]! : dec.channels > 1 ? mixdown(dec.samples, dec.channels) : channels[0]!;
          decodedHere.push({ stream: st, samples: mono, sampleRate: dec.sampleRate });
        }
      } catch (err) {
        for (const st of group) noAudio(st, (err as Error).message);
      }
    }
    // One sample rate per segment, so its parties mix and export together.
    const rate = decodedHere[0]?.sampleRate ?? 8000;
    const offsetMs = Date.parse(String(seg.started_at)) - convStart;
    for (const d of decodedHere) {
      const samples = resample(d.samples, d.sampleRate, rate);
      decodedById.set(d.stream.id, { ...d, samples, sampleRate: rate });
      inputs.push({
        id: d.stream.id,
        party: d.stream.party_key ?? `stream-${d.stream.id}`,
        role: roleOf.get(d.stream.party_key ?? '') ?? 'other',
        samples,
        sampleRate: rate,
        offsetMs,
      });
    }
  }

  onProgress(0.8, 'analysing');
  const events = controls
    .filter((e) => e.type === 'hold' || e.type === 'resume')
    .map((e) => {
      const data = ctx.adapter.fromJson<{ party?: string | null }>(e.data) ?? {};
      return { type: e.type, offsetMs: Date.parse(String(e.at)) - convStart, party: data.party ?? undefined };
    });
  const durationMs = Math.max(0, Date.parse(String(conv.ended_at)) - convStart);
  const analysis = analyzeStreams({
    streams: inputs,
    events,
    durationMs,
    segments: segments.map((s) => ({ startMs: Date.parse(String(s.started_at)) - convStart, endMs: Date.parse(String(s.ended_at)) - convStart })),
    thresholds: { silenceMinMs: settings.silenceMinSeconds * 1000, crosstalkMinMs: settings.crosstalkMinSeconds * 1000 },
  });

  // Media first, rows after: a crash in between leaves unreferenced objects for the orphan sweep, never rows
  // pointing at missing media.
  const written: string[] = [];
  try {
    for (const a of analysis.streams) {
      const d = decodedById.get(a.id!)!;
      const pcm = await ctx.blobs.put(tenantId, asBytes(d.samples), { contentType: PCM_CONTENT_TYPE });
      written.push(pcm.id);
      const peaks = await ctx.blobs.put(tenantId, a.peaks, { contentType: PEAKS_CONTENT_TYPE });
      written.push(peaks.id);
      renditions.push({
        stream_id: a.id!,
        conversation_id: conversationId,
        status: 'ok',
        reason: null,
        pcm_blob_id: pcm.id,
        redacted_pcm_blob_id: null,
        pcm_bytes: d.samples.byteLength,
        sample_rate: d.sampleRate,
        peaks_blob_id: peaks.id,
        speech: ctx.adapter.json(a.speech),
        talk_ms: Math.round(a.talkMs),
        analyzed_at: now,
      });
    }
    const rows: SpeechEventsTable[] = analysis.events.map((e) => ({
      id: newId(),
      conversation_id: conversationId,
      segment_id: segmentAt(segments, convStart, e.startMs),
      type: e.type,
      start_ms: Math.round(e.startMs),
      end_ms: Math.round(e.endMs),
      parties: ctx.adapter.json(e.parties),
      source: e.source,
      created_at: now,
    }));
    const ok = renditions.filter((r) => r.status === 'ok').length;
    const status = renditions.length === 0 ? 'no_audio' : ok === renditions.length ? 'ready' : ok === 0 ? 'no_audio' : 'partial';
    await inTransaction(ctx.db, async (uow) => {
      await repo.replaceResults(uow.tx, conversationId, renditions, rows, { holdCount: analysis.holdCount, status, at: now });
      // The redacted copies went with the old rows: new ones from the new PCM (src/speech/redaction).
      await queueRedactionIfPii(ctx, uow, tenantId, conversationId);
      await publishEvent(ctx, uow, tenantId, 'media.analysed', { conversationId, status, streams: renditions.length });
    });
    // The earlier renditions' media, once nothing points at it.
    await ctx.blobs.release(
      tenantId,
      before.flatMap((r) => [r.pcm_blob_id, r.peaks_blob_id, r.redacted_pcm_blob_id]),
    );
    onProgress(1, 'done');
    return { status, streams: renditions.length, events: rows.length, holdCount: analysis.holdCount };
  } catch (err) {
    for (const id of written) await ctx.blobs.delete(tenantId, id).catch(() => {});
    throw err;
  }
}

function segmentAt(segments: Array<{ id: string; started_at: string; ended_at: string }>, convStart: number, atMs: number): string | null {
  const t = convStart + atMs;
  return segments.find((s) => Date.parse(String(s.started_at)) <= t && t < Date.parse(String(s.ended_at)))?.id ?? null;
}

export const REPROCESS_BATCH = 100;

/** Queues the analysis of many conversations in batches (streaming ids, never loading them all). */
export async function enqueueInBatches(
  ctx: AppContext,
  tenantId: string,
  next: (after: string | null) => Promise<string[]>,
  onProgress: (queued: number) => void,
) {
  let after: string | null = null;
  let queued = 0;
  for (;;) {
    const ids = await next(after);
    if (ids.length === 0) break;
    await inTransaction(ctx.db, async (uow) => {
      await markMediaPending(uow, ids);
      for (const id of ids) await startConversationPipeline(ctx, uow, tenantId, { conversationId: id, hasAudio: true }, { from: 'media.analyze' });
    });
    queued += ids.length;
    after = ids[ids.length - 1]!;
    onProgress(queued);
  }
  return queued;
}
