// Two holds on one call, on both engines, through the real SIPREC server over UDP and the control API's service: the
// SRC's pause (re-INVITE a=inactive) and the API's pause/stop. Regressions of two bugs: an API resume of a call the
// SRC paused showed "recording" while the media was still inactive (now refused, or the call stays paused while the
// SRC holds it), and the signalling overwrote the API's paused time at the end of the call (now one pause clock that
// both move, a pause still running at BYE included).
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/auth/actor.ts';
import { newId } from '../../src/platform/ids.ts';
import { DomainError } from '../../src/platform/errors.ts';
import { getCallById } from '../../src/recorder/calls/repository.ts';
import { controlRecording, createMode } from '../../src/recorder/control/service.ts';
import { startRecorder, type RunningRecorder } from '../../src/recorder/role.ts';
import { ENGINES } from '../db.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { makeTenant } from '../helpers/factories.ts';
import { CapturePool } from './capture-pool.ts';
import { allowSource, loopbackUdpSip } from './sources.ts';

const sdp = (dir: string, version: number) =>
  ['v=0', `o=SRC 1 ${version} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 16000 RTP/AVP 0', `a=${dir}`, 'a=label:1', ''].join('\r\n');

/** A minimal SRC: one recording dialog over UDP (INVITE, ACK, re-INVITE, BYE), waiting for each final response. */
class Src {
  private readonly sock = dgram.createSocket('udp4');
  private readonly got: string[] = [];
  private cseq = 1;
  private toTag = '';
  readonly callId = `hold-${newId()}`;
  constructor(private readonly port: number) {}
  async open() {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', () => r()));
    this.sock.on('message', (m) => this.got.push(m.toString('latin1')));
  }
  private get local() {
    return this.sock.address().port;
  }
  private async request(method: string, body: string | null, cseq: number) {
    const branch = `z9hG4bK${newId()}`;
    const lines = [
      `${method} sip:srs@127.0.0.1:${this.port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.local};branch=${branch}`,
      'Max-Forwards: 70',
      `From: <sip:src@127.0.0.1:${this.local}>;tag=src-${this.callId}`,
      `To: <sip:srs@127.0.0.1:${this.port}>${this.toTag ? `;tag=${this.toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:src@127.0.0.1:${this.local}>;+sip.src`,
      ...(method === 'INVITE' && !this.toTag ? ['Require: siprec'] : []),
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${body ? Buffer.byteLength(body) : 0}`,
      '',
      body ?? '',
    ].join('\r\n');
    await new Promise<void>((r) => this.sock.send(lines, this.port, '127.0.0.1', () => r()));
    if (method === 'ACK') return '';
    const deadline = Date.now() + 10_000;
    for (;;) {
      const final = this.got.find((m) => /^SIP\/2\.0 [2-6]/.test(m) && m.includes(`\r\nCSeq: ${cseq} ${method}`));
      if (final) return final;
      if (Date.now() > deadline) throw new Error(`no final response to ${method}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  private async invite(dir: string) {
    const cseq = this.cseq++;
    const res = await this.request('INVITE', sdp(dir, cseq), cseq);
    expect(res.startsWith('SIP/2.0 200')).toBe(true);
    this.toTag ||= /\r\nTo: [^\r]*;tag=([^\r;]+)/.exec(res)![1]!;
    await this.request('ACK', null, cseq);
  }
  start = () => this.invite('sendonly');
  pause = () => this.invite('inactive');
  resume = () => this.invite('sendonly');
  async bye() {
    const cseq = this.cseq++;
    expect((await this.request('BYE', null, cseq)).startsWith('SIP/2.0 200')).toBe(true);
  }
  close() {
    this.sock.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('the SRC and the API both hold a call (%s)', (engine) => {
  let t: TestContext;
  let rec: RunningRecorder;
  let tenantId: string;
  const pool = new CapturePool();

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
    await allowSource(t.db, tenantId, { name: 'lo', address: '127.0.0.1' });
    // Every call may be paused and resumed through the API (PCI).
    await createMode(t, systemActor(tenantId), { kind: 'default', value: '', mode: 'always_pause' });
    rec = await startRecorder(t, {
      pool,
      sip: loopbackUdpSip(`holds-${newId()}`),
    });
  }, 60_000);
  afterAll(async () => {
    await rec?.stop();
    await t?.cleanup();
  });

  async function call() {
    const src = new Src(rec.transports.ports.udp!);
    await src.open();
    await src.start();
    const row = await t.db.selectFrom('recorder_calls').select(['id', 'call_ref']).where('sip_call_id', '=', src.callId).executeTakeFirstOrThrow();
    const api = (action: 'pause' | 'resume' | 'start' | 'stop') => controlRecording(t, systemActor(tenantId), row.call_ref, action);
    const state = async () => (await getCallById(t.db, t.adapter, row.id))!;
    const media = () => pool.calls.get(row.id)!;
    return { src, api, state, media, id: row.id };
  }

  it('an API resume does not show "recording" while the SRC keeps the media inactive', async () => {
    const c = await call();
    try {
      await c.src.pause();
      // The 200 goes out before the row is written: wait for the row.
      await expect.poll(async () => (await c.state()).srcPaused).toBe(true);
      expect((await c.state()).state).toBe('paused');
      // Nothing of the API's to lift: refused with the reason, the call stays paused.
      const refused = await c.api('resume').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'RECORDING_CONTROL_REFUSED', details: { reason: 'PAUSED_BY_SOURCE' } });
      expect((await c.state()).state).toBe('paused');

      // The API pauses too; the SRC resumes: still paused (the API holds it), media too.
      expect(await c.api('pause')).toMatchObject({ state: 'paused', changed: true });
      await c.src.resume();
      await expect.poll(async () => (await c.state()).srcPaused).toBe(false);
      expect((await c.state()).state).toBe('paused');
      expect(c.media().paused).toBe(true);

      // The bug: the SRC pauses, the API resumes — the media stays inactive, so must the state.
      await c.src.pause();
      await expect.poll(async () => (await c.state()).srcPaused).toBe(true);
      expect(await c.api('resume')).toMatchObject({ state: 'paused', changed: true });
      const row = await c.state();
      expect(row.state).toBe('paused');
      expect(row.srcPaused).toBe(true);
      await expect.poll(() => c.media().pausedBy.has('api')).toBe(false);
      expect(c.media().paused).toBe(true);
      // Only the SRC's resume brings it back.
      await c.src.resume();
      await expect.poll(async () => (await c.state()).state).toBe('recording');
      expect(c.media().paused).toBe(false);
      await c.src.bye();
    } finally {
      c.src.close();
    }
  }, 60_000);

  it('keeps the API’s paused time at the end of the call, and a pause still running at BYE', async () => {
    const c = await call();
    try {
      // ~400 ms paused through the API, then ~300 ms by the SRC, then the API pauses again until BYE (~300 ms).
      await c.api('pause');
      await sleep(400);
      await c.api('resume');
      await c.src.pause();
      await expect.poll(async () => (await c.state()).state).toBe('paused');
      await sleep(300);
      await c.src.resume();
      await expect.poll(async () => (await c.state()).state).toBe('recording');
      await c.api('pause');
      await sleep(300);
      await c.src.bye();
      await expect.poll(async () => (await c.state()).state).toBe('ended');
      const row = await c.state();
      expect(row.pauseStartedAt).toBeNull();
      // Before the fix the SRC's 300 ms alone were written at the end.
      expect(row.pausedMs).toBeGreaterThanOrEqual(950);
      expect(row.pausedMs).toBeLessThan(3000);
    } finally {
      c.src.close();
    }
  }, 60_000);
});
