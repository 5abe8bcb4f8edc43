// The SQL of quality notifications (src/quality/notifications.ts): who the recipients are, whether they opted out, and
// what the evaluation, calibration or conversation a notification is about looks like.
import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.ts';

/** The enabled users of the tenant among `ids`, with their language and their site's time zone (null: none). */
export function recipients(db: Executor, tenantId: string, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('users as u')
    .leftJoin('sites as s', 's.id', 'u.site_id')
    .select(['u.id', 'u.email', 'u.name', 'u.language', 's.time_zone'])
    .where('u.tenant_id', '=', tenantId)
    .where('u.disabled', '=', 0)
    .where('u.id', 'in', ids)
    .execute();
}

/** Those of `ids` who turned e-mail for `event` off (no row: on). */
export async function optedOut(db: Executor, tenantId: string, event: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('notification_preferences')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('event', '=', event)
    .where('email', '=', 0)
    .where('user_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** What an e-mail about an evaluation shows: its conversation, scorecard, people, due date and score. */
export function evaluationFacts(db: Executor, tenantId: string, evaluationId: string) {
  return db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('scorecards as sc', 'sc.id', 'e.scorecard_id')
    .innerJoin('scorecard_versions as v', 'v.id', 'e.scorecard_version_id')
    .leftJoin('users as a', 'a.id', 'e.agent_user_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .select([
      'e.id',
      'e.kind',
      'e.calibration_id',
      'e.conversation_id',
      'c.title',
      'c.started_at',
      'sc.name as scorecard_name',
      'v.version',
      'v.definition',
      'e.due_at',
      'e.score',
      'e.max_score',
      'e.percent',
      'e.passed',
      'e.auto_failed',
      'e.revision',
      'a.name as agent_name',
      'ev.name as evaluator_name',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.id', '=', evaluationId)
    .executeTakeFirst();
}

export function calibrationFacts(db: Executor, tenantId: string, calibrationId: string) {
  return db
    .selectFrom('calibrations as k')
    .innerJoin('conversations as c', 'c.id', 'k.conversation_id')
    .innerJoin('scorecards as sc', 'sc.id', 'k.scorecard_id')
    .leftJoin('users as a', 'a.id', 'k.agent_user_id')
    .select(['k.id', 'k.name', 'k.due_at', 'k.conversation_id', 'c.title', 'c.started_at', 'sc.name as scorecard_name', 'a.name as agent_name'])
    .where('k.tenant_id', '=', tenantId)
    .where('k.id', '=', calibrationId)
    .executeTakeFirst();
}

export function conversationFacts(db: Executor, tenantId: string, conversationId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'title', 'started_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

// A savepoint around the notification's statements (same syntax on SQLite and PostgreSQL): a statement that fails
// there is rolled back alone, so the action's transaction goes on (PostgreSQL would otherwise refuse every later
// statement of an aborted transaction).
export const savepoint = (db: Executor) => sql`savepoint quality_notify`.execute(db);
export const releaseSavepoint = (db: Executor) => sql`release savepoint quality_notify`.execute(db);
export const rollbackToSavepoint = (db: Executor) => sql`rollback to savepoint quality_notify`.execute(db);
