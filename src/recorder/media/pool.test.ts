// The media pool end to end on both engines: real RTP worker processes receive RTP/SRTP from the test sender on
// loopback, and each call becomes a conversation through ingest. The recorded audio of every leg is read back from
// the media store and compared with what was sent, byte for byte after time alignment (G.711 is stored as sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { ENGINES } from '../../../test/db.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { RtpSender, testAudio } from '../../../test/recorder/tools/rtp-sender.ts';
import { parseWav } from '../../media/wav.ts';
import type { SiprecMetadata, StreamOffer } from '../model.ts';
import { MediaPoolService } from './service.ts';
import { srtpImplementation } from '../srtp/srtp.ts';

const PCMU = { pt: 0, name: 'pcmu', rate: 8000 };
const DTMF = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };

function offer(label: string, index: number, extra: Partial<StreamOffer> = {}): StreamOffer {
  return { label, index, codecs: [PCMU, DTMF], crypto: [], direction: 'sendonly', remote: { address: '127.0.0.1', port: 16000 + index * 2 }, ...extra };
}

function meta(callRef: string): SiprecMetadata {
  return {
    sessionId: `sess-${callRef}`,
    groupId: null,
    callRef,
    vendor: 'generic',
    direction: 'inbound',
    participants: [
      {
        id: 'pc',
        name: 'Customer One',
        aor: 'sip:+15550100@pstn.example.com',
        number: '+15550100',
        sends: ['1'],
        role: 'customer',
        userId: null,
        side: 'caller',
      },
      { id: 'pa', name: 'Agent 1001', aor: 'sip:1001@pbx.example.com', number: '1001', sends: ['2'], role: 'agent', userId: null, side: 'callee' },
    ],
    streams: [
      { label: '1', participantId: 'pc' },
      { label: '2', participantId: 'pa' },
    ],
    extensions: {},
  };
}

/** Offset (bytes) at which `sent` starts inside `got`, by exact match of a 400-byte window. */
function alignment(got: Buffer, sent: Buffer): number {
  const probe = sent.subarray(800, 1200);
  const at = got.indexOf(probe);
  return at < 0 ? -1 : at - 800;
}

/** Waits until the worker has taken in `n` packets of `label` (its stats arrive once a second): on a loaded machine a
 * pause or close sent right after the last packet could otherwise overtake datagrams still in the socket buffer. */
