// kill -9 of a recorder under load (its process group: the pool and its RTP workers die together, nothing gets to
// flush): each call loses at most the audio not yet sealed — the last second and a 100 ms chunk — and the next start
// finalises every partial recording into a conversation flagged "recovered", its audio bit-exact up to the crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { ENGINES } from '../../../test/db.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { RtpSender, testAudio } from '../../../test/recorder/tools/rtp-sender.ts';
import { parseWav } from '../../media/wav.ts';
import { MediaPoolService } from './service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const CALLS = 10;

describe.each(ENGINES)('recorder kill -9 (%s)', (engine) => {
  let t: TestContext;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    tenantId = (await makeTenant(t)).tenantId;
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('loses at most the unsealed second of each call; restart finalises every call', async () => {
    const portMin = engine === 'sqlite' ? 37000 : 38000;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-recorder.script.ts')], {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        CRASH_DATA_DIR: t.dataDir,
        CRASH_DB_URL: t.config.databaseUrl,
        CRASH_MASTER_KEY: t.config.masterKey!,
        CRASH_TENANT: tenantId,
        CRASH_CALLS: String(CALLS),
        CRASH_PORT_MIN: String(portMin),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (!out.includes('\n')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`recorder did not start: ${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const calls = JSON.parse(out.slice(out.indexOf('OPEN ') + 5).split('\n')[0]!) as { callId: string; ports: number[] }[];
    const sender = new RtpSender();
    const audio = new Map<string, Buffer>();
    calls.forEach((c, i) =>
      c.ports.forEach((port, leg) => {
        const a = testAudio(6000, 100 + i * 2 + leg);
        audio.set(`${c.callId}:${leg}`, a);
        sender.add({ address: '127.0.0.1', port, audio: a, ssrc: 1000 + i * 2 + leg });
      }),
    );
    const started = performance.now();
    sender.start();
    await new Promise((r) => setTimeout(r, 3000));
    // Audio sent up to the kill: every packet sent before it was received (loopback) but not all was sealed.
    const sentMs = sender.sent > 0 ? Math.min(6000, Math.floor(sender.sent / (CALLS * 2)) * 20) : 0;
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    sender.close();
    expect(performance.now() - started).toBeGreaterThan(2900);

    const pool = await MediaPoolService.start(t, { workers: 1, portMin: portMin + 500, portMax: portMin + 999 });
    try {
      const recovered = await pool.recover();
      expect(recovered).toHaveLength(CALLS);
      for (const r of recovered) {
        expect(r.conversationId).toBeTruthy();
        const seg = await t.db.selectFrom('segments').selectAll().where('conversation_id', '=', r.conversationId!).executeTakeFirstOrThrow();
        expect(t.adapter.fromJson<Record<string, string>>(seg.metadata)['recorder.flags']).toContain('recovered');
        const streams = await t.db.selectFrom('streams').selectAll().where('segment_id', '=', seg.id).orderBy('file_name').execute();
        expect(streams).toHaveLength(2);
        for (const [leg, st] of streams.entries()) {
          const wav = await t.blobs.readAll(tenantId, st.blob_id!);
          const info = parseWav(wav);
          const got = wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
          const sent = audio.get(`${r.callId}:${leg}`)!;
          const o = got.indexOf(sent.subarray(0, 400));
          expect(o).toBeGreaterThanOrEqual(0);
          const kept = got.length - o;
          // Lost: at most the unsealed second, one 100 ms chunk, and what was in flight at the kill.
          expect(kept).toBeGreaterThanOrEqual((sentMs - 1100 - 100) * 8);
          expect(got.subarray(o).equals(sent.subarray(0, kept))).toBe(true);
        }
      }
      expect(await pool.recover()).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
