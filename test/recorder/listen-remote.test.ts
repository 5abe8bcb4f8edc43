// Listen-in across processes, on both engines: the call is held by recorder node "far-node", which is not in this
// process's registry — only its relay endpoint (live/remote.ts, a real WebSocket server on 127.0.0.1) and its row in
// recorder_nodes say where it is, as for a recorder on another host. A browser-side WebSocket to the API gets the
// hello and the frames the far recorder's pool produces, relayed with the shared-secret token; the listen-in is audited
// as before; a wrong secret, an expired or foreign token, and a recorder gone silent are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { newId } from '../../src/platform/ids.ts';
import { insertCall } from '../../src/recorder/calls/repository.ts';
import { decodeFrame } from '../../src/recorder/live/frames.ts';
import { checkListenToken, listenToken, startListenServer, type ListenServer } from '../../src/recorder/live/remote.ts';
import { saveNode } from '../../src/recorder/live/repository.ts';
import type { FrameListener } from '../../src/recorder/media/pool.ts';
import type { StreamAnswer } from '../../src/recorder/model.ts';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { tenantWithAdmin } from '../helpers/conversations.ts';
import { login, makeUser } from '../helpers/factories.ts';
import { ok, signIn, type Client, type Json } from '../helpers/http.ts';

const SECRET = 'a'.repeat(20) + 'b'.repeat(20);

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

/** The far recorder's media pool: frames pushed by the test, as its RTP workers would produce them. */
function farPool() {
  const subs: Array<{ callId: string; label: string | null; onFrame: FrameListener }> = [];
  return {
    subs,
    subscribe(callId: string, label: string | null, onFrame: FrameListener) {
      const s = { callId, label, onFrame };
      subs.push(s);
      return () => void subs.splice(subs.indexOf(s), 1);
    },
    push(callId: string, label: string, byte: number, ts: number) {
      for (const s of subs) if (s.callId === callId && (s.label === null || s.label === label)) s.onFrame(label, Buffer.alloc(160, byte), ts);
    },
  };
}

