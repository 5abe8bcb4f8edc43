// Who holds a call's recording, and its one pause clock. Two parties can hold a call: the API (its last control
// request, or the start decision of a policy-excluded / on-demand call) and the recording client (a re-INVITE with
// every stream inactive, recorder_calls.src_paused). The call shows paused while either holds it; the pause clock in
// recorder_calls (paused_ms + the running pause_started_at) counts every stretch not recorded whoever held it, and both
// the API and the signalling move it under a row lock, so neither overwrites the other's time.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Db } from '../../platform/db/index.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { getCallForUpdate, updateCall, type RecorderCall, type RecorderCallPatch } from '../calls/repository.ts';
import type { RecordingState } from '../model.ts';
import { heldState } from './repository.ts';

export type ApiHold = 'paused' | 'not_recording' | null;

/** The state a live call shows from its two holds (a stop by the API outranks a pause by the SRC). */
export function effectiveState(apiHold: ApiHold, srcPaused: boolean): Extract<RecordingState, 'recording' | 'paused' | 'not_recording'> {
  if (apiHold === 'not_recording') return 'not_recording';
  return apiHold === 'paused' || srcPaused ? 'paused' : 'recording';
}

/** The fields of recorder_calls a state change sets: the pause clock counts every stretch not being recorded. */
export function stateTransition(call: Pick<RecorderCall, 'state' | 'pausedMs' | 'pauseStartedAt'>, next: RecordingState, now: string) {
  const wasHeld = call.state === 'paused' || call.state === 'not_recording';
  const held = next === 'paused' || next === 'not_recording';
  let pausedMs = call.pausedMs;
  let pauseStartedAt = call.pauseStartedAt;
  if (wasHeld && !held) {
    if (pauseStartedAt) pausedMs += Math.max(0, Date.parse(now) - Date.parse(pauseStartedAt));
    pauseStartedAt = null;
  } else if (!wasHeld && held) pauseStartedAt = now;
  return { state: next, pausedMs, pauseStartedAt };
}

/** The SRC paused (a=inactive) or resumed: the state follows both holds, the pause clock moves once. */
export async function applySourcePause(
  db: Db,
  a: DialectAdapter,
  callId: string,
  paused: boolean,
  extra: RecorderCallPatch = {},
  now = new Date().toISOString(),
): Promise<RecorderCall | undefined> {
  return inTransaction(db, async ({ tx }) => {
    const row = await getCallForUpdate(tx, a, callId);
    if (!row) return undefined;
    if (row.endedAt) return updateCall(tx, a, callId, { ...extra, srcPaused: paused }, now);
    const next = effectiveState(await heldState(tx, callId), paused);
    return updateCall(tx, a, callId, { ...extra, srcPaused: paused, ...stateTransition(row, next, now) }, now);
  });
}

/** The end of a call: a pause still running is added to the clock (the API's as much as the SRC's). */
export async function endWithClock(
  db: Db,
  a: DialectAdapter,
  callId: string,
  patch: RecorderCallPatch & { state: 'ended' | 'failed' },
  now = new Date().toISOString(),
): Promise<RecorderCall | undefined> {
  return inTransaction(db, async ({ tx }) => {
    const row = await getCallForUpdate(tx, a, callId);
    if (!row) return undefined;
    const clock = stateTransition(row, patch.state, now);
    return updateCall(tx, a, callId, { ...patch, pausedMs: clock.pausedMs, pauseStartedAt: null }, now);
  });
}
