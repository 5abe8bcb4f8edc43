// Recording control (issue 13, seed 002): on-demand recording modes per agent or number, the decision taken when a call
// starts (the mode and the tenant's recording policies, src/compliance/recording-policies), and start/stop/pause/resume
// through the API. The API writes the call's new state and a control request in one transaction with its audit event;
// the recorder process holding the call applies the request to the media pool (applier.ts) — at once through the
// in-process bus, or on its next poll when it runs elsewhere.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, inScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { decideRecording, type RecordingDecision } from '../../compliance/recording-policies/decide.ts';
import type { Db, Executor } from '../../platform/db/index.ts';
import type { RecordingModesTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { getCallByRef, getCallForUpdate, updateCall, type ControlMode, type RecorderCall } from '../calls/repository.ts';
import type { RecordingState } from '../model.ts';
import { emitControl } from './bus.ts';
import { effectiveState, stateTransition } from './hold.ts';
import * as repo from './repository.ts';
import type { ControlAction, ControlResult, RecordingModeEntry, RecordingModeInput, RecordingModePatch } from './schemas.ts';

// ——— modes ———

export type ModeRow = Pick<RecordingModesTable, 'kind' | 'value' | 'mode'>;

/** Digits and a leading + only: "+33 1-23" → "+33123". */
export const normalizeNumber = (s: string) => {
  const t = s.trim();
  return (t.startsWith('+') ? '+' : '') + t.replace(/\D/g, '');
};

/**
 * The mode of a call: an entry for one of its agents first (in the order the call lists them), then the longest number
 * prefix matching any party's number (with or without its +), then the tenant's default entry, else "always" — the
 * safe default of a compliance recorder (a call nobody configured is recorded whole).
 */
export function resolveMode(rows: ModeRow[], call: { agentUserIds: string[]; numbers: string[] }): { mode: ControlMode; source: string } {
  for (const a of call.agentUserIds) {
    const r = rows.find((x) => x.kind === 'agent' && x.value === a);
    if (r) return { mode: r.mode as ControlMode, source: `agent:${a}` };
  }
  const numbers = call.numbers.map(normalizeNumber).filter(Boolean);
  let best: ModeRow | null = null;
  for (const r of rows) {
    if (r.kind !== 'number') continue;
    const p = r.value.replace(/^\+/, '');
    const hit = numbers.some((n) => n.startsWith(r.value) || n.replace(/^\+/, '').startsWith(p));
    if (hit && (!best || r.value.length > best.value.length)) best = r;
  }
  if (best) return { mode: best.mode as ControlMode, source: `number:${best.value}` };
  const d = rows.find((x) => x.kind === 'default');
  return d ? { mode: d.mode as ControlMode, source: 'default' } : { mode: 'always', source: 'built-in' };
}

function modeView(r: RecordingModesTable, names: Map<string, string>): RecordingModeEntry {
  return {
    id: r.id,
    kind: r.kind as RecordingModeEntry['kind'],
    value: r.value,
    label: r.kind === 'agent' ? (names.get(r.value) ?? null) : null,
    mode: r.mode as ControlMode,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listModes(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'recorder.manage', 'recording.control');
  const rows = await repo.listModes(ctx.db, actor.tenantId);
  const names = await repo.userNames(
    ctx.db,
    actor.tenantId,
    rows.filter((r) => r.kind === 'agent').map((r) => r.value),
  );
  return { items: rows.map((r) => modeView(r, names)) };
}

const MODE_WORDS: Record<ControlMode, string> = { always: 'always', always_pause: 'always, with pause/resume', on_demand: 'on demand' };

async function checkedTarget(db: Executor, tenantId: string, input: Pick<RecordingModeInput, 'kind' | 'value'>): Promise<{ value: string; what: string }> {
  if (input.kind === 'default') {
    if (input.value.trim() !== '') throw invalid('The default entry has no value (leave it empty)', { field: 'value', reason: 'DEFAULT_HAS_NO_VALUE' });
    return { value: '', what: 'every other call' };
  }
  if (input.kind === 'agent') {
    const names = await repo.userNames(db, tenantId, [input.value]);
    const name = names.get(input.value);
    if (!name) throw invalid(`There is no user ${input.value} in this organisation`, { field: 'value', reason: 'UNKNOWN_AGENT' });
    return { value: input.value, what: `calls of ${name}` };
  }
  const n = normalizeNumber(input.value);
  if (!/^\+?\d{1,32}$/.test(n))
    throw invalid(`"${input.value}" is not a number prefix: use digits, with an optional leading +`, { field: 'value', reason: 'INVALID_NUMBER' });
  return { value: n, what: `calls with a number starting ${n}` };
}

const AUDITED = ['mode', 'note'] as const;

export async function createMode(ctx: AppContext, actor: Actor, input: RecordingModeInput) {
  requirePermission(actor, 'recorder.manage');
  assertWithinScope(actor, [null], 'Setting a recording mode');
  const target = await checkedTarget(ctx.db, actor.tenantId, input);
  if (await repo.findMode(ctx.db, actor.tenantId, input.kind, target.value))
    throw new DomainError('ALREADY_EXISTS', `There is already a recording mode for ${target.what}: edit it instead`, { reason: 'MODE_EXISTS' });
  const now = nowIso();
  const row: RecordingModesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    kind: input.kind,
    value: target.value,
    mode: input.mode,
    note: input.note?.trim() || null,
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertMode(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_mode',
        resourceId: row.id,
        action: 'RECORDING_MODE_CREATE',
        details: `Recording mode of ${target.what}: ${MODE_WORDS[input.mode]}`,
        changes: [
          { field: 'target', old: null, new: `${row.kind}:${row.value}` },
          { field: 'mode', old: null, new: row.mode },
          { field: 'note', old: null, new: row.note },
        ],
      },
      tx,
    );
  });
  return modeView(row, await repo.userNames(ctx.db, actor.tenantId, row.kind === 'agent' ? [row.value] : []));
}

