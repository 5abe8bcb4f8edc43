// SQL for scorecards and their versions. A version's definition is frozen once an evaluation or a calibration uses it;
// the service decides between editing the latest version in place and adding a new one.
import { sql } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { ScorecardVersionsTable, ScorecardsTable } from '../../platform/db/schema.ts';
import type { ScorecardDefinition } from '../model.ts';

// JSON columns come back parsed from PostgreSQL and as text from SQLite; both are written as JSON text.
const parseDefinition = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as ScorecardDefinition;
export const definitionJson = (def: ScorecardDefinition) => JSON.stringify(def);

export interface ScorecardWithVersion {
  scorecard: ScorecardsTable;
  version: ScorecardVersionsTable;
  definition: ScorecardDefinition;
}

/** One version by its id (an evaluation keeps the version it was scored with), with its scorecard. */
export async function getVersion(db: Executor, tenantId: string, versionId: string): Promise<ScorecardWithVersion | undefined> {
  const version = await db.selectFrom('scorecard_versions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', versionId).executeTakeFirst();
  if (!version) return undefined;
  const scorecard = await getScorecard(db, tenantId, version.scorecard_id);
  if (!scorecard) return undefined;
  return { scorecard, version: { ...version, version: Number(version.version) }, definition: parseDefinition(version.definition) };
}

/** A scorecard with its latest version (what a new evaluation is scored with). Archived ones too: callers decide. */
export async function getLatestVersion(db: Executor, tenantId: string, scorecardId: string): Promise<ScorecardWithVersion | undefined> {
  const scorecard = await getScorecard(db, tenantId, scorecardId);
  if (!scorecard) return undefined;
  const version = await db
    .selectFrom('scorecard_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('scorecard_id', '=', scorecardId)
    .where('version', '=', scorecard.latest_version)
    .executeTakeFirst();
  if (!version) return undefined;
  return { scorecard, version: { ...version, version: Number(version.version) }, definition: parseDefinition(version.definition) };
}

export async function getScorecard(db: Executor, tenantId: string, id: string): Promise<ScorecardsTable | undefined> {
  const row = await db.selectFrom('scorecards').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && { ...row, latest_version: Number(row.latest_version) };
}

export type ArchivedFilter = 'active' | 'archived' | 'all';

/** The tenant's scorecards by name, each with its latest definition. */
export async function listScorecards(db: Executor, tenantId: string, archived: ArchivedFilter) {
  let q = db
    .selectFrom('scorecards as s')
    .innerJoin('scorecard_versions as v', (j) => j.onRef('v.scorecard_id', '=', 's.id').onRef('v.version', '=', 's.latest_version'))
    .selectAll('s')
    .select(['v.id as version_id', 'v.definition as definition'])
    .where('s.tenant_id', '=', tenantId);
  if (archived === 'active') q = q.where('s.archived_at', 'is', null);
  if (archived === 'archived') q = q.where('s.archived_at', 'is not', null);
  const rows = await q
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ ...r, latest_version: Number(r.latest_version), definition: parseDefinition(r.definition) }));
}

/** Every version of a scorecard, newest first, with how many evaluations (reviews and calibrations) use each. */
export async function versionsOf(db: Executor, tenantId: string, scorecardId: string) {
  const rows = await db
    .selectFrom('scorecard_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select(['v.id', 'v.version', 'v.created_by', 'v.created_at', 'u.name as created_by_name'])
    .select((eb) =>
      eb
        .selectFrom('evaluations as e')
        .whereRef('e.scorecard_version_id', '=', 'v.id')
        .select(sql<number>`count(*)`.as('n'))
        .as('evaluations'),
    )
    .where('v.tenant_id', '=', tenantId)
    .where('v.scorecard_id', '=', scorecardId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, version: Number(r.version), evaluations: Number(r.evaluations ?? 0) }));
}

/** Whether anything scored with this version exists: an evaluation (any state) or a calibration session. */
export async function versionInUse(db: Executor, versionId: string): Promise<boolean> {
  const e = await db.selectFrom('evaluations').select('id').where('scorecard_version_id', '=', versionId).limit(1).executeTakeFirst();
  if (e) return true;
  const c = await db.selectFrom('calibrations').select('id').where('scorecard_version_id', '=', versionId).limit(1).executeTakeFirst();
  return c !== undefined;
}

/** An active scorecard with this name regardless of case (names are unique among active scorecards). */
export const findActiveByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('scorecards')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

/** Names starting with this prefix regardless of case (to find a free "Copy of …" name). */
export const namesLike = async (db: Executor, tenantId: string, prefix: string) =>
  (
    await db
      .selectFrom('scorecards')
      .select('name')
      .where('tenant_id', '=', tenantId)
      .where('archived_at', 'is', null)
      .where(sql`lower(substr(name, 1, ${prefix.length}))`, '=', prefix.toLowerCase())
      .execute()
  ).map((r) => r.name);

export const insertScorecard = (db: Executor, row: ScorecardsTable) => db.insertInto('scorecards').values(row).execute();

export const insertVersion = (db: Executor, row: Omit<ScorecardVersionsTable, 'definition'> & { definition: ScorecardDefinition }) =>
  db
    .insertInto('scorecard_versions')
    .values({ ...row, definition: definitionJson(row.definition) })
    .execute();

export const updateScorecard = (
  db: Executor,
  tenantId: string,
  id: string,
  patch: Partial<Pick<ScorecardsTable, 'name' | 'description' | 'latest_version' | 'archived_at' | 'updated_at'>>,
) => db.updateTable('scorecards').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();

export const updateVersionDefinition = (db: Executor, versionId: string, def: ScorecardDefinition) =>
  db
    .updateTable('scorecard_versions')
    .set({ definition: definitionJson(def) })
    .where('id', '=', versionId)
    .execute();

/** Locks the scorecard row for the rest of the transaction (PostgreSQL; SQLite serialises writers itself). */
export const lockScorecard = (db: Executor, a: DialectAdapter, tenantId: string, id: string) =>
  a.lockForUpdate(db.selectFrom('scorecards').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();
