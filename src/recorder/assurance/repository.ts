// SQL of recording assurance: ended calls not yet assessed, the flags and per-leg quality written from them, the
// Recording health counts, a conversation's recording details for the player, and the SRC OPTIONS probes.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { RecorderSourceProbesTable, RecordingAssuranceEventsTable, RecordingQualityTable } from '../../platform/db/schema.ts';

/**
 * Ended calls whose assessment is due: never assessed, and either finalised into a conversation or ended long enough
 * ago (`settledBefore`) that the media pool has had its chance (a call with no conversation by then was not recorded).
 */
export function callsToAssess(db: Executor, settledBefore: string, limit = 200) {
  return db
    .selectFrom('recorder_calls as r')
    .leftJoin('recorder_call_control as c', 'c.call_id', 'r.id')
    .select(['r.id'])
    .where('r.ended_at', 'is not', null)
    .where('c.assessed_at', 'is', null)
    .where((eb) => eb.or([eb('r.conversation_id', 'is not', null), eb('r.ended_at', '<', settledBefore)]))
    .orderBy('r.ended_at')
    .limit(limit)
    .execute();
}

export const appliedStarts = (db: Executor, callId: string) =>
  db.selectFrom('recorder_control_requests').select('id').where('call_id', '=', callId).where('action', '=', 'start').executeTakeFirst();

export async function insertEvents(db: Executor, rows: RecordingAssuranceEventsTable[]): Promise<void> {
  if (rows.length) await db.insertInto('recording_assurance_events').values(rows).execute();
}

export async function upsertQuality(db: Executor, rows: RecordingQualityTable[]): Promise<void> {
  for (const r of rows)
    await db
      .insertInto('recording_quality')
      .values(r)
      .onConflict((oc) => oc.columns(['conversation_id', 'call_id', 'label']).doNothing())
      .execute();
}

