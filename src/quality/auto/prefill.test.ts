// The pre-fill on both databases, over conversations made the way production makes them: a chat through ingest and
// the insights job (phrases and indicators found in its messages, sentiment once insights exist, media rules "not a
// call"), and a call through ingest and the media pipeline (silences, holds and talk-to-listen from the audio, phrase
// rules unavailable until a transcript is stored, then found in it with their times).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { analyseConversation } from '../../analytics/insights/service.ts';
import { interleave } from '../../media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { replaceTranscript, setSpeechStatus } from '../../speech/repository.ts';
import type { AutoRule, ScorecardDefinition } from '../model.ts';
import { prefillEvaluation } from './prefill.ts';

const card = (rules: AutoRule[]): ScorecardDefinition => ({
  scoring: 'points',
  passMark: null,
  sections: [
    {
      id: 's1',
      title: 'Auto',
      weight: 1,
      questions: [
        { id: 'plain', text: 'No rule', type: 'yes_no', points: 1, required: false, naAllowed: false, autoFail: false, commentAllowed: false },
        ...rules.map((autoRule, i) => ({
          id: `q${i + 1}`,
          text: `Rule ${i + 1}`,
          type: 'yes_no' as const,
          points: 1,
          required: false,
          naAllowed: true,
          autoFail: false,
          commentAllowed: false,
          autoRule,
        })),
      ],
    },
  ],
});

