// Recording assurance (issue 13): every ended recording session is assessed once (a scheduled job, so it works
// whichever process recorded it) — its flags are stored against the call and its conversation, its per-leg network
// quality kept for the player's quality lane and the "Poor quality" filter — and counted on Administration → Recorder
// → Recording health, with the SRCs that stopped answering OPTIONS.
import type { AppContext } from '../../context.ts';
import { requirePermission, type Actor } from '../../auth/actor.ts';
import { loadVisible } from '../../conversations/service.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { invalid } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { getCallById } from '../calls/repository.ts';
import * as controlRepo from '../control/repository.ts';
import type { SiprecParticipant } from '../model.ts';
import { assessCall, intervalsOf, isPoor } from './assess.ts';
import * as repo from './repository.ts';

/** A call with no conversation this long after its end was not recorded (the media pool finalises within seconds). */
export const SETTLE_MS = 2 * 60_000;

/** The assurance job: assesses every ended call not yet assessed. Returns how many. */
export async function assessEndedCalls(ctx: AppContext, now = Date.now()): Promise<number> {
  const due = await repo.callsToAssess(ctx.db, new Date(now - SETTLE_MS).toISOString());
  for (const { id } of due) await assessOne(ctx, id);
  return due.length;
}

async function assessOne(ctx: AppContext, callId: string) {
  const call = await getCallById(ctx.db, ctx.adapter, callId);
  if (!call) return;
  const at = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    let control = await controlRepo.getCallControl(tx, call.id);
    if (!control) {
      // A call the signalling recorded without a start decision (or from before control existed): its own mode.
      control = {
        call_id: call.id,
        tenant_id: call.tenantId,
        call_ref: call.callRef,
        mode: call.controlMode,
        mode_source: null,
        policy_record: 1,
        policy_rule_id: null,
        policy_rule_name: null,
        policy_reason: null,
        assessed_at: null,
        created_at: at,
      };
      await controlRepo.insertCallControl(tx, control);
    } else if (control.assessed_at) return;
    const started = !!(await repo.appliedStarts(tx, call.id));
    const findings = assessCall(call, {
      mode: control.mode,
      policyRecord: control.policy_record === 1,
      policyRuleName: control.policy_rule_name,
      started,
    });
    await repo.insertEvents(
      tx,
      findings.map((f) => ({
        id: newId(),
        tenant_id: call.tenantId,
        call_id: call.id,
        call_ref: call.callRef,
        conversation_id: call.conversationId,
        flag: f.flag,
        detail: f.detail,
        call_started_at: call.startedAt,
        created_at: at,
        notified_at: null,
      })),
    );
    if (call.conversationId) {
      const byLabel = new Map(call.participants.flatMap((p) => p.sends.map((l) => [l, p] as const)));
      await repo.upsertQuality(
        tx,
        call.quality.map((q) => {
          const p = byLabel.get(q.label);
          return {
            conversation_id: call.conversationId!,
            call_id: call.id,
            label: q.label,
            tenant_id: call.tenantId,
            participant: p ? (p.name ?? p.number ?? p.aor) : null,
            role: p?.role ?? null,
            packets_expected: q.packetsExpected,
            packets_received: q.packetsReceived,
            packets_lost: q.packetsLost,
            packets_late: q.packetsLate,
            packets_duplicate: q.packetsDuplicate,
            jitter_ms: q.jitterMs,
            mos: q.mos,
            longest_gap_ms: q.longestGapMs,
            intervals: q.intervals ? ctx.adapter.json(intervalsOf(q)) : null,
            poor: isPoor(q) ? 1 : 0,
            created_at: at,
          };
        }),
      );
    }
    await controlRepo.markAssessed(tx, call.id, at);
  });
}

// ——— Recording health ———

export const HEALTH_FLAGS = ['not_recorded', 'one_sided', 'empty', 'clipped', 'long_gaps', 'unsupported_codec', 'recovered'] as const;