export async function updateMode(ctx: AppContext, actor: Actor, id: string, patch: RecordingModePatch) {
  requirePermission(actor, 'recorder.manage');
  assertWithinScope(actor, [null], 'Changing a recording mode');
  const before = await repo.getMode(ctx.db, actor.tenantId, id);
  if (!before) throw notFound('Recording mode', id);
  const after = { ...before, updated_at: nowIso() };
  if (patch.mode !== undefined) after.mode = patch.mode;
  if (patch.note !== undefined) after.note = patch.note?.trim() || null;
  const changes = AUDITED.filter((f) => before[f] !== after[f]).map((f) => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateMode(tx, id, { mode: after.mode, note: after.note, updated_at: after.updated_at });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'recording_mode',
          resourceId: id,
          action: 'RECORDING_MODE_UPDATE',
          details: `Recording mode of ${before.kind} ${before.value || '(default)'}: ${MODE_WORDS[after.mode as ControlMode]}`,
          changes,
        },
        tx,
      );
    });
  }
  return modeView(changes.length ? after : before, await repo.userNames(ctx.db, actor.tenantId, before.kind === 'agent' ? [before.value] : []));
}

export async function deleteMode(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'recorder.manage');
  assertWithinScope(actor, [null], 'Removing a recording mode');
  const before = await repo.getMode(ctx.db, actor.tenantId, id);
  if (!before) throw notFound('Recording mode', id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteMode(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recording_mode',
        resourceId: id,
        action: 'RECORDING_MODE_DELETE',
        details: `Removed the recording mode of ${before.kind} ${before.value || '(default)'} (was ${MODE_WORDS[before.mode as ControlMode]})`,
        changes: [
          { field: 'target', old: `${before.kind}:${before.value}`, new: null },
          { field: 'mode', old: before.mode, new: null },
        ],
      },
      tx,
    );
  });
}

