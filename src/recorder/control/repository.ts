// SQL of recording control: recording modes per agent/number, the per-call control row (mode and policy decision taken
// at call start) and the control requests the recorder process applies.
import type { Executor } from '../../platform/db/index.ts';
import type { RecorderCallControlTable, RecorderControlRequestsTable, RecordingModesTable } from '../../platform/db/schema.ts';

// ——— recording modes ———

export const listModes = (db: Executor, tenantId: string) =>
  db.selectFrom('recording_modes').selectAll().where('tenant_id', '=', tenantId).orderBy('kind').orderBy('value').execute();

export const getMode = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('recording_modes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const findMode = (db: Executor, tenantId: string, kind: string, value: string) =>
  db.selectFrom('recording_modes').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).where('value', '=', value).executeTakeFirst();

export async function insertMode(db: Executor, row: RecordingModesTable): Promise<void> {
  await db.insertInto('recording_modes').values(row).execute();
}

export async function updateMode(db: Executor, id: string, patch: Partial<RecordingModesTable>): Promise<void> {
  await db.updateTable('recording_modes').set(patch).where('id', '=', id).execute();
}

export async function deleteMode(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('recording_modes').where('id', '=', id).execute();
}

// ——— per-call control ———

export const getCallControl = (db: Executor, callId: string) =>
  db.selectFrom('recorder_call_control').selectAll().where('call_id', '=', callId).executeTakeFirst();

export const getCallControls = (db: Executor, callIds: string[]) =>
  callIds.length ? db.selectFrom('recorder_call_control').selectAll().where('call_id', 'in', callIds).execute() : Promise.resolve([]);

export async function insertCallControl(db: Executor, row: RecorderCallControlTable): Promise<void> {
  await db
    .insertInto('recorder_call_control')
    .values(row)
    .onConflict((oc) => oc.column('call_id').doNothing())
    .execute();
}

export async function markAssessed(db: Executor, callId: string, at: string): Promise<void> {
  await db.updateTable('recorder_call_control').set({ assessed_at: at }).where('call_id', '=', callId).execute();
}

// ——— control requests ———

export async function insertRequest(db: Executor, row: RecorderControlRequestsTable): Promise<void> {
  await db.insertInto('recorder_control_requests').values(row).execute();
}

/** Requests not yet applied for calls held by this recorder node, oldest first (the order they were asked in). */
export function pendingRequestsForNode(db: Executor, node: string, limit = 200) {
  return db
    .selectFrom('recorder_control_requests as q')
    .innerJoin('recorder_calls as r', 'r.id', 'q.call_id')
    .select(['q.id', 'q.call_id', 'q.action', 'q.requested_at', 'r.ended_at'])
    .where('q.applied_at', 'is', null)
    .where('r.node', '=', node)
    .orderBy('q.requested_at')
    .orderBy('q.id')
    .limit(limit)
    .execute();
}

export async function markApplied(db: Executor, id: string, at: string, result: string): Promise<void> {
  await db.updateTable('recorder_control_requests').set({ applied_at: at, result }).where('id', '=', id).where('applied_at', 'is', null).execute();
}

export const listRequests = (db: Executor, callId: string) =>
  db.selectFrom('recorder_control_requests').selectAll().where('call_id', '=', callId).orderBy('requested_at').orderBy('id').execute();

/** Names of users by id (agents in the mode list). */
export async function userNames(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * What the API or the call-start decision holds a call in, whatever the SRC does: the last control request (pause →
 * paused, stop → not_recording, start/resume → nothing held), else not_recording for a call a policy excludes or an
 * on-demand call never started. Null: nothing holds it.
 */
export async function heldState(db: Executor, callId: string): Promise<'paused' | 'not_recording' | null> {
  const last = await db
    .selectFrom('recorder_control_requests')
    .select('action')
    .where('call_id', '=', callId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (last) return last.action === 'pause' ? 'paused' : last.action === 'stop' ? 'not_recording' : null;
  const control = await getCallControl(db, callId);
  return control && (control.policy_record === 0 || control.mode === 'on_demand') ? 'not_recording' : null;
}
