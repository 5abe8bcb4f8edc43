// SQL for recorder_calls: the live state of SIPREC recording sessions. The recorder process that holds a dialog writes
// its row (signalling: insert, answer, re-INVITE, pause, end; media: quality and flags at close); every other process
// (Live screen, recording control API, assurance) reads it, so a scaled-out API sees calls recorded elsewhere.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { RecorderCallsTable } from '../../platform/db/schema.ts';
import type { AssuranceFlag, RecordingState, SiprecMetadata, SiprecParticipant, StreamAnswer, StreamQuality } from '../model.ts';

export type ControlMode = 'always' | 'always_pause' | 'on_demand';
export type CallEndReason = 'bye' | 'cancel' | 'timeout' | 'error' | 'shutdown' | 'recovered';

/** One recording session as the rest of the code sees it (JSON columns parsed). */
export interface RecorderCall {
  id: string;
  tenantId: string;
  callRef: string;
  sessionId: string;
  sipCallId: string;
  source: string | null;
  remoteAddress: string | null;
  transport: 'udp' | 'tcp' | 'tls' | null;
  vendor: SiprecMetadata['vendor'];
  node: string;
  state: RecordingState;
  direction: SiprecMetadata['direction'];
  participants: SiprecParticipant[];
  streams: StreamAnswer[];
  metadata: SiprecMetadata | null;
  agentUserId: string | null;
  groupId: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: CallEndReason | null;
  pausedMs: number;
  pauseStartedAt: string | null;
  /** The SRC holds the call paused (re-INVITE a=inactive); the API's hold is its last control request. */
  srcPaused: boolean;
  controlMode: ControlMode;
  quality: StreamQuality[];
  flags: AssuranceFlag[];
  conversationId: string | null;
  updatedAt: string;
}

export type NewRecorderCall = Pick<RecorderCall, 'id' | 'tenantId' | 'callRef' | 'sessionId' | 'sipCallId' | 'node' | 'state' | 'startedAt'> &
  Partial<Omit<RecorderCall, 'id' | 'tenantId' | 'callRef' | 'sessionId' | 'sipCallId' | 'node' | 'state' | 'startedAt' | 'updatedAt'>>;

/** Fields that may change after insert. */
export type RecorderCallPatch = Partial<Omit<RecorderCall, 'id' | 'tenantId' | 'startedAt' | 'updatedAt'>>;

const fromRow = (a: DialectAdapter, r: RecorderCallsTable): RecorderCall => ({
  id: r.id,
  tenantId: r.tenant_id,
  callRef: r.call_ref,
  sessionId: r.session_id,
  sipCallId: r.sip_call_id,
  source: r.source,
  remoteAddress: r.remote_address,
  transport: r.transport as RecorderCall['transport'],
  vendor: r.vendor as RecorderCall['vendor'],
  node: r.node,
  state: r.state as RecordingState,
  direction: r.direction as RecorderCall['direction'],
  participants: a.fromJson<SiprecParticipant[]>(r.participants) ?? [],
  streams: a.fromJson<StreamAnswer[]>(r.streams) ?? [],
  metadata: r.metadata == null ? null : a.fromJson<SiprecMetadata>(r.metadata),
  agentUserId: r.agent_user_id,
  groupId: r.group_id,
  startedAt: r.started_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  endReason: r.end_reason as CallEndReason | null,
  pausedMs: Number(r.paused_ms),
  pauseStartedAt: r.pause_started_at,
  srcPaused: Number(r.src_paused ?? 0) === 1,
  controlMode: r.control_mode as ControlMode,
  quality: r.quality == null ? [] : a.fromJson<StreamQuality[]>(r.quality),
  flags: r.flags == null ? [] : a.fromJson<AssuranceFlag[]>(r.flags),
  conversationId: r.conversation_id,
  updatedAt: r.updated_at,
});

