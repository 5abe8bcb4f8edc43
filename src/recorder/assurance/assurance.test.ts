// Recording assurance on both engines: ended sessions assessed once by the job (not recorded, one-sided with the silent
// party named, clipped by a timeout, nothing raised for a call a policy excluded or an on-demand call never started,
// nothing before the settle time), per-leg quality with the poor verdict and per-interval MOS, a conversation's
// recording details for the player (flags, legs, pauses), Recording health's counts, and the SRC OPTIONS probe against
// a real UDP responder and a silent port.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { insertCall, type NewRecorderCall } from '../calls/repository.ts';
import * as controlRepo from '../control/repository.ts';
import type { StreamQuality } from '../model.ts';
import { assessCall, intervalsOf, isPoor } from './assess.ts';
import { probeSources, probeTarget, sendOptions } from './options.ts';
import { assessEndedCalls } from './service.ts';

const leg = (label: string, received: number, extra: Partial<StreamQuality> = {}): StreamQuality => ({
  label,
  packetsExpected: received ? 3000 : 0,
  packetsReceived: received,
  packetsLost: received ? 3000 - received : 0,
  packetsLate: 0,
  packetsDuplicate: 0,
  jitterMs: 4,
  mos: received ? 4.3 : null,
  longestGapMs: 60,
  ...extra,
});

const parties = [
  {
    id: 'p1',
    name: 'Pat Customer',
    aor: 'sip:+15550100@x',
    number: '+15550100',
    sends: ['c'],
    role: 'customer' as const,
    userId: null,
    side: 'caller' as const,
  },
  { id: 'p2', name: 'Alex Agent', aor: 'sip:5101@pbx', number: '5101', sends: ['a'], role: 'agent' as const, userId: null, side: 'callee' as const },
];

describe('assessCall and quality verdicts', () => {
  it('calls a leg poor below MOS 3.6 or above 5 % loss, and rates each interval on its own', () => {
    expect(isPoor(leg('c', 3000))).toBe(false);
    expect(isPoor(leg('c', 3000, { mos: 3.2 }))).toBe(true);
    expect(isPoor(leg('c', 2800))).toBe(true);
    const ints = intervalsOf(
      leg('c', 3000, {
        intervals: [
          { offsetMs: 0, expected: 250, lost: 0, jitterMs: 2 },
          { offsetMs: 5000, expected: 250, lost: 50, jitterMs: 30 },
          { offsetMs: 10000, expected: 2, lost: 0, jitterMs: 0 },
        ],
      }),
    );
    expect(ints.map((i) => i.poor)).toEqual([false, true, false]);
    expect(ints[0]!.mos).toBeGreaterThan(4);
    expect(ints[1]).toMatchObject({ lossPercent: 20 });
    expect(ints[2]!.mos).toBeNull();
  });
});

