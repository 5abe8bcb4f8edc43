// Recording policies through the HTTP API and applied at ingest, on both engines: rules in order, validation with
// stable reasons, audit with old/new, and a call or screen recording not to be recorded keeps its metadata and the
// rule's reason while its media is not stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { ingestScreen } from '../../conversations/ingest/screens.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { sampleBucket } from './decide.ts';

const BASE = '/api/compliance/recording-policies';

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

describe.each(ENGINES)('recording policies on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let agentId: string;
  const wav = encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(3000, 8000, 3) });

  const call = (callId: string, over: Record<string, unknown> = {}, seconds = 3) =>
    ingestCall(
      t,
      ingest,
      {
        callId,
        startTime: '2026-11-02T10:00:00.000Z',
        direction: 'inbound',
        queue: 'Billing',
        parties: [
          { key: 'agent', role: 'agent', extension: '2001' },
          { key: 'cust', role: 'customer', phone: '+33 1 23 45 67 89' },
        ],
        audio: [{ file: 'a.wav', party: 'cust' }],
        ...over,
      } as never,
      [
        {
          fieldName: 'audio',
          fileName: 'a.wav',
          contentType: 'audio/wav',
          data: seconds === 3 ? wav : encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(seconds * 1000, 8000, 4) }),
        },
      ],
    );
  const detail = async (id: string) => ok(await admin.get(`/api/conversations/${id}`));
  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId, limit: '50' })}`)).items as Json[]).reverse();
  const blobCount = async () =>
    (await t.db
      .selectFrom('blobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst())!.n;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    agentId = (await makeUser(t, tenantId, { roles: ['agent'], extension: '2001', name: 'Alex Agent' })).id;
  });
  afterAll(() => t?.cleanup());

  it('refuses bad rules with a stable reason and the field, and those without the permission', async () => {
    fails(await admin.post(BASE, { name: 'x', action: 'skip', numbers: ['abc'] }), 400, 'VALIDATION_FAILED', 'INVALID_NUMBER');
    fails(await admin.post(BASE, { name: 'x', action: 'sample' }), 400, 'VALIDATION_FAILED', 'SAMPLE_PERCENT_REQUIRED');
    fails(await admin.post(BASE, { name: 'x', action: 'skip', agentUserIds: ['nobody'] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_AGENT');
    fails(await admin.post(BASE, { name: 'x', action: 'maybe' }), 400, 'VALIDATION_FAILED');
    fails(await admin.post(BASE, { name: ' ', action: 'skip' }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
    fails(await admin.post(BASE, { name: 'x', action: 'sample', samplePercent: 101 }), 400, 'VALIDATION_FAILED');
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.get(BASE), 403, 'FORBIDDEN');
    fails(await viewer.post(BASE, { name: 'x', action: 'skip' }), 403, 'FORBIDDEN');
    expect(ok(await admin.get(BASE)).items).toEqual([]);
  });

  it('creates, changes, reorders and deletes rules, each audited with old and new values', async () => {
    const a = ok(await admin.post(BASE, { name: 'Private line', action: 'skip', numbers: ['+33 1 23*'] }));
    const b = ok(await admin.post(BASE, { name: 'Half of sales', action: 'sample', samplePercent: 50, queues: ['Sales'] }));
    expect([a.position, b.position]).toEqual([0, 1]);
    expect(a).toMatchObject({ enabled: true, appliesTo: 'call', samplePercent: null, numbers: ['+33 1 23*'] });
    const changed = ok(await admin.patch(`${BASE}/${b.id}`, { samplePercent: 20, directions: ['inbound'] }));
    expect(changed).toMatchObject({ samplePercent: 20, directions: ['inbound'] });
    const events = await audit(b.id);
    expect(events.map((e) => e.action)).toEqual(['RECORDING_POLICY_CREATE', 'RECORDING_POLICY_UPDATE']);
    expect(events[1].changes).toEqual([
      { field: 'samplePercent', old: 50, new: 20 },
      { field: 'directions', old: [], new: ['inbound'] },
    ]);
    fails(await admin.put(`${BASE}/order`, { ids: [b.id] }), 400, 'VALIDATION_FAILED', 'ORDER_MISMATCH');
    const reordered = ok(await admin.put(`${BASE}/order`, { ids: [b.id, a.id] }));
    expect(reordered.items.map((p: Json) => p.name)).toEqual(['Half of sales', 'Private line']);
    ok(await admin.del(`${BASE}/${b.id}`), 204);
    fails(await admin.del(`${BASE}/${b.id}`), 404, 'NOT_FOUND');
    const gone = await audit(b.id);
    expect(gone.at(-1)).toMatchObject({ action: 'RECORDING_POLICY_DELETE' });
    expect(gone.at(-1).changes.find((c: Json) => c.field === 'name')).toEqual({ field: 'name', old: 'Half of sales', new: null });
    expect(ok(await admin.get(BASE)).items.map((p: Json) => p.name)).toEqual(['Private line']);
  });

  it('a call matching a do-not-record rule keeps its metadata and says which rule; its audio is not stored', async () => {
    const before = await blobCount();
    const r = await call('not-recorded-1');
    expect(await blobCount()).toBe(before);
    const d = await detail(r.conversationId);
    const seg = d.segments[0];
    expect(seg.streams).toEqual([]);
    expect(seg.durationMs).toBe(3000);
    expect(seg.recording).toMatchObject({ recorded: false, ruleName: 'Private line' });
    expect(seg.recording.reason).toContain('do not record');
    expect(d.participants.map((p: Json) => p.phone)).toContain('+33123456789');
    const ingestEvent = (await audit(r.conversationId)).find((e) => e.action === 'CONVERSATION_INGEST');
    expect(ingestEvent.details).toContain('not recorded');
    // A re-import of the same call is the same conversation, still not recorded.
    const again = await call('not-recorded-1');
    expect(again).toMatchObject({ conversationId: r.conversationId, duplicate: true });
    expect(await blobCount()).toBe(before);
    // The list shows how many calls the rule has decided.
    expect(ok(await admin.get(BASE)).items[0].decided).toEqual({ recorded: 0, notRecorded: 1 });
  });

  it('records what no rule matches, and says so', async () => {
    const r = await call('recorded-1', {
      parties: [
        { key: 'agent', role: 'agent', extension: '2001' },
        { key: 'cust', role: 'customer', phone: '+44 20 7946 0000' },
      ],
    });
    const seg = (await detail(r.conversationId)).segments[0];
    expect(seg.streams).toHaveLength(1);
    expect(seg.recording).toEqual({ recorded: true, ruleId: null, ruleName: 'Record all (default)', reason: 'No recording rule matched: record' });
  });

  it('drops calls shorter than N seconds and samples by agent deterministically', async () => {
    const short = ok(await admin.post(BASE, { name: 'Too short', action: 'skip', shorterThanSeconds: 2 }));
    const sample = ok(await admin.post(BASE, { name: 'Alex 50 %', action: 'sample', samplePercent: 50, agentUserIds: [agentId] }));
    const other = {
      parties: [
        { key: 'agent', role: 'agent', extension: '2001' },
        { key: 'cust', role: 'customer', phone: '+44 20 7946 0001' },
      ],
    };
    const r1 = await call('short-1', other, 1);
    expect((await detail(r1.conversationId)).segments[0].recording).toMatchObject({ recorded: false, ruleId: short.id });
    // Two call ids on either side of the 50 % line: the decision follows the hash of the call id.
    const ids = Array.from({ length: 40 }, (_, i) => `sampled-${i}`);
    const inside = ids.find((id) => sampleBucket(id) < 50)!;
    const outside = ids.find((id) => sampleBucket(id) >= 50)!;
    const rIn = await call(inside, other);
    const rOut = await call(outside, other);
    expect((await detail(rIn.conversationId)).segments[0].recording).toMatchObject({ recorded: true, ruleId: sample.id });
    expect((await detail(rOut.conversationId)).segments[0].recording).toMatchObject({ recorded: false, ruleId: sample.id });
    expect((await detail(rOut.conversationId)).segments[0].streams).toEqual([]);
    // The test endpoint answers the same as ingest did, and stores nothing.
    const tested = ok(
      await admin.post(`${BASE}/test`, { callRef: outside, numbers: ['+44 20 7946 0001'], agentUserIds: [agentId], direction: 'inbound', durationSeconds: 3 }),
    );
    expect(tested).toMatchObject({ record: false, ruleId: sample.id });
    ok(await admin.patch(`${BASE}/${sample.id}`, { enabled: false }));
    ok(await admin.del(`${BASE}/${short.id}`), 204);
  });

  it('applies screen rules to screen recordings: metadata kept, video not stored', async () => {
    const screens = ok(await admin.post(BASE, { name: 'No screens', action: 'skip', appliesTo: 'screen' }));
    const other = {
      parties: [
        { key: 'agent', role: 'agent', extension: '2001' },
        { key: 'cust', role: 'customer', phone: '+44 20 7946 0002' },
      ],
    };
    const r = await call('with-screen-1', other);
    const before = await blobCount();
    const s = await ingestScreen(t, ingest, { callId: 'with-screen-1' } as never, [
      { fieldName: 'video', fileName: 's.mp4', contentType: 'video/mp4', data: tinyMp4(2000) },
    ]);
    expect(s.conversationId).toBe(r.conversationId);
    expect(await blobCount()).toBe(before);
    const d = await detail(r.conversationId);
    const call0 = d.segments.find((x: Json) => x.kind === 'call');
    const screen = d.segments.find((x: Json) => x.kind === 'screen');
    expect(call0.recording.recorded).toBe(true);
    expect(call0.streams).toHaveLength(1);
    expect(screen).toMatchObject({ durationMs: 2000, streams: [], recording: { recorded: false, ruleId: screens.id } });
  });
});
