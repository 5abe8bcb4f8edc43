// Redacted audio end to end on both databases: a call is ingested and analysed, a transcript with a PII span is
// stored (as the transcription job stores it), and playback through app.inject gives a user with only
// media.play_redacted the tone over the span (decoded and measured), a user with media.play_unredacted the original
// with an audit event marked unredacted — and refuses (MEDIA_REDACTION_PENDING) while the redacted copy is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { login, makeTenant, makeUser } from '../helpers/factories.ts';
import { multipart } from '../helpers/multipart.ts';
import { runJobs } from '../helpers/jobs.ts';
import { encodeWav } from '../../src/media/wav-write.ts';
import { parseWav } from '../../src/media/wav.ts';
import { replaceTranscript, type NewUtterance } from '../../src/speech/repository.ts';
import { queueRedaction } from '../../src/speech/redaction/service.ts';
import { REDACTION_TONE_AMPLITUDE } from '../../src/speech/redaction/audio.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { newId, nowIso } from '../../src/platform/ids.ts';
import type { PiiSpan } from '../../src/speech/model.ts';
import { haveFfmpeg } from '../../src/media/test-fixtures.ts';

const RATE = 8000;
const SECONDS = 6;
/** The conversation starts 1 s before its only segment, so conversation time ≠ stream time. */
const SEGMENT_OFFSET_MS = 1000;
/** The PII span in conversation time: 3.0–4.0 s, i.e. 2.0–3.0 s into the stream. */
const PII: PiiSpan = { type: 'card_number', firstWord: 3, lastWord: 6, startMs: 3000, endMs: 4000 };

/** A two-channel call: agent a 440 Hz sine, customer a 300 Hz sine, the whole time. */
function callWav() {
  const frames = RATE * SECONDS;
  const s = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    s[2 * i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE));
    s[2 * i + 1] = Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / RATE));
  }
  return encodeWav({ sampleRate: RATE, channels: 2, samples: s });
}

/** One channel of a WAV response's samples between two times (ms in the stream). */
function slice(buf: Buffer, fromMs: number, toMs: number, channel = 0) {
  const w = parseWav(buf);
  const pcm = new Int16Array(buf.buffer.slice(buf.byteOffset + w.dataOffset, buf.byteOffset + w.dataOffset + w.dataBytes));
  const out: number[] = [];
  for (let i = Math.floor((fromMs * RATE) / 1000); i < Math.floor((toMs * RATE) / 1000); i++) out.push(pcm[i * w.channels + channel]!);
  return out;
}
const rms = (x: number[]) => Math.sqrt(x.reduce((t, v) => t + v * v, 0) / x.length);
/** Sign changes per second: 2 × the frequency of a pure tone. */
const crossingsPerSecond = (x: number[]) => {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) n++;
  return (n * RATE) / x.length;
};

