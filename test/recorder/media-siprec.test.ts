// A SIPREC call from SIPp (the shared scenarios) through the real recorder: signalling (R1) and the real media pool
// (RTP worker processes, spool, finalisation through ingest). The recorded leg that SIPp played is compared with what
// was sent — the RTP payloads of the scenario's own pcap — byte for byte after time alignment, and its party is the
// one the metadata names for its label; the pause scenario keeps nothing of the paused 3 s. Root only (SIPp plays pcaps
// through a raw socket), SQLite (the SQL is tested on both engines in the media pool's own tests).
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder, type RunningRecorder } from '../../src/recorder/role.ts';
import { newId } from '../../src/platform/ids.ts';
import { parseWav } from '../../src/media/wav.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { makeTenant } from '../helpers/factories.ts';
import { allowSource, agentsAtDomain } from './sources.ts';

const SIPP_DIR = path.resolve('test/recorder/fixtures/sipp');
const HAS_SIPP = spawnSync('sipp', ['-v']).status !== null;
const ROOT = process.getuid?.() === 0;

/** The RTP payloads of a pcap (Ethernet or Linux cooked capture, IPv4/UDP), in capture order. */
function pcapPayloads(file: string): Buffer {
  const b = fs.readFileSync(file);
  const link = b.readUInt32LE(20);
  const l2 = link === 113 ? 16 : 14;
  const out: Buffer[] = [];
  for (let off = 24; off + 16 <= b.length;) {
    const incl = b.readUInt32LE(off + 8);
    const pkt = b.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ihl = (pkt[l2]! & 0x0f) * 4;
    const rtp = pkt.subarray(l2 + ihl + 8);
    if (rtp.length > 12 && rtp[0]! >> 6 === 2 && (rtp[1]! & 0x7f) === 0) out.push(rtp.subarray(12 + (rtp[0]! & 0x0f) * 4));
  }
  return Buffer.concat(out);
}

/** Where `sent` starts inside `got`, found by a window 1 s in (the speech starts with silence, which matches anywhere). */
function locate(got: Buffer, sent: Buffer): number {
  const at = got.indexOf(sent.subarray(8000, 8800));
  return at < 0 ? -1 : at - 8000;
}