/** Flags per kind since a time, for one tenant (and optionally within a group scope, through the call's group). */
export async function flagCounts(db: Executor, tenantId: string, since: string) {
  const rows = await db
    .selectFrom('recording_assurance_events')
    .select(['flag', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('call_started_at', '>=', since)
    .groupBy('flag')
    .execute();
  return new Map(rows.map((r) => [r.flag, Number(r.n)]));
}

export async function callCounts(db: Executor, tenantId: string, since: string) {
  const r = await db
    .selectFrom('recorder_calls')
    .select([
      (eb) => eb.fn.countAll<number>().as('calls'),
      (eb) => eb.fn.count<number>('conversation_id').as('recorded'),
      sql<number>`sum(case when ended_at is null then 1 else 0 end)`.as('active'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('started_at', '>=', since)
    .executeTakeFirst();
  return { calls: Number(r?.calls ?? 0), recorded: Number(r?.recorded ?? 0), active: Number(r?.active ?? 0) };
}

export async function poorQualityCount(db: Executor, tenantId: string, since: string) {
  const r = await db
    .selectFrom('recording_quality')
    .select((eb) => eb.fn.count<number>('conversation_id').distinct().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('poor', '=', 1)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export function recentEvents(db: Executor, tenantId: string, since: string, limit = 100) {
  return db
    .selectFrom('recording_assurance_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('call_started_at', '>=', since)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export const eventsOfConversation = (db: Executor, conversationId: string) =>
  db.selectFrom('recording_assurance_events').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();

export const qualityOfConversation = (db: Executor, conversationId: string) =>
  db.selectFrom('recording_quality').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('label').execute();

/** The conversation's call segments with their pauses (segment events "recording_paused", written by the media pool). */
export async function pausesOfConversation(db: Executor, conversationId: string) {
  return db
    .selectFrom('segment_events as e')
    .innerJoin('segments as s', 's.id', 'e.segment_id')
    .select(['e.segment_id', 's.started_at as segment_started_at', 'e.at', 'e.data'])
    .where('s.conversation_id', '=', conversationId)
    .where('e.type', '=', 'recording_paused')
    .orderBy('e.at')
    .execute();
}

export const recorderCallsOfConversation = (db: Executor, conversationId: string) =>
  db.selectFrom('recorder_calls').select(['id', 'started_at', 'participants']).where('conversation_id', '=', conversationId).execute();

// ——— SRC probes ———

export const enabledSources = (db: Executor) =>
  db.selectFrom('recorder_sources').select(['tenant_id', 'name', 'ping_uri']).where('enabled', '=', 1).where('ping_uri', 'is not', null).execute();

export const getProbe = (db: Executor, tenantId: string, target: string) =>
  db.selectFrom('recorder_source_probes').selectAll().where('tenant_id', '=', tenantId).where('target', '=', target).executeTakeFirst();

export async function saveProbe(db: Executor, row: RecorderSourceProbesTable): Promise<void> {
  await db
    .insertInto('recorder_source_probes')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'target']).doUpdateSet({
        name: row.name,
        last_probe_at: row.last_probe_at,
        last_ok_at: row.last_ok_at,
        last_status: row.last_status,
        last_error: row.last_error,
        failing_since: row.failing_since,
        notified_at: row.notified_at,
      }),
    )
    .execute();
}

export const listProbes = (db: Executor, tenantId: string) =>
  db.selectFrom('recorder_source_probes').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('target').execute();

export async function refusalCount(db: Executor, since: string) {
  const r = await db
    .selectFrom('recorder_refusals')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), sql<number>`0`).as('n'))
    .where('last_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ——— notifying the administrators (notify.ts) ———

/** Tenants with flags or failing sources not yet reported to their administrators. */
export async function tenantsToNotify(db: Executor, flags: readonly string[]): Promise<string[]> {
  const [events, probes] = await Promise.all([
    db.selectFrom('recording_assurance_events').select('tenant_id').distinct().where('notified_at', 'is', null).where('flag', 'in', flags).execute(),
    db
      .selectFrom('recorder_source_probes')
      .select('tenant_id')
      .distinct()
      .where('failing_since', 'is not', null)
      .where((eb) => eb.or([eb('notified_at', 'is', null), eb('notified_at', '<', eb.ref('failing_since'))]))
      .execute(),
  ]);
  return [...new Set([...events, ...probes].map((r) => r.tenant_id))];
}

export const pendingEvents = (db: Executor, tenantId: string, flags: readonly string[], limit = 500) =>
  db
    .selectFrom('recording_assurance_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('notified_at', 'is', null)
    .where('flag', 'in', flags)
    .orderBy('call_started_at')
    .orderBy('id')
    .limit(limit)
    .execute();

export const pendingProbes = (db: Executor, tenantId: string) =>
  db
    .selectFrom('recorder_source_probes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('failing_since', 'is not', null)
    .where((eb) => eb.or([eb('notified_at', 'is', null), eb('notified_at', '<', eb.ref('failing_since'))]))
    .orderBy('target')
    .execute();

/** When the tenant's administrators were last sent a recording digest (the rate limit). */
export async function lastNotifiedAt(db: Executor, tenantId: string): Promise<string | null> {
  const [e, p] = await Promise.all([
    db
      .selectFrom('recording_assurance_events')
      .select((eb) => eb.fn.max('notified_at').as('at'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst(),
    db
      .selectFrom('recorder_source_probes')
      .select((eb) => eb.fn.max('notified_at').as('at'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst(),
  ]);
  const all = [e?.at, p?.at].filter((x): x is string => !!x).sort();
  return all.length ? all[all.length - 1]! : null;
}

export async function markEventsNotified(db: Executor, ids: string[], at: string) {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('recording_assurance_events')
      .set({ notified_at: at })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
}

export async function markProbesNotified(db: Executor, tenantId: string, targets: string[], at: string) {
  if (targets.length)
    await db.updateTable('recorder_source_probes').set({ notified_at: at }).where('tenant_id', '=', tenantId).where('target', 'in', targets).execute();
}

/** Active users of the tenant whose roles carry `permission`, with their e-mail preference for `event` (default on). */
export async function recipients(db: Executor, tenantId: string, permission: string, event: string, fromJson: <T>(v: unknown) => T) {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .leftJoin('notification_preferences as np', (j) => j.onRef('np.user_id', '=', 'users.id').on('np.event', '=', event))
    .select(['users.id', 'users.email', 'users.name', 'roles.permissions', 'np.email as wants'])
    .where('users.tenant_id', '=', tenantId)
    .where('users.disabled', '=', 0)
    .execute();
  const out = new Map<string, { id: string; email: string; name: string }>();
  for (const r of rows)
    if (r.email && (r.wants === null || Number(r.wants) !== 0) && (fromJson<string[]>(r.permissions) ?? []).includes(permission))
      out.set(r.id, { id: r.id, email: r.email, name: r.name });
  return [...out.values()];
}