async function received(pool: MediaPoolService, callId: string, label: string, n: number) {
  const deadline = Date.now() + 15_000;
  while ((pool.stats(callId).find((q) => q.label === label)?.packetsReceived ?? 0) < n) {
    if (Date.now() > deadline) throw new Error(`leg ${label} received ${pool.stats(callId).find((q) => q.label === label)?.packetsReceived} of ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(ENGINES)('media pool (%s)', (engine) => {
  let t: TestContext;
  let pool: MediaPoolService;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
    pool = await MediaPoolService.start(t, {
      workers: 2,
      portMin: 31000 + (engine === 'sqlite' ? 0 : 2000),
      portMax: 32999 + (engine === 'sqlite' ? 0 : 2000),
    });
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    await t?.cleanup();
  });

  async function legAudio(conversationId: string) {
    const seg = await t.db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const streams = await t.db.selectFrom('streams').selectAll().where('segment_id', '=', seg.id).execute();
    const parts = await t.db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', conversationId).execute();
    const out = new Map<string, { role: string; name: string | null; audio: Buffer; status: string }>();
    for (const s of streams) {
      const p = parts.find((x) => x.party_key === s.party_key);
      const wav = s.blob_id ? await t.blobs.readAll(tenantId, s.blob_id) : Buffer.alloc(0);
      const info = s.status === 'ok' ? parseWav(wav) : null;
      out.set(p?.name ?? String(s.party_key), {
        role: p?.role ?? '?',
        name: p?.name ?? null,
        audio: info ? wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes) : wav,
        status: s.status,
      });
    }
    return { seg, streams, out };
  }

  it('records two legs (one reordered and duplicated, one wrapping seq and timestamp) into a conversation, aligned and bit-exact', async () => {
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(callId, tenantId, [offer('1', 0), offer('2', 1)], meta(callId));
    expect(answers.map((a) => [a.label, a.index, a.port > 0, a.codec?.name, a.extraCodecs.map((c) => c.name)])).toEqual([
      ['1', 0, true, 'pcmu', ['telephone-event']],
      ['2', 1, true, 'pcmu', ['telephone-event']],
    ]);
    const a1 = testAudio(3000, 1);
    const a2 = testAudio(3000, 2);
    const sender = new RtpSender();
    sender.add({ address: '127.0.0.1', port: answers[0]!.port, audio: a1, reorderEvery: 7, duplicateEvery: 11 });
    // Sequence wraps after 20 packets, the timestamp after ~0.4 s.
    sender.add({ address: '127.0.0.1', port: answers[1]!.port, audio: a2, ssrc: 0x5e6f7081, seq: 65516, ts: 0xffffffff - 3200 + 1 });
    sender.start();
    await sender.done;
    sender.close();
    await received(pool, callId, '1', 150);
    await received(pool, callId, '2', 150);
    const live = pool.stats(callId);
    expect(live.length).toBe(2);
    const res = await pool.closeCall(callId, 'bye');
    expect(res.conversationId).toBeTruthy();
    expect(res.flags).toEqual([]);
    const q1 = res.quality.find((q) => q.label === '1')!;
    const q2 = res.quality.find((q) => q.label === '2')!;
    expect(q1).toMatchObject({ packetsExpected: 150, packetsReceived: 150, packetsLost: 0, packetsLate: 0 });
    expect(q1.packetsDuplicate).toBe(Math.floor(150 / 11));
    expect(q2).toMatchObject({ packetsExpected: 150, packetsReceived: 150, packetsLost: 0, packetsDuplicate: 0 });
    expect(q1.mos).toBeGreaterThan(4);

    const { seg, out } = await legAudio(res.conversationId!);
    const cust = out.get('Customer One')!;
    const agent = out.get('Agent 1001')!;
    expect(cust.role).toBe('customer');
    expect(agent.role).toBe('agent');
    const o1 = alignment(cust.audio, a1);
    const o2 = alignment(agent.audio, a2);
    expect(o1).toBeGreaterThanOrEqual(0);
    expect(o2).toBeGreaterThanOrEqual(0);
    // Both legs were sent on the same 20 ms ticks: aligned within a packet of each other even on a loaded machine
    // (the legs of a call share one worker; quiet, they land within a millisecond or two).
    expect(Math.abs(o1 - o2)).toBeLessThanOrEqual(8 * 25);
    expect(cust.audio.subarray(o1, o1 + a1.length).equals(a1)).toBe(true);
    expect(agent.audio.subarray(o2, o2 + a2.length).equals(a2)).toBe(true);
    const md = t.adapter.fromJson<Record<string, string>>(seg.metadata);
    expect(md['siprec.callRef']).toBe(callId);
    expect(md['siprec.sessionId']).toBe(`sess-${callId}`);
    const conv = await t.db.selectFrom('conversations').selectAll().where('id', '=', res.conversationId!).executeTakeFirstOrThrow();
    expect(conv.direction).toBe('inbound');
    expect(conv.customer_phone).toBe('+15550100');
    expect(conv.has_call).toBe(1);
    expect(await t.db.selectFrom('segments').select('id').where('conversation_id', '=', res.conversationId!).execute()).toHaveLength(1);
  }, 60_000);

  it('pause (API) keeps nothing received while paused: the paused time is silence of its length and a marked gap', async () => {
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(callId, tenantId, [offer('1', 0), offer('2', 1)], meta(callId));
    const a1 = testAudio(3000, 3);
    // Three phases, each sent whole before the next step, so a loaded machine cannot shift them: 1 s, pause, the
    // second 1 s (to be dropped), resume, the last 1 s (sequence and timestamp continue, as from a pass-through SBC).
    const phase = async (from: number) => {
      const s = new RtpSender();
      s.add({ address: '127.0.0.1', port: answers[0]!.port, audio: a1.subarray(from * 8, (from + 1000) * 8), seq: 1000 + from / 20, ts: from * 8 });
      s.start();
      await s.done;
      s.close();
    };
    await phase(0);
    await received(pool, callId, '1', 50);
    await pool.setPaused(callId, true, 'api');
    await phase(1000);
    await pool.setPaused(callId, false, 'api');
    await phase(2000);
    await received(pool, callId, '1', 100);
    const res = await pool.closeCall(callId, 'bye');
    // The second leg sent nothing at all.
    expect(res.flags).toContain('one_sided');
    const { seg, out } = await legAudio(res.conversationId!);
    const cust = out.get('Customer One')!.audio;
    expect(cust.length).toBeGreaterThan(2900 * 8);
    const o = alignment(cust, a1);
    expect(cust.subarray(o, o + 1000 * 8).equals(a1.subarray(0, 1000 * 8))).toBe(true);
    const last = cust.indexOf(a1.subarray(2000 * 8, 2100 * 8));
    expect(cust.subarray(last, last + 1000 * 8).equals(a1.subarray(2000 * 8))).toBe(true);
    // About one second of silence in the middle, and nothing of the paused second was stored.
    const middle = a1.subarray(1200 * 8, 1800 * 8);
    expect(cust.indexOf(middle.subarray(0, 160))).toBe(-1);
    let silent = 0;
    for (const b of cust) if (b === 0xff) silent++;
    const events = await t.db.selectFrom('segment_events').selectAll().where('segment_id', '=', seg.id).execute();
    const paused = events
      .filter((e) => e.type === 'recording_paused')
      .map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { durationMs: number; by: string });
    expect(paused).toHaveLength(1);
    expect(paused[0]!.by).toBe('api');
    expect(paused[0]!.durationMs).toBeGreaterThan(900);
    // The silence covers the pause (plus the moments no packet came between a phase and the next step).
    expect(silent / 8).toBeGreaterThanOrEqual(paused[0]!.durationMs - 50);
  }, 60_000);

  it('re-INVITE with every stream inactive pauses and sendonly resumes; DTMF is an event, not audio', async () => {
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(callId, tenantId, [offer('1', 0), offer('2', 1)], meta(callId));
    const a1 = testAudio(2000, 5);
    const a2 = testAudio(2000, 6);
    const sender = new RtpSender();
    sender.add({ address: '127.0.0.1', port: answers[0]!.port, audio: a1, dtmf: [{ atMs: 400, event: 5, durationMs: 200 }] });
    sender.add({ address: '127.0.0.1', port: answers[1]!.port, audio: a2 });
    sender.start();
    await sender.done;
    await received(pool, callId, '2', 100);
    await received(pool, callId, '1', 100);
    const again = await pool.updateCall(callId, [offer('1', 0, { direction: 'inactive' }), offer('2', 1, { direction: 'inactive' })]);
    expect(again.map((a) => a.port)).toEqual(answers.map((a) => a.port));
    const during = new RtpSender();
    during.add({ address: '127.0.0.1', port: answers[0]!.port, audio: testAudio(500, 7), seq: 5000 });
    during.start();
    await during.done;
    during.close();
    await pool.updateCall(callId, [offer('1', 0), offer('2', 1)]);
    const res = await pool.closeCall(callId, 'bye');
    sender.close();
    const { seg, out } = await legAudio(res.conversationId!);
    const cust = out.get('Customer One')!.audio;
    expect(cust.indexOf(testAudio(500, 7).subarray(0, 160))).toBe(-1);
    // The DTMF's 200 ms are silence in the audio; the audio around it is intact.
    const o1 = alignment(cust, a1);
    expect(cust.subarray(o1 + 400 * 8, o1 + 600 * 8).every((b) => b === 0xff)).toBe(true);
    expect(cust.subarray(o1 + 600 * 8, o1 + 2000 * 8).equals(a1.subarray(600 * 8))).toBe(true);
    const events = await t.db.selectFrom('segment_events').selectAll().where('segment_id', '=', seg.id).execute();
    const dtmf = events
      .filter((e) => e.type === 'dtmf')
      .map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { digit: string; durationMs: number; party: string });
    expect(dtmf).toEqual([expect.objectContaining({ digit: '5', durationMs: 200, party: 'p1' })]);
    expect(events.filter((e) => e.type === 'recording_paused')).toHaveLength(1);
  }, 60_000);

  it('a pause resolves only once the RTP workers have it in effect: audio sent right after it is not kept', async () => {
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(callId, tenantId, [offer('1', 0), offer('2', 1)], meta(callId));
    const before = testAudio(1000, 9);
    const s1 = new RtpSender();
    s1.add({ address: '127.0.0.1', port: answers[0]!.port, audio: before });
    s1.start();
    await s1.done;
    s1.close();
    await received(pool, callId, '1', 50);
    // Workers stopped: the pause cannot take effect, so the call must not say it has.
    for (const pid of pool.workerPids) process.kill(pid, 'SIGSTOP');
    let settled = false;
    const pausing = pool.setPaused(callId, true, 'api').finally(() => (settled = true));
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
    } finally {
      for (const pid of pool.workerPids) process.kill(pid, 'SIGCONT');
    }
    await pausing;
    const secret = testAudio(500, 8);
    const s2 = new RtpSender();
    s2.add({ address: '127.0.0.1', port: answers[0]!.port, audio: secret, seq: 7000, ts: 1000 * 8 });
    s2.start();
    await s2.done;
    s2.close();
    await pool.setPaused(callId, false, 'api');
    const res = await pool.closeCall(callId, 'bye');
    const cust = (await legAudio(res.conversationId!)).out.get('Customer One')!.audio;
    expect(alignment(cust, before)).toBeGreaterThanOrEqual(0);
    for (let at = 0; at + 160 <= secret.length; at += 800) expect(cust.indexOf(secret.subarray(at, at + 160))).toBe(-1);
  }, 60_000);

  it.each([
    ['libsrtp sender → TypeScript receiver', 'libsrtp', 'ts'],
    ['TypeScript sender → default receiver', 'ts', 'auto'],
  ] as const)(
    'SRTP (SDES AES_CM_128_HMAC_SHA1_80): %s',
    async (_name, senderImpl, receiverImpl) => {
      if (senderImpl === 'libsrtp' && srtpImplementation() !== 'libsrtp') return;
      const p = receiverImpl === 'ts' ? await MediaPoolService.start(t, { workers: 1, portMin: 35000, portMax: 35999, srtpImpl: 'ts' }) : pool;
      try {
        const key = `inline:${randomBytes(30).toString('base64')}`;
        const callId = `call-${randomBytes(4).toString('hex')}`;
        const crypto = [
          { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: key },
          { tag: 2, suite: 'F8_128_HMAC_SHA1_80', keyParams: key },
        ];
        const answers = await p.openCall(callId, tenantId, [offer('1', 0, { crypto }), offer('2', 1, { crypto: [crypto[1]!] })], meta(callId));
        expect(answers[0]!.crypto).toMatchObject({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80' });
        expect(answers[0]!.crypto!.keyParams).not.toBe(key);
        expect(answers[1]!.port).toBe(0);
        expect(answers[1]!.reason).toMatch(/SRTP/);
        const a1 = testAudio(2000, 9);
        const sender = new RtpSender();
        sender.add({
          address: '127.0.0.1',
          port: answers[0]!.port,
          audio: a1,
          seq: 65500,
          srtp: { suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: key, impl: senderImpl },
        });
        sender.start();
        await sender.done;
        sender.close();
        await received(p, callId, '1', 100);
        const res = await p.closeCall(callId, 'bye');
        expect(res.quality[0]).toMatchObject({ packetsReceived: 100, packetsLost: 0 });
        const { out } = await legAudio(res.conversationId!);
        const cust = out.get('Customer One')!.audio;
        const o = alignment(cust, a1);
        expect(cust.subarray(o, o + a1.length).equals(a1)).toBe(true);
      } finally {
        if (p !== pool) await p.close();
      }
    },
    60_000,
  );

  it('G.729 is accepted and stored raw with the reason; live listen gets 20 ms µ-law frames; cancel leaves nothing', async () => {
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(callId, tenantId, [offer('1', 0), offer('2', 1, { codecs: [{ pt: 18, name: 'g729', rate: 8000 }] })], meta(callId));
    expect(answers[1]).toMatchObject({ storedRaw: true, codec: { name: 'g729' } });
    expect(answers[1]!.reason).toMatch(/unsupported codec G\.729/);
    const frames: { label: string; len: number; ts: number }[] = [];
    const stop = pool.subscribe(callId, null, (label, pcmu, ts) => frames.push({ label, len: pcmu.length, ts }));
    const sender = new RtpSender();
    sender.add({ address: '127.0.0.1', port: answers[0]!.port, audio: testAudio(1000, 11) });
    sender.add({ address: '127.0.0.1', port: answers[1]!.port, audio: Buffer.alloc(160 * 50, 0x42), pt: 18 });
    sender.start();
    await sender.done;
    sender.close();
    stop();
    expect(frames.length).toBeGreaterThan(30);
    expect(frames.every((f) => f.label === '1' && f.len === 160)).toBe(true);
    const res = await pool.closeCall(callId, 'bye');
    expect(res.flags).toContain('unsupported_codec');
    const { streams } = await legAudio(res.conversationId!);
    const raw = streams.find((s) => s.status === 'unsupported_codec')!;
    expect(raw.codec).toBe('g729');
    expect(raw.status_reason).toMatch(/G\.729/);
    expect((await t.blobs.readAll(tenantId, raw.blob_id!)).length).toBe(50 * (6 + 160));

    const cancelled = `call-${randomBytes(4).toString('hex')}`;
    await pool.openCall(cancelled, tenantId, [offer('1', 0)], meta(cancelled));
    expect(await pool.closeCall(cancelled, 'cancel')).toEqual({ conversationId: null, quality: expect.any(Array), flags: [] });
    const empty = `call-${randomBytes(4).toString('hex')}`;
    await pool.openCall(empty, tenantId, [offer('1', 0)], meta(empty));
    expect(await pool.closeCall(empty, 'bye')).toMatchObject({ conversationId: null, flags: ['empty'] });
  }, 60_000);
});
