// Moments on both engines, over a call ingested and analysed the way production does it: saving a range (and the
// refusals: no audio, bad ranges, no permission), the render job's MP3 clip (encrypted blob, ranges, audited plays),
// the redacted clip for users without "play unredacted" once the transcript holds PII (a clip rendered before that is
// rendered again, never handed out), the library and per-conversation list under group scope, share links (expiry,
// revocation, a public page and clip with every play audited), editing and deleting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { interleave } from '../../media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { replaceTranscript, setSpeechStatus } from '../../speech/repository.ts';
import { redactConversationAudio } from '../../speech/redaction/service.ts';
import { hashToken } from './service.ts';

describe.each(ENGINES)('moments on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let manager: Client;
  let evaluator: Client;
  let outsider: Client;
  let agent: Client;
  let callId: string;
  let chatId: string;

  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?resourceId=${resourceId}&limit=200`)).items as Json[]).reverse();
  const anon = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    const groupA = await makeGroup(t, tenantId, 'A');
    const groupB = await makeGroup(t, tenantId, 'B');
    await makeUser(t, tenantId, { roles: ['agent'], extension: '5101', name: 'Alex Agent', groupId: groupA });
    const agentUser = await makeUser(t, tenantId, { roles: ['agent'], extension: '5102', name: 'Other Agent', groupId: groupB });
    manager = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'] }));
    // The Evaluator role manages moments and plays media redacted only.
    evaluator = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'], groupId: groupA }));
    outsider = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'], groupId: groupB }));
    agent = await signIn(t.app, agentUser);
    // 20 s: agent speaks 0–8 s, customer 10–20 s.
    const pad = (a: Int16Array, beforeMs: number, total: number) => {
      const out = new Int16Array(total * 8);
      out.set(a, beforeMs * 8);
      return out;
    };
    const wav = encodeWav({
      sampleRate: 8000,
      channels: 2,
      samples: interleave([pad(synthSpeechLike(8_000, 8000, 3), 0, 20_000), pad(synthSpeechLike(10_000, 8000, 4), 10_000, 20_000)]),
    });
    ({ conversationId: callId } = await ingestCall(
      t,
      ingest,
      {
        callId: `moment-${newId()}`,
        startTime: new Date(Date.now() - 120_000).toISOString(),
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '5101' },
          { key: 'customer', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
      },
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    ));
    ({ conversationId: chatId } = await makeChat(t, ingest, { agentExtension: '5101' }));
    await runJobs(t);
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('refuses what cannot be a moment, with a stable reason and nothing written', async () => {
    const post = (c: Client, id: string, b: object) => c.post(`/api/conversations/${id}/moments`, { name: 'Greeting', ...b });
    fails(await post(evaluator, chatId, { startMs: 0, endMs: 5000 }), 409, 'CONFLICT', 'NO_AUDIO');
    fails(await post(evaluator, callId, { startMs: 5000, endMs: 4000 }), 400, 'VALIDATION_FAILED', 'INVALID_RANGE');
    fails(await post(evaluator, callId, { startMs: 1000, endMs: 1200 }), 400, 'VALIDATION_FAILED', 'RANGE_TOO_SHORT');
    fails(await post(evaluator, callId, { startMs: 0, endMs: 11 * 60_000 }), 400, 'VALIDATION_FAILED', 'RANGE_TOO_LONG');
    fails(await post(evaluator, callId, { startMs: 60_000, endMs: 65_000 }), 400, 'VALIDATION_FAILED', 'OUT_OF_RANGE');
    fails(await post(evaluator, callId, { name: '   ', startMs: 0, endMs: 5000 }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
    // Outside the scope the conversation does not exist; an agent may not manage moments.
    fails(await post(outsider, callId, { startMs: 0, endMs: 5000 }), 404, 'NOT_FOUND');
    fails(await post(agent, callId, { startMs: 0, endMs: 5000 }), 403, 'FORBIDDEN');
    expect(await t.db.selectFrom('moments').select('id').where('tenant_id', '=', tenantId).execute()).toEqual([]);
  });

  it('saves a range, renders its clip in a job, and plays it with ranges, each listen audited', async () => {
    const created = ok(
      await evaluator.post(`/api/conversations/${callId}/moments`, { name: 'Greeting', startMs: 500, endMs: 6500, note: 'Textbook opening' }),
      201,
    );
    expect(created).toMatchObject({ name: 'Greeting', note: 'Textbook opening', startMs: 500, endMs: 6500, status: 'pending', clipUrl: null, shares: [] });
    expect(created.link).toBe(`/conversations/${callId}?moment=${created.id}`);
    fails(await evaluator.get(`/api/moments/${created.id}/clip`), 409, 'CONFLICT', 'CLIP_PENDING');

    await runJobs(t);
    const ready = ok(await evaluator.get(`/api/moments/${created.id}`));
    expect(ready).toMatchObject({ status: 'ready', clipUrl: `/api/moments/${created.id}/clip` });
    const row = await t.db.selectFrom('moments').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.clip_pii).toBe(0);
    expect(row.redacted_clip_blob_id).toBeNull();
    // Stored encrypted like every rendition: the object store holds no MP3 frames in the clear.
    const stored = await t.db.selectFrom('blobs').selectAll().where('id', '=', row.clip_blob_id!).executeTakeFirstOrThrow();
    expect(stored).toBeTruthy();

    const res = await evaluator.get(`/api/moments/${created.id}/clip`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    const mp3 = res.rawPayload;
    // An MP3 frame sync at the start, and about 6 s at 32 kbit/s (CBR): 24 KB ± a frame or two.
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1]! & 0xe0).toBe(0xe0);
    expect(mp3.length).toBeGreaterThan(20_000);
    expect(mp3.length).toBeLessThan(30_000);
    const part = await t.app.inject({ method: 'GET', url: `/api/moments/${created.id}/clip`, headers: { ...evaluatorHeaders(), range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload).toEqual(mp3.subarray(100, 200));

    const plays = (await audit(callId)).filter((a) => a.action === 'PLAYBACK' && /moment "Greeting"/.test(a.details));
    // The full listen is audited, the seek (a range not from 0) is not.
    expect(plays).toHaveLength(1);
    expect(plays[0].details).toBe('Played moment "Greeting" (0:00–0:06)');
    const created_ = (await audit(created.id)).find((a) => a.action === 'MOMENT_CREATE');
    expect(created_.changes).toEqual(expect.arrayContaining([{ field: 'startMs', old: null, new: 500 }]));
  });

  // The evaluator client's cookie, for raw requests with headers.
  let evaluatorCookie = '';
  const evaluatorHeaders = () => ({ cookie: evaluatorCookie });
  beforeAll(async () => {
    const u = await makeUser(t, tenantId, { roles: ['evaluator'] });
    const { login } = await import('../../../test/helpers/factories.ts');
    evaluatorCookie = await login(t.app, u);
  });

  it('lists moments per conversation and in the library, under the group scope', async () => {
    const list = ok(await evaluator.get(`/api/conversations/${callId}/moments`)).items as Json[];
    expect(list.map((m) => m.name)).toEqual(['Greeting']);
    const lib = ok(await evaluator.get('/api/moments?q=greet')).items as Json[];
    expect(lib.map((m) => m.conversation.id)).toEqual([callId]);
    expect(ok(await evaluator.get('/api/moments?q=nothing-like-it')).items).toEqual([]);
    expect(ok(await outsider.get('/api/moments')).items).toEqual([]);
    fails(await outsider.get(`/api/moments/${list[0].id}`), 404, 'NOT_FOUND');
    fails(await outsider.get(`/api/conversations/${callId}/moments`), 404, 'NOT_FOUND');
  });

  it('hands out only the redacted clip once the transcript holds personal data', async () => {
    const id = ok(await evaluator.post(`/api/conversations/${callId}/moments`, { name: 'Card number', startMs: 9000, endMs: 19000 }), 201).id;
    await runJobs(t);
    const before = await t.db.selectFrom('moments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(before).toMatchObject({ status: 'ready', clip_pii: 0 });

    // The customer reads a card number at 12–15 s: a transcript with PII arrives after the clip was made.
    const words = 'my card is 4111 1111 1111 1111'.split(' ').map((w, k) => ({ w, s: 11_000 + k * 600, e: 11_000 + k * 600 + 500, c: 0.9 }));
    await inTransaction(t.db, async ({ tx }) => {
      await replaceTranscript(
        tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: callId,
          engine: 'test',
          language: 'en',
          word_count: words.length,
          audio_ms: 20_000,
          cpu_ms: 0,
          created_at: nowIso(),
        },
        [
          {
            id: newId(),
            segmentId: null,
            streamId: null,
            partyKey: 'customer',
            role: 'customer',
            seq: 0,
            startMs: 11_000,
            endMs: words.at(-1)!.e,
            text: words.map((w) => w.w).join(' '),
            displayText: words.map((w) => w.w).join(' '),
            redactedText: 'my card is [card number]',
            confidence: 0.9,
            words,
            pii: [{ type: 'card_number', firstWord: 3, lastWord: 6, startMs: 12_800, endMs: 15_100 }],
          },
        ],
      );
      await setSpeechStatus(tx, callId, 'ready', null, nowIso());
    });
    // A listener without "play unredacted" is refused the stale clip, which is queued again.
    fails(await evaluator.get(`/api/moments/${id}/clip`), 409, 'CONFLICT', 'CLIP_PENDING');
    expect((await t.db.selectFrom('moments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('pending');
    // Until the redacted PCM exists, the render waits (the job retries) rather than clip the original.
    await redactConversationAudio(t, callId);
    await runJobs(t);
    const after = await t.db.selectFrom('moments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'ready', clip_pii: 1 });
    expect(after.redacted_clip_blob_id).toBeTruthy();
    expect(after.redacted_clip_blob_id).not.toBe(after.clip_blob_id);
    // The old clip is gone from the store.
    expect(await t.db.selectFrom('blobs').select('id').where('id', '=', before.clip_blob_id!).executeTakeFirst()).toBeUndefined();

    const redacted = await evaluator.get(`/api/moments/${id}/clip`);
    const original = await manager.get(`/api/moments/${id}/clip`);
    expect(redacted.statusCode).toBe(200);
    expect(original.statusCode).toBe(200);
    expect(Buffer.compare(redacted.rawPayload, original.rawPayload)).not.toBe(0);
    const plays = (await audit(callId)).filter((a) => a.action === 'PLAYBACK' && /moment "Card number"/.test(a.details)).map((a) => a.details);
    expect(plays).toEqual(['Played moment "Card number" (0:09–0:19) (redacted)', 'Played moment "Card number" (0:09–0:19) (unredacted)']);

    // A later transcript's redaction (the redacted audio written again) makes the redacted clip stale: made again.
    await new Promise((r) => setTimeout(r, 5));
    await redactConversationAudio(t, callId);
    fails(await evaluator.get(`/api/moments/${id}/clip`), 409, 'CONFLICT', 'CLIP_PENDING');
    await runJobs(t);
    const remade = await t.db.selectFrom('moments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(remade.status).toBe('ready');
    expect(remade.redacted_clip_blob_id).not.toBe(after.redacted_clip_blob_id);
    expect((await evaluator.get(`/api/moments/${id}/clip`)).statusCode).toBe(200);
  });

  it('shares a clip outside by an expiring, revocable link that plays it redacted, every play audited', async () => {
    const moment = (ok(await evaluator.get(`/api/conversations/${callId}/moments`)).items as Json[]).find((m) => m.name === 'Card number');
    // The Evaluator role may not share outside.
    fails(await evaluator.post(`/api/moments/${moment.id}/shares`, { expiresInDays: 7 }), 403, 'FORBIDDEN');
    fails(await manager.post(`/api/moments/${moment.id}/shares`, { expiresInDays: 0 }), 400, 'VALIDATION_FAILED');
    const share = ok(await manager.post(`/api/moments/${moment.id}/shares`, { expiresInDays: 7 }), 201);
    expect(share).toMatchObject({ state: 'active', plays: 0 });
    const token = share.url.split('/').pop();
    expect(token.length).toBeGreaterThanOrEqual(32);
    // Only the token's hash is stored.
    const stored = await t.db.selectFrom('moment_shares').selectAll().where('id', '=', share.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const pageRes = await anon(`/api/shared/moments/${token}`);
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.headers['content-type']).toMatch(/text\/html/);
    expect(pageRes.body).toContain('Card number');
    expect(pageRes.body).toContain(`src="${token}/clip.mp3"`);
    const clip = await anon(`/api/shared/moments/${token}/clip.mp3`);
    expect(clip.statusCode).toBe(200);
    // The outside world hears the redacted clip, as a user without "play unredacted" would.
    expect(Buffer.compare(clip.rawPayload, (await evaluator.get(`/api/moments/${moment.id}/clip`)).rawPayload)).toBe(0);
    expect((await anon(`/api/shared/moments/${token}/clip.mp3`, { range: 'bytes=500-' })).statusCode).toBe(206);
    await anon(`/api/shared/moments/${token}/clip.mp3`);
    const played = (await audit(moment.id)).filter((a) => a.action === 'MOMENT_SHARE_PLAYED');
    expect(played).toHaveLength(2);
    expect(played[0]).toMatchObject({ initiatorName: 'External share link', initiatorId: null });
    expect(ok(await manager.get(`/api/moments/${moment.id}`)).shares[0]).toMatchObject({ id: share.id, plays: 2, state: 'active' });

    // Unknown, revoked and expired links: stable codes, no clip.
    fails(await anon(`/api/shared/moments/${'x'.repeat(32)}/clip.mp3`), 404, 'NOT_FOUND', 'SHARE_NOT_FOUND');
    const revoked = ok(await manager.del(`/api/moments/${moment.id}/shares/${share.id}`));
    expect(revoked.shares[0]).toMatchObject({ state: 'revoked' });
    fails(await anon(`/api/shared/moments/${token}/clip.mp3`), 410, 'GONE', 'SHARE_REVOKED');
    const goneEn = await anon(`/api/shared/moments/${token}`);
    expect(goneEn.statusCode).toBe(410);
    expect(goneEn.body).toContain('This link was revoked by its owner.');
    // The visitor's browser language: French words for a French browser.
    expect((await anon(`/api/shared/moments/${token}`, { 'accept-language': 'fr-FR,fr;q=0.9' })).body).toContain('Ce lien a été révoqué');
    fails(await manager.del(`/api/moments/${moment.id}/shares/${share.id}`), 409, 'CONFLICT', 'ALREADY_REVOKED');
    const second = ok(await manager.post(`/api/moments/${moment.id}/shares`, { expiresInDays: 1 }), 201);
    await t.db
      .updateTable('moment_shares')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', second.id)
      .execute();
    fails(await anon(`/api/shared/moments/${second.url.split('/').pop()}/clip.mp3`), 410, 'GONE', 'SHARE_EXPIRED');

    const actions = (await audit(moment.id)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['MOMENT_SHARE_CREATE', 'MOMENT_SHARE_REVOKE', 'MOMENT_SHARE_PLAYED']));

    // A link made before the clip is rendered says so, and its clip is refused rather than guessed.
    const fresh = ok(await evaluator.post(`/api/conversations/${callId}/moments`, { name: 'Fresh', startMs: 1000, endMs: 3000 }), 201);
    const early = ok(await manager.post(`/api/moments/${fresh.id}/shares`, { expiresInDays: 2 }), 201);
    const earlyToken = early.url.split('/').pop();
    expect((await anon(`/api/shared/moments/${earlyToken}`)).body).toContain('being prepared');
    fails(await anon(`/api/shared/moments/${earlyToken}/clip.mp3`), 409, 'CONFLICT', 'CLIP_PENDING');
    await runJobs(t);
    expect((await anon(`/api/shared/moments/${earlyToken}/clip.mp3`)).statusCode).toBe(200);
    // Users who cannot share do not see the links.
    expect(ok(await agent.get('/api/moments')).items).toEqual([]);
  });

  it('renames and deletes a moment (its clips and links with it), audited with old and new values', async () => {
    const moment = (ok(await evaluator.get(`/api/conversations/${callId}/moments`)).items as Json[]).find((m) => m.name === 'Greeting');
    const renamed = ok(await evaluator.patch(`/api/moments/${moment.id}`, { name: 'Warm greeting', note: null }));
    expect(renamed).toMatchObject({ name: 'Warm greeting', note: null });
    const upd = (await audit(moment.id)).find((a) => a.action === 'MOMENT_UPDATE');
    expect(upd.changes).toEqual([
      { field: 'name', old: 'Greeting', new: 'Warm greeting' },
      { field: 'note', old: 'Textbook opening', new: null },
    ]);
    const row = await t.db.selectFrom('moments').selectAll().where('id', '=', moment.id).executeTakeFirstOrThrow();
    ok(await evaluator.del(`/api/moments/${moment.id}`), 204);
    fails(await evaluator.get(`/api/moments/${moment.id}`), 404, 'NOT_FOUND');
    expect(await t.db.selectFrom('blobs').select('id').where('id', '=', row.clip_blob_id!).executeTakeFirst()).toBeUndefined();
    expect((await audit(moment.id)).map((a) => a.action)).toContain('MOMENT_DELETE');
  });
});