// ——— call start ———

export interface CallStart {
  /** recorder_calls.id (also the media pool's call id). */
  callId: string;
  tenantId: string;
  callRef: string;
  /** Every party's number or extension. */
  numbers: string[];
  agentUserIds: string[];
  queue: string | null;
  direction: string;
}

export interface CallStartDecision {
  mode: ControlMode;
  modeSource: string;
  policy: RecordingDecision;
  /** What the call starts in: recording, or not_recording (a policy said no, or the mode is on demand). */
  state: Extract<RecordingState, 'recording' | 'not_recording'>;
  /** True when the media pool must hold the call paused from the start (nothing received is kept). */
  startPaused: boolean;
}

/**
 * Called by the signalling when a SIPREC session starts, before the answer goes out (so no packet is kept by mistake):
 * the recording policies decide whether the call may be recorded at all, and the mode whether it starts recording or
 * waits for someone to start it. Stored per call (recorder_call_control), idempotent for the same call id.
 */
export async function decideCallStart(ctx: Pick<AppContext, 'db'>, call: CallStart): Promise<CallStartDecision> {
  const [policy, rows] = await Promise.all([
    decideRecording(ctx.db, call.tenantId, {
      kind: 'call',
      callRef: call.callRef,
      numbers: call.numbers,
      agentUserIds: call.agentUserIds,
      queue: call.queue,
      direction: call.direction,
      durationMs: null,
    }),
    repo.listModes(ctx.db, call.tenantId),
  ]);
  const { mode, source } = resolveMode(rows, call);
  const state = policy.record && mode !== 'on_demand' ? 'recording' : 'not_recording';
  await repo.insertCallControl(ctx.db, {
    call_id: call.callId,
    tenant_id: call.tenantId,
    call_ref: call.callRef,
    mode,
    mode_source: source,
    policy_record: policy.record ? 1 : 0,
    policy_rule_id: policy.ruleId,
    policy_rule_name: policy.ruleName,
    policy_reason: policy.reason,
    assessed_at: null,
    created_at: nowIso(),
  });
  return { mode, modeSource: source, policy, state, startPaused: state !== 'recording' };
}

// ——— start / stop / pause / resume ———

const TARGET: Record<ControlAction, RecordingState> = { start: 'recording', stop: 'not_recording', pause: 'paused', resume: 'recording' };
const ACTION_WORDS: Record<ControlAction, string> = { start: 'Started', stop: 'Stopped', pause: 'Paused', resume: 'Resumed' };

const refused = (message: string, reason: string) => new DomainError('RECORDING_CONTROL_REFUSED', message, { reason });

/** Why an action is not allowed on a call in this state and mode; null when it is (or is a no-op). */
export function refusal(action: ControlAction, state: RecordingState, mode: ControlMode, policyRecord: boolean): DomainError | null {
  if (state === TARGET[action]) return null;
  if (action === 'start' || action === 'resume') {
    if (!policyRecord) return refused('A recording policy says this call is not recorded; it cannot be started', 'POLICY_FORBIDS');
  }
  if (mode === 'always')
    return refused(
      `This call is recorded in mode "always": it cannot be ${action === 'stop' ? 'stopped' : action === 'pause' ? 'paused' : action + 'ed'}`,
      'MODE_ALWAYS',
    );
  if (action === 'stop' && mode !== 'on_demand')
    return refused('This call is recorded in mode "always with pause/resume": it can be paused, not stopped', 'MODE_NO_STOP');
  if (action === 'start' && state === 'paused') return refused('The recording is paused: resume it', 'PAUSED');
  if (action === 'resume' && state === 'not_recording') return refused('The call is not being recorded: start the recording', 'NOT_STARTED');
  if (action === 'pause' && state === 'not_recording') return refused('The call is not being recorded: there is nothing to pause', 'NOT_STARTED');
  return null;
}