function connect(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<WebSocket & { got: Json[] }>((resolve, reject) => {
    const ws = Object.assign(new WebSocket(base.replace(/^http/, 'ws') + path, { headers }), { got: [] as Json[] });
    ws.on('message', (data: Buffer, isBinary: boolean) => ws.got.push(isBinary ? { frame: decodeFrame(new Uint8Array(data)) } : JSON.parse(data.toString())));
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('listen-in relay tokens', () => {
  it('bind the call, the leg and a 30 s expiry to the shared secret', () => {
    const now = Date.now();
    const t = listenToken(SECRET, 'call-1', 'a', now);
    expect(checkListenToken(SECRET, t, 'call-1', 'a', now + 1000)).toBe(true);
    expect(checkListenToken(SECRET, t, 'call-2', 'a', now)).toBe(false);
    expect(checkListenToken(SECRET, t, 'call-1', null, now)).toBe(false);
    expect(checkListenToken(SECRET, t, 'call-1', 'a', now + 31_000)).toBe(false);
    expect(checkListenToken('x'.repeat(40), t, 'call-1', 'a', now)).toBe(false);
    expect(checkListenToken(SECRET, 'garbage', 'call-1', 'a', now)).toBe(false);
  });
});

describe.each(ENGINES)('listen-in across processes (%s)', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let manager: Client;
  let managerCookie: string;
  let admin: Client;
  let base: string;
  let relay: ListenServer;
  const pool = farPool();
  const node = `far-node-${newId()}`;

  async function call(onNode = node) {
    const id = newId();
    await insertCall(t.db, t.adapter, {
      id,
      tenantId,
      callRef: `ref-${id}`,
      sessionId: `s-${id}`,
      sipCallId: `rs-${id}`,
      node: onNode,
      state: 'recording',
      startedAt: new Date(Date.now() - 5000).toISOString(),
      participants: [
        { id: 'p1', name: 'Pat Customer', aor: null, number: '+15550100', sends: ['c'], role: 'customer', userId: null, side: 'caller' },
        { id: 'p2', name: 'Alex Agent', aor: null, number: '5101', sends: ['a'], role: 'agent', userId: null, side: 'callee' },
      ],
      streams: [stream('c', 0), stream('a', 1)],
    });
    return id;
  }

  beforeAll(async () => {
    process.env.EARSHOT_RECORDER_SECRET = SECRET;
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin } = await tenantWithAdmin(t));
    const m = await makeUser(t, tenantId, { roles: ['cc_manager'] });
    managerCookie = await login(t.app, m);
    manager = await signIn(t.app, m);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    relay = await startListenServer({ host: '127.0.0.1', port: 0, secret: SECRET, pool, log: t.log });
    const now = new Date().toISOString();
    await saveNode(t.db, { node, listen_url: relay.url, pid: 1, started_at: now, seen_at: now });
  }, 60_000);
  afterAll(async () => {
    delete process.env.EARSHOT_RECORDER_SECRET;
    await relay?.close();
    await t?.cleanup();
  });

  it('relays the far recorder’s frames to the listener, lists the call as listenable, and audits it', async () => {
    const id = await call();
    const listed = (ok(await manager.get('/api/live')).calls as Json[]).find((c) => c.id === id);
    expect(listed.listenable).toBe(true);
    const ws = await connect(base, `/api/live/calls/${id}/listen`, { cookie: managerCookie });
    await expect.poll(() => ws.got.length).toBeGreaterThan(0);
    expect(ws.got[0]).toMatchObject({ type: 'hello', callId: id, legs: [{ label: 'c' }, { label: 'a' }] });
    // The relay's WebSocket reached the far recorder and subscribed there.
    await expect.poll(() => pool.subs.filter((s) => s.callId === id).length).toBe(1);
    pool.push(id, 'c', 0x11, 20);
    pool.push(id, 'a', 0x22, 20);
    pool.push(id, 'c', 0x13, 40);
    await expect.poll(() => ws.got.length).toBe(4);
    expect(ws.got.slice(1).map((m) => [m.frame.leg, m.frame.ts, m.frame.pcmu.length, m.frame.pcmu[0]])).toEqual([
      [0, 20, 160, 0x11],
      [1, 20, 160, 0x22],
      [0, 40, 160, 0x13],
    ]);
    ws.terminate();
    // Closing the listener closes the relay: the far recorder stops sending.
    await expect.poll(() => pool.subs.filter((s) => s.callId === id).length).toBe(0);
    // One leg only travels as one leg.
    const one = await connect(base, `/api/live/calls/${id}/listen?label=a`, { cookie: managerCookie });
    await expect.poll(() => pool.subs.filter((s) => s.callId === id && s.label === 'a').length).toBe(1);
    pool.push(id, 'a', 0x23, 60);
    await expect.poll(() => one.got.length).toBe(2);
    expect(one.got[1].frame).toMatchObject({ leg: 0, ts: 60 });
    one.terminate();
    const trail = (ok(await admin.get(`/api/audit?resourceId=${id}`)).items as Json[]).map((e) => e.action);
    expect(trail.filter((a) => a === 'LIVE_MONITOR')).toHaveLength(2);
  }, 60_000);

  it('refuses a relay without the right token, and a call on a recorder that stopped refreshing its row', async () => {
    const id = await call();
    // Straight to the recorder's endpoint with a token from another secret, or none: 401, nothing subscribed.
    const bad = listenToken('z'.repeat(40), id, null);
    await expect(connect(relay.url.replace(/^ws/, 'http'), `/listen?call=${id}`, { authorization: `Bearer ${bad}` })).rejects.toThrow(/401/);
    await expect(connect(relay.url.replace(/^ws/, 'http'), `/listen?call=${id}`)).rejects.toThrow(/401/);
    // A token for one call does not open another.
    const other = listenToken(SECRET, 'another-call', null);
    await expect(connect(relay.url.replace(/^ws/, 'http'), `/listen?call=${id}`, { authorization: `Bearer ${other}` })).rejects.toThrow(/401/);
    expect(pool.subs.filter((s) => s.callId === id)).toHaveLength(0);

    const gone = `gone-node-${newId()}`;
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await saveNode(t.db, { node: gone, listen_url: relay.url, pid: 2, started_at: old, seen_at: old });
    const stale = await call(gone);
    expect((ok(await manager.get('/api/live')).calls as Json[]).find((c) => c.id === stale).listenable).toBe(false);
    const ws = await connect(base, `/api/live/calls/${stale}/listen`, { cookie: managerCookie });
    const code = await new Promise<number>((r) => ws.on('close', (c: number) => r(c)));
    expect(code).toBe(4409);
    expect(ws.got[0]).toMatchObject({ type: 'error', code: 'LISTEN_UNAVAILABLE' });
  }, 60_000);
});
