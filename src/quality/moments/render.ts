// Rendering a moment's clip: the conversation's call audio between two conversation times, mixed as the player mixes it
// (stereo placement per side), encoded to MP3 by ffmpeg (src/media/mp3.ts) and stored encrypted like every rendition.
// The range is read from the per-party PCM by byte ranges, so a clip of a long call reads only its own seconds.
// Two clips when the transcript holds PII: the original, and one from the redacted PCM that users without
// "play unredacted" and external share links get.
import type { Readable } from 'node:stream';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../platform/errors.ts';
import type { StreamRenditionsTable } from '../../platform/db/schema.ts';
import { sideOf } from '../../media/service.ts';
import { encodeMp3, type Mp3PartyInput, type Mp3Segment } from '../../media/mp3.ts';
import * as mediaRepo from '../../media/pipeline/repository.ts';
import { hasPii } from '../../speech/redaction/repository.ts';

/** Gaps between legs are shortened to this in a clip, as the player collapses them. */
const MAX_GAP_MS = 1000;

export const MOMENT_CLIP_CONTENT_TYPE = 'audio/mpeg';

/** Media that is not there yet (analysis or redaction still running): the job retries later. */
export class ClipNotReady extends Error {}

interface ClipPlan {
  segments: Array<
    Omit<Mp3Segment, 'parties'> & { parties: Array<{ side: Mp3PartyInput['side']; rendition: StreamRenditionsTable; fromByte: number; bytes: number }> }
  >;
}

/** Which bytes of which party's PCM make the clip [startMs, endMs) of conversation time. */
export async function planClip(ctx: AppContext, conversationId: string, startMs: number, endMs: number): Promise<ClipPlan> {
  const conv = await mediaRepo.conversationOf(ctx.db, conversationId);
  if (!conv) throw new DomainError('NOT_FOUND', `Conversation ${conversationId} was not found`);
  const convStart = Date.parse(String(conv.started_at));
  const segments = await mediaRepo.callSegments(ctx.db, conversationId);
  const [streams, renditions, parties] = await Promise.all([
    mediaRepo.audioStreams(
      ctx.db,
      segments.map((s) => s.id),
    ),
    mediaRepo.renditionsOf(ctx.db, conversationId),
    ctx.db
      .selectFrom('conversation_participants')
      .select(['party_key', 'role'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const byStream = new Map(renditions.map((r) => [r.stream_id, r]));
  const roles = new Map(parties.map((p) => [p.party_key, p.role]));
  const firstParty = parties[0]?.party_key;
  const plan: ClipPlan = { segments: [] };
  let lastEnd: number | null = null;
  for (const seg of segments) {
    const segStart = Date.parse(String(seg.started_at)) - convStart;
    const segEnd = Date.parse(String(seg.ended_at)) - convStart;
    const from = Math.max(startMs, segStart);
    const to = Math.min(endMs, segEnd);
    if (to <= from) continue;
    const audio = streams.filter((st) => st.segment_id === seg.id);
    if (audio.some((st) => st.status === 'ok' && !byStream.has(st.id))) throw new ClipNotReady('the recording is still being analysed');
    const ok = audio.map((st) => ({ st, r: byStream.get(st.id) })).filter((x) => x.r?.status === 'ok' && x.r.pcm_blob_id);
    if (!ok.length) continue;
    const rate = Number(ok[0]!.r!.sample_rate);
    const f0 = Math.floor(((from - segStart) * rate) / 1000);
    const f1 = Math.ceil(((to - segStart) * rate) / 1000);
    const clipped = ok
      .map(({ st, r }) => {
        const total = Number(r!.pcm_bytes) - (Number(r!.pcm_bytes) % 2);
        const fromByte = f0 * 2;
        const bytes = Math.max(0, Math.min(total, f1 * 2) - fromByte);
        const side = sideOf(seg.direction ?? conv.direction, roles.get(st.party_key ?? '') ?? 'other', st.party_key === firstParty) ?? 'calling';
        return { side, rendition: r!, fromByte, bytes };
      })
      .filter((p) => p.bytes >= 2);
    if (!clipped.length) continue;
    plan.segments.push({
      segmentId: seg.id,
      contactId: seg.external_id,
      sampleRate: rate,
      gapBeforeMs: lastEnd === null ? 0 : Math.min(MAX_GAP_MS, Math.max(0, from - lastEnd)),
      parties: clipped,
    });
    lastEnd = to;
  }
  return plan;
}

/** The MP3 of a planned clip, from the original PCM or (redacted) from the copy with PII toned out. */
export async function encodeClip(ctx: AppContext, tenantId: string, plan: ClipPlan, redacted: boolean, signal?: AbortSignal): Promise<Readable> {
  const segments: Mp3Segment[] = plan.segments.map((s) => ({
    ...s,
    parties: s.parties.map((p) => {
      const blobId = redacted ? p.rendition.redacted_pcm_blob_id : p.rendition.pcm_blob_id;
      if (!blobId) throw new ClipNotReady('the redacted copy of the recording is still being prepared');
      return {
        side: p.side,
        label: p.rendition.stream_id,
        pcmBytes: p.bytes,
        reader: (offset: number, length: number) => ctx.blobs.readAll(tenantId, blobId, { start: p.fromByte + offset, end: p.fromByte + offset + length - 1 }),
      };
    }),
  }));
  return encodeMp3(segments, { signal, timeoutMs: 10 * 60_000 });
}

export const conversationHasPii = (ctx: AppContext, conversationId: string) => hasPii(ctx.db, ctx.adapter, conversationId);
