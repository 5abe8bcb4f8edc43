// Recording control on both engines: the mode and policy decision at call start, start/stop/pause/resume through the
// API (idempotent, refused by mode, policy, end of call and scope, audited, the pause clock), the recorder-side applier
// reaching the media pool through the in-process bus and through the poll (another node's calls left alone), and the
// recording modes' administration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { getCallById, insertCall, updateCall } from '../calls/repository.ts';
import { startControlApplier } from './applier.ts';
import * as repo from './repository.ts';
import { decideCallStart, resolveMode, stateTransition } from './service.ts';

describe('resolveMode', () => {
  const rows = [
    { kind: 'number', value: '+3314', mode: 'on_demand' },
    { kind: 'number', value: '+33', mode: 'always_pause' },
    { kind: 'agent', value: 'u1', mode: 'always' },
    { kind: 'default', value: '', mode: 'always_pause' },
  ];
  it('prefers an agent entry, then the longest number prefix, then the default', () => {
    expect(resolveMode(rows, { agentUserIds: ['u1'], numbers: ['+33145'] })).toEqual({ mode: 'always', source: 'agent:u1' });
    expect(resolveMode(rows, { agentUserIds: ['u2'], numbers: ['+33 1 45 00'] })).toEqual({ mode: 'on_demand', source: 'number:+3314' });
    expect(resolveMode(rows, { agentUserIds: [], numbers: ['33 2 00'] })).toEqual({ mode: 'always_pause', source: 'number:+33' });
    expect(resolveMode(rows, { agentUserIds: [], numbers: ['+4420'] })).toEqual({ mode: 'always_pause', source: 'default' });
    expect(resolveMode([], { agentUserIds: [], numbers: [] })).toEqual({ mode: 'always', source: 'built-in' });
  });
  it('counts every stretch not recorded on the pause clock', () => {
    const t0 = '2026-01-01T10:00:00.000Z';
    const paused = stateTransition({ state: 'recording', pausedMs: 0, pauseStartedAt: null }, 'paused', t0);
    expect(paused).toEqual({ state: 'paused', pausedMs: 0, pauseStartedAt: t0 });
    const stopped = stateTransition(paused, 'not_recording', '2026-01-01T10:00:05.000Z');
    expect(stopped.pauseStartedAt).toBe(t0);
    expect(stateTransition(stopped, 'recording', '2026-01-01T10:00:12.500Z')).toEqual({ state: 'recording', pausedMs: 12_500, pauseStartedAt: null });
  });
});

