import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Speech (src/speech): transcripts, phrase spotting and PII redaction.
 * - `transcripts`: one row per engine run over a conversation; exactly one is current (`is_current` = 1) once a run
 *   has finished, so a re-transcription replaces the visible text in one transaction and never leaves it half-stored.
 * - `transcript_utterances`: what one party said, in ms from the conversation start. `words` is a JSON array of
 *   `{ w, s, e, c, a? }` (word, start ms, end ms, confidence 0–1 or null, approximate time). `display_text` is the
 *   text with numbers and entities normalised ("four one one one" → "4111"); `pii` lists the detected PII spans by
 *   word index, and `redacted_text` is the display text with those spans replaced by `[CARD]`, `[PHONE]`…, the only
 *   text a user without "play unredacted" ever gets.
 * - conversations: the speech state shown on the conversation and in /api/health.
 * - stream_renditions: the redacted audio (PII spans silenced), served to users without "play unredacted".
 * - speech tags get the phrase they spot (with language and party) and hits their end and the utterance.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  const float = 'double precision' as const;
  await db.schema
    .createTable('transcripts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('is_current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('audio_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('cpu_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transcripts_conv_idx').on('transcripts').columns(['conversation_id', 'is_current']).execute();

  await db.schema
    .createTable('transcript_utterances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transcript_id', 'text', (c) => c.notNull().references('transcripts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('segment_id', 'text')
    .addColumn('stream_id', 'text')
    .addColumn('party_key', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('start_ms', a.types.bigint, (c) => c.notNull())
    .addColumn('end_ms', a.types.bigint, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('display_text', 'text', (c) => c.notNull())
    .addColumn('redacted_text', 'text', (c) => c.notNull())
    .addColumn('confidence', float)
    .addColumn('words', a.types.json, (c) => c.notNull())
    .addColumn('pii', a.types.json, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transcript_utts_idx').on('transcript_utterances').columns(['transcript_id', 'seq']).execute();
  await db.schema.createIndex('transcript_utts_conv_idx').on('transcript_utterances').columns(['conversation_id', 'start_ms']).execute();

  await db.schema.alterTable('conversations').addColumn('speech_status', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('speech_reason', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('transcribed_at', ts).execute();

  await db.schema.alterTable('stream_renditions').addColumn('redacted_pcm_blob_id', 'text').execute();

  await db.schema
    .alterTable('speech_tag_definitions')
    .addColumn('phrase', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('speech_tag_definitions').addColumn('language', 'text').execute();
  await db.schema.alterTable('speech_tag_definitions').addColumn('party', 'text').execute();
  await db.schema.alterTable('speech_tag_hits').addColumn('end_ms', 'integer').execute();
  await db.schema.alterTable('speech_tag_hits').addColumn('utterance_id', 'text').execute();
  await db.schema
    .alterTable('speech_tag_hits')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('transcript'))
    .execute();
}