describe.each(ENGINES)('recording assurance on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;

  async function ended(opts: Partial<NewRecorderCall> & { endedAgoMs?: number; policyRecord?: boolean; mode?: string; started?: boolean } = {}) {
    const id = newId();
    const endedAt = new Date(Date.now() - (opts.endedAgoMs ?? 5 * 60_000)).toISOString();
    await insertCall(t.db, t.adapter, {
      id,
      tenantId,
      callRef: opts.callRef ?? `ref-${id}`,
      sessionId: `s-${id}`,
      sipCallId: `rs-${id}`,
      node: 'n1',
      state: 'ended',
      startedAt: new Date(Date.parse(endedAt) - 60_000).toISOString(),
      endedAt,
      endReason: opts.endReason ?? 'bye',
      participants: parties,
      streams: [],
      quality: opts.quality ?? [leg('c', 3000), leg('a', 3000)],
      flags: opts.flags ?? [],
      conversationId: opts.conversationId ?? null,
      controlMode: (opts.mode as 'always') ?? 'always',
    });
    if (opts.policyRecord !== undefined || opts.mode) {
      await controlRepo.insertCallControl(t.db, {
        call_id: id,
        tenant_id: tenantId,
        call_ref: `ref-${id}`,
        mode: opts.mode ?? 'always',
        mode_source: null,
        policy_record: opts.policyRecord === false ? 0 : 1,
        policy_rule_id: null,
        policy_rule_name: opts.policyRecord === false ? 'No recording' : null,
        policy_reason: null,
        assessed_at: null,
        created_at: nowIso(),
      });
    }
    if (opts.started)
      await controlRepo.insertRequest(t.db, {
        id: newId(),
        tenant_id: tenantId,
        call_id: id,
        action: 'start',
        requested_by: null,
        requested_at: nowIso(),
        applied_at: nowIso(),
        result: 'applied',
      });
    return id;
  }

  const flagsOf = (callId: string) =>
    t.db.selectFrom('recording_assurance_events').select(['flag', 'detail', 'conversation_id']).where('call_id', '=', callId).execute();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
  });
  afterAll(() => t?.cleanup());

  it('assesses each ended call once, with the flags that apply and words for each', async () => {
    const conv = (await makeChat(t, ingest)).conversationId;
    const oneSided = await ended({
      conversationId: conv,
      flags: ['one_sided'],
      quality: [leg('c', 2990, { intervals: [{ offsetMs: 0, expected: 250, lost: 40, jitterMs: 25 }] }), leg('a', 0)],
    });
    const lost = await ended({ conversationId: null });
    const tooSoon = await ended({ conversationId: null, endedAgoMs: 10_000 });
    const excluded = await ended({ conversationId: null, policyRecord: false });
    const neverStarted = await ended({ conversationId: null, mode: 'on_demand' });
    const startedButLost = await ended({ conversationId: null, mode: 'on_demand', started: true });
    const timedOut = await ended({ conversationId: (await makeChat(t, ingest)).conversationId, endReason: 'timeout' });
    const cancelled = await ended({ conversationId: null, endReason: 'cancel' });

    expect(await assessEndedCalls(t)).toBeGreaterThanOrEqual(7);
    expect(await flagsOf(oneSided)).toEqual([{ flag: 'one_sided', detail: 'One-sided: nothing was received from Alex Agent', conversation_id: conv }]);
    expect((await flagsOf(lost)).map((f) => f.flag)).toEqual(['not_recorded']);
    expect((await flagsOf(lost))[0]!.detail).toBe('The call was signalled (2 parties) but no recording was kept (ended by bye)');
    expect(await flagsOf(tooSoon)).toEqual([]);
    expect(await flagsOf(excluded)).toEqual([]);
    expect(await flagsOf(neverStarted)).toEqual([]);
    expect((await flagsOf(startedButLost)).map((f) => f.flag)).toEqual(['not_recorded']);
    expect((await flagsOf(timedOut)).map((f) => f.flag)).toEqual(['clipped']);
    expect(await flagsOf(cancelled)).toEqual([]);
    // Once only; the call that was too recent is assessed once it settles.
    expect(await assessEndedCalls(t)).toBe(0);
    expect(await assessEndedCalls(t, Date.now() + 5 * 60_000)).toBe(1);
    expect((await flagsOf(tooSoon)).map((f) => f.flag)).toEqual(['not_recorded']);

    const quality = await t.db.selectFrom('recording_quality').selectAll().where('conversation_id', '=', conv).orderBy('label').execute();
    expect(quality.map((q) => [q.label, q.participant, q.role, Number(q.packets_received), q.poor])).toEqual([
      ['a', 'Alex Agent', 'agent', 0, 0],
      ['c', 'Pat Customer', 'customer', 2990, 0],
    ]);

    // The player's view of it: flags, legs with their interval verdicts, and a pause the media pool marked.
    const segment = await t.db.selectFrom('segments').select(['id', 'started_at']).where('conversation_id', '=', conv).executeTakeFirstOrThrow();
    await t.db
      .insertInto('segment_events')
      .values({
        id: newId(),
        segment_id: segment.id,
        type: 'recording_paused',
        at: new Date(Date.parse(segment.started_at) + 2_000).toISOString(),
        data: t.adapter.json({ offsetMs: 2_000, durationMs: 7_500, by: 'api', party: null }),
      })
      .execute();
    const rec = ok(await admin.get(`/api/conversations/${conv}/recording`));
    expect(rec.flags).toEqual([{ flag: 'one_sided', detail: 'One-sided: nothing was received from Alex Agent', callRef: `ref-${oneSided}` }]);
    expect(rec.legs.map((l: Json) => [l.label, l.side, l.poor, l.intervals.length])).toEqual([
      ['a', 'callee', false, 0],
      ['c', 'caller', false, 1],
    ]);
    expect(rec.legs[1].intervals[0]).toMatchObject({ offsetMs: 0, lossPercent: 16, poor: true });
    expect(rec.pauses).toEqual([{ segmentId: segment.id, at: expect.any(String), offsetMs: 2_000, durationMs: 7_500, by: 'api' }]);
    const outsider = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
    fails(await outsider.get(`/api/conversations/${conv}/recording`), 404, 'NOT_FOUND');
  });

  it('counts the flags, calls and poor quality on Recording health, for recorder administrators only', async () => {
    const conv = (await makeChat(t, ingest)).conversationId;
    await ended({ conversationId: conv, quality: [leg('c', 2500), leg('a', 3000)] });
    await assessEndedCalls(t);
    const h = ok(await admin.get('/api/recorder/health?days=7'));
    expect(h.days).toBe(7);
    expect(h.calls).toBe(9);
    expect(h.recorded).toBe(3);
    expect(h.poorQuality).toBeGreaterThanOrEqual(1);
    const count = (f: string) => h.flags.find((x: Json) => x.flag === f).count;
    expect(count('not_recorded')).toBe(3);
    expect(count('one_sided')).toBe(1);
    expect(count('clipped')).toBe(1);
    expect(count('empty')).toBe(0);
    expect(h.recent.length).toBe(5);
    expect(typeof h.refusals).toBe('number');
    fails(await admin.get('/api/recorder/health?days=0'), 400, 'VALIDATION_FAILED');
    const manager = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'] }));
    fails(await manager.get('/api/recorder/health'), 403, 'FORBIDDEN');
  });

  it('probes each SRC with OPTIONS: a live one is ok, a silent one is reported stopped until it answers again', async () => {
    expect(probeTarget('sip:sbc.example.com:5070;transport=udp')).toEqual({ host: 'sbc.example.com', port: 5070 });
    expect(probeTarget('sips:[::1]')).toEqual({ host: '::1', port: 5060 });
    expect(probeTarget('10.0.0.1')).toEqual({ host: '10.0.0.1', port: 5060 });
    // A minimal SRC: answers any OPTIONS with 200 OK, echoing Via, Call-ID and CSeq as a SIP stack does.
    const src = dgram.createSocket('udp4');
    src.on('message', (msg, rinfo) => {
      const lines = msg.toString().split('\r\n');
      const keep = lines.filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
      src.send(['SIP/2.0 200 OK', ...keep, 'Content-Length: 0', '', ''].join('\r\n'), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => src.bind(0, '127.0.0.1', () => r()));
    const live = `sip:127.0.0.1:${src.address().port}`;
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const dead = `sip:127.0.0.1:${silent.address().port}`;
    try {
      expect(await sendOptions(live)).toBe('SIP/2.0 200 OK');
      await expect(sendOptions(dead, 300)).rejects.toThrow(/no answer/);
      const now = nowIso();
      const source = (name: string, uri: string) => ({
        id: newId(),
        tenant_id: tenantId,
        name,
        address: '127.0.0.1',
        tls_identity: null,
        vendor: 'generic',
        ping_uri: uri,
        enabled: 1,
        calls: 0,
        last_seen_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      await t.db
        .insertInto('recorder_sources')
        .values([source('SBC live', live), source('SBC down', dead)])
        .execute();
      const quick = (uri: string) => sendOptions(uri, 300);
      await probeSources(t, quick);
      const h = ok(await admin.get('/api/recorder/health'));
      const byName = new Map((h.sources as Json[]).map((s) => [s.name, s]));
      expect(byName.get('SBC live')).toMatchObject({ status: 'ok', lastError: null });
      expect(byName.get('SBC down')).toMatchObject({ status: 'stopped', lastOkAt: null, lastError: 'no answer within 300 ms' });
      const since = byName.get('SBC down').failingSince;
      await probeSources(t, quick);
      expect((ok(await admin.get('/api/recorder/health')).sources as Json[]).find((s) => s.name === 'SBC down').failingSince).toBe(since);
      // It answers again: reported ok, the failure cleared.
      await probeSources(t, async () => 'SIP/2.0 200 OK');
      expect((ok(await admin.get('/api/recorder/health')).sources as Json[]).find((s) => s.name === 'SBC down')).toMatchObject({
        status: 'ok',
        failingSince: null,
      });
    } finally {
      src.close();
      silent.close();
    }
  });

  it('never raises flags the media pool did not see on a healthy recorded call', () => {
    const call = {
      id: 'x',
      participants: parties,
      quality: [leg('c', 3000), leg('a', 3000)],
      flags: [],
      conversationId: 'conv',
      endReason: 'bye',
      streams: [],
    };
    expect(assessCall(call as never, { mode: 'always', policyRecord: true, policyRuleName: null, started: false })).toEqual([]);
  });
});