function callWords(call: RecorderCall): string {
  const who = call.participants.map((p) => p.name ?? p.number ?? p.aor).filter(Boolean);
  return who.length ? `${call.callRef} (${who.join(' – ')})` : call.callRef;
}

export { stateTransition };

export async function controlRecording(ctx: AppContext, actor: Actor, callRef: string, action: ControlAction): Promise<ControlResult> {
  requirePermission(actor, 'recording.control');
  const found = await getCallByRef(ctx.db, ctx.adapter, actor.tenantId, callRef);
  if (!found || !inScope(actor, found.groupId)) throw notFound('Recorded call', callRef);
  const result = await inTransaction(ctx.db, async (uow) => {
    // Read again inside the transaction, locked: two requests at once, or a request and the SRC's re-INVITE, see each
    // other's state and move the pause clock once.
    const call = (await getCallForUpdate(uow.tx, ctx.adapter, found.id))!;
    if (call.endedAt || call.state === 'ended' || call.state === 'failed')
      throw new DomainError('CALL_ENDED', `The call ${callRef} has ended: its recording can no longer be controlled`);
    const control = await repo.getCallControl(uow.tx, call.id);
    const mode = (control?.mode as ControlMode | undefined) ?? call.controlMode;
    const policyRecord = control ? control.policy_record === 1 : true;
    // The API decides about its own hold only; the SRC's pause (a=inactive) is lifted by the SRC alone.
    const apiState = (await repo.heldState(uow.tx, call.id)) ?? 'recording';
    const why = refusal(action, apiState, mode, policyRecord);
    if (why) throw why;
    const target = TARGET[action];
    if (apiState === target) {
      if (call.srcPaused && (action === 'start' || action === 'resume'))
        throw refused(
          'The recording client paused this call (re-INVITE with the media inactive): the recording resumes when it sends media again',
          'PAUSED_BY_SOURCE',
        );
      return { call, mode, requestId: null, changed: false };
    }
    const next = effectiveState(target === 'recording' ? null : (target as 'paused' | 'not_recording'), call.srcPaused);
    const now = nowIso();
    const requestId = newId();
    await updateCall(uow.tx, ctx.adapter, call.id, stateTransition(call, next, now), now);
    await repo.insertRequest(uow.tx, {
      id: requestId,
      tenant_id: actor.tenantId,
      call_id: call.id,
      action,
      requested_by: actor.userId || null,
      requested_at: now,
      applied_at: null,
      result: null,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'recorded_call',
        resourceId: call.id,
        action: `RECORDING_${action.toUpperCase()}`,
        details: `${ACTION_WORDS[action]} the recording of call ${callWords(call)}${next === 'paused' && target === 'recording' ? ' (the recording client still holds it paused)' : ''}`,
        changes: [{ field: 'state', old: call.state, new: next }],
      },
      uow.tx,
    );
    uow.afterCommit(() => emitControl({ requestId, callId: call.id }));
    return { call: { ...call, state: next }, mode, requestId, changed: true };
  });
  return {
    callRef: result.call.callRef,
    callId: result.call.id,
    action,
    state: result.call.state,
    changed: result.changed,
    mode: result.mode,
    requestId: result.requestId,
  };
}

/** For the Live screen: each call's mode and policy decision, by call id (one query for the whole list). */
export async function controlOf(db: Db, callIds: string[]) {
  const out = new Map<string, { mode: ControlMode; policyRecord: boolean; policyRuleName: string | null; policyReason: string | null }>();
  for (let i = 0; i < callIds.length; i += 500)
    for (const c of await repo.getCallControls(db, callIds.slice(i, i + 500)))
      out.set(c.call_id, {
        mode: c.mode as ControlMode,
        policyRecord: c.policy_record === 1,
        policyRuleName: c.policy_rule_name,
        policyReason: c.policy_reason,
      });
  return out;
}
