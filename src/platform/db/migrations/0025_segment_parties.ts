import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Which participant each party key of a segment is (issue 16, item 1). Party keys are labels of one segment ("agent",
 * "customer"): the two legs of a transfer both say "agent" for two different people, so the conversation's
 * participants alone cannot tell whose voice a leg's stream is. Written at ingest; segments ingested before it are
 * resolved by src/conversations/segment-parties.ts from the agent's user and the time the participant was added.
 */
export async function up(db: Kysely<any>, _a: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('segment_parties')
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('party_key', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('conversation_participants.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('segment_parties_pk', ['segment_id', 'party_key'])
    .execute();
  // Removing a participant (a merge, an erasure) finds its links without a scan.
  await db.schema.createIndex('segment_parties_participant_idx').on('segment_parties').column('participant_id').execute();
}
