// Live monitoring (issue 13): the calls being recorded now, read from recorder_calls (so any API process sees the calls
// of every recorder), in the user's group scope, with the chats still in progress; and listen-in, which taps the media
// pool of the recorder holding the call — in this process, or through that recorder's relay (remote.ts) when it runs
// elsewhere. Every listen-in is audited ("monitored call X").
import type { AppContext } from '../../context.ts';
import { initiatorOf, inScope, requirePermission, type Actor } from '../../auth/actor.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { getCall, listActive, type RecorderCall } from '../calls/repository.ts';
import { controlOf } from '../control/service.ts';
import type { StreamQuality } from '../model.ts';
import type { ListenHello } from './frames.ts';
import { localRecorder } from './registry.ts';
import { listenSecret, remoteTap } from './remote.ts';
import * as repo from './repository.ts';
import { LIVE_CHAT_WINDOW_MS, type LiveCall, type LiveChat, type LiveQuery } from './schemas.ts';

const scopeGroups = (actor: Actor) => (actor.scope.all ? null : [...actor.scope.groupIds]);

function qualityView(q: StreamQuality) {
  return {
    label: q.label,
    mos: q.mos,
    jitterMs: Math.round(q.jitterMs * 10) / 10,
    lossPercent: q.packetsExpected > 0 ? Math.round((q.packetsLost / q.packetsExpected) * 1000) / 10 : 0,
    packetsReceived: q.packetsReceived,
  };
}

function matches(call: RecorderCall, q: string) {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  const hay = [call.callRef, ...call.participants.flatMap((p) => [p.name ?? '', p.number ?? '', p.aor ?? ''])].join(' ').toLowerCase();
  return hay.includes(needle);
}

export async function listLive(ctx: AppContext, actor: Actor, query: LiveQuery = {}): Promise<{ now: string; calls: LiveCall[]; chats: LiveChat[] }> {
  requirePermission(actor, 'live.monitor');
  const now = nowIso();
  const nowMs = Date.parse(now);
  let groupIds = scopeGroups(actor);
  if (query.groupId) groupIds = groupIds ? groupIds.filter((g) => g === query.groupId) : [query.groupId];
  const calls = (await listActive(ctx.db, ctx.adapter, actor.tenantId, { groupIds })).filter(
    (c) =>
      (!query.direction || c.direction === query.direction) &&
      (!query.state || c.state === query.state) &&
      (!query.q || matches(c, query.q)) &&
      c.state !== 'ended' &&
      c.state !== 'failed',
  );
  const chats =
    query.direction || query.state || query.q
      ? []
      : await repo.recentChats(ctx.db, actor.tenantId, new Date(nowMs - LIVE_CHAT_WINDOW_MS).toISOString(), groupIds);
  const control = await controlOf(
    ctx.db,
    calls.map((c) => c.id),
  );
  const names = await repo.names(
    ctx.db,
    actor.tenantId,
    [...new Set([...calls.map((c) => c.groupId), ...chats.map((c) => c.group_id)].filter((g): g is string => !!g))],
    [...new Set([...calls.map((c) => c.agentUserId), ...chats.map((c) => c.agent_user_id)].filter((u): u is string => !!u))],
  );
  const named = (map: Map<string, string>, id: string | null) => (id && map.has(id) ? { id, name: map.get(id)! } : null);
  // Calls held by a recorder in another process can be listened to through its relay when this process has the secret.
  const remote = listenSecret() ? await repo.liveNodes(ctx.db, [...new Set(calls.map((c) => c.node))]) : new Map<string, string>();
  return {
    now,
    calls: calls.map((c) => {
      const ctl = control.get(c.id);
      const running = c.pauseStartedAt ? Math.max(0, nowMs - Date.parse(c.pauseStartedAt)) : 0;
      return {
        id: c.id,
        callRef: c.callRef,
        state: c.state,
        mode: ctl?.mode ?? c.controlMode,
        direction: c.direction,
        startedAt: c.startedAt,
        answeredAt: c.answeredAt,
        durationMs: Math.max(0, nowMs - Date.parse(c.startedAt)),
        pausedMs: c.pausedMs + running,
        sourcePaused: c.srcPaused,
        group: named(names.groups, c.groupId),
        agent: named(names.users, c.agentUserId),
        parties: c.participants.map((p) => ({ id: p.id, name: p.name, number: p.number, role: p.role, side: p.side, labels: p.sends })),
        // The recorder publishes live quality every few seconds; in this process it is read straight from the pool.
        quality: (localRecorder(c.node)?.stats(c.id) ?? c.quality).map(qualityView),
        policy: ctl ? { record: ctl.policyRecord, ruleName: ctl.policyRuleName, reason: ctl.policyReason } : null,
        listenable: localRecorder(c.node) !== undefined || remote.has(c.node),
      };
    }),
    chats: chats.map((c) => ({
      conversationId: c.id,
      title: c.title,
      startedAt: c.started_at,
      lastMessageAt: c.ended_at,
      agent: named(names.users, c.agent_user_id),
      group: named(names.groups, c.group_id),
    })),
  };
}

