// Redacted audio and who hears what. After a transcript is stored, speech.redact_audio writes for every analysed
// stream of the conversation a copy of its PCM with the PII spans replaced by a tone (all parties of the segment, not
// only the speaker: the other leg can carry the same words as echo or sidetone, and a mono recording carries
// everyone), encrypted like every rendition. Playback then gives users without "media.play_unredacted" the copy, and
// refuses (fails closed) while a conversation has PII spans and its copy is not written yet.
import type { AppContext } from '../../context.ts';
import { can, type Actor } from '../../auth/actor.ts';
import { DomainError } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import type { StreamRenditionsTable } from '../../platform/db/schema.ts';
import { PCM_CONTENT_TYPE } from '../../media/pipeline/service.ts';
import { paddedSpans, redactPcm, REDACTION_PAD_MS } from './audio.ts';
import * as repo from './repository.ts';
import * as authRepo from '../../auth/repository.ts';
import { readSettings } from '../../settings/model.ts';
import { PII_TYPES, type PiiType } from '../model.ts';
import { redactText } from './text.ts';

export { queueRedaction } from './queue.ts';

export type RedactAudioResult =
  { status: 'gone' } | { status: 'no_pii'; removed: number } | { status: 'redacted'; streams: number; spans: number } | { status: 'stale' };

/** Writes (or removes, when no PII is left) the redacted PCM of every analysed stream of the conversation. */
export async function redactConversationAudio(
  ctx: AppContext,
  conversationId: string,
  onProgress: (f: number, note: string) => void = () => {},
): Promise<RedactAudioResult> {
  const conv = await repo.conversationTimes(ctx.db, conversationId);
  if (!conv) return { status: 'gone' };
  const tenantId = conv.tenant_id;
  const convStart = Date.parse(String(conv.started_at));
  const { transcriptId, spans } = await repo.piiOf(ctx.db, ctx.adapter, conversationId);
  const streams = await repo.streamsWithPcm(ctx.db, conversationId);

  if (spans.length === 0) {
    // Nothing to hide (the tenant's PII types changed, or a new transcript has none): the original is what everyone hears.
    const old = streams.filter((s) => s.redacted_pcm_blob_id);
    await inTransaction(ctx.db, async ({ tx }) => {
      for (const s of old) await repo.setRedactedPcm(tx, s.stream_id, s.pcm_blob_id!, null);
    });
    await ctx.blobs.release(
      tenantId,
      old.map((s) => s.redacted_pcm_blob_id),
    );
    return { status: 'no_pii', removed: old.length };
  }

  // Media first, rows after: a crash in between leaves unreferenced copies for the orphan sweep, never a row
  // pointing at missing media.
  const written: Array<{ streamId: string; pcmBlobId: string; blobId: string; old: string | null }> = [];
  try {
    for (const [i, s] of streams.entries()) {
      onProgress(i / streams.length, `redacting stream ${i + 1} of ${streams.length}`);
      const offsetMs = Date.parse(String(s.started_at)) - convStart;
      const rate = Number(s.sample_rate);
      const buf = await ctx.blobs.readAll(tenantId, s.pcm_blob_id!);
      const pcm = new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2));
      const durationMs = (pcm.length * 1000) / rate;
      // Conversation time → this stream's time (it starts with its segment).
      const here = paddedSpans(
        spans.map((p) => ({ startMs: p.startMs - offsetMs, endMs: p.endMs - offsetMs })),
        durationMs,
        REDACTION_PAD_MS,
      );
      const out = redactPcm(pcm, rate, here);
      const blob = await ctx.blobs.put(tenantId, Buffer.from(out.buffer, out.byteOffset, out.byteLength), { contentType: PCM_CONTENT_TYPE });
      written.push({ streamId: s.stream_id, pcmBlobId: s.pcm_blob_id!, blobId: blob.id, old: s.redacted_pcm_blob_id });
    }
    const applied = await inTransaction(ctx.db, async ({ tx }) => {
      // A newer transcript was stored meanwhile: its own redaction job writes the copies.
      if ((await repo.currentTranscriptId(tx, conversationId)) !== transcriptId) return null;
      const ok: typeof written = [];
      for (const w of written) if (await repo.setRedactedPcm(tx, w.streamId, w.pcmBlobId, w.blobId)) ok.push(w);
      return ok;
    });
    if (!applied) {
      for (const w of written) await ctx.blobs.delete(tenantId, w.blobId).catch(() => {});
      return { status: 'stale' };
    }
    // Copies of a rendition replaced meanwhile, and the earlier copies, once nothing points at them.
    for (const w of written) if (!applied.includes(w)) await ctx.blobs.delete(tenantId, w.blobId).catch(() => {});
    await ctx.blobs.release(
      tenantId,
      applied.map((w) => (w.old !== w.blobId ? w.old : null)),
    );
    onProgress(1, 'done');
    return { status: 'redacted', streams: applied.length, spans: spans.length };
  } catch (err) {
    for (const w of written) await ctx.blobs.delete(tenantId, w.blobId).catch(() => {});
    throw err;
  }
}

