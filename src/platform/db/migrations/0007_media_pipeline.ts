import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * What the media pipeline derives from a call's audio:
 * - `stream_renditions`: per party stream, a normalized mono 16-bit PCM copy (encrypted blob, read by ranges for solo
 *   playback, the stereo mix and exports), its waveform peak pyramid (encrypted blob), speech intervals and talk time;
 *   or "no_audio" with the reason when the file could not be decoded.
 * - `speech_events`: silence, crosstalk, hold and gap ranges of a conversation, in ms from the conversation start.
 * - on conversations: the hold count and the pipeline state.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('stream_renditions')
    .addColumn('stream_id', 'text', (c) => c.primaryKey().references('streams.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('pcm_blob_id', 'text')
    .addColumn('pcm_bytes', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('sample_rate', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('peaks_blob_id', 'text')
    .addColumn('speech', a.types.json, (c) => c.notNull())
    .addColumn('talk_ms', a.types.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('analyzed_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stream_renditions_conv_idx').on('stream_renditions').column('conversation_id').execute();

  await db.schema
    .createTable('speech_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('segment_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('start_ms', a.types.bigint, (c) => c.notNull())
    .addColumn('end_ms', a.types.bigint, (c) => c.notNull())
    .addColumn('parties', a.types.json, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('speech_events_conv_idx').on('speech_events').columns(['conversation_id', 'start_ms']).execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('hold_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('conversations').addColumn('media_status', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('media_analyzed_at', ts).execute();
}