export async function recordingHealth(ctx: AppContext, actor: Actor, days = 7) {
  requirePermission(actor, 'recorder.manage');
  if (!Number.isInteger(days) || days < 1 || days > 90) throw invalid('days goes from 1 to 90', { field: 'days' });
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  const [flags, calls, poor, events, probes, refusals] = await Promise.all([
    repo.flagCounts(ctx.db, actor.tenantId, since),
    repo.callCounts(ctx.db, actor.tenantId, since),
    repo.poorQualityCount(ctx.db, actor.tenantId, since),
    repo.recentEvents(ctx.db, actor.tenantId, since),
    repo.listProbes(ctx.db, actor.tenantId),
    // Refusals belong to no tenant (the source is unknown): shown to organisation-wide administrators only.
    actor.scope.all ? repo.refusalCount(ctx.db, since) : Promise.resolve(null),
  ]);
  return {
    since,
    days,
    calls: calls.calls,
    recorded: calls.recorded,
    active: calls.active,
    poorQuality: poor,
    refusals,
    flags: HEALTH_FLAGS.map((flag) => ({ flag, count: flags.get(flag) ?? 0 })),
    recent: events.map((e) => ({
      id: e.id,
      flag: e.flag,
      detail: e.detail,
      callRef: e.call_ref,
      conversationId: e.conversation_id,
      callStartedAt: e.call_started_at,
      createdAt: e.created_at,
    })),
    sources: probes.map((p) => ({
      target: p.target,
      name: p.name,
      lastProbeAt: p.last_probe_at,
      lastOkAt: p.last_ok_at,
      status: p.failing_since ? ('stopped' as const) : p.last_ok_at ? ('ok' as const) : ('unknown' as const),
      lastError: p.last_error,
      failingSince: p.failing_since,
    })),
  };
}

// ——— a conversation's recording (the player's quality lane) ———

export async function conversationRecording(ctx: AppContext, actor: Actor, conversationId: string) {
  await loadVisible(ctx, actor, conversationId);
  const [quality, events, pauses, calls] = await Promise.all([
    repo.qualityOfConversation(ctx.db, conversationId),
    repo.eventsOfConversation(ctx.db, conversationId),
    repo.pausesOfConversation(ctx.db, conversationId),
    repo.recorderCallsOfConversation(ctx.db, conversationId),
  ]);
  const started = new Map(calls.map((c) => [c.id, c.started_at]));
  const sides = new Map(
    calls.flatMap((c) =>
      (ctx.adapter.fromJson<SiprecParticipant[]>(c.participants) ?? []).flatMap((p) => p.sends.map((l) => [`${c.id}:${l}`, p.side] as const)),
    ),
  );
  return {
    flags: events.map((e) => ({ flag: e.flag, detail: e.detail, callRef: e.call_ref })),
    legs: quality.map((q) => ({
      callId: q.call_id,
      label: q.label,
      participant: q.participant,
      role: q.role,
      side: sides.get(`${q.call_id}:${q.label}`) ?? null,
      startedAt: started.get(q.call_id) ?? null,
      packetsExpected: Number(q.packets_expected),
      packetsReceived: Number(q.packets_received),
      packetsLost: Number(q.packets_lost),
      packetsLate: Number(q.packets_late),
      packetsDuplicate: Number(q.packets_duplicate),
      jitterMs: Number(q.jitter_ms),
      mos: q.mos === null ? null : Number(q.mos),
      longestGapMs: Number(q.longest_gap_ms),
      poor: q.poor === 1,
      intervals: q.intervals == null ? [] : ctx.adapter.fromJson<ReturnType<typeof intervalsOf>>(q.intervals),
    })),
    pauses: pauses.map((p) => {
      const data = ctx.adapter.fromJson<{ durationMs?: number; by?: string }>(p.data) ?? {};
      return {
        segmentId: p.segment_id,
        at: p.at,
        offsetMs: Math.max(0, Date.parse(p.at) - Date.parse(p.segment_started_at)),
        durationMs: Number(data.durationMs ?? 0),
        by: data.by ?? null,
      };
    }),
  };
}