/** The number of calls being recorded now in the actor's scope (the dashboard's and Conversations' "Active calls"). */
export async function activeCallCount(ctx: AppContext, actor: Actor): Promise<number> {
  requirePermission(actor, 'live.monitor');
  return (await listActive(ctx.db, ctx.adapter, actor.tenantId, { groupIds: scopeGroups(actor) })).filter((c) => c.state !== 'ended' && c.state !== 'failed')
    .length;
}

export interface ListenSession {
  hello: ListenHello;
  /** Starts relaying frames; returns the stop function. `onFrame` gets the leg index (hello.legs) and the µ-law bytes. */
  start(onFrame: (leg: number, ts: number, pcmu: Buffer) => void): () => void;
  /** Resolves when the call ends (polled), so the socket can say so and close. */
  ended(signal: AbortSignal): Promise<void>;
}

/**
 * Opens a listen-in: checks permission, scope and that the call is live and tapable here, and writes the audit event
 * before a single frame is sent (someone who listened is on record even if the connection drops at once).
 */
export async function openListen(ctx: AppContext, actor: Actor, callId: string, label: string | null): Promise<ListenSession> {
  requirePermission(actor, 'live.monitor');
  const call = await getCall(ctx.db, ctx.adapter, actor.tenantId, callId);
  if (!call || !inScope(actor, call.groupId)) throw notFound('Live call', callId);
  if (call.endedAt || call.state === 'ended' || call.state === 'failed')
    throw new DomainError('CALL_ENDED', 'This call has ended: there is nothing left to listen to');
  // The recorder holding the call: in this process, else through its listen-in relay (same secret on both sides).
  const secret = listenSecret();
  const relay = !localRecorder(call.node) && secret ? (await repo.liveNodes(ctx.db, [call.node])).get(call.node) : undefined;
  const pool = localRecorder(call.node) ?? (relay && secret ? remoteTap(relay, secret, ctx.log) : undefined);
  if (!pool)
    throw new DomainError(
      'LISTEN_UNAVAILABLE',
      secret
        ? `This call is recorded by recorder ${call.node}, which does not run in this process and has not registered a listen-in address (is EARSHOT_RECORDER_SECRET set on it, and is it running?)`
        : `This call is recorded by recorder ${call.node}, which does not run in this server process: set the same EARSHOT_RECORDER_SECRET on this server and on the recorder to listen in across processes`,
    );
  const labels = call.streams.filter((s) => s.port > 0).map((s) => s.label);
  if (label !== null && !labels.includes(label))
    throw new DomainError('VALIDATION_FAILED', `The call has no leg "${label}"; its legs are ${labels.join(', ') || 'none'}`, {
      field: 'label',
      reason: 'UNKNOWN_LEG',
    });
  const chosen = label === null ? labels : [label];
  const byLabel = new Map(call.participants.flatMap((p) => p.sends.map((l) => [l, p] as const)));
  const legs = chosen.map((l) => {
    const p = byLabel.get(l);
    return { label: l, participant: p ? (p.name ?? p.number ?? p.aor) : null, role: p?.role ?? ('unknown' as const) };
  });
  const who = call.participants.map((p) => p.name ?? p.number).filter(Boolean);
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'recorded_call',
    resourceId: call.id,
    action: 'LIVE_MONITOR',
    details: `Monitored call ${call.callRef}${who.length ? ` (${who.join(' – ')})` : ''}${label === null ? '' : `, leg ${legs[0]!.participant ?? label} only`}`,
  });
  const index = new Map(chosen.map((l, i) => [l, i]));
  return {
    hello: { type: 'hello', callId: call.id, codec: 'pcmu', sampleRate: 8000, legs },
    start(onFrame) {
      return pool.subscribe(call.id, label, (l, pcmu, ts) => {
        const i = index.get(l);
        if (i !== undefined) onFrame(i, ts, pcmu);
      });
    },
    async ended(signal) {
      while (!signal.aborted) {
        await new Promise((r) => setTimeout(r, 1000));
        if (signal.aborted) return;
        const now = await getCall(ctx.db, ctx.adapter, actor.tenantId, call.id);
        if (!now || now.endedAt) return;
      }
    },
  };
}
