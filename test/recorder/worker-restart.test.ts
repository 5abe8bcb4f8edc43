// A crashed RTP worker, on both engines: the test kills the real worker process (SIGKILL) holding two calls while their
// RTP flows. The pool starts a new worker in its slot at once (a new call is recorded on it), and finalises the calls
// the dead one held into conversations with what their spools had sealed — each leg's audio bit-exact with what was
// sent up to the crash, less than the last unsealed second lost — flagged clipped; the signalling's BYE that comes
// later gets that same result.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWav } from '../../src/media/wav.ts';
import { MediaPoolService } from '../../src/recorder/media/service.ts';
import type { SiprecMetadata, StreamOffer } from '../../src/recorder/model.ts';
import { ENGINES } from '../db.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { makeTenant } from '../helpers/factories.ts';
import { RtpSender, testAudio } from './tools/rtp-sender.ts';

const offer = (label: string, index: number): StreamOffer => ({
  label,
  index,
  codecs: [{ pt: 0, name: 'pcmu', rate: 8000 }],
  crypto: [],
  direction: 'sendonly',
  remote: { address: '127.0.0.1', port: 18000 + index * 2 },
});

const meta = (callRef: string): SiprecMetadata => ({
  sessionId: `s-${callRef}`,
  groupId: null,
  callRef,
  vendor: 'generic',
  direction: 'inbound',
  participants: [
    { id: 'pc', name: 'Customer', aor: null, number: '+15550100', sends: ['1'], role: 'customer', userId: null, side: 'caller' },
    { id: 'pa', name: 'Agent', aor: null, number: '1001', sends: ['2'], role: 'agent', userId: null, side: 'callee' },
  ],
  streams: [
    { label: '1', participantId: 'pc' },
    { label: '2', participantId: 'pa' },
  ],
  extensions: {},
});

describe.each(ENGINES)('a crashed RTP worker is restarted and its calls finalised (%s)', (engine) => {
  let t: TestContext;
  let pool: MediaPoolService;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
    pool = await MediaPoolService.start(t, { workers: 1, portMin: engine === 'sqlite' ? 41000 : 41500, portMax: engine === 'sqlite' ? 41499 : 41999 });
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    await t?.cleanup();
  });

  async function legs(conversationId: string) {
    const seg = await t.db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const streams = await t.db.selectFrom('streams').selectAll().where('segment_id', '=', seg.id).orderBy('file_name').execute();
    return Promise.all(
      streams.map(async (s) => {
        const wav = await t.blobs.readAll(tenantId, s.blob_id!);
        const info = parseWav(wav);
        return wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
      }),
    );
  }

  it('restarts the worker, finalises its calls with what was sealed (flagged clipped), and records new calls', async () => {
    const dead = pool.workerPids[0]!;
    const calls = await Promise.all(
      [0, 1].map(async (i) => {
        const id = `crash-${i}-${randomBytes(4).toString('hex')}`;
        const answers = await pool.openCall(id, tenantId, [offer('1', 0), offer('2', 1)], meta(id));
        return { id, answers, audio: [testAudio(6000, 10 + i * 2), testAudio(6000, 11 + i * 2)] };
      }),
    );
    const sender = new RtpSender();
    for (const c of calls) c.answers.forEach((a, leg) => sender.add({ address: '127.0.0.1', port: a.port, audio: c.audio[leg]!, ssrc: 0x100 + leg }));
    sender.start();
    // 3.5 s in: every stream has sealed three times (once a second, staggered).
    await new Promise((r) => setTimeout(r, 3500));
    process.kill(dead, 'SIGKILL');
    await expect.poll(() => pool.workerPids[0] !== dead && pool.workerPids[0] !== undefined, { timeout: 15_000 }).toBe(true);
    sender.close();

    for (const c of calls) {
      // The signalling's BYE, later: the result of the finalisation the pool already did.
      const res = await pool.closeCall(c.id, 'bye');
      expect(res.conversationId).toBeTruthy();
      expect(res.flags).toContain('clipped');
      expect(res.flags).not.toContain('one_sided');
      const audio = await legs(res.conversationId!);
      expect(audio).toHaveLength(2);
      audio.forEach((got, leg) => {
        const sent = c.audio[leg]!;
        const at = got.indexOf(sent.subarray(800, 1200));
        expect(at).toBeGreaterThanOrEqual(800);
        const o = at - 800;
        let same = 0;
        while (o + same < got.length && same < sent.length && got[o + same] === sent[same]) same++;
        // Bit-exact up to where it stops, and it stops no more than ~1.2 s before the crash (at ~3.5 s).
        expect(o + same).toBe(got.length);
        expect(same / 8).toBeGreaterThan(3500 - 1300 - 400);
      });
    }

    // The new worker records a new call.
    const id = `after-${randomBytes(4).toString('hex')}`;
    const answers = await pool.openCall(id, tenantId, [offer('1', 0), offer('2', 1)], meta(id));
    const a = testAudio(1500, 30);
    const s2 = new RtpSender();
    s2.add({ address: '127.0.0.1', port: answers[0]!.port, audio: a });
    s2.add({ address: '127.0.0.1', port: answers[1]!.port, audio: testAudio(1500, 31) });
    s2.start();
    await s2.done;
    s2.close();
    await expect.poll(() => pool.stats(id).find((q) => q.label === '1')?.packetsReceived ?? 0, { timeout: 10_000 }).toBe(75);
    const res = await pool.closeCall(id, 'bye');
    expect(res.flags).toEqual([]);
    const [leg1] = await legs(res.conversationId!);
    const o = leg1!.indexOf(a.subarray(800, 1200)) - 800;
    expect(leg1!.subarray(o, o + a.length).equals(a)).toBe(true);
  }, 90_000);
});