export interface PlaybackChoice {
  /** The caller hears the original (holds "media.play_unredacted"): audit it as unredacted. */
  unredacted: boolean;
  /** Appended to the playback/download audit details: " (unredacted)", " (redacted)", or nothing when there is no PII to redact. */
  auditNote: string;
  /** The PCM blob to read for a stream; throws MEDIA_REDACTION_PENDING rather than hand out PII. */
  pcmOf(r: Pick<StreamRenditionsTable, 'pcm_blob_id' | 'redacted_pcm_blob_id'>): string;
}

export const redactionPending = () =>
  new DomainError(
    'CONFLICT',
    'This recording contains personal data and its redacted version is still being prepared; try again in a minute (or ask for "Play media (unredacted)")',
    { reason: 'MEDIA_REDACTION_PENDING' },
  );

/** Which audio this caller gets for the conversation: the original with "media.play_unredacted", else the redacted copy. */
export async function playbackChoice(ctx: AppContext, actor: Actor, conversationId: string): Promise<PlaybackChoice> {
  // Always marked for holders of the permission: the audit trail must show every listen that could include PII,
  // also before transcription has found any.
  if (can(actor, 'media.play_unredacted')) return { unredacted: true, auditNote: ' (unredacted)', pcmOf: (r) => r.pcm_blob_id! };
  if (!(await repo.hasPii(ctx.db, ctx.adapter, conversationId))) return { unredacted: false, auditNote: '', pcmOf: (r) => r.pcm_blob_id! };
  return {
    unredacted: false,
    auditNote: ' (redacted)',
    pcmOf: (r) => {
      if (!r.redacted_pcm_blob_id) throw redactionPending();
      return r.redacted_pcm_blob_id;
    },
  };
}

/** The stored original file of a call stream holds the PII too: only for callers who may hear it unredacted. */
export async function assertMayGetOriginalAudio(ctx: AppContext, actor: Actor, conversationId: string) {
  if (can(actor, 'media.play_unredacted')) return;
  if (await repo.hasPii(ctx.db, ctx.adapter, conversationId))
    throw new DomainError('FORBIDDEN', 'This recording contains personal data: play it in the player (redacted), or ask for "Play media (unredacted)"', {
      reason: 'MEDIA_REDACTED_ONLY',
    });
}

/**
 * How chat messages and e-mails read for this caller: unchanged with "media.play_unredacted", else with the tenant's
 * PII types replaced by placeholders. `redacting` tells callers to drop forms they cannot redact (an e-mail's HTML).
 */
export async function textRedactorFor(ctx: AppContext, actor: Actor): Promise<{ redacting: boolean; redact(text: string): string }> {
  if (can(actor, 'media.play_unredacted')) return { redacting: false, redact: (text) => text };
  const tenant = await authRepo.getTenant(ctx.db, actor.tenantId);
  const types = readSettings(ctx.adapter.fromJson(tenant?.settings)).piiTypes.filter((x): x is PiiType => (PII_TYPES as readonly string[]).includes(x));
  if (types.length === 0) return { redacting: false, redact: (text) => text };
  return { redacting: true, redact: (text) => redactText(text, types) };
}