/** Column values for the fields a patch sets (JSON through the adapter; undefined = left alone). */
function toColumns(a: DialectAdapter, p: RecorderCallPatch): Partial<RecorderCallsTable> {
  const out: Partial<RecorderCallsTable> = {};
  const set = <K extends keyof RecorderCallsTable>(k: K, v: RecorderCallsTable[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('call_ref', p.callRef);
  set('session_id', p.sessionId);
  set('sip_call_id', p.sipCallId);
  set('source', p.source);
  set('remote_address', p.remoteAddress);
  set('transport', p.transport);
  set('vendor', p.vendor);
  set('node', p.node);
  set('state', p.state);
  set('direction', p.direction);
  if (p.participants !== undefined) out.participants = a.json(p.participants);
  if (p.streams !== undefined) out.streams = a.json(p.streams);
  if (p.metadata !== undefined) out.metadata = a.json(p.metadata);
  set('agent_user_id', p.agentUserId);
  set('group_id', p.groupId);
  set('answered_at', p.answeredAt);
  set('ended_at', p.endedAt);
  set('end_reason', p.endReason);
  set('paused_ms', p.pausedMs);
  set('pause_started_at', p.pauseStartedAt);
  if (p.srcPaused !== undefined) out.src_paused = p.srcPaused ? 1 : 0;
  set('control_mode', p.controlMode);
  if (p.quality !== undefined) out.quality = a.json(p.quality);
  if (p.flags !== undefined) out.flags = a.json(p.flags);
  set('conversation_id', p.conversationId);
  return out;
}

export async function insertCall(db: Executor, a: DialectAdapter, call: NewRecorderCall, now = new Date().toISOString()): Promise<RecorderCall> {
  const row: RecorderCallsTable = {
    id: call.id,
    tenant_id: call.tenantId,
    call_ref: call.callRef,
    session_id: call.sessionId,
    sip_call_id: call.sipCallId,
    source: call.source ?? null,
    remote_address: call.remoteAddress ?? null,
    transport: call.transport ?? null,
    vendor: call.vendor ?? 'generic',
    node: call.node,
    state: call.state,
    direction: call.direction ?? 'unknown',
    participants: a.json(call.participants ?? []),
    streams: a.json(call.streams ?? []),
    metadata: a.json(call.metadata ?? null),
    agent_user_id: call.agentUserId ?? null,
    group_id: call.groupId ?? null,
    started_at: call.startedAt,
    answered_at: call.answeredAt ?? null,
    ended_at: call.endedAt ?? null,
    end_reason: call.endReason ?? null,
    paused_ms: call.pausedMs ?? 0,
    pause_started_at: call.pauseStartedAt ?? null,
    src_paused: call.srcPaused ? 1 : 0,
    control_mode: call.controlMode ?? 'always',
    quality: a.json(call.quality ?? []),
    flags: a.json(call.flags ?? []),
    conversation_id: call.conversationId ?? null,
    updated_at: now,
  };
  await db.insertInto('recorder_calls').values(row).execute();
  return (await getCallById(db, a, call.id))!;
}

/** Applies a patch; returns the row after it (undefined when the id is unknown). */
export async function updateCall(
  db: Executor,
  a: DialectAdapter,
  id: string,
  patch: RecorderCallPatch,
  now = new Date().toISOString(),
): Promise<RecorderCall | undefined> {
  await db
    .updateTable('recorder_calls')
    .set({ ...toColumns(a, patch), updated_at: now })
    .where('id', '=', id)
    .execute();
  return getCallById(db, a, id);
}

/** By id, any tenant: for the recorder process itself, which knows its own calls. */
export async function getCallById(db: Executor, a: DialectAdapter, id: string): Promise<RecorderCall | undefined> {
  const r = await db.selectFrom('recorder_calls').selectAll().where('id', '=', id).executeTakeFirst();
  return r && fromRow(a, r);
}

/** By id, locked for the rest of the transaction (PostgreSQL): the API and the signalling both move the pause clock. */
export async function getCallForUpdate(db: Executor, a: DialectAdapter, id: string): Promise<RecorderCall | undefined> {
  const r = await a.lockForUpdate(db.selectFrom('recorder_calls').selectAll().where('id', '=', id)).executeTakeFirst();
  return r && fromRow(a, r);
}

export async function getCall(db: Executor, a: DialectAdapter, tenantId: string, id: string): Promise<RecorderCall | undefined> {
  const r = await db.selectFrom('recorder_calls').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return r && fromRow(a, r);
}

/** The tenant's latest recording session of a call reference (the active one first, then the latest ended). */
export async function getCallByRef(db: Executor, a: DialectAdapter, tenantId: string, callRef: string): Promise<RecorderCall | undefined> {
  const rows = await db
    .selectFrom('recorder_calls')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('call_ref', '=', callRef)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const active = rows.find((r) => r.ended_at === null);
  const r = active ?? rows[0];
  return r && fromRow(a, r);
}

/** Calls still running (not ended), oldest first; optionally only those of some groups (a user's group scope). */
export async function listActive(
  db: Executor,
  a: DialectAdapter,
  tenantId: string,
  opts: { groupIds?: string[] | null; limit?: number } = {},
): Promise<RecorderCall[]> {
  if (opts.groupIds && opts.groupIds.length === 0) return [];
  let q = db.selectFrom('recorder_calls').selectAll().where('tenant_id', '=', tenantId).where('ended_at', 'is', null);
  if (opts.groupIds) q = q.where('group_id', 'in', opts.groupIds);
  const rows = await q
    .orderBy('started_at')
    .orderBy('id')
    .limit(opts.limit ?? 1000)
    .execute();
  return rows.map((r) => fromRow(a, r));
}

export async function countActive(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('recorder_calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Calls a recorder node left open (its process died): the restart finalises them. */
export async function listUnfinishedOnNode(db: Executor, a: DialectAdapter, node: string): Promise<RecorderCall[]> {
  const rows = await db.selectFrom('recorder_calls').selectAll().where('node', '=', node).where('ended_at', 'is', null).orderBy('started_at').execute();
  return rows.map((r) => fromRow(a, r));
}

/** Recently ended calls of a tenant (Recording health, assurance), newest first. */
export async function listEnded(db: Executor, a: DialectAdapter, tenantId: string, opts: { since: string; limit?: number }): Promise<RecorderCall[]> {
  const rows = await db
    .selectFrom('recorder_calls')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('ended_at', 'is not', null)
    .where('ended_at', '>=', opts.since)
    .orderBy('ended_at', 'desc')
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map((r) => fromRow(a, r));
}
