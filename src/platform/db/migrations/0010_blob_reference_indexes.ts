import type { Kysely } from 'kysely';

/**
 * Indexes on the rendition columns that hold blob ids, so the orphan sweep's "is this blob referenced" check is an
 * index probe rather than a scan of every rendition per blob (streams.blob_id has had one since 0002).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stream_renditions_pcm_blob_idx').on('stream_renditions').column('pcm_blob_id').execute();
  await db.schema.createIndex('stream_renditions_peaks_blob_idx').on('stream_renditions').column('peaks_blob_id').execute();
}
