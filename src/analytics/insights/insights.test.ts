// Conversation insights on both databases, through the pipeline and the HTTP API: a chat is analysed after ingest
// (message counts, response times, engagement), a stored transcript is analysed (sentiment with the contact-center
// cues, next steps, questions, places that point at lines), re-runs replace rather than add, visibility follows the
// conversation, the tenant-wide re-run reports progress, the optional chat endpoint (a local stub that follows the
// published /v1/chat/completions API) adds a summary, and an unreachable endpoint or a failing line analyser leaves
// the insights stored and saying so.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { actorOfUser, makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import type { AppContext } from '../../context.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { SpeakerRole } from '../../speech/model.ts';
import { replaceTranscript } from '../../speech/repository.ts';
import { ingestCall } from '../../conversations/ingest/calls.ts';
import { ingestEmail } from '../../conversations/ingest/emails.ts';
import { buildEml } from '../../conversations/email/fixtures.ts';
import { interleave } from '../../media/channels.ts';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { LINE_ANALYSERS } from './analysers.ts';
import { analyseConversation } from './service.ts';
import { refreshBuiltinRoles } from '../../auth/tenants.ts';

type Line = [SpeakerRole, string];

/** A stub of an OpenAI-compatible chat server on 127.0.0.1 that records what it was sent. */
async function chatStub(answer: (body: Json) => { status: number; body: unknown }) {
  const seen: Json[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      seen.push({ path: req.url, auth: req.headers.authorization ?? null, body });
      const a = req.method === 'POST' && req.url === '/v1/chat/completions' ? answer(body) : { status: 404, body: { error: { message: 'not found' } } };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const completion = (content: string) => ({
  status: 200,
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'stub',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  },
});

describe.each(ENGINES)('conversation insights on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;

  /**
   * Stores a transcript on the conversation: one utterance per line, words 300 ms apart, 1 s between lines. The
   * fixture is a chat (no media needed); its messages are removed so the transcript is all there is to read.
   */
  async function transcribe(conversationId: string, lines: Line[]) {
    const segments = t.db.selectFrom('segments').select('id').where('conversation_id', '=', conversationId);
    await t.db.deleteFrom('chat_messages').where('segment_id', 'in', segments).execute();
    let at = 1000;
    const utterances = lines.map(([role, text], i) => {
      const words = text.split(' ').map((w, k) => ({ w: w.toLowerCase(), s: at + k * 300, e: at + k * 300 + 250, c: 0.9 }));
      const u = {
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: role,
        role,
        seq: i,
        startMs: words[0]!.s,
        endMs: words[words.length - 1]!.e,
        text,
        displayText: text,
        redactedText: text,
        confidence: 0.9,
        words,
        pii: [],
      };
      at = u.endMs + 1000;
      return u;
    });
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
          word_count: 0,
          audio_ms: at,
          cpu_ms: 0,
          created_at: nowIso(),
        },
        utterances,
      );
    });
    return utterances;
  }

  const insights = async (id: string, client = admin) => ok(await client.get(`/api/conversations/${id}/insights`));
  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;

  const ANGRY: Line[] = [
    ['agent', 'Thank you for calling, how can I help you?'],
    ['customer', 'This is ridiculous, my order still has not arrived and I want to speak to a manager.'],
    ['agent', 'I am sorry about that. What happened when you called last week?'],
    ['customer', 'Nobody helps me, it is a waste of my time.'],
    ['agent', 'I will send you a replacement today and you will receive a tracking email tomorrow.'],
  ];

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    await runJobs(t);
  });
  afterAll(() => t?.cleanup());

  it('analyses a chat after ingest: message counts, response times, engagement, sentiment', async () => {
    const id = await chat({ text: 'Hello, my invoice is wrong and I am really frustrated.' });
    expect((await insights(id)).status).toBe('none');
    await runJobs(t);
    const r = await insights(id);
    expect(r.status).toBe('done');
    expect(r.details.channel).toBe('text');
    expect(r.details.agent).toMatchObject({ kind: 'text', agentMessages: 1, customerMessages: 2, avgResponseMs: 20_000, firstResponseMs: 20_000 });
    expect(r.engagementScore).toBeGreaterThan(0);
    expect(r.engagementScore).toBeLessThanOrEqual(100);
    // The customer's first message carries a frustration cue.
    expect(r.details.sentiment.cues).toEqual([expect.objectContaining({ cue: 'frustration', role: 'customer' })]);
    expect(r.sentimentScore).toBeLessThan(50);
  });

  it('analyses a transcript: cues pull sentiment down, next steps and good questions point at their lines', async () => {
    const id = await chat();
    const utts = await transcribe(id, ANGRY);
    await analyseConversation(t, id);
    const r = await insights(id);
    expect(r.status).toBe('done');
    expect(r.details.channel).toBe('call');
    expect(r.sentimentLabel).toBe('negative');
    expect(r.details.sentiment.cues.map((c: Json) => c.cue).sort()).toEqual(['frustration', 'frustration', 'manager_request']);
    expect(r.details.sentiment.points).toHaveLength(5);
    expect(r.details.sentiment.sections.flatMap((s: Json) => s.lineIds)).toEqual(utts.map((u) => u.id));
    const steps = r.details.nextSteps as Json[];
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ lineId: utts[4]!.id, source: 'rules', role: 'agent' });
    expect(ANGRY[4]![1].slice(steps[0].range[0], steps[0].range[1])).toBe(steps[0].text);
    // "how can I help you?" is a formula; "What happened…?" is an open question.
    expect(r.details.goodQuestions.map((q: Json) => q.text)).toEqual(['What happened when you called last week?']);
    expect(r.details.questions).toHaveLength(2);
    // Agent summary from the utterance times: 3 agent lines, no customer speech inside agent runs.
    expect(r.talkListenRatio).toBeGreaterThan(0);
    expect(r.wordsPerMinute).toBeGreaterThan(0);
    expect(r.avgResponseMs).toBe(1000);
    expect(r.longestMonologueMs).toBe(Math.max(...utts.filter((u) => u.role === 'agent').map((u) => u.endMs - u.startMs)));
    expect(r.details.llm).toEqual({ status: 'off' });
  });

  it('gives a call without a transcript its talk metrics from the voice activity', async () => {
    // Left = agent speaks 0–10 s, right = customer 11.5–20 s; no speech engine in tests, so no transcript.
    const pad = (a: Int16Array, beforeMs: number, total: number) => {
      const out = new Int16Array(total * 8);
      out.set(a, beforeMs * 8);
      return out;
    };
    const agent = pad(synthSpeechLike(10_000, 8000, 3), 0, 21_000);
    const customer = pad(synthSpeechLike(8_500, 8000, 4), 11_500, 21_000);
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([agent, customer]) });
    const { conversationId: id } = await ingestCall(
      t,
      ingest,
      {
        callId: `voice-${newId()}`,
        startTime: new Date().toISOString(),
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '100' },
          { key: 'customer', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'customer' } }],
      },
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );
    await runJobs(t);
    const r = await insights(id);
    expect(r.status).toBe('done');
    expect(r.details).toMatchObject({ channel: 'call', metricsSource: 'voice_activity', lineCount: 0 });
    // Speech-like noise has its own pauses: talk time is under the span each side spoke in.
    expect(r.details.agent.agentTalkMs).toBeGreaterThan(5_000);
    expect(r.details.agent.agentTalkMs).toBeLessThanOrEqual(10_500);
    expect(r.details.agent.customerTalkMs).toBeGreaterThan(4_000);
    expect(r.details.agent.customerTalkMs).toBeLessThanOrEqual(9_000);
    expect(r.talkListenRatio).toBeCloseTo(r.details.agent.agentTalkMs / r.details.agent.customerTalkMs, 2);
    expect(r.wordsPerMinute).toBeNull();
    expect(r.fillersPerMinute).toBeNull();
    expect(r.sentimentScore).toBeNull();
    expect(r.engagementScore).toBeGreaterThan(0);
    expect(r.longestMonologueMs).toBeGreaterThan(5_000);
    expect(r.longestMonologueMs).toBeLessThanOrEqual(10_500);
  });

  it('never quotes PII: chat text is redacted when analysed, and stored quotes again when read', async () => {
    const id = await chat({ text: 'Please email the invoice to jo.smith@example.com today.' });
    await runJobs(t);
    const [step] = (await insights(id)).details.nextSteps as Json[];
    expect(step.text).toBe('Please email the invoice to [EMAIL] today.');
    // A row stored before the tenant redacted e-mail addresses still shows none to a reader without play_unredacted.
    const row = await t.db.selectFrom('conversation_insights').select('details').where('conversation_id', '=', id).executeTakeFirstOrThrow();
    const details = t.adapter.fromJson<Json>(row.details);
    details.nextSteps[0].text = 'Please email the invoice to jo.smith@example.com today.';
    await t.db
      .updateTable('conversation_insights')
      .set({ details: t.adapter.json(details) })
      .where('conversation_id', '=', id)
      .execute();
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    expect((await insights(id, viewer)).details.nextSteps[0].text).toBe('Please email the invoice to [EMAIL] today.');
  });

  it("reads an e-mail reply's own words: the customer's quoted sentences are neither the agent's next steps nor mentions", async () => {
    await makeUser(t, tenantId, { roles: ['agent'], email: `casey-${engine}@acme.test`, name: 'Casey Agent' });
    const firstId = `cust-${newId()}@example.com`;
    const question = 'I want to cancel my account. I will send you the receipt tomorrow.';
    const first = buildEml({
      messageId: firstId,
      from: { name: 'Jo Smith', address: 'jo@example.com' },
      to: [`casey-${engine}@acme.test`],
      subject: 'Cancel my account',
      date: new Date('2026-11-03T08:00:00Z'),
      text: question,
    });
    const { conversationId } = await ingestEmail(t, ingest, Buffer.from(first));
    const reply = buildEml({
      messageId: `agent-${newId()}@acme.test`,
      inReplyTo: firstId,
      references: [firstId],
      from: { name: 'Casey Agent', address: `casey-${engine}@acme.test` },
      to: ['jo@example.com'],
      subject: 'Re: Cancel my account',
      date: new Date('2026-11-03T09:00:00Z'),
      text: `Hello Jo,\nWe will refund you within five days.\n\nOn Tue, 3 Nov 2026 at 08:00, Jo Smith <jo@example.com> wrote:\n> ${question}`,
    });
    expect((await ingestEmail(t, ingest, Buffer.from(reply))).conversationId).toBe(conversationId);
    await runJobs(t);
    const r = await insights(conversationId);
    // Only the agent's own sentence: not the customer's e-mail, nor the customer's words quoted in the reply.
    expect((r.details.nextSteps as Json[]).map((n) => [n.role, n.text])).toEqual([['agent', 'We will refund you within five days.']]);
    const mentions = (ok(await admin.get(`/api/conversations/${conversationId}/mentions`)).mentions as Json[]).filter((m) => m.keyword === 'cancel my account');
    // The customer's subject and body; not the agent's "Re:" subject nor the quote.
    expect(mentions.map((m) => m.role)).toEqual(['customer', 'customer']);
  });

  it('is idempotent: a re-run replaces the row', async () => {
    const id = await chat();
    await transcribe(id, ANGRY);
    await analyseConversation(t, id);
    const first = await insights(id);
    await analyseConversation(t, id);
    const second = await insights(id);
    expect(second.details).toEqual(first.details);
    const rows = await t.db.selectFrom('conversation_insights').select('conversation_id').where('conversation_id', '=', id).execute();
    expect(rows).toHaveLength(1);
  });

  it('says which languages it cannot score instead of guessing', async () => {
    const id = await chat();
    await transcribe(id, ANGRY);
    await t.db.updateTable('transcripts').set({ language: 'de' }).where('conversation_id', '=', id).execute();
    await analyseConversation(t, id);
    const r = await insights(id);
    expect(r.status).toBe('done');
    expect(r.sentimentScore).toBeNull();
    expect(r.details.sentiment.status).toBe('unsupported_language');
    expect(r.details.rulesStatus).toBe('unsupported_language');
    expect(r.details.nextSteps).toEqual([]);
    // Talk metrics do not depend on the language.
    expect(r.talkListenRatio).toBeGreaterThan(0);
  });

  it('follows the conversation: 404 for another tenant, 403 without view permission', async () => {
    const id = await chat();
    const other = await makeTenant(t);
    const stranger = await signIn(t.app, other.admin);
    fails(await stranger.get(`/api/conversations/${id}/insights`), 404, 'NOT_FOUND');
    const nobody = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['reports.view'] }));
    fails(await nobody.get(`/api/conversations/${id}/insights`), 403, 'FORBIDDEN');
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    expect((await insights(id, viewer)).conversationId).toBe(id);
  });

  it('re-runs every conversation of the tenant with progress (insights.manage only), audited', async () => {
    const id = await chat();
    await runJobs(t);
    await t.db.deleteFrom('conversation_insights').where('conversation_id', '=', id).execute();
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.post('/api/insights/reanalyze'), 403, 'FORBIDDEN');
    const { jobId } = ok(await admin.post('/api/insights/reanalyze'));
    // Asked again while it waits: the same job, not a second pass over the tenant.
    expect(ok(await admin.post('/api/insights/reanalyze')).jobId).toBe(jobId);
    await runJobs(t);
    const job = await t.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(job!.progressNote).toMatch(/^(\d+) of \1 conversations$/);
    expect((await insights(id)).status).toBe('done');
    const audit = ok(await admin.get('/api/audit?limit=50')).items as Json[];
    expect(audit.some((e) => e.action === 'INSIGHTS_REANALYZE')).toBe(true);
  });

  it('at start-up, gives a database from before insights its insights in the background, once', async () => {
    const tenant = await makeTenant(t);
    const actor = await actorOfUser(t, tenant.admin.id);
    const a = (await makeChat(t, actor)).conversationId;
    const b = (await makeChat(t, actor)).conversationId;
    await runJobs(t);
    // As before insights existed; b is a call still waiting for its transcript (its pipeline will analyse it).
    await t.db.deleteFrom('conversation_insights').where('tenant_id', '=', tenant.tenantId).execute();
    await t.db.updateTable('conversations').set({ speech_status: 'pending' }).where('id', '=', b).execute();
    await refreshBuiltinRoles(t);
    await refreshBuiltinRoles(t);
    const queued = await t.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('type', '=', 'analytics.reanalyze')
      .where('tenant_id', '=', tenant.tenantId)
      .execute();
    expect(queued).toHaveLength(1);
    expect(t.adapter.fromJson(queued[0]!.payload)).toEqual({ tenantId: tenant.tenantId, onlyMissing: true });
    await runJobs(t);
    expect(await t.jobs.get(queued[0]!.id)).toMatchObject({ status: 'succeeded', progressNote: '1 of 1 conversations' });
    const rows = await t.db.selectFrom('conversation_insights').select('conversation_id').where('tenant_id', '=', tenant.tenantId).execute();
    expect(rows.map((r) => r.conversation_id)).toEqual([a]);
    // Insights exist now: nothing more is queued.
    await refreshBuiltinRoles(t);
    expect(
      await t.db.selectFrom('jobs').select('id').where('type', '=', 'analytics.reanalyze').where('tenant_id', '=', tenant.tenantId).execute(),
    ).toHaveLength(1);
  });

  it('asks the optional chat endpoint for a summary and next steps that point at real lines', async () => {
    const stub = await chatStub((body) => {
      const numbered = String(body.messages[1].content).split('\n');
      expect(numbered[1]).toMatch(/^2\. customer: This is ridiculous/);
      return completion(
        JSON.stringify({
          summary: 'The customer chased a late order and asked for a manager; a replacement is being sent.',
          next_steps: [
            { line: 3, text: 'What happened when you called last week?' },
            { line: 99, text: 'Invented step' },
          ],
        }),
      );
    });
    try {
      const withLlm: AppContext = { ...t, config: { ...t.config, insightsLlm: { url: stub.url, apiKey: 'k-1', model: 'stub-model', timeoutMs: 5000 } } };
      const id = await chat();
      const utts = await transcribe(id, ANGRY);
      await analyseConversation(withLlm, id);
      const r = await insights(id);
      expect(r.details.llm).toEqual({ status: 'done', model: 'stub-model' });
      expect(r.details.summary).toMatch(/late order/);
      expect(stub.seen[0]).toMatchObject({ path: '/v1/chat/completions', auth: 'Bearer k-1', body: { model: 'stub-model' } });
      const llmSteps = (r.details.nextSteps as Json[]).filter((s) => s.source === 'llm');
      // Line 99 does not exist: dropped, never shown.
      expect(llmSteps).toEqual([expect.objectContaining({ lineId: utts[2]!.id, text: 'What happened when you called last week?' })]);
    } finally {
      await stub.close();
    }
  });

  it('completes without an unreachable chat endpoint and says so', async () => {
    const stub = await chatStub(() => ({ status: 500, body: {} }));
    const url = stub.url;
    await stub.close();
    const withLlm: AppContext = { ...t, config: { ...t.config, insightsLlm: { url, apiKey: undefined, model: 'm', timeoutMs: 2000 } } };
    const id = await chat();
    await transcribe(id, ANGRY);
    await analyseConversation(withLlm, id);
    const r = await insights(id);
    expect(r.status).toBe('done');
    expect(r.details.llm.status).toBe('failed');
    expect(r.details.llm.error).toBeTruthy();
    expect(r.details.summary).toBeNull();
    expect(r.details.nextSteps.length).toBeGreaterThan(0);
    expect(r.sentimentLabel).toBe('negative');
  });

  it('runs the line analysers, records one that fails and fails the job so it is retried', async () => {
    const seen: string[] = [];
    const ok1 = {
      name: 'test.ok',
      run: async (_c: AppContext, _e: unknown, s: { conversationId: string }, lines: readonly unknown[]) =>
        void seen.push(`${s.conversationId}:${lines.length}`),
    };
    const bad = {
      name: 'test.bad',
      run: async () => {
        throw new Error('boom');
      },
    };
    LINE_ANALYSERS.push(ok1, bad);
    try {
      const id = await chat();
      await expect(analyseConversation(t, id)).rejects.toThrow(/test\.bad: boom/);
      expect(seen).toEqual([`${id}:3`]);
      const r = await insights(id);
      expect(r.status).toBe('done');
      expect(r.error).toMatch(/test\.bad: boom/);
      // Other features' analysers (indicators, topics) run too; these two are recorded beside them.
      expect(r.details.analysers).toEqual(
        expect.arrayContaining([
          { name: 'test.ok', status: 'done' },
          { name: 'test.bad', status: 'failed', error: 'boom' },
        ]),
      );
    } finally {
      LINE_ANALYSERS.splice(LINE_ANALYSERS.indexOf(ok1), 1);
      LINE_ANALYSERS.splice(LINE_ANALYSERS.indexOf(bad), 1);
    }
  });
});