describe.each(ENGINES)('recording control on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let manager: Client;
  let scoped: Client;
  let agentClient: Client;
  let agentId: string;
  let groupA: string;
  let groupB: string;

  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?resourceId=${resourceId}&limit=50`)).items as Json[]).reverse();

  async function liveCall(
    opts: { node?: string; groupId?: string | null; agent?: string | null; numbers?: string[]; state?: 'recording' | 'not_recording' } = {},
  ) {
    const id = newId();
    const callRef = `call-${id}@sbc.example`;
    const decision = await decideCallStart(t, {
      callId: id,
      tenantId,
      callRef,
      numbers: opts.numbers ?? ['+15550100', '5101'],
      agentUserIds: opts.agent ? [opts.agent] : [],
      queue: null,
      direction: 'inbound',
    });
    await insertCall(t.db, t.adapter, {
      id,
      tenantId,
      callRef,
      sessionId: `s-${id}`,
      sipCallId: `rs-${id}`,
      node: opts.node ?? 'node-test',
      state: opts.state ?? decision.state,
      startedAt: nowIso(),
      controlMode: decision.mode,
      groupId: opts.groupId === undefined ? groupA : opts.groupId,
      agentUserId: opts.agent ?? null,
      participants: [
        { id: 'p1', name: 'Pat Customer', aor: 'sip:+15550100@x', number: '+15550100', sends: ['1'], role: 'customer', userId: null, side: 'caller' },
        { id: 'p2', name: 'Alex Agent', aor: 'sip:5101@pbx', number: '5101', sends: ['2'], role: 'agent', userId: opts.agent ?? null, side: 'callee' },
      ],
    });
    return { id, callRef, decision, url: (a: string) => `/api/recordings/${encodeURIComponent(callRef)}/${a}` };
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin } = await tenantWithAdmin(t));
    groupA = await makeGroup(t, tenantId, 'A');
    groupB = await makeGroup(t, tenantId, 'B');
    manager = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'] }));
    scoped = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupB }));
    const agent = await makeUser(t, tenantId, { roles: ['agent'], extension: '5101', name: 'Alex Agent', groupId: groupA });
    agentId = agent.id;
    agentClient = await signIn(t.app, agent);
  });
  afterAll(() => t?.cleanup());

  it('administers recording modes: one per target, numbers normalised, agents checked, every change audited', async () => {
    const created = ok(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: '+44 20-7', mode: 'on_demand', note: 'UK desk' }));
    expect(created).toMatchObject({ kind: 'number', value: '+44207', mode: 'on_demand', note: 'UK desk', label: null });
    fails(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: '+44207', mode: 'always' }), 409, 'ALREADY_EXISTS', 'MODE_EXISTS');
    fails(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: 'abc', mode: 'always' }), 400, 'VALIDATION_FAILED', 'INVALID_NUMBER');
    fails(await admin.post('/api/recorder/recording-modes', { kind: 'agent', value: 'nobody', mode: 'always' }), 400, 'VALIDATION_FAILED', 'UNKNOWN_AGENT');
    fails(await admin.post('/api/recorder/recording-modes', { kind: 'default', value: 'x', mode: 'always' }), 400, 'VALIDATION_FAILED', 'DEFAULT_HAS_NO_VALUE');
    fails(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: '1', mode: 'sometimes' }), 400, 'VALIDATION_FAILED');
    const agentMode = ok(await admin.post('/api/recorder/recording-modes', { kind: 'agent', value: agentId, mode: 'always_pause' }));
    expect(agentMode.label).toBe('Alex Agent');
    const patched = ok(await admin.patch(`/api/recorder/recording-modes/${created.id}`, { mode: 'always' }));
    expect(patched.mode).toBe('always');
    const list = ok(await manager.get('/api/recorder/recording-modes')).items as Json[];
    expect(list.map((m) => `${m.kind}:${m.mode}`).sort()).toEqual(['agent:always_pause', 'number:always']);
    fails(await manager.post('/api/recorder/recording-modes', { kind: 'number', value: '1', mode: 'always' }), 403, 'FORBIDDEN');
    ok(await admin.del(`/api/recorder/recording-modes/${created.id}`), 204);
    fails(await admin.del(`/api/recorder/recording-modes/${created.id}`), 404, 'NOT_FOUND');
    const trail = await audit(created.id);
    expect(trail.map((e) => e.action)).toEqual(['RECORDING_MODE_CREATE', 'RECORDING_MODE_UPDATE', 'RECORDING_MODE_DELETE']);
    expect(trail[1].changes).toEqual([{ field: 'mode', old: 'on_demand', new: 'always' }]);
    ok(await admin.del(`/api/recorder/recording-modes/${agentMode.id}`), 204);
  });

  it('decides at call start from the recording policies and the mode, and keeps the decision per call', async () => {
    const now = nowIso();
    await t.db
      .insertInto('recording_policies')
      .values({
        id: newId(),
        tenant_id: tenantId,
        name: 'Never record the CEO line',
        position: 0,
        enabled: 1,
        applies_to: 'call',
        action: 'skip',
        sample_percent: null,
        numbers: JSON.stringify(['+1555999*']),
        agent_user_ids: '[]',
        queues: '[]',
        directions: '[]',
        shorter_than_s: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const skipped = await liveCall({ numbers: ['+15559990001'] });
    expect(skipped.decision).toMatchObject({
      mode: 'always',
      state: 'not_recording',
      startPaused: true,
      policy: { record: false, ruleName: 'Never record the CEO line' },
    });
    const row = await repo.getCallControl(t.db, skipped.id);
    expect(row).toMatchObject({ policy_record: 0, policy_rule_name: 'Never record the CEO line', mode: 'always', mode_source: 'built-in' });
    const normal = await liveCall();
    expect(normal.decision).toMatchObject({ mode: 'always', state: 'recording', startPaused: false, policy: { record: true } });
    // What holds each call whatever the SRC does (a SIPREC resume must not undo it).
    expect(await repo.heldState(t.db, skipped.id)).toBe('not_recording');
    expect(await repo.heldState(t.db, normal.id)).toBeNull();
    // Starting a call the policy forbids is refused.
    fails(await manager.post(skipped.url('start')), 409, 'RECORDING_CONTROL_REFUSED', 'POLICY_FORBIDS');
  });

  it('starts, pauses, resumes and stops an on-demand call, idempotently, audited, with the pause clock', async () => {
    const mode = ok(await admin.post('/api/recorder/recording-modes', { kind: 'agent', value: agentId, mode: 'on_demand' }));
    const call = await liveCall({ agent: agentId });
    expect(call.decision).toMatchObject({ mode: 'on_demand', state: 'not_recording', startPaused: true });
    fails(await manager.post(call.url('pause')), 409, 'RECORDING_CONTROL_REFUSED', 'NOT_STARTED');
    fails(await manager.post(call.url('resume')), 409, 'RECORDING_CONTROL_REFUSED', 'NOT_STARTED');
    const started = ok(await manager.post(call.url('start')));
    expect(started).toMatchObject({ callRef: call.callRef, callId: call.id, action: 'start', state: 'recording', changed: true, mode: 'on_demand' });
    expect(ok(await manager.post(call.url('start')))).toMatchObject({ state: 'recording', changed: false, requestId: null });
    expect(ok(await manager.post(call.url('pause')))).toMatchObject({ state: 'paused', changed: true });
    expect(await repo.heldState(t.db, call.id)).toBe('paused');
    expect((await getCallById(t.db, t.adapter, call.id))!.pauseStartedAt).not.toBeNull();
    expect(ok(await manager.post(call.url('pause')))).toMatchObject({ state: 'paused', changed: false });
    fails(await manager.post(call.url('start')), 409, 'RECORDING_CONTROL_REFUSED', 'PAUSED');
    expect(ok(await manager.post(call.url('resume')))).toMatchObject({ state: 'recording', changed: true });
    const resumed = (await getCallById(t.db, t.adapter, call.id))!;
    expect(resumed.pauseStartedAt).toBeNull();
    expect(ok(await manager.post(call.url('stop')))).toMatchObject({ state: 'not_recording', changed: true });
    expect(await repo.heldState(t.db, call.id)).toBe('not_recording');
    const requests = await repo.listRequests(t.db, call.id);
    expect(requests.map((r) => r.action)).toEqual(['start', 'pause', 'resume', 'stop']);
    const trail = await audit(call.id);
    expect(trail.map((e) => e.action)).toEqual(['RECORDING_START', 'RECORDING_PAUSE', 'RECORDING_RESUME', 'RECORDING_STOP']);
    expect(trail[1].changes).toEqual([{ field: 'state', old: 'recording', new: 'paused' }]);
    expect(trail[1].details).toContain('Pat Customer');
    ok(await admin.del(`/api/recorder/recording-modes/${mode.id}`), 204);
  });

  it('refuses what the mode does not allow, ended and unknown calls, calls outside the scope, and users without the permission', async () => {
    const always = await liveCall();
    fails(await manager.post(always.url('pause')), 409, 'RECORDING_CONTROL_REFUSED', 'MODE_ALWAYS');
    fails(await manager.post(always.url('stop')), 409, 'RECORDING_CONTROL_REFUSED', 'MODE_ALWAYS');
    expect(ok(await manager.post(always.url('start')))).toMatchObject({ changed: false, state: 'recording' });
    const pci = ok(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: '+1666', mode: 'always_pause' }));
    const pciCall = await liveCall({ numbers: ['+16660001'] });
    fails(await manager.post(pciCall.url('stop')), 409, 'RECORDING_CONTROL_REFUSED', 'MODE_NO_STOP');
    expect(ok(await manager.post(pciCall.url('pause')))).toMatchObject({ state: 'paused', changed: true });
    ok(await admin.del(`/api/recorder/recording-modes/${pci.id}`), 204);

    await updateCall(t.db, t.adapter, pciCall.id, { state: 'ended', endedAt: nowIso(), endReason: 'bye' });
    fails(await manager.post(pciCall.url('resume')), 409, 'CALL_ENDED');
    fails(await manager.post('/api/recordings/no-such-call/pause'), 404, 'NOT_FOUND');
    // A manager scoped to group B does not see group A's call (404, not 403: it cannot probe it).
    fails(await scoped.post(always.url('start')), 404, 'NOT_FOUND');
    const inB = await liveCall({ groupId: groupB, numbers: ['+16660002'] });
    expect(ok(await scoped.post(inB.url('start')))).toMatchObject({ changed: false });
    fails(await agentClient.post(always.url('start')), 403, 'FORBIDDEN');
  });

  it('reaches the media pool of the node holding the call: at once in process, by polling otherwise, once each', async () => {
    const paused: Array<[string, boolean]> = [];
    const pool = { setPaused: async (id: string, p: boolean) => void paused.push([id, p]), stats: () => [] };
    const applier = startControlApplier({ db: t.db, adapter: t.adapter, log: t.log, pool, node: 'node-live' }, { pollMs: 60_000, qualityMs: 60_000 });
    try {
      const mode = ok(await admin.post('/api/recorder/recording-modes', { kind: 'number', value: '+1777', mode: 'on_demand' }));
      const here = await liveCall({ node: 'node-live', numbers: ['+17770001'] });
      const elsewhere = await liveCall({ node: 'node-other', numbers: ['+17770002'] });
      ok(await manager.post(here.url('start')));
      ok(await manager.post(elsewhere.url('start')));
      // The bus applies it without waiting for the (one-minute) poll.
      await expect.poll(() => paused, { timeout: 5000 }).toEqual([[here.id, false]]);
      ok(await manager.post(here.url('pause')));
      await expect.poll(() => paused.length, { timeout: 5000 }).toBe(2);
      expect(paused[1]).toEqual([here.id, true]);
      expect(await applier.drain()).toBe(0);
      const reqs = await repo.listRequests(t.db, here.id);
      expect(reqs.every((r) => r.applied_at && r.result === 'applied')).toBe(true);
      // The other node's request waits for that node's applier.
      expect((await repo.listRequests(t.db, elsewhere.id))[0]!.applied_at).toBeNull();
      const other = startControlApplier({ db: t.db, adapter: t.adapter, log: t.log, pool, node: 'node-other' }, { pollMs: 60_000, qualityMs: 60_000 });
      try {
        expect(await other.drain()).toBe(1);
      } finally {
        other.stop();
      }
      expect(paused[2]).toEqual([elsewhere.id, false]);
      // The live quality of this node's calls is published into recorder_calls for the Live screen of any process.
      const q = [
        { label: '1', packetsExpected: 100, packetsReceived: 99, packetsLost: 1, packetsLate: 0, packetsDuplicate: 0, jitterMs: 2, mos: 4.3, longestGapMs: 20 },
      ];
      const live = startControlApplier(
        { db: t.db, adapter: t.adapter, log: t.log, pool: { ...pool, stats: (id: string) => (id === here.id ? q : []) }, node: 'node-live' },
        { pollMs: 60_000, qualityMs: 60_000 },
      );
      try {
        await live.publishQuality();
      } finally {
        live.stop();
      }
      expect((await getCallById(t.db, t.adapter, here.id))!.quality).toEqual(q);
      expect((await getCallById(t.db, t.adapter, elsewhere.id))!.quality).toEqual([]);
      ok(await admin.del(`/api/recorder/recording-modes/${mode.id}`), 204);
    } finally {
      applier.stop();
    }
  });
});
