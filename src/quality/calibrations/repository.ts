// SQL of calibration sessions: the session rows and their evaluators' evaluation rows (kind 'calibration').
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { CalibrationsTable } from '../../platform/db/schema.ts';

export const insertCalibration = (db: Executor, row: CalibrationsTable) => db.insertInto('calibrations').values(row).execute();

export const getCalibration = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('calibrations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const updateCalibration = (db: Executor, id: string, patch: Partial<CalibrationsTable>) =>
  db.updateTable('calibrations').set(patch).where('id', '=', id).executeTakeFirst();

/** The evaluators' rows of a session, with the evaluator's name, in the order they were added. */
export const evaluationsOf = (db: Executor, calibrationId: string) =>
  db
    .selectFrom('evaluations as e')
    .leftJoin('users as u', 'u.id', 'e.evaluator_user_id')
    .selectAll('e')
    .select('u.name as evaluator_name')
    .where('e.calibration_id', '=', calibrationId)
    .where('e.kind', '=', 'calibration')
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();

/** Evaluator rows of many sessions at once (for the list's progress column). */
export const evaluationsOfMany = (db: Executor, calibrationIds: string[]) =>
  calibrationIds.length
    ? db
        .selectFrom('evaluations')
        .select(['id', 'calibration_id', 'evaluator_user_id', 'status'])
        .where('calibration_id', 'in', calibrationIds)
        .where('kind', '=', 'calibration')
        .execute()
    : Promise.resolve([]);

export interface ListFilter {
  status: 'open' | 'closed' | 'all';
  /** Sessions of conversations the actor sees (managers with quality.calibrate). */
  inScope: boolean;
  limit: number;
  before: string | null;
}

/**
 * Sessions the actor created or takes part in, and — with `inScope` — every session on a conversation the actor sees;
 * newest first, keyset-paged on (created_at, id).
 */
export function listCalibrations(db: Executor, actor: Actor, f: ListFilter) {
  let q = db
    .selectFrom('calibrations as k')
    .innerJoin('conversations as c', 'c.id', 'k.conversation_id')
    .leftJoin('users as a', 'a.id', 'k.agent_user_id')
    .leftJoin('users as cr', 'cr.id', 'k.created_by')
    .innerJoin('scorecards as sc', 'sc.id', 'k.scorecard_id')
    .selectAll('k')
    .select([
      'c.title as conversation_title',
      'c.started_at as conversation_started_at',
      'a.name as agent_name',
      'cr.name as created_by_name',
      'sc.name as scorecard_name',
    ])
    .where('k.tenant_id', '=', actor.tenantId)
    .where((eb) => {
      const mine = eb.or([
        eb('k.created_by', '=', actor.userId),
        eb.exists(eb.selectFrom('evaluations as e').select('e.id').whereRef('e.calibration_id', '=', 'k.id').where('e.evaluator_user_id', '=', actor.userId)),
      ]);
      return f.inScope ? eb.or([mine, visibleTo(actor)(eb as never)]) : mine;
    });
  if (f.status !== 'all') q = q.where('k.status', '=', f.status);
  if (f.before) {
    const [at, id] = f.before.split('|');
    q = q.where((eb) => eb.or([eb('k.created_at', '<', at!), eb.and([eb('k.created_at', '=', at!), eb('k.id', '<', id!)])]));
  }
  return q
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export const userNames = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length
    ? db.selectFrom('users').select(['id', 'name', 'disabled']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()
    : Promise.resolve([]);

/** The scorecard with its latest version (the version a new session is scored with). */
export const scorecardWithLatest = (db: Executor, tenantId: string, scorecardId: string) =>
  db
    .selectFrom('scorecards as s')
    .innerJoin('scorecard_versions as v', (j) => j.onRef('v.scorecard_id', '=', 's.id').onRef('v.version', '=', 's.latest_version'))
    .select(['s.id', 's.name', 's.archived_at', 'v.id as version_id', 'v.version', 'v.definition'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', scorecardId)
    .executeTakeFirst();

export const versionById = (db: Executor, versionId: string) =>
  db.selectFrom('scorecard_versions').select(['id', 'version', 'definition']).where('id', '=', versionId).executeTakeFirst();

export const scorecardName = (db: Executor, id: string) => db.selectFrom('scorecards').select(['id', 'name']).where('id', '=', id).executeTakeFirst();

/** Whether the user takes part in the conversation as an agent (only an agent of the conversation can be evaluated). */
export const isAgentOf = async (db: Executor, conversationId: string, userId: string) =>
  (await db
    .selectFrom('conversation_participants')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .where('role', '=', 'agent')
    .executeTakeFirst()) !== undefined;
