// The ingest API end to end on both databases: real corpus audio, G.711, MP3 through ffmpeg, emails, screens, and
// every bad-input case leaving nothing behind (no conversation, no orphan media object).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from './db.ts';
import { createTestApp } from './helpers/context.ts';
import { login, makeTenant, makeUser } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { encodeWav, synthSpeechLike } from '../src/media/wav-write.ts';
import { HTML_BODY_FIXTURES, buildEml } from '../src/conversations/email/fixtures.ts';

const CORPUS = path.resolve('..', 'shared/corpus/public');
const corpus = (f: string) => fs.readFileSync(path.join(CORPUS, f));
const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.each(ENGINES)('ingest API on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let cookie: string;
  let agentId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const tenant = await makeTenant(t);
    agentId = (await makeUser(t, tenant.tenantId, { roles: ['agent'], extension: '1001', name: 'Alex Agent' })).id;
    cookie = await login(t.app, tenant.admin);
  });
  afterAll(() => t.cleanup());

  const counts = async () => {
    const one = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
    const objects = fs.existsSync(path.join(t.dataDir, 'media')) ? listFiles(path.join(t.dataDir, 'media')).filter((f) => !f.includes('.tmp')).length : 0;
    return { conversations: await one('conversations'), segments: await one('segments'), blobs: await one('blobs'), objects };
  };

  const postCall = (meta: unknown, files: Array<{ name: string; data: Buffer; type?: string }>) => {
    const body = multipart([
      { name: 'metadata', value: typeof meta === 'string' ? meta : JSON.stringify(meta) },
      ...files.map((f) => ({ name: 'audio', file: { fileName: f.name, data: f.data, contentType: f.type ?? 'audio/wav' } })),
    ]);
    return t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { ...body.headers, cookie }, payload: body.payload });
  };
  const parties = [
    { key: 'agent', role: 'agent', extension: '1001' },
    { key: 'customer', role: 'customer', name: 'Jamie Doe', phone: '+1 555 0100' },
  ];

  it('stores a stereo corpus call with a channel map, plays it back with ranges, and is idempotent', async () => {
    const wav = corpus('p01_billing_dispute.wav');
    const meta = {
      callId: 'p01',
      startTime: '2026-11-01T09:00:00.000Z',
      direction: 'inbound',
      parties,
      audio: [{ file: 'p01.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
    };
    const res = await postCall(meta, [{ name: 'p01.wav', data: wav }]);
    expect(res.statusCode, res.body).toBe(200);
    const { conversationId, duplicate } = res.json();
    expect(duplicate).toBe(false);
    const detail = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
    expect(detail.agent).toEqual({ id: agentId, name: 'Alex Agent' });
    expect(detail.reviewable).toBe(true);
    const seg = detail.segments[0];
    expect(seg.durationMs).toBeGreaterThan(53_000);
    expect(seg.durationMs).toBeLessThan(53_400);
    expect(seg.streams.map((s: { partyKey: string; channelIndex: number }) => [s.channelIndex, s.partyKey]).sort()).toEqual([
      [0, 'agent'],
      [1, 'customer'],
    ]);
    expect(detail.talkTimeMs).toBe(seg.durationMs);
    // The stored object is encrypted: the WAV header is not on disk.
    const stored = listFiles(path.join(t.dataDir, 'media')).map((f) => fs.readFileSync(f));
    expect(stored.some((b) => b.includes(Buffer.from('RIFF')) && b.includes(Buffer.from('WAVEfmt')))).toBe(false);
    const streamId = seg.streams[0].id;
    const full = await t.app.inject({ url: `/api/conversations/${conversationId}/streams/${streamId}/media`, headers: { cookie } });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(wav)).toBe(true);
    const part = await t.app.inject({
      url: `/api/conversations/${conversationId}/streams/${streamId}/media`,
      headers: { cookie, range: 'bytes=100000-100999' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100000-100999/${wav.length}`);
    expect(part.rawPayload.equals(wav.subarray(100000, 101000))).toBe(true);
    const bad = await t.app.inject({
      url: `/api/conversations/${conversationId}/streams/${streamId}/media`,
      headers: { cookie, range: `bytes=${wav.length + 5}-` },
    });
    expect(bad.statusCode).toBe(416);
    const audit = (await t.app.inject({ url: `/api/audit?action=PLAYBACK&resourceId=${conversationId}`, headers: { cookie } })).json();
    expect(audit.items).toHaveLength(1);

    const before = await counts();
    const again = await postCall(meta, [{ name: 'p01.wav', data: wav }]);
    expect(again.json()).toMatchObject({ conversationId, duplicate: true });
    expect(await counts()).toEqual(before);
  });

  it('takes G.711 mu-law, one file per party, and A-law', async () => {
    const mulaw = await postCall({ callId: 'p05-mulaw', startTime: '2026-11-01T10:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'mix.wav' }] }, [
      { name: 'mix.wav', data: corpus('p05_angry_manager_crosstalk.mulaw.wav') },
    ]);
    expect(mulaw.statusCode, mulaw.body).toBe(200);
    const a = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(4000, 8000, 1), format: 'alaw' });
    const b = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(5000, 8000, 2) });
    const perParty = await postCall(
      {
        callId: 'per-party',
        startTime: '2026-11-01T11:00:00.000Z',
        direction: 'outbound',
        parties,
        audio: [
          { file: 'agent.wav', party: 'agent' },
          { file: 'cust.wav', party: 'customer' },
        ],
      },
      [
        { name: 'agent.wav', data: a },
        { name: 'cust.wav', data: b },
      ],
    );
    expect(perParty.statusCode, perParty.body).toBe(200);
    const d = (await t.app.inject({ url: `/api/conversations/${perParty.json().conversationId}`, headers: { cookie } })).json();
    expect(d.segments[0].streams.map((s: { partyKey: string; codec: string }) => [s.partyKey, s.codec]).sort()).toEqual([
      ['agent', 'pcm_alaw'],
      ['customer', 'pcm_s16le'],
    ]);
    expect(d.segments[0].durationMs).toBe(5000);
  });

  it.skipIf(!hasFfmpeg)('takes MP3 through ffmpeg', async () => {
    const pcm = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(3000, 8000, 3) });
    const mp3 = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 'mp3', 'pipe:1'], { input: pcm });
    const res = await postCall(
      { callId: 'mp3-call', startTime: '2026-11-01T12:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'c.mp3', party: 'customer' }] },
      [{ name: 'c.mp3', data: mp3, type: 'audio/mpeg' }],
    );
    expect(res.statusCode, res.body).toBe(200);
    // Probed by streaming it from the store through ffmpeg (never read whole): codec, rate and exact length.
    const d = (await t.app.inject({ url: `/api/conversations/${res.json().conversationId}`, headers: { cookie } })).json();
    const st = d.segments[0].streams[0];
    expect([st.codec, st.sampleRate, st.channels]).toEqual(['mp3', 8000, 1]);
    // (MP3 frames are 72 ms at 8 kHz: a piped encode keeps its delay and padding, as the in-memory decode did: 3168 ms)
    expect(st.durationMs).toBeGreaterThanOrEqual(3000);
    expect(st.durationMs).toBeLessThan(3250);
    // An MP3 header over garbage is refused, and nothing is left behind.
    const before = await counts();
    const bad = Buffer.concat([mp3.subarray(0, 10), Buffer.alloc(4000, 0x55)]);
    const refused = await postCall(
      { callId: 'mp3-bad', startTime: '2026-11-01T12:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'b.mp3', party: 'customer' }] },
      [{ name: 'b.mp3', data: bad, type: 'audio/mpeg' }],
    );
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(await counts()).toEqual(before);
  });

  it.each([
    [
      'truncated WAV',
      'TRUNCATED_AUDIO',
      { audio: [{ file: 'x.wav', channelMap: { 0: 'agent', 1: 'customer' } }] },
      () => corpus('p01_billing_dispute.wav').subarray(0, 30),
    ],
    ['unsupported codec (IMA ADPCM)', 'UNSUPPORTED_CODEC', { audio: [{ file: 'x.wav', party: 'agent' }] }, () => adpcmWav()],
    ['random bytes', null, { audio: [{ file: 'x.wav', party: 'agent' }] }, () => Buffer.from('this is not audio at all, just text pretending')],
    [
      'a channel map that does not fit the file',
      'CHANNEL_MAP_MISMATCH',
      { audio: [{ file: 'x.wav', channelMap: { 0: 'agent' } }] },
      () => corpus('p03_tech_support_silence.wav'),
    ],
    ['a file the metadata does not describe', 'AUDIO_NOT_DESCRIBED', { audio: [] as unknown[] }, () => corpus('p03_tech_support_silence.wav')],
    ['metadata naming a missing file', 'MISSING_FILE', { audio: [{ file: 'other.wav', party: 'agent' }] }, () => corpus('p03_tech_support_silence.wav')],
    ['an unknown party', 'UNKNOWN_PARTY', { audio: [{ file: 'x.wav', party: 'nobody' }] }, () => corpus('p01_billing_dispute.mulaw.wav')],
  ])('refuses %s with a 4xx naming the problem and stores nothing', async (_name, reason, extra, data) => {
    const before = await counts();
    const meta = { callId: `bad-${Math.random()}`, startTime: '2026-11-01T13:00:00.000Z', direction: 'inbound', parties, ...extra };
    const res = await postCall(meta, [{ name: 'x.wav', data: data() }]);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const err = res.json().error;
    expect(err.message.length).toBeGreaterThan(10);
    if (reason) expect(err.details?.reason).toBe(reason);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['metadata that is not JSON', '{not json', 'MALFORMED_JSON'],
    ['metadata missing the start time', JSON.stringify({ callId: 'x', direction: 'inbound', parties: [{ key: 'a', role: 'agent' }] }), 'INVALID_METADATA'],
    [
      'an unknown direction',
      JSON.stringify({ callId: 'x', startTime: '2026-11-01T00:00:00Z', direction: 'sideways', parties: [{ key: 'a', role: 'agent' }] }),
      'INVALID_METADATA',
    ],
  ])('refuses %s', async (_n, meta, reason) => {
    const before = await counts();
    const res = await postCall(meta, [{ name: 'x.wav', data: corpus('p07_happy_upgrade.wav') }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.reason).toBe(reason);
    expect(await counts()).toEqual(before);
  });

  it('refuses a request that is not multipart', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { cookie }, payload: { callId: 'x' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('threads emails into one conversation even when a reply arrives first, idempotently', async () => {
    const msg = (id: string, extra: Record<string, unknown> = {}) =>
      buildEml({
        messageId: id,
        from: { name: 'Jamie Doe', address: 'jamie@example.com' },
        to: ['support@acme.test'],
        subject: 'Réclamation facture',
        date: new Date('2026-11-03T08:00:00Z'),
        text: `Body of ${id}`,
        ...extra,
      });
    const post = (eml: string, q = '') =>
      t.app.inject({ method: 'POST', url: `/api/ingest/emails${q}`, headers: { cookie, 'content-type': 'message/rfc822' }, payload: Buffer.from(eml) });
    const reply = await post(msg('m2@x.test', { inReplyTo: 'm1@x.test', references: ['m1@x.test'], date: new Date('2026-11-03T09:00:00Z') }));
    expect(reply.statusCode, reply.body).toBe(200);
    const unrelated = await post(msg('other@x.test', { date: new Date('2026-11-03T08:30:00Z') }));
    const root = await post(msg('m1@x.test'), '?sourceUrl=https://mail.example.com/m1');
    const third = await post(msg('m3@x.test', { references: ['m1@x.test', 'm2@x.test'], date: new Date('2026-11-03T10:00:00Z') }));
    const ids = [reply, root, third].map((r) => r.json().items[0].conversationId);
    expect(new Set(ids).size).toBe(1);
    expect(unrelated.json().items[0].conversationId).not.toBe(ids[0]);
    const d = (await t.app.inject({ url: `/api/conversations/${ids[0]}`, headers: { cookie } })).json();
    expect(d.segments.map((s: { email: { messageId: string } }) => s.email.messageId)).toEqual(['m1@x.test', 'm2@x.test', 'm3@x.test']);
    expect(d.segments[0].sourceUrl).toBe('https://mail.example.com/m1');
    expect(d.title).toBe('Réclamation facture');
    expect(d.channels).toEqual(['email']);
    const again = await post(msg('m1@x.test'));
    expect(again.json().items[0]).toMatchObject({ conversationId: ids[0], duplicate: true });
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/emails',
      headers: { cookie, 'content-type': 'message/rfc822' },
      payload: Buffer.from('\x00\x01 definitely not mail'),
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.details.reason).toBe('INVALID_EMAIL');
  });

  it.skipIf(!hasFfmpeg)('probes a stored WebM screen recording by streaming it through ffprobe', async () => {
    const call = await postCall(
      { callId: 'webm-screen', startTime: '2026-11-01T15:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'a.wav', party: 'agent' }] },
      [{ name: 'a.wav', data: encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(2000) }) }],
    );
    // Written to a file, as recorders do: a piped WebM has no duration in its header.
    const file = path.join(t.dataDir, 'screen.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=2:size=64x64:rate=5', '-c:v', 'libvpx', file]);
    const webm = fs.readFileSync(file);
    const body = multipart([
      { name: 'metadata', value: JSON.stringify({ callId: 'webm-screen' }) },
      { name: 'video', file: { fileName: 'screen.webm', data: webm, contentType: 'video/webm' } },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/screens', headers: { ...body.headers, cookie }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    const d = (await t.app.inject({ url: `/api/conversations/${call.json().conversationId}`, headers: { cookie } })).json();
    expect(d.segments.find((s: { kind: string }) => s.kind === 'screen').durationMs).toBe(2000);
  });

  it('downloads a stream whose file name is not Latin-1 (RFC 6266 filename*), audited once, only when sent', async () => {
    const name = 'Звонок 通話 «é».wav';
    const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(1000) });
    const res = await postCall(
      { callId: 'non-latin-name', startTime: '2026-11-05T09:00:00.000Z', direction: 'inbound', parties, audio: [{ file: name, party: 'agent' }] },
      [{ name, data: wav }],
    );
    expect(res.statusCode, res.body).toBe(200);
    const { conversationId } = res.json();
    const d = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
    const stream = d.segments[0].streams[0];
    expect(stream.fileName).toBe(name);
    const dl = await t.app.inject({ url: `/api/conversations/${conversationId}/streams/${stream.id}/media?download=true`, headers: { cookie } });
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.rawPayload.equals(wav)).toBe(true);
    const disposition = dl.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(name);
    const audits = (await t.app.inject({ url: `/api/audit?action=RECORDING_DOWNLOADED&resourceId=${conversationId}`, headers: { cookie } })).json();
    expect(audits.items).toHaveLength(1);
    // The JSON export names its file the same way.
    const exported = await t.app.inject({ url: `/api/conversations/${conversationId}/export`, headers: { cookie } });
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.json"; filename\*=UTF-8''/);
  });

  it('keeps sanitised HTML of an email (never its scripts, handlers or javascript: links), and none for plain text', async () => {
    const post = (eml: string) =>
      t.app.inject({ method: 'POST', url: '/api/ingest/emails', headers: { cookie, 'content-type': 'message/rfc822' }, payload: Buffer.from(eml) });
    const base = { from: 'jamie@example.com', to: 'support@acme.test', subject: 'HTML', date: new Date('2026-11-04T09:00:00Z'), text: 'Order 42 is late' };
    const rich = await post(
      buildEml({
        ...base,
        messageId: 'rich@x.test',
        html: '<p onclick="steal()">Order <b>42</b> is late</p><script>steal()</script><a href="javascript:steal()">x</a><img src="https://t.example/p.gif" onerror="steal()">',
      }),
    );
    expect(rich.statusCode, rich.body).toBe(200);
    const plain = await post(buildEml({ ...base, messageId: 'plain@x.test' }));
    const email = async (r: typeof rich) =>
      (await t.app.inject({ url: `/api/conversations/${r.json().items[0].conversationId}`, headers: { cookie } })).json().segments[0].email;
    const html = (await email(rich)).html as string;
    expect(html).toContain('<p>Order <b>42</b> is late</p>');
    expect(html).not.toMatch(/steal|script|onclick|onerror|javascript|img/);
    expect((await email(plain)).html).toBeNull();
  });

  it('takes several .eml files in one multipart request, and refuses more than EARSHOT_UPLOAD_MAX_FILES storing none', async () => {
    const eml = (i: number) =>
      buildEml({
        messageId: `multi-${i}@x.test`,
        from: 'jamie@example.com',
        to: 'support@acme.test',
        subject: `Multi ${i}`,
        date: new Date('2026-11-04T10:00:00Z'),
        text: `m${i}`,
      });
    const post = (n: number, from: number) => {
      const body = multipart(
        Array.from({ length: n }, (_, i) => ({
          name: 'eml',
          file: { fileName: `m${from + i}.eml`, data: Buffer.from(eml(from + i)), contentType: 'message/rfc822' },
        })),
      );
      return t.app.inject({ method: 'POST', url: '/api/ingest/emails', headers: { ...body.headers, cookie }, payload: body.payload });
    };
    const two = await post(2, 0);
    expect(two.statusCode, two.body).toBe(200);
    expect(two.json().items).toHaveLength(2);
    const before = await counts();
    const nine = await post(9, 10);
    expect(nine.statusCode).toBe(413);
    expect(nine.json().error.details.reason).toBe('TOO_MANY_FILES');
    expect(await counts()).toEqual(before);
  });

  it('takes only http(s) source links, and never serves another kind already stored', async () => {
    const eml = buildEml({
      messageId: 'link@x.test',
      from: 'jamie@example.com',
      to: 'support@acme.test',
      subject: 'Link',
      date: new Date('2026-11-04T08:00:00Z'),
      text: 'x',
    });
    const post = (q: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/ingest/emails?sourceUrl=${encodeURIComponent(q)}`,
        headers: { cookie, 'content-type': 'message/rfc822' },
        payload: Buffer.from(eml),
      });
    for (const bad of [
      'javascript:alert(document.cookie)',
      'JavaScript://%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/x',
    ]) {
      const res = await post(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const body = multipart([{ name: 'eml', file: { fileName: 'a.eml', data: Buffer.from(eml), contentType: 'message/rfc822' } }]);
    const viaMultipart = await t.app.inject({
      method: 'POST',
      url: `/api/ingest/emails?sourceUrl=${encodeURIComponent('javascript:alert(1)')}`,
      headers: { ...body.headers, cookie },
      payload: body.payload,
    });
    expect(viaMultipart.statusCode).toBe(400);
    const ok = await post('HTTPS://mail.example.com/m/link');
    expect(ok.statusCode, ok.body).toBe(200);
    const { conversationId, segmentId } = ok.json().items[0];
    // A link stored before the check (or written by hand) is not served.
    await sql`update segments set source_url = ${'javascript:alert(1)'} where id = ${segmentId}`.execute(t.db);
    const d = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
    expect(d.segments[0].sourceUrl).toBeNull();
  });

  it('stores readable text for HTML-only emails of every shape (shown and exported, not empty)', async () => {
    for (const f of HTML_BODY_FIXTURES) {
      const res = await t.app.inject({ method: 'POST', url: '/api/ingest/emails', headers: { cookie, 'content-type': 'message/rfc822' }, payload: f.raw });
      expect(res.statusCode, res.body).toBe(200);
      const { conversationId } = res.json().items[0];
      const d = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
      for (const phrase of f.phrases) expect(d.segments[0].email.text, f.name).toContain(phrase);
      // The HTML is kept for display, sanitised.
      expect(d.segments[0].email.html, f.name).toMatch(/<(p|div)>/);
      expect(d.segments[0].email.html).not.toMatch(/<img|<style|cid:|class=/);
      const exported = await t.app.inject({ url: `/api/conversations/${conversationId}/export`, headers: { cookie } });
      expect(exported.body).toContain(JSON.stringify(f.phrases[0]).slice(1, -1));
    }
  });

  it('links screen recordings (several monitors) to their call', async () => {
    const call = await postCall(
      { callId: 'with-screen', startTime: '2026-11-01T14:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'a.wav', party: 'agent' }] },
      [{ name: 'a.wav', data: encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(2000) }) }],
    );
    const conversationId = call.json().conversationId;
    for (const monitor of [0, 1]) {
      const body = multipart([
        { name: 'metadata', value: JSON.stringify({ callId: 'with-screen', monitor }) },
        { name: 'video', file: { fileName: `screen${monitor}.mp4`, data: tinyMp4(3000), contentType: 'video/mp4' } },
      ]);
      const res = await t.app.inject({ method: 'POST', url: '/api/ingest/screens', headers: { ...body.headers, cookie }, payload: body.payload });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().conversationId).toBe(conversationId);
    }
    const d = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
    expect(d.hasScreen).toBe(true);
    expect(
      d.segments
        .filter((s: { kind: string }) => s.kind === 'screen')
        .map((s: { monitor: number; durationMs: number }) => [s.monitor, s.durationMs])
        .sort(),
    ).toEqual([
      [0, 3000],
      [1, 3000],
    ]);
    const body = multipart([
      { name: 'metadata', value: JSON.stringify({ callId: 'no-such-call' }) },
      { name: 'video', file: { fileName: 's.mp4', data: tinyMp4(1000) } },
    ]);
    const orphan = await t.app.inject({ method: 'POST', url: '/api/ingest/screens', headers: { ...body.headers, cookie }, payload: body.payload });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().error.details.reason).toBe('UNKNOWN_CALL');
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A WAV whose format tag is IMA ADPCM (0x11): well-formed, but a codec we do not take. */
function adpcmWav() {
  const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(500) });
  wav.writeUInt16LE(0x11, 20);
  return wav;
}

/** The smallest MP4 that names its duration: ftyp + moov/mvhd (timescale 1000). */
function tinyMp4(durationMs: number) {
  const box = (type: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + body.length, 0);
    h.write(type, 4, 'latin1');
    return Buffer.concat([h, body]);
  };
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(durationMs, 16);
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\0\0isomiso2', 'latin1')), box('moov', box('mvhd', mvhd))]);
}

