// The media pipeline and playback end to end on both databases: a corpus call is ingested, analysed by the job,
// and played (manifest, peaks, stereo mix, solo) and exported (MP3, WAV) with audit events and permissions.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './db.ts';
import { createTestApp } from './helpers/context.ts';
import { login, makeTenant, makeUser } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { runJobs } from './helpers/jobs.ts';
import { parseWav } from '../src/media/wav.ts';
import { decodePeakSlice } from '../src/media/peaks.ts';
import { runFfmpeg } from '../src/media/test-fixtures.ts';

const CORPUS = path.resolve('..', 'shared/corpus/public');
const present = fs.existsSync(CORPUS);

describe.skipIf(!present).each(ENGINES)('media pipeline and playback on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: string;
  let evaluator: string;
  let conversationId: string;
  let segmentId: string;
  const get = (url: string, cookie = admin, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { cookie, ...headers } });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const tenant = await makeTenant(t);
    await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '1001', name: 'Alex Agent' });
    const ev = await makeUser(t, tenant.tenantId, { roles: ['evaluator'], name: 'Eve Evaluator' });
    admin = await login(t.app, tenant.admin);
    evaluator = await login(t.app, ev);
    const meta = {
      callId: 'p06-hold',
      startTime: '2026-11-01T10:00:00.000Z',
      direction: 'inbound',
      parties: [
        { key: 'agent', role: 'agent', extension: '1001' },
        { key: 'cust', role: 'customer', phone: '+15550100' },
      ],
      audio: [{ file: 'p06.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
    };
    const body = multipart([
      { name: 'metadata', value: JSON.stringify(meta) },
      { name: 'audio', file: { fileName: 'p06.wav', data: fs.readFileSync(path.join(CORPUS, 'p06_hold_music.wav')) } },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { cookie: admin, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    conversationId = res.json().conversationId;
    segmentId = res.json().segmentId;
    const before = (await get(`/api/conversations/${conversationId}/media`)).json();
    expect(before.status).toBe('pending');
    await runJobs(t);
  }, 120_000);
  afterAll(() => t.cleanup());

  it('analyses the call: streams per party with their side, peaks levels, the hold, talk time', async () => {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    expect(m.status).toBe('ready');
    expect(m.holdCount).toBe(1);
    const [seg] = m.segments;
    expect(seg.streams.map((s: { party: string; side: string; role: string }) => [s.party, s.role, s.side])).toEqual([
      ['agent', 'agent', 'called'],
      ['cust', 'customer', 'calling'],
    ]);
    expect(seg.streams.every((s: { status: string; talkMs: number }) => s.status === 'ok' && s.talkMs > 5000)).toBe(true);
    expect(seg.streams[0].peaks.levels.length).toBeGreaterThanOrEqual(3);
    expect(m.crosstalk).toEqual({ measurable: true, reason: null, message: null });
    const hold = m.events.find((e: { type: string }) => e.type === 'hold');
    const truth = JSON.parse(fs.readFileSync(path.join(CORPUS, 'p06_hold_music.json'), 'utf8')).events.holds[0];
    expect(Math.abs(hold.startMs - truth.start * 1000)).toBeLessThan(500);
    expect(Math.abs(hold.endMs - truth.end * 1000)).toBeLessThan(500);
  });

  it('says crosstalk is not measurable on a single-channel recording instead of listing none', async () => {
    const stereo = fs.readFileSync(path.join(CORPUS, 'p05_angry_manager_crosstalk.wav'));
    const mono = runFfmpeg(['-f', 'wav', '-i', 'pipe:0', '-ac', '1', '-f', 'wav', 'pipe:1'], stereo);
    const meta = {
      callId: 'p05-mono',
      startTime: '2026-11-02T10:00:00.000Z',
      direction: 'inbound',
      parties: [
        { key: 'agent', role: 'agent', extension: '1001' },
        { key: 'cust', role: 'customer', phone: '+15550101' },
      ],
      audio: [{ file: 'p05-mono.wav' }], // one channel, every party mixed
    };
    const body = multipart([
      { name: 'metadata', value: JSON.stringify(meta) },
      { name: 'audio', file: { fileName: 'p05-mono.wav', data: mono } },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { cookie: admin, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
    const m = (await get(`/api/conversations/${res.json().conversationId}/media`)).json();
    expect(m.status).toBe('ready');
    expect(m.segments[0].streams).toHaveLength(1);
    expect(m.events.filter((e: { type: string }) => e.type === 'crosstalk')).toEqual([]);
    expect(m.crosstalk).toEqual({ measurable: false, reason: 'SINGLE_CHANNEL', message: 'Crosstalk is not measurable on a single-channel recording' });
  }, 120_000);

  it('serves peaks by level and time window', async () => {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    const stream = m.segments[0].streams[1];
    const coarse = await get(stream.peaksUrl);
    expect(coarse.statusCode).toBe(200);
    const c = decodePeakSlice(coarse.rawPayload);
    expect(c.level).toBe(stream.peaks.levels.length - 1);
    expect(c.data.length / 2).toBe(stream.peaks.levels.at(-1).bucketCount);
    const fine = decodePeakSlice((await get(`${stream.peaksUrl}?level=0&startMs=10000&endMs=11000`)).rawPayload);
    expect(fine.data.length / 2).toBeGreaterThan(200); // 1 s at 32 samples per bucket = 250 buckets
    expect(fine.data.length / 2).toBeLessThan(300);
    expect(Math.abs(fine.startMs - 10000)).toBeLessThan(10);
    expect((await get(`${stream.peaksUrl}?level=9`)).statusCode).toBe(400);
  });

  it('plays the stereo mix with ranges, the calling party louder on the left', async () => {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    const full = await get(m.segments[0].mixUrl);
    expect(full.statusCode).toBe(200);
    const wav = parseWav(full.rawPayload);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 8000, dataOffset: 44 });
    const part = await get(m.segments[0].mixUrl, admin, { range: 'bytes=1001-5000' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1001-5000/${full.rawPayload.length}`);
    expect(part.rawPayload.equals(full.rawPayload.subarray(1001, 5001))).toBe(true);
    expect((await get(m.segments[0].mixUrl, admin, { range: `bytes=${full.rawPayload.length + 10}-` })).statusCode).toBe(416);
    // Where only the customer (calling side) speaks, left = 1.0 and right = 0.6 of the same signal.
    const soloBuf = (await get(m.segments[0].streams[1].soloUrl)).rawPayload;
    const agentBuf = (await get(m.segments[0].streams[0].soloUrl)).rawPayload;
    const solo = parseWav(soloBuf);
    const agentSolo = parseWav(agentBuf);
    expect(solo.frames).toBe(wav.frames);
    const pcm = new Int16Array(full.rawPayload.buffer.slice(full.rawPayload.byteOffset + 44, full.rawPayload.byteOffset + full.rawPayload.length));
    const samples = (w: typeof solo, buf: Buffer) =>
      new Int16Array(buf.buffer.slice(buf.byteOffset + w.dataOffset, buf.byteOffset + w.dataOffset + w.dataBytes));
    const cust = samples(solo, soloBuf);
    const agent = samples(agentSolo, agentBuf);
    let checked = 0;
    for (let i = 0; i < cust.length && checked < 200; i++) {
      if (agent[i] !== 0 || Math.abs(cust[i]!) < 2000) continue;
      expect(pcm[2 * i]).toBe(cust[i]);
      expect(Math.abs(pcm[2 * i + 1]! - Math.round(cust[i]! * 0.6))).toBeLessThanOrEqual(1);
      checked++;
    }
    expect(checked).toBe(200);
  });

  it('audits a playback start once, not every seek', async () => {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    const count = async () => (await get(`/api/audit?action=PLAYBACK&resourceId=${conversationId}`)).json().items.length;
    const before = await count();
    await get(m.segments[0].mixUrl, admin, { range: 'bytes=0-' });
    await get(m.segments[0].mixUrl, admin, { range: 'bytes=50000-60000' });
    expect(await count()).toBe(before + 1);
  });

  it('downloads the segment as <contactId>.wav and the conversation as an MP3, audited; evaluators may not', async () => {
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    const wav = await get(m.segments[0].downloadWavUrl);
    expect(wav.statusCode).toBe(200);
    expect(wav.headers['content-disposition']).toBe(`attachment; filename="p06-hold.wav"; filename*=UTF-8''p06-hold.wav`);
    const mp3 = await get(m.exportMp3Url);
    expect(mp3.statusCode, mp3.body.slice(0, 200)).toBe(200);
    expect(mp3.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="${conversationId}_\\d{8}T\\d{6}Z\\.mp3"; filename\\*=UTF-8''${conversationId}_\\d{8}T\\d{6}Z\\.mp3$`),
    );
    expect(mp3.rawPayload.length).toBeGreaterThan(50_000);
    // Decoded back, the MP3 lasts as long as the call.
    const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'], {
      input: mp3.rawPayload,
      maxBuffer: 64 << 20,
    });
    expect(Math.abs(pcm.length / 16000 - 54.3)).toBeLessThan(1.5);
    const audit = (await get(`/api/conversations/${conversationId}/audit`)).json();
    expect(audit.items.filter((e: { label: string }) => e.label === 'Recording downloaded')).toHaveLength(2);
    expect(audit.items.some((e: { label: string }) => e.label === 'Playback')).toBe(true);
    expect((await get(m.exportMp3Url, evaluator)).statusCode).toBe(403);
    expect((await get(m.segments[0].downloadWavUrl, evaluator)).statusCode).toBe(403);
    expect((await get(m.segments[0].mixUrl, evaluator)).statusCode).toBe(200);
  });

  it('refuses the MP3 naming the segment whose media is broken, producing no file', async () => {
    const [r] = await t.db.selectFrom('stream_renditions').select(['stream_id']).where('conversation_id', '=', conversationId).execute();
    await t.db.updateTable('stream_renditions').set({ status: 'no_audio', reason: 'damaged file' }).where('stream_id', '=', r!.stream_id).execute();
    const res = await get(`/api/conversations/${conversationId}/export.mp3`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('p06-hold');
    expect(res.headers['content-disposition']).toBeUndefined();
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    expect(m.segments[0].streams.find((s: { id: string }) => s.id === r!.stream_id)).toMatchObject({
      status: 'no_audio',
      reason: 'damaged file',
      soloUrl: null,
    });
  });

  it('reprocesses on request and restores the analysis', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/media/reprocess`, headers: { cookie: evaluator } })).statusCode,
    ).toBe(403);
    const before = await t.db.selectFrom('stream_renditions').select(['pcm_blob_id', 'peaks_blob_id']).where('conversation_id', '=', conversationId).execute();
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/media/reprocess`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
    const m = (await get(`/api/conversations/${conversationId}/media`)).json();
    expect(m.status).toBe('ready');
    expect(m.segments[0].streams.every((s: { status: string }) => s.status === 'ok')).toBe(true);
    const renditions = await t.db.selectFrom('stream_renditions').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(renditions).toHaveLength(2);
    // The earlier renditions' media objects were deleted (other tests' calls share this database, so look only at this call's).
    const blobIds = (await t.db.selectFrom('blobs').select('id').execute()).map((b) => b.id);
    for (const r of renditions) expect(blobIds).toEqual(expect.arrayContaining([r.pcm_blob_id, r.peaks_blob_id]));
    expect(before).toHaveLength(2);
    for (const r of before) expect(blobIds).not.toEqual(expect.arrayContaining([r.pcm_blob_id]));
    for (const r of before) expect(blobIds).not.toEqual(expect.arrayContaining([r.peaks_blob_id]));
    expect(segmentId).toBeTruthy();
  });
});
