import type { Kysely } from 'kysely';

/**
 * The dashboard and the per-day/group/organisation reports read the groups' roll-up rows (agent_key '*') of a period;
 * in the primary key's order (day first) they lie among the agents' rows, about nine agent rows for each roll-up at
 * 200 agents, and a 90-day dashboard of a million conversations walked all of them. This index holds the roll-ups
 * (and one agent's rows, for an agent filter) together by day, with every figure, so those reads touch only their rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('conversation_daily_agent_day')
    .on('conversation_daily')
    .columns([
      'tenant_id',
      'agent_key',
      'day',
      'channel',
      'direction',
      'group_key',
      'conversations',
      'duration_ms',
      'longest_ms',
      'talk_ms',
      'sentiment_sum',
      'sentiment_n',
    ])
    .execute();
}
