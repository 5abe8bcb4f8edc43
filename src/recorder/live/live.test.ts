// Live monitoring on both engines: the active calls of recorder_calls in the user's group scope with their filters,
// durations, pause clock, live quality and policy decision; chats in progress; and listen-in over the WebSocket — the
// hello naming the legs, binary µ-law frames from the media pool of the node holding the call (one leg or both),
// the audit event, and the refusals (permission, scope, other origin, unknown leg, a call recorded elsewhere, plain HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { login, makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { insertCall } from '../calls/repository.ts';
import type { FrameListener } from '../media/pool.ts';
import type { StreamAnswer, StreamQuality } from '../model.ts';
import { decodeFrame } from './frames.ts';
import { registerLocalRecorder } from './registry.ts';

const stream = (label: string, index: number): StreamAnswer => ({
  label,
  index,
  port: 40000 + index * 2,
  address: '127.0.0.1',
  codec: { pt: 0, name: 'pcmu', rate: 8000 },
  extraCodecs: [],
  crypto: null,
  reason: null,
  storedRaw: false,
});

/** A media pool double for one node: frames are pushed by the test, as the RTP workers would relay them. */
function fakePool() {
  const subs: Array<{ callId: string; label: string | null; onFrame: FrameListener }> = [];
  const stats = new Map<string, StreamQuality[]>();
  return {
    subs,
    stats: (id: string) => stats.get(id) ?? [],
    setStats: (id: string, q: StreamQuality[]) => stats.set(id, q),
    subscribe(callId: string, label: string | null, onFrame: FrameListener) {
      const s = { callId, label, onFrame };
      subs.push(s);
      return () => subs.splice(subs.indexOf(s), 1);
    },
    push(callId: string, label: string, byte: number, ts: number) {
      for (const s of subs) if (s.callId === callId && (s.label === null || s.label === label)) s.onFrame(label, Buffer.alloc(160, byte), ts);
    },
  };
}

/**
 * A real WebSocket client over a listening server (app.injectWS sends Sec-WebSocket-Version as a number, which ws 8.23
 * refuses). Rejects with the HTTP status when the handshake is refused.
 */
