// Transcript downloads through the HTTP API on both databases: each format, who may download (the same as who may
// read the transcript), redaction for users without "play unredacted" (text and words), the audit event (marked
// unredacted or redacted), a conversation without a transcript, and one outside the caller's reach. The transcript
// is stored through the repository, as the transcription job stores it; the download never looks at the audio, so
// a chat conversation stands in for the call (quick to make, no media analysis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, signIn, type Client } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { replaceTranscript, setSpeechStatus, type NewUtterance } from '../repository.ts';

const words = (text: string, from: number) => text.split(' ').map((w, i) => ({ w, s: from + i * 300, e: from + i * 300 + 250, c: i === 1 ? 0.3 : 0.9 }));

describe.each(ENGINES)('transcript downloads on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let redactedUser: Client;
  let viewerOnly: Client;
  let conversationId: string;
  let untranscribed: string;

  const audit = async (id: string) => (await t.audit.find({ tenantId, resourceType: 'conversation', resourceId: id, limit: 50 })).items;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    redactedUser = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'media.play_redacted'] }));
    viewerOnly = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    conversationId = (await makeChat(t, ingest)).conversationId;
    untranscribed = (await makeChat(t, ingest)).conversationId;

    const agentText = 'thank you for calling how can i help';
    const custText = 'my card is four one one one thanks';
    const utterances: NewUtterance[] = [
      {
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: 'agent',
        role: 'agent',
        seq: 0,
        startMs: 1_000,
        endMs: 3_400,
        text: agentText,
        displayText: 'Thank you for calling, how can I help?',
        redactedText: 'Thank you for calling, how can I help?',
        confidence: 0.85,
        words: words(agentText, 1_000),
        pii: [],
      },
      {
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: 'cust',
        role: 'customer',
        seq: 1,
        startMs: 62_000,
        endMs: 64_700,
        text: custText,
        displayText: 'My card is 4111, thanks',
        redactedText: 'My card is [CARD], thanks',
        confidence: 0.7,
        words: words(custText, 62_000),
        pii: [{ type: 'card_number', firstWord: 3, lastWord: 6, startMs: 62_900, endMs: 64_150 }],
      },
    ];
    await inTransaction(t.db, async (uow) => {
      await replaceTranscript(
        uow.tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: conversationId,
          engine: 'pocketsphinx',
          language: 'en',
          word_count: 15,
          audio_ms: 65_000,
          cpu_ms: 7_000,
          created_at: nowIso(),
        },
        utterances,
      );
      await setSpeechStatus(uow.tx, conversationId, 'ready', null, nowIso());
    });
    await setSpeechStatus(t.db, untranscribed, 'no_engine', 'No speech engine is configured');
  });
  afterAll(() => t?.cleanup());

  it('gives the unredacted text to a user with "play unredacted", in every format, audited as unredacted', async () => {
    const txt = await admin.get(`/api/conversations/${conversationId}/transcript.txt`);
    expect(txt.statusCode, txt.body).toBe(200);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['content-disposition']).toBe(
      `attachment; filename="${conversationId}_transcript.txt"; filename*=UTF-8''${conversationId}_transcript.txt`,
    );
    expect(txt.body).toBe('[00:00:01] Agent: Thank you for calling, how can I help?\n[00:01:02] Customer: My card is 4111, thanks\n');

    const srt = await admin.get(`/api/conversations/${conversationId}/transcript.srt`);
    expect(srt.statusCode).toBe(200);
    expect(srt.body).toContain('2\n00:01:02,000 --> 00:01:04,700\nCustomer: My card is 4111, thanks\n');

    const vtt = await admin.get(`/api/conversations/${conversationId}/transcript.vtt`);
    expect(vtt.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(vtt.body).toMatch(/^WEBVTT\n\n/);
    expect(vtt.body).toContain('00:00:01.000 --> 00:00:03.400\n<v Agent>Thank you for calling, how can I help?\n');

    const json = await admin.get(`/api/conversations/${conversationId}/transcript.json`);
    const body = JSON.parse(json.body);
    expect(body).toMatchObject({ conversationId, status: 'ready', engine: 'pocketsphinx', language: 'en' });
    expect(body.utterances[1]).toMatchObject({ role: 'customer', partyKey: 'cust', startMs: 62_000, endMs: 64_700, redacted: false });
    expect(body.utterances[1].words.map((w: { w: string }) => w.w).join(' ')).toBe('my card is four one one one thanks');

    // The JSON download is what the transcript API answers.
    expect(body).toEqual((await admin.get(`/api/conversations/${conversationId}/transcript`)).json());

    const events = (await audit(conversationId)).filter((e) => e.action === 'TRANSCRIPT_DOWNLOADED');
    expect(events).toHaveLength(4);
    expect(events.map((e) => e.details).sort()).toEqual(
      ['json', 'srt', 'txt', 'vtt'].map((f) => `Downloaded the unredacted transcript as ${conversationId}_transcript.${f}`),
    );
  });

  it('gives the redacted text and words to a user with "play redacted" only, audited as redacted', async () => {
    const txt = await redactedUser.get(`/api/conversations/${conversationId}/transcript.txt`);
    expect(txt.statusCode, txt.body).toBe(200);
    expect(txt.body).toContain('[00:01:02] Customer: My card is [CARD], thanks\n');
    expect(txt.body).not.toContain('4111');
    expect(txt.headers['content-disposition']).toContain(`${conversationId}_transcript_redacted.txt`);

    const json = JSON.parse((await redactedUser.get(`/api/conversations/${conversationId}/transcript.json`)).body);
    expect(JSON.stringify(json)).not.toMatch(/4111|four one/);
    const cust = json.utterances[1];
    expect(cust.redacted).toBe(true);
    expect(cust.words.map((w: { w: string }) => w.w)).toEqual(['my', 'card', 'is', '[CARD]', 'thanks']);
    expect(cust.words[3]).toMatchObject({ s: 62_900, e: 64_050, c: null });
    expect(json).toEqual((await redactedUser.get(`/api/conversations/${conversationId}/transcript`)).json());
    // An utterance without PII is the same for everyone.
    expect(json.utterances[0].redacted).toBe(false);

    const vtt = (await redactedUser.get(`/api/conversations/${conversationId}/transcript.vtt`)).body;
    expect(vtt).toContain('<v Customer>My card is [CARD], thanks');
    const redacted = (await audit(conversationId)).filter((e) => e.details.startsWith('Downloaded the redacted transcript'));
    expect(redacted.map((e) => e.details).sort()).toEqual([
      `Downloaded the redacted transcript as ${conversationId}_transcript_redacted.json`,
      `Downloaded the redacted transcript as ${conversationId}_transcript_redacted.txt`,
      `Downloaded the redacted transcript as ${conversationId}_transcript_redacted.vtt`,
    ]);
  });

  it('refuses a user who may not play the conversation, and writes no audit event', async () => {
    const before = (await audit(conversationId)).length;
    fails(await viewerOnly.get(`/api/conversations/${conversationId}/transcript.txt`), 403, 'FORBIDDEN');
    expect(await audit(conversationId)).toHaveLength(before);
  });

  it('says why there is no transcript (404 NO_TRANSCRIPT with the status), without an audit event', async () => {
    const err = fails(await admin.get(`/api/conversations/${untranscribed}/transcript.srt`), 404, 'NOT_FOUND', 'NO_TRANSCRIPT');
    expect(err.message).toMatch(/no speech engine is configured/);
    expect(err.details?.status).toBe('no_engine');
    expect((await audit(untranscribed)).filter((e) => e.action === 'TRANSCRIPT_DOWNLOADED')).toEqual([]);
  });

  it('hides another tenant’s conversation (404) and rejects a bad id', async () => {
    const other = await makeTenant(t);
    const outsider = await signIn(t.app, other.admin);
    fails(await outsider.get(`/api/conversations/${conversationId}/transcript.json`), 404, 'NOT_FOUND');
    fails(await admin.get('/api/conversations/bad%20id/transcript.json'), 400, 'VALIDATION_FAILED');
  });
});
