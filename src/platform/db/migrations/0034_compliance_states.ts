import type { Kysely } from 'kysely';

/**
 * The data life cycle's shared states (issue 12), read by anonymization, retention, manual deletion, archiving and the
 * Conversations screen alike, so each feature's own migration (0035–0038) only adds its own tables.
 * - `media_state`: null while the media is present; `planned_for_deletion` (still playable) once anonymization, a
 *   retention rule or a person asked for the media to go; `deleted` once the deletion job destroyed the objects' data
 *   keys and removed them. `media_state_reason` says who or what asked (a person, a policy id, anonymization).
 * - `anonymized_at`/`anonymized_parts`: when the conversation was anonymized and which data classes were overwritten.
 * - `tag_definitions.protects`: a protection tag (e.g. "MiFID II") keeps its conversations from anonymization and deletion.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('media_state', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('media_state_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('media_state_reason', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('anonymized_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('anonymized_parts', 'text').execute();
  await db.schema
    .alterTable('tag_definitions')
    .addColumn('protects', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
