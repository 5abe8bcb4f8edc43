// SQL of recording policies (a tenant's ordered rules) and of the decision kept on each segment.
import type { Executor } from '../../platform/db/index.ts';
import type { RecordingPoliciesTable, SegmentsTable } from '../../platform/db/schema.ts';

export const listPolicies = (db: Executor, tenantId: string) =>
  db.selectFrom('recording_policies').selectAll().where('tenant_id', '=', tenantId).orderBy('position').orderBy('id').execute();

export const getPolicy = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('recording_policies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const insertPolicy = (db: Executor, row: RecordingPoliciesTable) => db.insertInto('recording_policies').values(row).execute();

export const updatePolicy = (db: Executor, id: string, patch: Partial<RecordingPoliciesTable>) =>
  db.updateTable('recording_policies').set(patch).where('id', '=', id).execute();

export const deletePolicy = (db: Executor, id: string) => db.deleteFrom('recording_policies').where('id', '=', id).execute();

export const setPosition = (db: Executor, id: string, position: number, at: string) =>
  db.updateTable('recording_policies').set({ position, updated_at: at }).where('id', '=', id).execute();

export async function nextPosition(db: Executor, tenantId: string) {
  const row = await db
    .selectFrom('recording_policies')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export type SegmentDecision = Pick<SegmentsTable, 'recording_decision' | 'recording_rule_id' | 'recording_rule_name' | 'recording_reason'>;

export const setSegmentDecision = (db: Executor, segmentId: string, d: SegmentDecision) =>
  db.updateTable('segments').set(d).where('id', '=', segmentId).execute();

/** How many segments each rule has decided (the administration list shows it). */
export async function decisionCounts(db: Executor, tenantId: string) {
  const rows = await db
    .selectFrom('segments')
    .select(['recording_rule_id', 'recording_decision'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('recording_rule_id', 'is not', null)
    .groupBy(['recording_rule_id', 'recording_decision'])
    .execute();
  const out = new Map<string, { recorded: number; notRecorded: number }>();
  for (const r of rows) {
    const c = out.get(r.recording_rule_id!) ?? { recorded: 0, notRecorded: 0 };
    if (r.recording_decision === 'recorded') c.recorded += Number(r.n);
    else c.notRecorded += Number(r.n);
    out.set(r.recording_rule_id!, c);
  }
  return out;
}

/** Which of these user ids are users of the tenant. */
export async function existingUsers(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}
