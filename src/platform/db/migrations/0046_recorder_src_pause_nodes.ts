import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Recorder gaps (issue 13, R4).
 * - `recorder_calls.src_paused`: 1 while the recording client (SRC) holds the call paused by re-INVITE
 *   (`a=inactive`). The API's own hold is its last control request; the call's state is paused while either holds it,
 *   so an API resume no longer shows "recording" over media the SRC still keeps inactive, and the pause clock
 *   (`paused_ms`, `pause_started_at`) is the one clock both writers update instead of each overwriting the other's.
 * - `recorder_nodes`: each recorder process's internal listen-in address (`listen_url`), so an API process reaches
 *   the recorder that owns a call (cross-process listen-in, authenticated with the shared EARSHOT_RECORDER_SECRET).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .alterTable('recorder_calls')
    .addColumn('src_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('recorder_nodes')
    .addColumn('node', 'text', (c) => c.primaryKey())
    .addColumn('listen_url', 'text')
    .addColumn('pid', 'integer')
    .addColumn('started_at', a.types.timestamp, (c) => c.notNull())
    .addColumn('seen_at', a.types.timestamp, (c) => c.notNull())
    .execute();
}