function connect(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<WebSocket & { got: Json[] }>((resolve, reject) => {
    const ws = Object.assign(new WebSocket(base.replace(/^http/, 'ws') + path, { headers }), { got: [] as Json[] });
    collect(ws, ws.got);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Messages received on a socket, text parsed, binary decoded. */
function collect(ws: WebSocket, messages: Json[]) {
  ws.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? { frame: decodeFrame(new Uint8Array(data)) } : JSON.parse(data.toString())));
  return messages;
}

describe.each(ENGINES)('live monitoring on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let manager: Client;
  let managerCookie: string;
  let scoped: Client;
  let agent: Client;
  let groupA: string;
  let groupB: string;
  let agentId: string;
  const pool = fakePool();
  let unregister: () => void;
  let base: string;

  async function call(
    opts: { node?: string; groupId?: string | null; state?: 'recording' | 'paused'; direction?: 'inbound' | 'outbound'; startedAt?: string } = {},
  ) {
    const id = newId();
    await insertCall(t.db, t.adapter, {
      id,
      tenantId,
      callRef: `ref-${id}`,
      sessionId: `s-${id}`,
      sipCallId: `rs-${id}`,
      node: opts.node ?? 'live-node',
      state: opts.state ?? 'recording',
      startedAt: opts.startedAt ?? new Date(Date.now() - 65_000).toISOString(),
      direction: opts.direction ?? 'inbound',
      groupId: opts.groupId === undefined ? groupA : opts.groupId,
      agentUserId: agentId,
      pauseStartedAt: opts.state === 'paused' ? new Date(Date.now() - 10_000).toISOString() : null,
      pausedMs: opts.state === 'paused' ? 5_000 : 0,
      participants: [
        { id: 'p1', name: 'Pat Customer', aor: 'sip:+15550100@x', number: '+15550100', sends: ['c'], role: 'customer', userId: null, side: 'caller' },
        { id: 'p2', name: 'Alex Agent', aor: 'sip:5101@pbx', number: '5101', sends: ['a'], role: 'agent', userId: agentId, side: 'callee' },
      ],
      streams: [stream('c', 0), stream('a', 1)],
    });
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    let ingest;
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    groupA = await makeGroup(t, tenantId, 'Sales');
    groupB = await makeGroup(t, tenantId, 'Support');
    const agentUser = await makeUser(t, tenantId, { roles: ['agent'], extension: '5101', name: 'Alex Agent', groupId: groupA });
    agentId = agentUser.id;
    agent = await signIn(t.app, agentUser);
    const m = await makeUser(t, tenantId, { roles: ['cc_manager'] });
    managerCookie = await login(t.app, m);
    manager = await signIn(t.app, m);
    scoped = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupB }));
    unregister = registerLocalRecorder('live-node', pool);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    await makeChat(t, ingest, { agentExtension: '5101', customerName: 'Chatty Customer', at: new Date(Date.now() - 60_000) });
    await makeChat(t, ingest, { agentExtension: '5101', customerName: 'Old Chat', at: new Date(Date.now() - 3 * 3600_000) });
  });
  afterAll(async () => {
    unregister?.();
    await t?.cleanup();
  });

  it('lists the calls being recorded in the scope, with parties, durations, pause clock, quality and filters', async () => {
    const a = await call();
    const paused = await call({ state: 'paused', direction: 'outbound' });
    const b = await call({ groupId: groupB, node: 'elsewhere' });
    pool.setStats(a, [
      {
        label: 'c',
        packetsExpected: 1000,
        packetsReceived: 990,
        packetsLost: 10,
        packetsLate: 0,
        packetsDuplicate: 0,
        jitterMs: 3.21,
        mos: 4.2,
        longestGapMs: 40,
      },
    ]);
    const all = ok(await manager.get('/api/live'));
    const mine = (all.calls as Json[]).filter((c) => [a, paused, b].includes(c.id));
    expect(mine.map((c) => c.id).sort()).toEqual([a, paused, b].sort());
    const first = mine.find((c) => c.id === a);
    expect(first).toMatchObject({
      state: 'recording',
      mode: 'always',
      direction: 'inbound',
      group: { id: groupA, name: 'Sales' },
      agent: { id: agentId, name: 'Alex Agent' },
      listenable: true,
      quality: [{ label: 'c', mos: 4.2, jitterMs: 3.2, lossPercent: 1, packetsReceived: 990 }],
    });
    expect(first.durationMs).toBeGreaterThanOrEqual(64_000);
    expect(first.parties.map((p: Json) => `${p.role}:${p.side}:${p.labels.join()}`)).toEqual(['customer:caller:c', 'agent:callee:a']);
    expect(mine.find((c) => c.id === b).listenable).toBe(false);
    expect(mine.find((c) => c.id === paused).pausedMs).toBeGreaterThanOrEqual(15_000);
    // Chats still in progress, not those finished hours ago.
    expect((all.chats as Json[]).map((c) => c.title)).toEqual(['Support chat with Chatty Customer']);

    const ids = async (q: string, who = manager) =>
      ((ok(await who.get(`/api/live${q}`)).calls as Json[]).map((c) => c.id) as string[]).filter((id) => [a, paused, b].includes(id)).sort();
    expect(await ids('?state=paused')).toEqual([paused]);
    expect(await ids('?direction=outbound')).toEqual([paused]);
    expect(await ids(`?groupId=${groupB}`)).toEqual([b]);
    expect(await ids('?q=pat%20cust')).toEqual([a, paused, b].sort());
    expect(await ids('?q=nobody')).toEqual([]);
    // A manager of Support sees Support's call only, even when asking for Sales.
    expect(await ids('', scoped)).toEqual([b]);
    expect(await ids(`?groupId=${groupA}`, scoped)).toEqual([]);
    fails(await agent.get('/api/live'), 403, 'FORBIDDEN');
    fails(await manager.get('/api/live?state=ended'), 400, 'VALIDATION_FAILED');
  });

  it('streams both legs, or one, to a listener in µ-law frames, and audits who listened', async () => {
    const id = await call();
    const ws = await connect(base, `/api/live/calls/${id}/listen`, { cookie: managerCookie });
    const got = ws.got;
    await expect.poll(() => got.length).toBeGreaterThan(0);
    expect(got[0]).toEqual({
      type: 'hello',
      callId: id,
      codec: 'pcmu',
      sampleRate: 8000,
      legs: [
        { label: 'c', participant: 'Pat Customer', role: 'customer' },
        { label: 'a', participant: 'Alex Agent', role: 'agent' },
      ],
    });
    await expect.poll(() => pool.subs.filter((s) => s.callId === id).length).toBe(1);
    pool.push(id, 'c', 0x11, 20);
    pool.push(id, 'a', 0x22, 20);
    pool.push(id, 'c', 0x13, 40);
    await expect.poll(() => got.length).toBe(4);
    const frames = got.slice(1).map((m) => m.frame);
    expect(frames.map((f: Json) => [f.leg, f.ts, f.pcmu.length, f.pcmu[0]])).toEqual([
      [0, 20, 160, 0x11],
      [1, 20, 160, 0x22],
      [0, 40, 160, 0x13],
    ]);
    ws.terminate();
    await expect.poll(() => pool.subs.filter((s) => s.callId === id).length).toBe(0);

    const one = await connect(base, `/api/live/calls/${id}/listen?label=a`, { cookie: managerCookie });
    const only = one.got;
    await expect.poll(() => pool.subs.filter((s) => s.callId === id).length).toBe(1);
    pool.push(id, 'c', 0x11, 60);
    pool.push(id, 'a', 0x23, 60);
    await expect.poll(() => only.length).toBe(2);
    expect(only[0].legs).toEqual([{ label: 'a', participant: 'Alex Agent', role: 'agent' }]);
    expect(only[1].frame.leg).toBe(0);
    expect(only[1].frame.pcmu[0]).toBe(0x23);
    one.terminate();

    const trail = (ok(await admin.get(`/api/audit?resourceId=${id}`)).items as Json[]).map((e) => [e.action, e.details]);
    expect(trail).toContainEqual(['LIVE_MONITOR', `Monitored call ref-${id} (Pat Customer – Alex Agent)`]);
    expect(trail).toContainEqual(['LIVE_MONITOR', `Monitored call ref-${id} (Pat Customer – Alex Agent), leg Alex Agent only`]);
  });

  it('refuses listeners without the permission, outside the scope, from another origin, and what cannot be tapped here', async () => {
    const id = await call();
    const elsewhere = await call({ node: 'another-host' });
    const refusal = async (url: string, cookie = managerCookie) => {
      const ws = await connect(base, url, { cookie });
      const got = ws.got;
      const closed = new Promise<number>((r) => ws.on('close', (code: number) => r(code)));
      const code = await closed;
      return { code, message: got[0] };
    };
    expect(await refusal(`/api/live/calls/${id}/listen?label=zz`)).toMatchObject({ code: 4409, message: { type: 'error', code: 'VALIDATION_FAILED' } });
    expect(await refusal(`/api/live/calls/${elsewhere}/listen`)).toMatchObject({ code: 4409, message: { type: 'error', code: 'LISTEN_UNAVAILABLE' } });
    expect(await refusal(`/api/live/calls/${newId()}/listen`)).toMatchObject({ code: 4404, message: { type: 'error', code: 'NOT_FOUND' } });
    // The handshake itself is refused before any upgrade for these.
    const scopedCookie = await login(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupB }));
    expect(await refusal(`/api/live/calls/${id}/listen`, scopedCookie)).toMatchObject({ code: 4404 });
    await expect(connect(base, `/api/live/calls/${id}/listen`, { cookie: managerCookie, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const agentCookie = await login(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
    await expect(connect(base, `/api/live/calls/${id}/listen`, { cookie: agentCookie })).rejects.toThrow(/403/);
    await expect(connect(base, `/api/live/calls/${id}/listen`)).rejects.toThrow(/401/);
    fails(await manager.get(`/api/live/calls/${id}/listen`), 400, 'VALIDATION_FAILED', 'WEBSOCKET_ONLY');
    void nowIso;
  });
});
