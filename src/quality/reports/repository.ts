// All SQL of the quality reports. Rows are read within the period (with a day of slack either side: the service puts
// each on the calendar day of its conversation's site) and restricted to the conversations the actor may see (the
// conversation list's visibility rule, so a supervisor counts only their groups) and to the report's filters; the
// service folds them into per-agent, per-group, per-scorecard, per-question and per-evaluator figures.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

export interface QualityFilter {
  /** ISO instants bounding the read (the period with a day of slack either side). */
  fromIso: string;
  toIso: string;
  groupIds: readonly string[] | null;
  agentId: string | null;
  scorecardId: string | null;
  evaluatorId: string | null;
}

type Eb = ExpressionBuilder<Database & { c: Database['conversations']; e: Database['evaluations'] }, 'c' | 'e'>;

function filtered(actor: Actor, f: QualityFilter) {
  return (eb: Eb): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb('e.tenant_id', '=', actor.tenantId), eb('e.kind', '=', 'review'), visibleTo(actor)(eb as never)];
    if (f.groupIds) parts.push(f.groupIds.length ? eb('c.group_id', 'in', f.groupIds) : sql<SqlBool>`1 = 0`);
    if (f.agentId) parts.push(eb('e.agent_user_id', '=', f.agentId));
    if (f.scorecardId) parts.push(eb('e.scorecard_id', '=', f.scorecardId));
    if (f.evaluatorId) parts.push(eb('e.evaluator_user_id', '=', f.evaluatorId));
    return eb.and(parts);
  };
}

const base = (db: Executor) =>
  db.selectFrom('evaluations as e').innerJoin('conversations as c', 'c.id', 'e.conversation_id').leftJoin('sites as s', 's.id', 'c.site_id');

/** Submitted reviews in the period, with what the folds need. */
export function submitted(db: Executor, actor: Actor, f: QualityFilter) {
  return base(db)
    .select([
      'e.id',
      'e.conversation_id',
      'e.agent_user_id',
      'e.evaluator_user_id',
      'e.scorecard_id',
      'e.scorecard_version_id',
      'e.submitted_at',
      'e.percent',
      'e.score',
      'e.max_score',
      'e.passed',
      'e.auto_failed',
      'e.response_status',
      'e.revision',
      'e.answers',
      'c.group_id',
      'c.title',
      'c.started_at',
      's.time_zone',
    ])
    .where('e.status', '=', 'submitted')
    .where('e.submitted_at', '>=', f.fromIso)
    .where('e.submitted_at', '<', f.toIso)
    .where(filtered(actor, f))
    .orderBy('e.submitted_at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
}

/** Reviews not submitted yet that were due in the period, or are undated: the evaluators' open work. */
export function open(db: Executor, actor: Actor, f: QualityFilter) {
  return base(db)
    .select(['e.id', 'e.evaluator_user_id', 'e.due_at', 'e.status'])
    .where('e.status', 'in', ['planned', 'draft'])
    .where((eb) => eb.or([eb('e.due_at', 'is', null), eb.and([eb('e.due_at', '>=', f.fromIso), eb('e.due_at', '<', f.toIso)])]))
    .where(filtered(actor, f))
    .execute();
}

/** Disputes raised in the period on reviews the filters keep, with the disputed and the following revision's percent. */
export function disputes(db: Executor, actor: Actor, f: QualityFilter) {
  return base(db)
    .innerJoin('evaluation_disputes as d', 'd.evaluation_id', 'e.id')
    .leftJoin('evaluation_revisions as r0', (j) => j.onRef('r0.evaluation_id', '=', 'd.evaluation_id').onRef('r0.revision', '=', 'd.revision'))
    .leftJoin('evaluation_revisions as r1', (j) => j.onRef('r1.evaluation_id', '=', 'd.evaluation_id').on('r1.revision', '=', sql<number>`d.revision + 1`))
    .select([
      'd.id',
      'd.evaluation_id',
      'd.raised_at',
      'd.outcome',
      'd.resolved_at',
      'e.agent_user_id',
      'e.evaluator_user_id',
      'e.scorecard_id',
      'c.group_id',
      's.time_zone',
      'r0.percent as before_percent',
      'r1.percent as after_percent',
    ])
    .where('d.raised_at', '>=', f.fromIso)
    .where('d.raised_at', '<', f.toIso)
    .where(filtered(actor, f))
    .execute();
}

/**
 * Calibration sessions whose evaluations were submitted in the period, one row per submitted evaluation (the service
 * computes each session's spread). The evaluator filter keeps sessions that evaluator took part in.
 */
export function calibrationEvaluations(db: Executor, actor: Actor, f: QualityFilter) {
  return db
    .selectFrom('calibrations as k')
    .innerJoin('evaluations as e', 'e.calibration_id', 'k.id')
    .innerJoin('conversations as c', 'c.id', 'k.conversation_id')
    .leftJoin('sites as s', 's.id', 'c.site_id')
    .select(['k.id', 'k.name', 'k.scorecard_id', 'k.created_at', 'k.status', 'e.evaluator_user_id', 'e.percent', 'e.submitted_at', 's.time_zone'])
    .where('k.tenant_id', '=', actor.tenantId)
    .where('e.status', '=', 'submitted')
    .where('e.submitted_at', '>=', f.fromIso)
    .where('e.submitted_at', '<', f.toIso)
    .where((eb) => {
      const parts: Expression<SqlBool>[] = [visibleTo(actor)(eb as never)];
      if (f.groupIds) parts.push(f.groupIds.length ? eb('c.group_id', 'in', f.groupIds) : sql<SqlBool>`1 = 0`);
      if (f.agentId) parts.push(eb('k.agent_user_id', '=', f.agentId));
      if (f.scorecardId) parts.push(eb('k.scorecard_id', '=', f.scorecardId));
      if (f.evaluatorId)
        parts.push(
          eb.exists(
            eb.selectFrom('evaluations as x').select('x.id').whereRef('x.calibration_id', '=', 'k.id').where('x.evaluator_user_id', '=', f.evaluatorId),
          ),
        );
      return eb.and(parts);
    })
    .execute();
}

export const versions = (db: Executor, tenantId: string, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('scorecard_versions')
        .select(['id', 'scorecard_id', 'version', 'definition'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute();

export const scorecardNames = (db: Executor, tenantId: string) =>
  db.selectFrom('scorecards').select(['id', 'name']).where('tenant_id', '=', tenantId).execute();

export const userNames = (db: Executor, tenantId: string, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('users')
        .select(['id', 'name'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute();

export const groupsOf = (db: Executor, tenantId: string) =>
  db.selectFrom('groups').select(['id', 'name', 'parent_id']).where('tenant_id', '=', tenantId).execute();
