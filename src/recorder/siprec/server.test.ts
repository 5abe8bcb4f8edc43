// The SRS in-process over real UDP sockets, on both engines: a retransmitted INVITE gets the same answer and makes no
// second call, the 200 is retransmitted until the ACK, a garbled request gets 400 with the reason, and a flood of
// random and mutated messages never throws out of the handler — the server still answers afterwards.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { CapturePool } from '../../../test/recorder/capture-pool.ts';
import { newId } from '../../platform/ids.ts';
import { startRecorder, type RunningRecorder } from '../role.ts';
import { allowSource, loopbackUdpSip } from '../../../test/recorder/sources.ts';

const SDP = ['v=0', 'o=SRC 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 16000 RTP/AVP 0', 'a=sendonly', 'a=label:1', ''].join('\r\n');

function invite(port: number, localPort: number, callId: string, branch = 'z9hG4bK' + callId) {
  return [
    `INVITE sip:srs@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:src@127.0.0.1:${localPort}>;tag=src-${callId}`,
    `To: <sip:srs@127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:src@127.0.0.1:${localPort}>;+sip.src`,
    'Require: siprec',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n');
}

describe.each(ENGINES)('SIPREC server on %s', (engine) => {
  let t: TestContext;
  let rec: RunningRecorder;
  let client: dgram.Socket;
  let tenantId: string;
  const received: string[] = [];
  const pool = new CapturePool();
  const port = () => rec.transports.ports.udp!;
  const send = (text: string | Buffer) => new Promise<void>((r) => client.send(text, port(), '127.0.0.1', () => r()));
  const waitFor = async (pred: (m: string[]) => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!pred(received) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return pred(received);
  };

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
    await allowSource(t.db, tenantId, { name: 'lo', address: '127.0.0.1' });
    rec = await startRecorder(t, {
      pool,
      sip: loopbackUdpSip(`n-${newId()}`),
    });
    client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    client.on('message', (m) => received.push(m.toString('latin1')));
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await rec?.stop();
    await t?.cleanup();
  });

  it('answers a retransmitted INVITE with the same 200 (one call), retransmits the 200 until the ACK', async () => {
    received.length = 0;
    const callId = `retx-${newId()}`;
    await send(invite(port(), client.address().port, callId));
    expect(await waitFor((m) => m.some((x) => x.startsWith('SIP/2.0 200')))).toBe(true);
    await send(invite(port(), client.address().port, callId));
    // T1 = 500 ms: without an ACK the 200 comes again.
    expect(await waitFor((m) => m.filter((x) => x.startsWith('SIP/2.0 200')).length >= 3, 4000)).toBe(true);
    const oks = received.filter((x) => x.startsWith('SIP/2.0 200'));
    expect(new Set(oks.map((x) => /tag=([^\r;]+)/.exec(x.split('\r\nTo:')[1]!)![1])).size).toBe(1);
    const rows = await t.db.selectFrom('recorder_calls').select('id').where('sip_call_id', '=', callId).execute();
    expect(rows).toHaveLength(1);
    const toTag = /\r\nTo: [^\r]*;tag=([^\r;]+)/.exec(oks[0]!)![1];
    const ack = [
      `ACK sip:srs@127.0.0.1:${port()} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${client.address().port};branch=z9hG4bKack${callId}`,
      `From: <sip:src@127.0.0.1>;tag=src-${callId}`,
      `To: <sip:srs@127.0.0.1>;tag=${toTag}`,
      `Call-ID: ${callId}`,
      'CSeq: 1 ACK',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await send(ack);
    await new Promise((r) => setTimeout(r, 300));
    const before = received.filter((x) => x.startsWith('SIP/2.0 200')).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(received.filter((x) => x.startsWith('SIP/2.0 200')).length).toBe(before);
    const bye = ack.replace(/^ACK/, 'BYE').replace('CSeq: 1 ACK', 'CSeq: 2 BYE').replace(`branch=z9hG4bKack`, 'branch=z9hG4bKbye');
    await send(bye);
    for (let i = 0; i < 50; i++) {
      const r = await t.db.selectFrom('recorder_calls').select(['state', 'end_reason']).where('sip_call_id', '=', callId).executeTakeFirst();
      if (r?.state === 'ended') {
        expect(r.end_reason).toBe('bye');
        return;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the call did not end');
  }, 30_000);

  it('answers a garbled request with 400 and the reason, and survives a flood of random and mutated messages', async () => {
    received.length = 0;
    const base = invite(port(), client.address().port, 'bad-1');
    await send(base.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE'));
    expect(await waitFor((m) => m.some((x) => x.startsWith('SIP/2.0 400')))).toBe(true);
    expect(received.find((x) => x.startsWith('SIP/2.0 400'))).toContain('Warning: 399 earshot "CSeq method BYE does not match INVITE"');

    let seed = 99;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const calls = await t.db.selectFrom('recorder_calls').select('id').execute();
    for (let i = 0; i < 1500; i++) {
      const b = Buffer.from(invite(port(), client.address().port, `fz-${i}`));
      const edits = 1 + rnd(6);
      let buf = b;
      for (let e = 0; e < edits; e++) {
        const at = rnd(buf.length);
        const mode = rnd(3);
        if (mode === 0) buf[at] = rnd(256);
        else if (mode === 1) buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + rnd(30))]);
        else
          buf = Buffer.concat([buf.subarray(0, at), Buffer.from([':', ';', '<', '\r\n', ',', '=', 'multipart/mixed;boundary=x'][rnd(7)]!), buf.subarray(at)]);
      }
      rec.server.handle(buf, { transport: 'udp', address: '127.0.0.1', port: client.address().port }, true);
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 1000));
    received.length = 0;
    const options = [
      `OPTIONS sip:srs@127.0.0.1:${port()} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${client.address().port};branch=z9hG4bKopt1`,
      'From: <sip:src@127.0.0.1>;tag=o1',
      `To: <sip:srs@127.0.0.1>`,
      'Call-ID: opt-after-fuzz',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    // The mutated INVITEs that still parsed are calls being set up (database writes queue behind them), and their 200s
    // are retransmitted until an ACK that never comes, a few hundred datagrams a second to this client's socket: on a
    // loaded machine one answer can be dropped there. So the OPTIONS is retransmitted as a UAC does over UDP (RFC 3261
    // timer E: 500 ms, doubling to 4 s); the server answers a retransmission from its transaction.
    const answered = (m: string[]) => m.some((x) => x.startsWith('SIP/2.0 200') && x.includes('opt-after-fuzz'));
    const end = Date.now() + 40_000;
    for (let wait = 500; !answered(received) && Date.now() < end; wait = Math.min(wait * 2, 4000)) {
      await send(options);
      await waitFor(answered, wait);
    }
    expect(answered(received)).toBe(true);
    // Mutated INVITEs that still parsed became calls; none left the server in a state that throws.
    expect((await t.db.selectFrom('recorder_calls').select('id').execute()).length).toBeGreaterThanOrEqual(calls.length);
  }, 90_000);
});