describe.each(ENGINES)('automated pre-fill on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let ingest: Actor;
  let agentId: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, ingest } = await tenantWithAdmin(t));
    agentId = (await makeUser(t, tenantId, { extension: '4242', name: 'Sam Agent' })).id;
    await runJobs(t);
  });
  afterAll(() => t?.cleanup());

  async function indicator(keyword: string, speaker: 'agent' | 'customer' | 'both') {
    const categoryId = newId();
    const id = newId();
    const now = nowIso();
    await t.db
      .insertInto('indicator_categories')
      .values({ id: categoryId, tenant_id: tenantId, name: `c-${categoryId}`, position: 99, builtin_key: null, created_at: now, updated_at: now })
      .execute();
    await t.db
      .insertInto('indicators')
      .values({
        id,
        tenant_id: tenantId,
        category_id: categoryId,
        name: `i-${id}`,
        speaker,
        builtin_key: null,
        analysis_job_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db.insertInto('indicator_keywords').values({ id: newId(), tenant_id: tenantId, indicator_id: id, text: keyword }).execute();
    return id;
  }

  it('reads a chat: phrases and indicators with evidence, sentiment once insights exist, media rules not for chats', async () => {
    const invoiceId = await indicator('invoice', 'customer');
    const { conversationId } = await makeChat(t, ingest, { agentExtension: '4242', text: 'Hello, my invoice is wrong.' });
    const def = card([
      { kind: 'phrase', phrase: 'sorry', expect: 'said', by: 'agent' },
      { kind: 'phrase', indicatorId: invoiceId, expect: 'said', by: 'customer' },
      { kind: 'phrase', phrase: 'sorry', expect: 'said', by: 'customer' },
      { kind: 'silence_count', max: 1 },
      { kind: 'talk_listen', min: 0.5, max: 2 },
      { kind: 'sentiment_end', min: 40 },
    ]);
    const before = await prefillEvaluation(t, tenantId, conversationId, agentId, def);
    expect(before.proposals.map((p) => p.questionId)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    const [sorry, invoice, customerSorry, silence, talk, end] = before.proposals;
    expect(sorry).toEqual({
      questionId: 'q1',
      available: true,
      proposed: 'yes',
      measured: 1,
      evidence: [{ startMs: 20_000, endMs: 20_000, party: 'agent', text: 'Sorry to hear that, let me check.' }],
    });
    expect(invoice).toMatchObject({ available: true, proposed: 'yes', evidence: [{ startMs: 0, party: 'customer', text: 'Hello, my invoice is wrong.' }] });
    expect(customerSorry).toMatchObject({ available: true, proposed: 'no', measured: 0, evidence: [] });
    expect(silence).toMatchObject({ available: false, reasonCode: 'not_a_call', proposed: null });
    expect(talk).toMatchObject({ available: false, reasonCode: 'not_a_call' });
    expect(end).toMatchObject({ available: false, reasonCode: 'no_insights', reason: "The conversation's insights have not been computed yet" });

    await runJobs(t);
    const after = await prefillEvaluation(t, tenantId, conversationId, agentId, def);
    const ended = after.proposals[5]!;
    expect(ended.available).toBe(true);
    // The customer's two messages, scored by the insights.
    expect(ended.evidence.map((e) => e.startMs)).toEqual([0, 45_000]);
    expect(typeof ended.measured).toBe('number');
    expect(ended.proposed).toBe(ended.measured! >= 40 ? 'yes' : 'no');
  });

  it('proposes nothing without rules, and refuses a conversation of another tenant', async () => {
    const { conversationId } = await makeChat(t, ingest);
    expect((await prefillEvaluation(t, tenantId, conversationId, agentId, card([]))).proposals).toEqual([]);
    const other = await tenantWithAdmin(t);
    const { conversationId: foreign } = await makeChat(t, other.ingest);
    await expect(prefillEvaluation(t, tenantId, foreign, agentId, card([{ kind: 'hold_count', max: 0 }]))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads a call: media rules from the audio, phrase rules only once the transcript is there', async () => {
    // Agent speaks 0–10 s, nobody 10–17 s (a silence over 5 s), customer 17–25 s.
    const pad = (a: Int16Array, beforeMs: number, total: number) => {
      const out = new Int16Array(total * 8);
      out.set(a, beforeMs * 8);
      return out;
    };
    const agent = pad(synthSpeechLike(10_000, 8000, 3), 0, 25_000);
    const customer = pad(synthSpeechLike(8_000, 8000, 4), 17_000, 25_000);
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([agent, customer]) });
    const { conversationId: id } = await ingestCall(
      t,
      ingest,
      {
        callId: `auto-${newId()}`,
        startTime: new Date(Date.now() - 60_000).toISOString(),
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '4242' },
          { key: 'customer', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
      },
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );
    const def = card([
      { kind: 'silence_count', max: 0 },
      { kind: 'hold_count', max: 0 },
      { kind: 'talk_listen', min: 0.2, max: 5 },
      { kind: 'phrase', phrase: 'thank you for calling', expect: 'said', by: 'agent', within: { edge: 'first', seconds: 15 } },
    ]);
    const early = await prefillEvaluation(t, tenantId, id, agentId, def);
    expect(early.proposals.map((p) => p.reasonCode)).toEqual(['media_pending', 'media_pending', 'no_insights', 'transcript_pending']);

    await runJobs(t);
    const conv = await t.db.selectFrom('conversations').select(['media_status', 'speech_status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(conv.media_status).toBe('ready');
    const silences = await t.db
      .selectFrom('speech_events')
      .select(['start_ms', 'end_ms'])
      .where('conversation_id', '=', id)
      .where('type', '=', 'silence')
      .execute();
    const [silence, hold, talk, phrase] = (await prefillEvaluation(t, tenantId, id, agentId, def)).proposals;
    expect(silences.length).toBeGreaterThan(0);
    expect(silence).toMatchObject({ available: true, proposed: 'no', measured: silences.length });
    expect(silence!.evidence[0]).toMatchObject({ startMs: Number(silences[0]!.start_ms), endMs: Number(silences[0]!.end_ms), party: null });
    expect(hold).toMatchObject({ available: true, proposed: 'yes', measured: 0 });
    expect(talk).toMatchObject({ available: true, proposed: 'yes' });
    expect(talk!.measured).toBeGreaterThan(0.2);
    // No speech engine runs in tests: whatever the transcription said, the phrase rule is not guessed.
    expect(conv.speech_status).not.toBe('ready');
    expect(phrase).toMatchObject({ available: false, proposed: null });

    const words = (text: string, at: number) => text.split(' ').map((w, k) => ({ w: w.toLowerCase(), s: at + k * 300, e: at + k * 300 + 250, c: 0.9 }));
    const utterance = (role: 'agent' | 'customer', text: string, at: number, seq: number) => {
      const w = words(text, at);
      return {
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: role,
        role,
        seq,
        startMs: at,
        endMs: w.at(-1)!.e,
        text,
        displayText: text,
        redactedText: text,
        confidence: 0.9,
        words: w,
        pii: [],
      };
    };
    await inTransaction(t.db, async (uow) => {
      await replaceTranscript(
        uow.tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: id,
          engine: 'test',
          language: 'en',
          word_count: 9,
          audio_ms: 25_000,
          cpu_ms: 0,
          created_at: nowIso(),
        },
        [utterance('agent', 'Thank you for calling Acme', 1000, 0), utterance('customer', 'Hello I have a question', 17_500, 1)],
      );
      await setSpeechStatus(uow.tx, id, 'ready', null, nowIso());
    });
    await analyseConversation(t, id);
    const found = (await prefillEvaluation(t, tenantId, id, agentId, def)).proposals[3]!;
    expect(found).toMatchObject({
      available: true,
      proposed: 'yes',
      measured: 1,
      evidence: [{ startMs: 1000, endMs: 2450, party: 'agent', text: 'Thank you for calling Acme' }],
    });
  });
});
