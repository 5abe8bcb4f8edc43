// Webhooks end to end on both engines, against a real receiver (node:http on 127.0.0.1): endpoints and their audit,
// the secret shown once and sealed, events published in the features' transactions (and not when they roll back or
// nobody listens), the signed body, retries with back-off and their log, the 24-hour window, manual redelivery,
// rotation (two signatures for a day), automatic disabling with the administrators' e-mail, and refused URLs.
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import type { AsrEngine } from '../../speech/model.ts';
import { useEngineResolver } from '../../speech/transcribe/engine.ts';
import { openSecret } from '../secrets.ts';
import { DISABLE_AFTER_ATTEMPTS, retryDelayMs } from './service.ts';
import { verifySignature } from './signature.ts';
import { addressRefusal, checkUrl } from './url-guard.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  url: string;
}

/** A webhook receiver: records every request and answers with the status the test sets. */
async function startReceiver() {
  const received: Received[] = [];
  let answer: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: '{"thanks":true}' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    answer(status: number, body = '', headers?: Record<string, string>) {
      answer = { status, body, headers };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook URL checks (no network)', () => {
  const strict = { allowPrivate: false, selfHosts: ['earshot.example.com'] };
  it.each([
    ['ftp://example.com/hook', 'SCHEME'],
    ['javascript:alert(1)', 'SCHEME'],
    ['not a url', 'MALFORMED'],
    ['https://user:secret@example.com/hook', 'CREDENTIALS'],
    ['http://127.0.0.1:8080/hook', 'LOOPBACK'],
    ['http://127.1.2.3/hook', 'LOOPBACK'],
    ['http://[::1]/hook', 'LOOPBACK'],
    ['http://[::ffff:127.0.0.1]/hook', 'LOOPBACK'],
    ['http://localhost:3000/hook', 'LOOPBACK'],
    ['http://api.localhost/hook', 'LOOPBACK'],
    ['http://169.254.169.254/latest/meta-data', 'LINK_LOCAL'],
    ['http://[fe80::1]/hook', 'LINK_LOCAL'],
    ['http://0.0.0.0/hook', 'UNSPECIFIED'],
    ['http://224.0.0.1/hook', 'MULTICAST'],
    ['https://earshot.example.com/api/webhooks', 'SELF'],
  ])('refuses %s (%s)', async (url, reason) => {
    await expect(checkUrl(url, strict)).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { reason } });
  });

  it('refuses a name that resolves to loopback or to this machine', async () => {
    await expect(checkUrl(`http://${os.hostname()}:9/hook`, strict)).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
  });

  it('accepts public and private-network addresses, and names that do not resolve here (deliveries check again)', async () => {
    for (const url of ['https://hooks.example.com/earshot?token=abc', 'http://10.1.2.3:8080/hook', 'http://192.168.1.20/hook', 'https://93.184.216.34/x']) {
      await expect(checkUrl(url, strict)).resolves.toBeInstanceOf(URL);
    }
    expect(addressRefusal('10.0.0.1')).toBeNull();
    expect(addressRefusal('169.254.1.1')).toBe('LINK_LOCAL');
  });

  it('allows loopback with EARSHOT_WEBHOOKS_ALLOW_PRIVATE (tests, development)', async () => {
    await expect(checkUrl('http://127.0.0.1:8080/hook', { ...strict, allowPrivate: true })).resolves.toBeInstanceOf(URL);
    // Never a scheme or credentials, whatever the policy.
    await expect(checkUrl('file:///etc/passwd', { ...strict, allowPrivate: true })).rejects.toMatchObject({ details: { reason: 'SCHEME' } });
  });

  it('backs off from 30 s doubling to 4 h', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 9, 10, 20].map((a) => retryDelayMs(a, mid))).toEqual([30_000, 60_000, 120_000, 7_680_000, 4 * 3_600_000, 4 * 3_600_000]);
  });
});

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let tenantId: string;
  let admin: Client;
  let adminEmail: string;
  let ingest: Actor;

  const create = async (events: string[], extra: Record<string, unknown> = {}) =>
    ok(await admin.post('/api/webhooks', { name: `Hook ${Math.random().toString(36).slice(2, 7)}`, url: rx.url(), events, ...extra }));
  const deliveries = async (endpointId: string): Promise<Json[]> => ok(await admin.get(`/api/webhooks/${endpointId}/deliveries`)).items;
  const publish = (type: 'evaluation.disputed', n = 1) =>
    inTransaction(t.db, async (uow) => {
      for (let i = 0; i < n; i++) await publishEvent(t, uow, tenantId, type, { evaluationId: `e-${i}`, conversationId: `c-${i}`, revision: 1 });
    });
  /** Lets the retries the queue holds for later run now (time passing, without waiting). */
  const makeRetriesDue = () =>
    t.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('type', '=', 'webhooks.deliver')
      .where('status', '=', 'queued')
      .execute();
  const disableAll = async () => {
    for (const e of ok(await admin.get('/api/webhooks')).items) await admin.del(`/api/webhooks/${e.id}`);
  };

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp(engine, {
      EARSHOT_LOGIN_RATE_LIMIT: '100000',
      EARSHOT_WEBHOOKS_ALLOW_PRIVATE: 'true',
      EARSHOT_PUBLIC_URL: 'https://earshot.example.com',
    });
    let adminUser;
    ({ tenantId, admin, adminUser, ingest } = await tenantWithAdmin(t));
    adminEmail = adminUser.email;
  });
  afterAll(async () => {
    await t?.cleanup();
    await rx?.close();
  });
  beforeEach(async () => {
    await disableAll();
    rx.received.length = 0;
    rx.answer(200, '{"thanks":true}');
  });

  it('publishes nothing when nobody listens, nor for a change that rolled back', async () => {
    await makeChat(t, ingest);
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('type', '=', 'webhooks.dispatch')
            .where('tenant_id', '=', tenantId)
            .executeTakeFirst()
        )?.n,
      );
    expect(await count()).toBe(0);
    await create(['evaluation.disputed']);
    await expect(
      inTransaction(t.db, async (uow) => {
        await publishEvent(t, uow, tenantId, 'evaluation.disputed', { evaluationId: 'x', conversationId: 'y', revision: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await count()).toBe(0);
  });

  it('creates an endpoint with a secret shown once, sealed at rest, audited; refuses bad input with stable codes', async () => {
    const e = await create(['conversation.recorded', 'evaluation.completed'], { name: 'CRM' });
    expect(e.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(e).toMatchObject({ name: 'CRM', url: rx.url(), events: ['conversation.recorded', 'evaluation.completed'], enabled: true, failureStreak: 0 });
    const got = ok(await admin.get(`/api/webhooks/${e.id}`));
    expect(got).not.toHaveProperty('secret');
    expect(JSON.stringify(ok(await admin.get('/api/webhooks')))).not.toContain(e.secret);
    const row = await t.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^s1\./);
    expect(openSecret(t.keyring, tenantId, 'webhook secret', row.secret)).toBe(e.secret);

    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('resource_id', '=', e.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['WEBHOOK_CREATE']);
    expect(audit[0]!.details).not.toContain(e.secret);

    fails(await admin.post('/api/webhooks', { name: 'X', url: rx.url(), events: ['no.such_event'] }), 400, 'VALIDATION_FAILED');
    fails(await admin.post('/api/webhooks', { name: 'X', url: rx.url(), events: [] }), 400, 'VALIDATION_FAILED');
    fails(await admin.post('/api/webhooks', { name: 'X', url: 'ftp://example.com/x', events: ['transcript.ready'] }), 400, 'WEBHOOK_URL_REFUSED', 'SCHEME');
    fails(
      await admin.post('/api/webhooks', { name: 'X', url: 'https://a:b@example.com/x', events: ['transcript.ready'] }),
      400,
      'WEBHOOK_URL_REFUSED',
      'CREDENTIALS',
    );
    fails(await admin.post('/api/webhooks', { name: '  ', url: rx.url(), events: ['transcript.ready'] }), 400, 'VALIDATION_FAILED');
    expect(ok(await admin.get('/api/webhooks')).items).toHaveLength(1);
  });

  it('refuses loopback and this server when private addresses are not allowed, at save and at send time', async () => {
    const e = await create(['evaluation.disputed']);
    t.config.webhooksAllowPrivate = false;
    try {
      fails(
        await admin.post('/api/webhooks', { name: 'Loop', url: 'http://127.0.0.1:9/x', events: ['evaluation.disputed'] }),
        400,
        'WEBHOOK_URL_REFUSED',
        'LOOPBACK',
      );
      fails(await admin.patch(`/api/webhooks/${e.id}`, { url: 'http://169.254.169.254/x' }), 400, 'WEBHOOK_URL_REFUSED', 'LINK_LOCAL');
      fails(await admin.patch(`/api/webhooks/${e.id}`, { url: 'https://earshot.example.com/hook' }), 400, 'WEBHOOK_URL_REFUSED', 'SELF');
      // The endpoint saved while loopback was allowed is refused when it is sent to: nothing reaches the receiver.
      await publish('evaluation.disputed');
      await runJobs(t);
      expect(rx.received).toHaveLength(0);
      const [d] = await deliveries(e.id);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
      expect(d.lastError).toMatch(/loopback/);
    } finally {
      t.config.webhooksAllowPrivate = true;
    }
    expect(ok(await admin.get(`/api/webhooks/${e.id}`)).url).toBe(rx.url());
  });

  it('delivers a signed event from an ingest to the endpoints that chose it, and logs the answer', async () => {
    const e = await create(['conversation.recorded']);
    const other = await create(['transcript.ready']);
    const chat = await makeChat(t, ingest);
    await runJobs(t);
    expect(rx.received).toHaveLength(1);
    const r = rx.received[0]!;
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      type: 'conversation.recorded',
      tenant: tenantId,
      data: { conversationId: chat.conversationId, kind: 'chat', recorded: true },
    });
    expect(Object.keys(body).sort()).toEqual(['data', 'id', 'tenant', 'time', 'type']);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['earshot-event-id']).toBe(body.id);
    expect(r.headers['earshot-event-type']).toBe('conversation.recorded');
    const sig = String(r.headers['earshot-signature']);
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(sig, r.body, e.secret)).toBe(true);
    expect(verifySignature(sig, r.body, other.secret)).toBe(false);
    expect(verifySignature(sig, r.body.replace('chat', 'call'), e.secret)).toBe(false);
    // A replayed request an hour later is refused by a receiver that checks the timestamp.
    expect(verifySignature(sig, r.body, e.secret, Date.now() + 3_600_000)).toBe(false);

    const [d] = await deliveries(e.id);
    expect(d).toMatchObject({
      eventId: body.id,
      eventType: 'conversation.recorded',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      lastResponse: '{"thanks":true}',
    });
    expect(d.lastDurationMs).toBeGreaterThanOrEqual(0);
    expect(await deliveries(other.id)).toEqual([]);
    const detail = ok(await admin.get(`/api/webhooks/${e.id}/deliveries/${d.id}`));
    expect(detail.body).toBe(r.body);
    expect(detail.attemptLog).toMatchObject([{ attempt: 1, manual: false, ok: true, statusCode: 200 }]);
    expect(ok(await admin.get(`/api/webhooks/${e.id}`))).toMatchObject({ failureStreak: 0, lastSuccessAt: expect.any(String) });
  });

  it('follows a recorded call through the pipeline: recorded, stored, analysed, transcribed, insights ready', async () => {
    const all = ['conversation.recorded', 'recording.stored', 'media.analysed', 'transcript.ready', 'insights.ready'];
    const e = await create(all);
    // A scripted engine: a word per speech region (the tests' default has none, and a call without one is not transcribed).
    const engine: AsrEngine = {
      id: 'scripted',
      label: 'Scripted test engine',
      languages: '*',
      sampleRates: { min: 8000, max: 48000, preferred: 8000 },
      available: async () => ({ ok: true as const }),
      transcribe: async (input) =>
        input.speech.map((r) => ({ startMs: r.startMs, endMs: r.endMs, confidence: 0.9, words: [{ w: 'hello', s: r.startMs, e: r.endMs, c: 0.9 }] })),
    };
    useEngineResolver(t, async () => ({ engine }));
    const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(2_000) });
    const { conversationId } = await ingestCall(
      t,
      ingest,
      {
        callId: `hook-${Math.random().toString(36).slice(2)}`,
        startTime: new Date(Date.now() - 60_000).toISOString(),
        direction: 'outbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '7101' },
          { key: 'customer', role: 'customer', phone: '+15550177' },
        ],
        audio: [{ file: 'call.wav', party: 'agent' }],
      } as never,
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );
    await runJobs(t);
    const events = rx.received.map((r) => JSON.parse(r.body));
    expect(events.map((b) => b.type).sort()).toEqual([...all].sort());
    for (const b of events) expect(b.data.conversationId).toBe(conversationId);
    expect(events.find((b) => b.type === 'conversation.recorded').data).toMatchObject({ kind: 'call', direction: 'outbound', recorded: true });
    expect(events.find((b) => b.type === 'recording.stored').data).toMatchObject({ files: 1 });
    for (const r of rx.received) expect(verifySignature(String(r.headers['earshot-signature']), r.body, e.secret)).toBe(true);
    // The order of the pipeline: recorded and stored with the ingest, then each step as it finishes.
    expect(events.map((b) => b.type).indexOf('media.analysed')).toBeLessThan(events.map((b) => b.type).indexOf('transcript.ready'));
  });

  it('retries a failed delivery with back-off, logging each attempt, until the receiver answers', async () => {
    const e = await create(['evaluation.disputed']);
    rx.answer(503, 'busy, come back later');
    await publish('evaluation.disputed');
    const before = Date.now();
    await runJobs(t);
    let [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503', lastResponse: 'busy, come back later' });
    const wait = Date.parse(d.nextAttemptAt) - before;
    expect(wait).toBeGreaterThan(20_000);
    expect(wait).toBeLessThan(40_000);
    const queued = await t.db
      .selectFrom('jobs')
      .select(['run_at', 'payload'])
      .where('type', '=', 'webhooks.deliver')
      .where('status', '=', 'queued')
      .where('tenant_id', '=', tenantId)
      .execute();
    const mine = queued.filter((j) => t.adapter.fromJson<{ deliveryId: string }>(j.payload).deliveryId === d.id);
    expect(mine).toHaveLength(1);
    expect(Date.parse(String(mine[0]!.run_at))).toBe(Date.parse(d.nextAttemptAt));
    expect(ok(await admin.get(`/api/webhooks/${e.id}`))).toMatchObject({ failureStreak: 1, failingSince: expect.any(String) });

    // A redirect is not followed: it is a failure too.
    rx.answer(302, '', { location: 'http://127.0.0.1:9/elsewhere' });
    await makeRetriesDue();
    await runJobs(t);
    [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 302, lastError: 'Redirect (302) not followed' });

    rx.answer(204, '');
    await makeRetriesDue();
    await runJobs(t);
    [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 204 });
    const detail = ok(await admin.get(`/api/webhooks/${e.id}/deliveries/${d.id}`));
    expect(detail.attemptLog.map((a: Json) => [a.attempt, a.statusCode, a.ok])).toEqual([
      [1, 503, false],
      [2, 302, false],
      [3, 204, true],
    ]);
    // The same event every time.
    expect(new Set(rx.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    expect(ok(await admin.get(`/api/webhooks/${e.id}`))).toMatchObject({ failureStreak: 0, failingSince: null });
  });

  it('gives up 24 hours after the event, and redelivers by hand once (audited)', async () => {
    const e = await create(['evaluation.disputed']);
    rx.answer(500, 'down');
    await publish('evaluation.disputed');
    await runJobs(t);
    expect((await deliveries(e.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    // A day later: this retry is the last.
    await t.db
      .updateTable('webhook_deliveries')
      .set({ created_at: new Date(Date.now() - 24 * 3_600_000 - 1000).toISOString() })
      .where('endpoint_id', '=', e.id)
      .execute();
    await makeRetriesDue();
    await runJobs(t);
    const [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null, lastStatusCode: 500 });
    expect(ok(await admin.get(`/api/webhooks/${e.id}/deliveries?status=failed`)).items).toHaveLength(1);
    expect(ok(await admin.get(`/api/webhooks/${e.id}/deliveries?status=succeeded`)).items).toHaveLength(0);

    rx.answer(200, 'ok');
    expect(ok(await admin.post(`/api/webhooks/${e.id}/deliveries/${d.id}/redeliver`, {}))).toEqual({ deliveryId: d.id });
    fails(await admin.post(`/api/webhooks/${e.id}/deliveries/${d.id}/redeliver`, {}), 409, 'CONFLICT', 'DELIVERY_PENDING');
    await runJobs(t);
    const after = ok(await admin.get(`/api/webhooks/${e.id}/deliveries/${d.id}`));
    expect(after).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(after.attemptLog.map((a: Json) => a.manual)).toEqual([false, false, true]);
    expect(rx.received.map((r) => r.body)).toEqual([after.body, after.body, after.body]);
    const audit = await t.db.selectFrom('audit_events').select('action').where('resource_id', '=', e.id).where('action', '=', 'WEBHOOK_REDELIVER').execute();
    expect(audit).toHaveLength(1);
    fails(await admin.post(`/api/webhooks/${e.id}/deliveries/00000000-0000-7000-8000-000000000000/redeliver`, {}), 404, 'NOT_FOUND');
  });

  it('rotates the secret: both sign for a day unless the old one is expired at once; audited without the secret', async () => {
    const e = await create(['evaluation.disputed']);
    const r1 = ok(await admin.post(`/api/webhooks/${e.id}/rotate-secret`, {}));
    expect(r1.secret).not.toBe(e.secret);
    expect(Date.parse(r1.previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await publish('evaluation.disputed');
    await runJobs(t);
    const sig = String(rx.received[0]!.headers['earshot-signature']);
    expect(sig.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature(sig, rx.received[0]!.body, r1.secret)).toBe(true);
    expect(verifySignature(sig, rx.received[0]!.body, e.secret)).toBe(true);

    const r2 = ok(await admin.post(`/api/webhooks/${e.id}/rotate-secret`, { expirePrevious: true }));
    expect(r2.previousSecretUntil).toBeNull();
    await publish('evaluation.disputed');
    await runJobs(t);
    const sig2 = String(rx.received[1]!.headers['earshot-signature']);
    expect(verifySignature(sig2, rx.received[1]!.body, r2.secret)).toBe(true);
    expect(verifySignature(sig2, rx.received[1]!.body, r1.secret)).toBe(false);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('resource_id', '=', e.id)
      .where('action', '=', 'WEBHOOK_SECRET_ROTATE')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });

  it('disables an endpoint that failed every attempt for 24 hours, e-mails the administrators, and enabling starts afresh', async () => {
    const e = await create(['evaluation.disputed']);
    const keep = await create(['evaluation.disputed'], { url: rx.url('/other') });
    // A second administrator who reads German gets the same e-mail in German (issue 14).
    const german = await makeUser(t, tenantId, { permissions: ['settings.manage'], name: 'Dora Deutsch', email: `dora-${e.id}@example.test` });
    await t.db.updateTable('users').set({ language: 'de' }).where('id', '=', german.id).execute();
    rx.answer(500, 'broken');
    await publish('evaluation.disputed', DISABLE_AFTER_ATTEMPTS);
    await runJobs(t);
    let ep = ok(await admin.get(`/api/webhooks/${e.id}`));
    // Many failures in a short while are an outage, not a dead endpoint: still enabled.
    expect(ep).toMatchObject({ enabled: true, failureStreak: DISABLE_AFTER_ATTEMPTS });
    // It has been failing since yesterday.
    await t.db
      .updateTable('webhook_endpoints')
      .set({ failing_since: new Date(Date.now() - 25 * 3_600_000).toISOString() })
      .where('id', '=', e.id)
      .execute();
    await publish('evaluation.disputed');
    await runJobs(t);
    ep = ok(await admin.get(`/api/webhooks/${e.id}`));
    expect(ep).toMatchObject({ enabled: false, failureStreak: DISABLE_AFTER_ATTEMPTS + 1 });
    expect(ep.disabledReason).toMatch(/Every delivery failed since .* \(11 attempts in a row\); the last error: HTTP 500/);
    // The other endpoint failed too but not for a day: still enabled.
    expect(ok(await admin.get(`/api/webhooks/${keep.id}`)).enabled).toBe(true);

    const mails = await t.db
      .selectFrom('notification_outbox')
      .select(['to_address', 'subject', 'body_text', 'body_html'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'webhook_disabled')
      .execute();
    expect(mails).toHaveLength(2);
    const toAdmin = mails.find((m) => m.to_address === adminEmail)!;
    expect(toAdmin).toMatchObject({ subject: `Earshot: the webhook “${e.name}” was disabled` });
    expect(toAdmin.body_text).toContain('https://earshot.example.com/admin/webhooks');
    expect(toAdmin.body_text).toMatch(/every delivery has failed since .* \(11 attempts in a row\)/);
    expect(toAdmin.body_text).toContain('Last error: HTTP 500');
    const toDora = mails.find((m) => m.to_address === german.email)!;
    expect(toDora.subject).toBe(`Earshot: Der Webhook „${e.name}“ wurde deaktiviert`);
    expect(toDora.body_text).toContain('Hallo Dora Deutsch,');
    expect(toDora.body_text).toMatch(/Seit .* ist jede Zustellung fehlgeschlagen \(11 Versuche in Folge\)/);
    expect(toDora.body_text).toContain('Letzter Fehler: HTTP 500');
    expect(toDora.body_text).toContain('Webhooks öffnen: https://earshot.example.com/admin/webhooks');
    expect(toDora.body_html).toContain('href="https://earshot.example.com/admin/webhooks"');
    expect(toDora.body_text).not.toMatch(/Events are no longer|You receive this/);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'initiator_name'])
      .where('resource_id', '=', e.id)
      .where('action', '=', 'WEBHOOK_DISABLE')
      .execute();
    expect(audit).toEqual([{ action: 'WEBHOOK_DISABLE', initiator_name: 'webhooks' }]);

    // Disabled: new events are not sent to it, and its waiting retries stop.
    const sent = rx.received.length;
    await publish('evaluation.disputed');
    await makeRetriesDue();
    await runJobs(t);
    expect(rx.received.filter((r) => r.url === '/hook').length).toBe(rx.received.filter((r) => r.url === '/hook').length);
    const toDisabled = rx.received.slice(sent).filter((r) => r.url === '/hook');
    expect(toDisabled).toHaveLength(0);
    expect((await deliveries(e.id)).filter((d) => d.status === 'pending')).toEqual([]);
    expect((await deliveries(e.id)).some((d) => d.lastError === 'Not sent: the endpoint is disabled')).toBe(true);

    const again = ok(await admin.patch(`/api/webhooks/${e.id}`, { enabled: true }));
    expect(again).toMatchObject({ enabled: true, disabledReason: null, failureStreak: 0, failingSince: null });
  });

  it('sends a test event on demand, even to a disabled endpoint, and deletes an endpoint with its log (audited)', async () => {
    const e = await create(['insights.ready'], { enabled: false });
    expect(e).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/^Created disabled by /) });
    const { deliveryId } = ok(await admin.post(`/api/webhooks/${e.id}/test`, {}));
    await runJobs(t);
    expect(rx.received).toHaveLength(1);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ type: 'webhook.test', tenant: tenantId, data: { endpointId: e.id } });
    expect(verifySignature(String(rx.received[0]!.headers['earshot-signature']), rx.received[0]!.body, e.secret)).toBe(true);
    expect(ok(await admin.get(`/api/webhooks/${e.id}/deliveries/${deliveryId}`))).toMatchObject({ status: 'succeeded', eventType: 'webhook.test' });

    ok(await admin.patch(`/api/webhooks/${e.id}`, { name: 'Renamed', events: ['insights.ready', 'transcript.ready'], url: rx.url('/v2?token=abc') }));
    const upd = await t.db
      .selectFrom('audit_events')
      .select(['changes'])
      .where('resource_id', '=', e.id)
      .where('action', '=', 'WEBHOOK_UPDATE')
      .executeTakeFirstOrThrow();
    // The query string (often a token) is not written to the audit trail.
    expect(JSON.stringify(upd.changes)).toContain('/v2?…');
    expect(JSON.stringify(upd.changes)).not.toContain('token=abc');

    ok(await admin.del(`/api/webhooks/${e.id}`), 204);
    fails(await admin.get(`/api/webhooks/${e.id}`), 404, 'NOT_FOUND');
    expect(await t.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', e.id).execute()).toEqual([]);
    const actions = (await t.db.selectFrom('audit_events').select('action').where('resource_id', '=', e.id).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['WEBHOOK_CREATE', 'WEBHOOK_TEST', 'WEBHOOK_UPDATE', 'WEBHOOK_DELETE']);
  });

  it('is for organisation-wide administrators only, and per tenant', async () => {
    const e = await create(['evaluation.disputed']);
    const group = await makeGroup(t, tenantId, `G ${Math.random()}`);
    const scoped = await signIn(t.app, await makeUser(t, tenantId, { roles: ['admin'], groupId: group }));
    fails(await scoped.get('/api/webhooks'), 403, 'FORBIDDEN');
    fails(await scoped.post('/api/webhooks', { name: 'X', url: rx.url(), events: ['evaluation.disputed'] }), 403, 'FORBIDDEN');
    const agent = await signIn(t.app, await makeUser(t, tenantId, { roles: ['agent'] }));
    fails(await agent.get('/api/webhooks'), 403, 'FORBIDDEN');
    const other = await tenantWithAdmin(t);
    fails(await other.admin.get(`/api/webhooks/${e.id}`), 404, 'NOT_FOUND');
    fails(await other.admin.del(`/api/webhooks/${e.id}`), 404, 'NOT_FOUND');
    // Another tenant's events do not reach this tenant's endpoint.
    await makeChat(t, other.ingest);
    await inTransaction(t.db, (uow) => publishEvent(t, uow, other.tenantId, 'evaluation.disputed', { evaluationId: 'x', conversationId: 'y', revision: 1 }));
    await runJobs(t);
    expect(rx.received).toHaveLength(0);
  });
});
