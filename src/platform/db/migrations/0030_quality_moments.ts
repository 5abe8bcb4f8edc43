import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Moments' clips (issue 11, Q4): a clip is rendered twice when the conversation's transcript holds PII — the original
 * for users with "play unredacted", and a copy from the redacted PCM for everyone else and for external share links —
 * so a share can never play what the player would hide. `clip_pii` records whether PII was known when the clip was
 * rendered: a transcript that finds PII later makes the clip stale and it is rendered again before anyone hears it.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema.alterTable('moments').addColumn('redacted_clip_blob_id', 'text').execute();
  await db.schema.alterTable('moments').addColumn('clip_bytes', a.types.bigint).execute();
  await db.schema.alterTable('moments').addColumn('clip_pii', 'integer').execute();
  await db.schema.alterTable('moments').addColumn('note', 'text').execute();
}