/** How many leading bytes of `a` equal `b`'s. */
function matching(a: Buffer, b: Buffer): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function sipp(rec: RunningRecorder, scenario: string): Promise<{ code: number | null; err: string }> {
  const args = [
    `127.0.0.1:${rec.transports.ports.udp!}`,
    '-sf',
    scenario,
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-m',
    '1',
    '-nostdin',
    '-timeout',
    '60s',
    '-timeout_error',
  ];
  const child = spawn('sipp', args, { cwd: SIPP_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, err };
}

describe.skipIf(!HAS_SIPP || !ROOT)('a SIPREC call from SIPp becomes a conversation (real media pool)', () => {
  let t: TestContext;
  let tenantId: string;
  let rec: RunningRecorder;

  beforeAll(async () => {
    t = await createTestContext('sqlite');
    tenantId = (await makeTenant(t)).tenantId;
    await allowSource(t.db, tenantId);
    // The metadata's agent is at cc.example.com (the scenario's AORs); everyone else is a customer.
    await agentsAtDomain(t.db, tenantId);
    rec = await startRecorder(t, {
      sip: {
        host: '127.0.0.1',
        udpPort: 0,
        tcpPort: 0,
        tlsPort: null,
        tls: null,
        advertisedAddress: '127.0.0.1',
        node: `media-${newId()}`,
        maxSessionMs: 0,
        rtp: { portMin: 36000, portMax: 36999, workers: 1 },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await rec?.stop();
    await t?.cleanup();
  });

  /** The conversation of the latest call, once the pool has finalised it. */
  async function conversationOfLatest() {
    for (let i = 0; i < 300; i++) {
      const r = await t.db
        .selectFrom('recorder_calls')
        .select(['conversation_id'])
        .where('tenant_id', '=', tenantId)
        .orderBy('started_at', 'desc')
        .executeTakeFirst();
      if (r?.conversation_id) return r.conversation_id;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the call was not finalised into a conversation');
  }

  async function legs(conversationId: string) {
    const seg = await t.db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const streams = await t.db.selectFrom('streams').selectAll().where('segment_id', '=', seg.id).orderBy('file_name').execute();
    const parts = await t.db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', conversationId).execute();
    return Promise.all(
      streams.map(async (s) => {
        const wav = await t.blobs.readAll(tenantId, s.blob_id!);
        const info = parseWav(wav);
        const p = parts.find((x) => x.party_key === s.party_key);
        return { file: s.file_name, role: p?.role, name: p?.name, audio: wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes), segmentId: seg.id };
      }),
    );
  }

  it('basic call: leg 1 is what SIPp sent, byte for byte, and belongs to the customer; leg 2 to the agent', async () => {
    const run = await sipp(rec, 'scenarios/siprec_basic.xml');
    expect(run.code, run.err).toBe(0);
    const [leg1, leg2] = await legs(await conversationOfLatest());
    expect(leg1!.role).toBe('customer');
    expect(leg1!.name).toMatch(/^Customer/);
    expect(leg2!.role).toBe('agent');
    const sent = pcapPayloads(path.join(SIPP_DIR, 'media/leg1_pcmu_10s.pcap'));
    expect(sent.length).toBe(500 * 160);
    const at = locate(leg1!.audio, sent);
    expect(at).toBeGreaterThanOrEqual(0);
    const q = await t.db.selectFrom('recorder_calls').select(['quality']).where('tenant_id', '=', tenantId).orderBy('started_at', 'desc').executeTakeFirst();
    const m = matching(leg1!.audio.subarray(at), sent);
    expect(m, `matched ${m} of ${sent.length}; quality ${JSON.stringify(q?.quality)}`).toBe(sent.length);
  }, 120_000);

  it('pause/resume by re-INVITE: nothing of the paused 3 s is kept, the rest is what was sent, in place', async () => {
    const run = await sipp(rec, 'scenarios/siprec_pause_resume.xml');
    expect(run.code, run.err).toBe(0);
    const conversationId = await conversationOfLatest();
    const [leg1] = await legs(conversationId);
    const pre = pcapPayloads(path.join(SIPP_DIR, 'media/leg1_pcmu_pre.pcap'));
    const post = pcapPayloads(path.join(SIPP_DIR, 'media/leg1_pcmu_post.pcap'));
    const full = pcapPayloads(path.join(SIPP_DIR, 'media/leg1_pcmu_10s.pcap'));
    const a = locate(leg1!.audio, pre);
    expect(a).toBeGreaterThanOrEqual(0);
    // The re-INVITE leaves SIPp the instant its last packet does: the pause may overtake a packet or two still in the
    // socket, and a paused recorder keeps nothing (PCI), so the pre-pause audio may lose its last 40 ms.
    const kept = matching(leg1!.audio.subarray(a), pre);
    expect(kept, `pre-pause audio matched for ${kept} of ${pre.length} bytes`).toBeGreaterThanOrEqual(pre.length - 320);
    const b = locate(leg1!.audio, post);
    expect(b).toBeGreaterThan(a + kept);
    expect(leg1!.audio.subarray(b, b + post.length).equals(post)).toBe(true);
    // The paused stretch (the source's 4–7 s, never sent) is silence of about its length, not audio.
    const secret = full.subarray(pre.length, full.length - post.length);
    expect(leg1!.audio.indexOf(secret.subarray(8000, 8800))).toBe(-1);
    expect(leg1!.audio.subarray(a + kept, b).every((x) => x === 0xff)).toBe(true);
    expect((b - (a + kept)) / 8).toBeGreaterThan(2500);
    const events = await t.db
      .selectFrom('segment_events')
      .selectAll()
      .where('segment_id', '=', leg1!.segmentId)
      .where('type', '=', 'recording_paused')
      .execute();
    expect(events).toHaveLength(1);
  }, 120_000);
});
