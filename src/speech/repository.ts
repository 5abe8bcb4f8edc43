// SQL of the speech feature: transcripts and their utterances, and the conversation's speech state.
import type { DialectAdapter } from '../platform/db/adapter.ts';
import type { Executor } from '../platform/db/index.ts';
import type { TranscriptUtterancesTable, TranscriptsTable } from '../platform/db/schema.ts';
import type { PiiSpan, SpeakerRole, SpeechStatus, TranscriptWord } from './model.ts';

/** A stored utterance as the rest of the code reads it (JSON columns parsed). */
export interface StoredUtterance {
  id: string;
  transcriptId: string;
  conversationId: string;
  segmentId: string | null;
  streamId: string | null;
  partyKey: string | null;
  role: SpeakerRole;
  seq: number;
  startMs: number;
  endMs: number;
  text: string;
  displayText: string;
  redactedText: string;
  confidence: number | null;
  words: TranscriptWord[];
  pii: PiiSpan[];
}

export type NewUtterance = Omit<StoredUtterance, 'id' | 'transcriptId' | 'conversationId'> & { id: string };

const toStored = (a: DialectAdapter, r: TranscriptUtterancesTable): StoredUtterance => ({
  id: r.id,
  transcriptId: r.transcript_id,
  conversationId: r.conversation_id,
  segmentId: r.segment_id,
  streamId: r.stream_id,
  partyKey: r.party_key,
  role: r.role as SpeakerRole,
  seq: Number(r.seq),
  startMs: Number(r.start_ms),
  endMs: Number(r.end_ms),
  text: r.text,
  displayText: r.display_text,
  redactedText: r.redacted_text,
  confidence: r.confidence === null ? null : Number(r.confidence),
  words: a.fromJson<TranscriptWord[]>(r.words),
  pii: a.fromJson<PiiSpan[]>(r.pii),
});

/**
 * Stores a finished engine run as the conversation's one current transcript: earlier runs are removed in the same
 * transaction (callers pass a transaction), so readers see the old text or the new, never a mix.
 */
export async function replaceTranscript(db: Executor, a: DialectAdapter, transcript: Omit<TranscriptsTable, 'is_current'>, utterances: NewUtterance[]) {
  await db.deleteFrom('transcripts').where('conversation_id', '=', transcript.conversation_id).execute();
  await db
    .insertInto('transcripts')
    .values({ ...transcript, is_current: 1 })
    .execute();
  const rows: TranscriptUtterancesTable[] = utterances.map((u) => ({
    id: u.id,
    transcript_id: transcript.id,
    conversation_id: transcript.conversation_id,
    segment_id: u.segmentId,
    stream_id: u.streamId,
    party_key: u.partyKey,
    role: u.role,
    seq: u.seq,
    start_ms: u.startMs,
    end_ms: u.endMs,
    text: u.text,
    display_text: u.displayText,
    redacted_text: u.redactedText,
    confidence: u.confidence,
    words: a.json(u.words),
    pii: a.json(u.pii),
  }));
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('transcript_utterances')
      .values(rows.slice(i, i + 100))
      .execute();
}

export const currentTranscript = (db: Executor, conversationId: string) =>
  db.selectFrom('transcripts').selectAll().where('conversation_id', '=', conversationId).where('is_current', '=', 1).executeTakeFirst();

/** The current transcript's utterances in time order. */
export async function currentUtterances(db: Executor, a: DialectAdapter, conversationId: string): Promise<StoredUtterance[]> {
  const rows = await db
    .selectFrom('transcript_utterances as u')
    .innerJoin('transcripts as t', 't.id', 'u.transcript_id')
    .selectAll('u')
    .where('u.conversation_id', '=', conversationId)
    .where('t.is_current', '=', 1)
    .orderBy('u.start_ms')
    .orderBy('u.seq')
    .execute();
  return rows.map((r) => toStored(a, r));
}

/** Rewrites the redaction of one utterance (after the tenant's PII types change, or a re-run of detection). */
export const updateRedaction = (db: Executor, a: DialectAdapter, utteranceId: string, pii: PiiSpan[], redactedText: string) =>
  db
    .updateTable('transcript_utterances')
    .set({ pii: a.json(pii), redacted_text: redactedText })
    .where('id', '=', utteranceId)
    .execute();

export const setSpeechStatus = (db: Executor, conversationId: string, status: SpeechStatus, reason: string | null, at: string | null = null) =>
  db
    .updateTable('conversations')
    .set({ speech_status: status, speech_reason: reason, ...(at ? { transcribed_at: at } : {}) })
    .where('id', '=', conversationId)
    .execute();
