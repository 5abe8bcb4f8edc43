import type { Kysely } from 'kysely';

/**
 * An index on the redacted PCM's blob id (src/speech/redaction), like 0010's for the other rendition columns, so the
 * orphan sweep's "is this blob referenced" check stays an index probe.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stream_renditions_redacted_pcm_blob_idx').on('stream_renditions').column('redacted_pcm_blob_id').execute();
}
