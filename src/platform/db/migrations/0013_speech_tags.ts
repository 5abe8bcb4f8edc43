import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Speech tags (src/speech/tags):
 * - `speech_tag_definitions.spot_job_id`: the job spotting the tag over stored transcripts (after it was created or
 *   its phrase, language or party changed), so the administration screen can show its progress.
 * - hits by tag: re-spotting one tag replaces its hits conversation by conversation, deleting a tag cascades to its
 *   hits, and the screen counts conversations per tag and level; all three look hits up by tag.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  void a;
  await db.schema.alterTable('speech_tag_definitions').addColumn('spot_job_id', 'text').execute();
  await db.schema.createIndex('speech_tag_hits_tag_idx').on('speech_tag_hits').columns(['tag_id', 'conversation_id', 'confidence']).execute();
}
