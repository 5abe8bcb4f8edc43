// SQL of redaction: which conversations have PII in their current transcript, the spans with their party, and the
// redacted PCM rendition of each stream.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { PiiSpan } from '../model.ts';

/** True when the conversation's current transcript has at least one PII span. */
export async function hasPii(db: Executor, a: DialectAdapter, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('transcript_utterances as u')
    .innerJoin('transcripts as t', 't.id', 'u.transcript_id')
    .select('u.id')
    .where('u.conversation_id', '=', conversationId)
    .where('t.is_current', '=', 1)
    .where(a.jsonText('u.pii'), '<>', '[]')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export const currentTranscriptId = (db: Executor, conversationId: string) =>
  db
    .selectFrom('transcripts')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('is_current', '=', 1)
    .executeTakeFirst()
    .then((r) => r?.id ?? null);

/** The current transcript's id and every PII span in it (times from the conversation start). */
export async function piiOf(db: Executor, a: DialectAdapter, conversationId: string) {
  const transcriptId = await currentTranscriptId(db, conversationId);
  if (!transcriptId) return { transcriptId: null, spans: [] as Array<PiiSpan & { streamId: string | null }> };
  const rows = await db
    .selectFrom('transcript_utterances')
    .select(['stream_id', 'pii'])
    .where('transcript_id', '=', transcriptId)
    .where(a.jsonText('pii'), '<>', '[]')
    .execute();
  return {
    transcriptId,
    spans: rows.flatMap((r) => a.fromJson<PiiSpan[]>(r.pii).map((s) => ({ ...s, streamId: r.stream_id }))),
  };
}

/** The analysed streams of a conversation with their segment's start (to map conversation time to stream time). */
export const streamsWithPcm = (db: Executor, conversationId: string) =>
  db
    .selectFrom('stream_renditions as r')
    .innerJoin('streams as st', 'st.id', 'r.stream_id')
    .innerJoin('segments as s', 's.id', 'st.segment_id')
    .select(['r.stream_id', 'r.pcm_blob_id', 'r.redacted_pcm_blob_id', 'r.sample_rate', 'r.pcm_bytes', 's.started_at', 's.ended_at'])
    .where('r.conversation_id', '=', conversationId)
    .where('r.status', '=', 'ok')
    .where('r.pcm_blob_id', 'is not', null)
    .execute();

/**
 * Points a stream at its redacted PCM, only while its rendition is still the one the copy was made from (a media
 * re-analysis in between replaces the row: then nothing is updated and the caller removes its copy).
 */
export async function setRedactedPcm(db: Executor, streamId: string, pcmBlobId: string, redactedBlobId: string | null) {
  const r = await db
    .updateTable('stream_renditions')
    .set({ redacted_pcm_blob_id: redactedBlobId })
    .where('stream_id', '=', streamId)
    .where('pcm_blob_id', '=', pcmBlobId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const conversationTimes = (db: Executor, conversationId: string) =>
  db.selectFrom('conversations').select(['id', 'tenant_id', 'started_at']).where('id', '=', conversationId).executeTakeFirst();

/** Conversations of a tenant with a current transcript, after `afterId` in id order (the re-detection walks them in batches). */
export const transcribedConversationsAfter = (db: Executor, tenantId: string, afterId: string | null, limit: number) => {
  let q = db.selectFrom('transcripts').select('conversation_id').where('tenant_id', '=', tenantId).where('is_current', '=', 1);
  if (afterId) q = q.where('conversation_id', '>', afterId);
  return q
    .orderBy('conversation_id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.conversation_id));
};

export const countTranscribed = (db: Executor, tenantId: string) =>
  db
    .selectFrom('transcripts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('is_current', '=', 1)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