// Uploads are streamed into the store, bounded in number per request and in how many stream at once. A real
// server on 127.0.0.1, so a large body is generated as it is sent and never exists whole in the test either.
describe.each(ENGINES)('ingest upload limits on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let cookie: string;
  let url: string;
  const parties = [
    { key: 'agent', role: 'agent' },
    { key: 'customer', role: 'customer' },
  ];

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_UPLOAD_CONCURRENCY: '1', EARSHOT_UPLOAD_MAX_FILES: '3' });
    const tenant = await makeTenant(t);
    cookie = await login(t.app, tenant.admin);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t.cleanup());

  const stored = async () => ({
    blobs: Number((await sql<{ n: number }>`select count(*) as n from blobs`.execute(t.db)).rows[0]!.n),
    objects: listFiles(path.join(t.dataDir, 'media')).filter((f) => !f.includes('.tmp')).length,
  });

  /** POSTs a call whose one WAV of `dataBytes` is generated while it is sent (1 MiB at a time). */
  const postGeneratedWav = (callId: string, dataBytes: number, hold?: Promise<void>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const boundary = `----earshot${Math.random().toString(16).slice(2)}`;
      const meta = { callId, startTime: '2026-11-06T09:00:00.000Z', direction: 'inbound', parties, audio: [{ file: 'big.wav', party: 'agent' }] };
      const header = encodeWav({ sampleRate: 8000, channels: 1, samples: new Int16Array(0) });
      header.writeUInt32LE(36 + dataBytes, 4);
      header.writeUInt32LE(dataBytes, 40);
      const block = Buffer.alloc(1 << 20);
      for (let i = 0; i < block.length; i += 2) block.writeInt16LE(Math.round(8000 * Math.sin(i / 20)), i);
      async function* body() {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(meta)}\r\n`);
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
        yield header;
        for (let sent = 0; sent < dataBytes; sent += block.length) {
          if (hold && sent >= block.length) await hold;
          yield block.subarray(0, Math.min(block.length, dataBytes - sent));
        }
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      }
      const req = http.request(
        `${url}/api/ingest/calls`,
        { method: 'POST', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      Readable.from(body()).pipe(req);
    });

  it('streams a 100 MB WAV into the store without holding it in memory', async () => {
    const size = 100 * 2 ** 20;
    const base = process.memoryUsage();
    let peak = { rss: base.rss, arrayBuffers: base.arrayBuffers };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = { rss: Math.max(peak.rss, m.rss), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers) };
    }, 20);
    const res = await postGeneratedWav('big-call', size).finally(() => clearInterval(sampler));
    expect(res.status, res.body).toBe(200);
    // Held whole, the file alone would add 100 MB (the old code held it about twice over).
    expect(peak.arrayBuffers - base.arrayBuffers).toBeLessThan(size * 0.7);
    expect(peak.rss - base.rss).toBeLessThan(size * 0.8);
    const { conversationId } = JSON.parse(res.body);
    const d = (await t.app.inject({ url: `/api/conversations/${conversationId}`, headers: { cookie } })).json();
    expect(d.segments[0].streams[0].durationMs).toBe(Math.round((size / 2 / 8000) * 1000));
  }, 240_000);

  it('refuses a file over the upload limit mid-stream, leaving no object and no row', async () => {
    const cfg = t.config as { uploadLimitBytes: number };
    const limit = cfg.uploadLimitBytes;
    cfg.uploadLimitBytes = 2 ** 20;
    try {
      const before = await stored();
      const res = await postGeneratedWav('over-limit', 3 * 2 ** 20);
      expect(res.status, res.body).toBe(413);
      expect(JSON.parse(res.body).error.details.reason).toBe('FILE_TOO_LARGE');
      expect(await stored()).toEqual(before);
    } finally {
      cfg.uploadLimitBytes = limit;
    }
  });

  it('refuses more files per request than allowed, storing none of them', async () => {
    const before = await stored();
    const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(300) });
    const files = Array.from({ length: 4 }, (_, i) => ({ name: 'audio', file: { fileName: `f${i}.wav`, data: wav, contentType: 'audio/wav' } }));
    const body = multipart([
      {
        name: 'metadata',
        value: JSON.stringify({
          callId: 'too-many',
          startTime: '2026-11-06T10:00:00.000Z',
          direction: 'inbound',
          parties,
          audio: files.map((f) => ({ file: f.file.fileName, party: 'agent' })),
        }),
      },
      ...files,
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { ...body.headers, cookie }, payload: body.payload });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.details.reason).toBe('TOO_MANY_FILES');
    expect(await stored()).toEqual(before);
    // Three are fine.
    const three = multipart([
      {
        name: 'metadata',
        value: JSON.stringify({
          callId: 'three',
          startTime: '2026-11-06T10:00:00.000Z',
          direction: 'inbound',
          parties,
          audio: files.slice(0, 3).map((f) => ({ file: f.file.fileName, party: 'agent' })),
        }),
      },
      ...files.slice(0, 3),
    ]);
    const ok = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { ...three.headers, cookie }, payload: three.payload });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('answers 503 UPLOADS_BUSY while the allowed uploads are streaming, and takes uploads again after', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const slow = postGeneratedWav('slow-call', 4 * 2 ** 20, hold);
    await new Promise((r) => setTimeout(r, 300));
    const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(300) });
    const body = multipart([
      {
        name: 'metadata',
        value: JSON.stringify({
          callId: 'while-busy',
          startTime: '2026-11-06T11:00:00.000Z',
          direction: 'inbound',
          parties,
          audio: [{ file: 'a.wav', party: 'agent' }],
        }),
      },
      { name: 'audio', file: { fileName: 'a.wav', data: wav, contentType: 'audio/wav' } },
    ]);
    const busy = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { ...body.headers, cookie }, payload: body.payload });
    expect(busy.statusCode).toBe(503);
    expect(busy.json().error.details.reason).toBe('UPLOADS_BUSY');
    release();
    expect((await slow).status).toBe(200);
    const after = await t.app.inject({ method: 'POST', url: '/api/ingest/calls', headers: { ...body.headers, cookie }, payload: body.payload });
    expect(after.statusCode, after.body).toBe(200);
  });
});