describe.each(ENGINES)('redacted audio on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let redacted: string;
  let unredacted: string;
  let admin: string;
  let conversationId: string;
  let mixUrl: string;
  let downloadUrl: string;
  let mp3Url: string;
  let custStream: { id: string; soloUrl: string };
  const get = (url: string, cookie: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { cookie, ...headers } });

  async function storeTranscript(pii: PiiSpan[]) {
    const words = ['my', 'card', 'is', 'four', 'one', 'one', 'one'].map((w, i) => ({ w, s: 2200 + i * 250, e: 2200 + i * 250 + 200, c: 0.9 }));
    const utterance: NewUtterance = {
      id: newId(),
      segmentId: null,
      streamId: custStream.id,
      partyKey: 'cust',
      role: 'customer',
      seq: 0,
      startMs: 2200,
      endMs: 4000,
      text: words.map((w) => w.w).join(' '),
      displayText: 'my card is 4111',
      redactedText: pii.length ? 'my card is [CARD]' : 'my card is 4111',
      confidence: 0.9,
      words,
      pii,
    };
    await inTransaction(t.db, async (uow) => {
      await replaceTranscript(
        uow.tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: conversationId,
          engine: 'test',
          language: 'en',
          word_count: 7,
          audio_ms: 6000,
          cpu_ms: 1,
          created_at: nowIso(),
        },
        [utterance],
      );
    });
  }
  const redactNow = async () => {
    await inTransaction(t.db, (uow) => queueRedaction(t, uow, tenantId, conversationId));
    await runJobs(t);
  };
  const auditDetails = async () =>
    (await t.audit.find({ tenantId, resourceType: 'conversation', resourceId: conversationId, limit: 100 })).items.map((e) => e.details);

  beforeAll(async () => {
    t = await createTestApp(engine);
    const tenant = await makeTenant(t);
    tenantId = tenant.tenantId;
    // No transcription here: the test stores the transcript itself.
    await t.db
      .updateTable('tenants')
      .set({ settings: t.adapter.json({ speechEngine: 'none' }) as string })
      .where('id', '=', tenantId)
      .execute();
    admin = await login(t.app, tenant.admin);
    redacted = await login(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'media.play_redacted', 'media.download'] }));
    unredacted = await login(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'media.play_unredacted', 'media.download'] }));
    const meta = {
      callId: 'pii-call',
      startTime: '2026-11-03T10:00:00.000Z',
      direction: 'inbound',
      parties: [
        { key: 'agent', role: 'agent', extension: '1001' },
        { key: 'cust', role: 'customer', phone: '+15550100' },
      ],
      audio: [{ file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
    };
    const body = multipart([
      { name: 'metadata', value: JSON.stringify(meta) },
      { name: 'audio', file: { fileName: 'call.wav', data: callWav() } },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { cookie: admin, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    conversationId = res.json().conversationId;
    await runJobs(t);
    const conv = await t.db.selectFrom('conversations').select('started_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
    const earlier = new Date(Date.parse(String(conv.started_at)) - SEGMENT_OFFSET_MS).toISOString();
    await t.db.updateTable('conversations').set({ started_at: earlier }).where('id', '=', conversationId).execute();
    const m = (await get(`/api/conversations/${conversationId}/media`, unredacted)).json();
    expect(m.status).toBe('ready');
    mixUrl = m.segments[0].mixUrl;
    downloadUrl = m.segments[0].downloadWavUrl;
    mp3Url = m.exportMp3Url;
    custStream = m.segments[0].streams.find((s: { party: string }) => s.party === 'cust');
  }, 120_000);
  afterAll(() => t.cleanup());

  it('before any transcript, everyone gets the original', async () => {
    const a = await get(custStream.soloUrl, redacted);
    expect(a.statusCode).toBe(200);
    expect(crossingsPerSecond(slice(a.rawPayload, 2000, 3000))).toBeCloseTo(600, -1);
  });

  it('fails closed while the conversation has PII spans and no redacted copy', async () => {
    await storeTranscript([PII]);
    for (const url of [mixUrl, custStream.soloUrl, downloadUrl, mp3Url]) {
      const res = await get(url, redacted);
      expect(res.statusCode, url).toBe(409);
      expect(res.json().error.details.reason).toBe('MEDIA_REDACTION_PENDING');
      expect(res.json().error.message).toContain('redacted version');
    }
    // The stored file itself carries the PII.
    const stream = await t.db.selectFrom('streams').select('id').where('id', '=', custStream.id).executeTakeFirstOrThrow();
    const raw = await get(`/api/conversations/${conversationId}/streams/${stream.id}/media`, redacted);
    expect(raw.statusCode).toBe(403);
    expect(raw.json().error.details.reason).toBe('MEDIA_REDACTED_ONLY');
    // Those who may hear it unredacted are not held up.
    expect((await get(mixUrl, unredacted)).statusCode).toBe(200);
  });

  it('gives play_redacted users the tone over the padded span, in the stream time base, and the rest unchanged', async () => {
    await redactNow();
    const row = await t.db.selectFrom('stream_renditions').selectAll().where('stream_id', '=', custStream.id).executeTakeFirstOrThrow();
    expect(row.redacted_pcm_blob_id).toBeTruthy();
    expect(row.redacted_pcm_blob_id).not.toBe(row.pcm_blob_id);

    const red = (await get(custStream.soloUrl, redacted)).rawPayload;
    const orig = (await get(custStream.soloUrl, unredacted)).rawPayload;
    expect(red.length).toBe(orig.length);
    // 2.0–3.0 s into the stream (+150 ms padding either side): a 1 kHz tone at −24 dBFS instead of the 300 Hz voice.
    const span = slice(red, 1900, 3100);
    expect(rms(span)).toBeGreaterThan((REDACTION_TONE_AMPLITUDE / Math.SQRT2) * 0.9);
    expect(rms(span)).toBeLessThan((REDACTION_TONE_AMPLITUDE / Math.SQRT2) * 1.1);
    expect(crossingsPerSecond(span)).toBeCloseTo(2000, -2);
    expect(crossingsPerSecond(slice(orig, 1900, 3100))).toBeCloseTo(600, -1);
    // Outside the padded span, sample for sample the original.
    expect(slice(red, 0, 1800)).toEqual(slice(orig, 0, 1800));
    expect(slice(red, 3200, 5900)).toEqual(slice(orig, 3200, 5900));

    // The stereo mix: every party's copy is toned over the span (the other leg can carry the words as echo).
    const mixRed = (await get(mixUrl, redacted)).rawPayload;
    const mixOrig = (await get(mixUrl, unredacted)).rawPayload;
    for (const ch of [0, 1]) {
      expect(crossingsPerSecond(slice(mixRed, 1900, 3100, ch))).toBeCloseTo(2000, -2);
      expect(slice(mixRed, 0, 1800, ch)).toEqual(slice(mixOrig, 0, 1800, ch));
    }
    // The download is the redacted mix too.
    const dl = await get(downloadUrl, redacted);
    expect(dl.statusCode).toBe(200);
    expect(crossingsPerSecond(slice(dl.rawPayload, 1900, 3100, 1))).toBeCloseTo(2000, -2);
  });

  it('audits unredacted listens and downloads as such, redacted ones as redacted', async () => {
    await get(mixUrl, unredacted);
    await get(downloadUrl, unredacted);
    await get(mixUrl, redacted);
    const details = await auditDetails();
    expect(details).toContain('Played segment pii-call (stereo mix) (unredacted)');
    expect(details).toContain('Downloaded segment pii-call as pii-call.wav (unredacted)');
    expect(details).toContain('Played segment pii-call (stereo mix) (redacted)');
    const raw = await get(`/api/conversations/${conversationId}/streams/${custStream.id}/media`, unredacted);
    expect(raw.statusCode).toBe(200);
    expect((await auditDetails()).some((d) => d?.startsWith('Played audio stream') && d.endsWith('(unredacted)'))).toBe(true);
  });

  it.skipIf(!haveFfmpeg())('exports the redacted MP3 to play_redacted users', async () => {
    const res = await get(mp3Url, redacted);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect((await auditDetails()).some((d) => /^Downloaded the conversation as .*\.mp3 \(redacted\)$/.test(d ?? ''))).toBe(true);
  });

  it('removes the redacted copy when a new transcript has no PII, and the original is played again', async () => {
    const before = await t.db.selectFrom('stream_renditions').select('redacted_pcm_blob_id').where('stream_id', '=', custStream.id).executeTakeFirstOrThrow();
    await storeTranscript([]);
    await redactNow();
    const rows = await t.db.selectFrom('stream_renditions').select('redacted_pcm_blob_id').where('conversation_id', '=', conversationId).execute();
    expect(rows.every((r) => r.redacted_pcm_blob_id === null)).toBe(true);
    await expect(t.blobs.stat(tenantId, before.redacted_pcm_blob_id!)).rejects.toThrow();
    const a = await get(custStream.soloUrl, redacted);
    expect(a.statusCode).toBe(200);
    expect(crossingsPerSecond(slice(a.rawPayload, 2000, 3000))).toBeCloseTo(600, -1);
  });

  it('drops its copies when a newer transcript was stored while it ran', async () => {
    await storeTranscript([PII]);
    const { redactConversationAudio } = await import('../../src/speech/redaction/service.ts');
    // The transcript is replaced between reading the spans and storing the copies.
    const blobs = t.blobs;
    const put = blobs.put.bind(blobs);
    let replaced = false;
    blobs.put = (async (...args: Parameters<typeof put>) => {
      const r = await put(...args);
      if (!replaced) {
        replaced = true;
        await storeTranscript([PII]);
      }
      return r;
    }) as typeof put;
    try {
      expect(await redactConversationAudio(t, conversationId)).toEqual({ status: 'stale' });
    } finally {
      blobs.put = put;
    }
    const row = await t.db.selectFrom('stream_renditions').select('redacted_pcm_blob_id').where('stream_id', '=', custStream.id).executeTakeFirstOrThrow();
    expect(row.redacted_pcm_blob_id).toBeNull();
    expect((await get(mixUrl, redacted)).statusCode).toBe(409);
  });

  it('writes new copies after the media analysis runs again, even with no transcription step to queue them', async () => {
    const old = await t.db.selectFrom('stream_renditions').select(['pcm_blob_id']).where('stream_id', '=', custStream.id).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/media/reprocess`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
    const row = await t.db.selectFrom('stream_renditions').selectAll().where('stream_id', '=', custStream.id).executeTakeFirstOrThrow();
    expect(row.pcm_blob_id).not.toBe(old.pcm_blob_id);
    expect(row.redacted_pcm_blob_id).toBeTruthy();
    const red = await get(custStream.soloUrl, redacted);
    expect(red.statusCode).toBe(200);
    expect(crossingsPerSecond(slice(red.rawPayload, 1900, 3100))).toBeCloseTo(2000, -2);
  });
});
