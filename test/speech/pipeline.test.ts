// The transcription job and the transcript API, on both database engines, through the real pipeline (ingest →
// media.analyze → speech.transcribe → search.index) with a scripted engine in place of the registry's choice: what
// each party said lands under its role and on the conversation timeline, a mono mix stays "unknown", no engine is a
// status and not a failure, a failing engine retries and then fails with its reason without storing anything, a
// re-run replaces the transcript whole, and the API serves redacted or original text by permission (the original
// audited). The last suite runs the real pocketsphinx engine on a corpus call when it is installed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp, type TestContext } from '../helpers/context.ts';
import type { BuiltApp } from '../../src/app.ts';
import { login, makeTenant, makeUser } from '../helpers/factories.ts';
import { actorOfUser } from '../helpers/conversations.ts';
import { runJobs } from '../helpers/jobs.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { ingestCall } from '../../src/conversations/ingest/calls.ts';
import { encodeWav, synthSpeechLike } from '../../src/media/wav-write.ts';
import type { AsrEngine, AsrInput, AsrUtterance } from '../../src/speech/model.ts';
import { useEngineResolver } from '../../src/speech/transcribe/engine.ts';
import { TRANSCRIBE_MAX_ATTEMPTS } from '../../src/speech/jobs.ts';
import { transcribeConversation } from '../../src/speech/transcribe/run.ts';
import { currentUtterances } from '../../src/speech/repository.ts';
import { updateSettings } from '../../src/settings/service.ts';
import { createSavedSearch } from '../../src/search/saved/service.ts';

const RATE = 8000;
const CARD = 'four one one one one one one one one one one one one one one one'.split(' ');

/** A scripted engine: one utterance per speech region, its words spread over the region (or what `script` says). */
class FakeEngine implements AsrEngine {
  readonly id = 'fake';
  readonly label = 'Scripted test engine';
  readonly languages = '*' as const;
  readonly sampleRates = { min: 8000, max: 48000, preferred: 16000 };
  calls: AsrInput[] = [];
  script: ((input: AsrInput, call: number) => AsrUtterance[] | Promise<AsrUtterance[]>) | null = null;
  async available() {
    return { ok: true as const };
  }
  async transcribe(input: AsrInput): Promise<AsrUtterance[]> {
    this.calls.push(input);
    if (this.script) return this.script(input, this.calls.length);
    return input.speech.map((r, i) => {
      const words = ['hello', 'region', String(i)];
      const step = (r.endMs - r.startMs) / words.length;
      return {
        startMs: r.startMs,
        endMs: r.endMs,
        confidence: 0.8,
        words: words.map((w, k) => ({ w, s: r.startMs + k * step, e: r.startMs + (k + 1) * step, c: 0.8 })),
      };
    });
  }
}

/** `ms` of near-silence with speech-like sound in [from, to). */
function channel(ms: number, from: number, to: number, seed: number) {
  const out = new Int16Array((ms * RATE) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() - 0.5) * 20);
  out.set(synthSpeechLike(to - from, RATE, seed), (from * RATE) / 1000);
  return out;
}
function stereo(a: Int16Array, b: Int16Array) {
  const s = new Int16Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    s[2 * i] = a[i]!;
    s[2 * i + 1] = b[i]!;
  }
  return encodeWav({ sampleRate: RATE, channels: 2, samples: s });
}

describe.each(ENGINES)('transcription on %s', (dbEngine) => {
  let t: TestContext & BuiltApp;
  let tenantId: string;
  let ingest: Actor;
  let adminCookie: string;
  const fake = new FakeEngine();
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(dbEngine);
    const tenant = await makeTenant(t, `Brightline ${dbEngine} ${Date.now()}`);
    tenantId = tenant.tenantId;
    ingest = await actorOfUser(t, tenant.admin.id);
    adminCookie = await login(t.app, tenant.admin);
    await makeUser(t, tenantId, { roles: ['agent'], extension: '1001', name: 'Alan Agent' });
    await updateSettings(t, ingest, { speechVocabulary: ['Brightline Fiber'] });
    useEngineResolver(t, async () => ({ engine: fake }));
  });
  afterAll(() => t?.cleanup());

  const call = (opts: { engagementId?: string; startTime?: string; wav?: Buffer; mono?: boolean } = {}) => {
    const wav = opts.wav ?? stereo(channel(6000, 500, 2500, 1), channel(6000, 3000, 5000, 2));
    return ingestCall(
      t,
      ingest,
      {
        callId: `speech-${dbEngine}-${++n}`,
        engagementId: opts.engagementId,
        startTime: opts.startTime ?? '2026-11-01T10:00:00.000Z',
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '1001' },
          { key: 'cust', role: 'customer', phone: '+15550100', name: 'Pat Customer' },
        ],
        audio: [opts.mono ? { file: 'call.wav' } : { file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
      } as never,
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );
  };
  const speechOf = (id: string) =>
    t.db.selectFrom('conversations').select(['speech_status', 'speech_reason', 'transcribed_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const get = (url: string, cookie = adminCookie) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  it('transcribes each party under its role, on the conversation timeline, merged in time order; searchable at once and with its words at the end', async () => {
    fake.calls = [];
    fake.script = null;
    const first = await call({ engagementId: `eng-${dbEngine}`, startTime: '2026-11-01T10:00:00.000Z' });
    // Indexed before any audio step ran.
    const early = (await t.db.selectFrom('jobs').select(['type', 'payload']).where('status', '=', 'queued').execute()).filter((j) => {
      const p = t.adapter.fromJson<{ conversationId?: string; conversationIds?: string[] }>(j.payload);
      return p.conversationId === first.conversationId || p.conversationIds?.includes(first.conversationId);
    });
    expect(early.map((j) => j.type).sort()).toEqual(['media.analyze', 'search.index']);
    // A second leg of the same contact, one minute later: its times are offset by its segment's start.
    const second = await call({ engagementId: `eng-${dbEngine}`, startTime: '2026-11-01T10:01:00.000Z' });
    expect(second.conversationId).toBe(first.conversationId);
    await runJobs(t);
    const id = first.conversationId;
    expect(await speechOf(id)).toMatchObject({ speech_status: 'ready', speech_reason: null });
    // Queued with the stored transcript: speech-tag spotting and the redacted audio, both done.
    const after = (
      await t.db.selectFrom('jobs').select(['type', 'status', 'payload']).where('type', 'in', ['speech.spot', 'speech.redact_audio']).execute()
    ).filter((j) => t.adapter.fromJson<{ conversationId: string }>(j.payload).conversationId === id);
    expect(new Set(after.map((j) => `${j.type} ${j.status}`))).toEqual(new Set(['speech.spot succeeded', 'speech.redact_audio succeeded']));

    // The engine got each party's audio with the regions only, the language and the tenant's words.
    // Each leg started the conversation's pipeline: both runs sent the 4 streams (2 legs × 2 parties) there were.
    expect(fake.calls.length % 4).toBe(0);
    for (const c of fake.calls) {
      expect(c.sampleRate).toBe(8000);
      expect(c.language).toBe('en');
      expect(c.speech.length).toBeGreaterThan(0);
      expect(c.vocabulary.phrases).toEqual(expect.arrayContaining(['Brightline Fiber', 'Alan Agent', 'Pat Customer']));
      expect(c.vocabulary.phrases.some((p) => p.startsWith('Brightline '))).toBe(true);
    }

    const utts = await currentUtterances(t.db, t.adapter, id);
    expect(utts.length).toBeGreaterThanOrEqual(4);
    for (const u of utts) {
      expect(u.role).toBe(u.partyKey === 'agent' ? 'agent' : 'customer');
      const local = u.startMs >= 60_000 ? u.startMs - 60_000 : u.startMs;
      // The agent spoke 0.5–2.5 s into each leg, the customer 3–5 s (voice activity pads a little).
      const [lo, hi] = u.role === 'agent' ? [300, 2700] : [2800, 5200];
      expect(local).toBeGreaterThanOrEqual(lo);
      expect(local).toBeLessThan(hi);
      expect(u.text.startsWith('hello region')).toBe(true);
    }
    expect(utts.some((u) => u.startMs >= 60_000 && u.role === 'agent')).toBe(true);
    expect(utts.some((u) => u.startMs >= 60_000 && u.role === 'customer')).toBe(true);
    const starts = utts.map((u) => u.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(utts.map((u) => u.seq)).toEqual(utts.map((_, i) => i));

    // Indexed again at the end, with the words: a phrase said finds the call.
    const res = await get(`/api/conversations?q=${encodeURIComponent('"hello region"')}`);
    expect(res.statusCode, res.body).toBe(200);
    const hit = (res.json() as { items: Array<{ id: string; speechStatus: string }> }).items.find((i) => i.id === id);
    expect(hit?.speechStatus).toBe('ready');

    // The conversation detail and the list show the state.
    const detail = (await get(`/api/conversations/${id}`)).json();
    expect(detail.speech).toMatchObject({ status: 'ready', reason: null });
    expect(detail.speechStatus).toBe('ready');
  });

  it("a call cut into chunks (as a long call is): only each chunk's audio is sent, the same times come back, progress moves up to 1", async () => {
    fake.script = null;
    const { conversationId } = await call();
    await runJobs(t);
    const whole = await currentUtterances(t.db, t.adapter, conversationId);
    const before = fake.calls.length;
    const progress: number[] = [];
    const r = await transcribeConversation(t, conversationId, { attempt: 1, maxAttempts: 3, progress: (f) => progress.push(f), chunkSpeechMs: 300 });
    expect(r.status).toBe('ready');
    const chunks = fake.calls.slice(before);
    // More engine calls than parties, each with a stretch of the audio, not the whole 6 s.
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.pcm.length).toBeLessThan(6000 * 8);
    const cut = await currentUtterances(t.db, t.adapter, conversationId);
    const times = (us: typeof whole) => us.map((u) => [u.role, u.startMs, u.endMs] as const);
    expect(cut.length).toBe(whole.length);
    for (const [i, [role, s, e]] of times(cut).entries()) {
      const [wr, ws, we] = times(whole)[i]!;
      expect(role).toBe(wr);
      expect(Math.abs(s - ws)).toBeLessThanOrEqual(2);
      expect(Math.abs(e - we)).toBeLessThanOrEqual(2);
    }
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress.length).toBeGreaterThan(chunks.length);
  });

  it('a mono mix: one stream, speaker "unknown", never guessed', async () => {
    fake.script = null;
    const mono = channel(6000, 500, 4500, 3);
    const { conversationId } = await call({ wav: encodeWav({ sampleRate: RATE, channels: 1, samples: mono }), mono: true });
    await runJobs(t);
    const utts = await currentUtterances(t.db, t.adapter, conversationId);
    expect(utts.length).toBeGreaterThan(0);
    expect(new Set(utts.map((u) => u.role))).toEqual(new Set(['unknown']));
    expect(new Set(utts.map((u) => u.partyKey))).toEqual(new Set([null]));
  });

  it('a call without speech: "no_speech" with the reason, and the engine never gets the silence', async () => {
    fake.script = null;
    const quiet = () => {
      const out = new Int16Array(6 * RATE);
      for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() - 0.5) * 20);
      return out;
    };
    const before = fake.calls.length;
    const { conversationId } = await call({ wav: stereo(quiet(), quiet()) });
    await runJobs(t);
    expect(fake.calls.length).toBe(before);
    expect(await speechOf(conversationId)).toMatchObject({ speech_status: 'no_speech', speech_reason: 'No speech was recognised in the recording' });
    const tr = (await get(`/api/conversations/${conversationId}/transcript`)).json();
    expect(tr).toMatchObject({ status: 'no_speech', engine: 'fake', utterances: [] });
  });

  it('no engine: the conversation says so with the reason, the job succeeds and the pipeline goes on', async () => {
    useEngineResolver(t, async () => ({ engine: null, reason: 'No speech engine configured' }));
    try {
      const { conversationId } = await call();
      await runJobs(t);
      expect(await speechOf(conversationId)).toMatchObject({ speech_status: 'no_engine', speech_reason: 'No speech engine configured' });
      const jobs = await t.db.selectFrom('jobs').select(['type', 'status', 'payload']).where('type', '=', 'speech.transcribe').execute();
      const mine = jobs.filter((j) => t.adapter.fromJson<{ conversationId: string }>(j.payload).conversationId === conversationId);
      expect(mine.map((j) => j.status)).toEqual(['succeeded']);
      const tr = (await get(`/api/conversations/${conversationId}/transcript`)).json();
      expect(tr).toMatchObject({ status: 'no_engine', reason: 'No speech engine configured', utterances: [] });
    } finally {
      useEngineResolver(t, async () => ({ engine: fake }));
    }
  });

  it('an engine that fails: retried, then "failed" with the reason; nothing half-stored, the earlier transcript kept', async () => {
    fake.script = null;
    const { conversationId } = await call();
    await runJobs(t);
    const before = await currentUtterances(t.db, t.adapter, conversationId);
    expect(before.length).toBeGreaterThan(0);

    // Garbage from the second party's call on every attempt: the first party's words must not be stored alone.
    fake.script = (input, k) => {
      if (k % 2 === 0) return [{ startMs: 0, endMs: 10, confidence: null, words: [{ w: 'x', s: 50, e: 10, c: 0.5 }] }];
      return [
        {
          startMs: input.speech[0]!.startMs,
          endMs: input.speech[0]!.endMs,
          confidence: 0.9,
          words: [{ w: 'partial', s: input.speech[0]!.startMs, e: input.speech[0]!.endMs, c: 0.9 }],
        },
      ];
    };
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/transcribe`, headers: { cookie: adminCookie } });
    expect(res.statusCode, res.body).toBe(200);
    const jobId = res.json().jobId as string;
    expect((await speechOf(conversationId)).speech_status).toBe('pending');
    for (let attempt = 1; attempt <= TRANSCRIBE_MAX_ATTEMPTS; attempt++) {
      await t.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', jobId)
        .execute();
      await runJobs(t);
      const job = await t.db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('id', '=', jobId).executeTakeFirstOrThrow();
      expect(Number(job.attempts)).toBe(attempt);
      expect(job.last_error).toMatch(/malformed output/);
      const s = await speechOf(conversationId);
      if (attempt < TRANSCRIBE_MAX_ATTEMPTS) {
        expect(job.status).toBe('queued');
        expect(s.speech_status).toBe('pending');
        expect(s.speech_reason).toMatch(new RegExp(`attempt ${attempt} of ${TRANSCRIBE_MAX_ATTEMPTS} failed .*retried`));
      } else {
        expect(job.status).toBe('dead');
        expect(s.speech_status).toBe('failed');
        expect(s.speech_reason).toMatch(/^Transcription failed: The speech engine "fake" returned malformed output/);
      }
    }
    const after = await currentUtterances(t.db, t.adapter, conversationId);
    expect(after.map((u) => u.id)).toEqual(before.map((u) => u.id));
    expect(after.some((u) => u.text.includes('partial'))).toBe(false);
    // The pipeline still went on to indexing (the step continues on failure).
    const jobs = await t.db.selectFrom('jobs').select(['type', 'created_at']).where('type', '=', 'search.index').orderBy('created_at', 'desc').execute();
    expect(jobs.length).toBeGreaterThan(0);
  });

  it('a hung engine is aborted at its deadline: the attempt fails (to be retried) and the engine is told to stop', async () => {
    fake.script = null;
    const { conversationId } = await call();
    await runJobs(t);
    let aborted = false;
    fake.script = (input) =>
      new Promise<AsrUtterance[]>(() => {
        input.signal?.addEventListener('abort', () => (aborted = true));
      });
    await expect(transcribeConversation(t, conversationId, { attempt: 1, maxAttempts: 3, progress: () => {}, engineTimeoutMs: 200 })).rejects.toThrow(
      /The speech engine "fake" did not answer within 200 ms/,
    );
    expect(aborted).toBe(true);
    const s = await speechOf(conversationId);
    expect(s.speech_status).toBe('pending');
    expect(s.speech_reason).toMatch(/attempt 1 of 3 failed \(The speech engine "fake" did not answer/);
    // The transcript from before is still the current one.
    expect((await currentUtterances(t.db, t.adapter, conversationId)).length).toBeGreaterThan(0);
    fake.script = null;
  });

  it('a re-run replaces the transcript whole (one current run, new words only)', async () => {
    fake.script = null;
    const { conversationId } = await call();
    await runJobs(t);
    const first = await t.db.selectFrom('transcripts').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(first).toHaveLength(1);
    fake.script = (input) =>
      input.speech.map((r) => ({ startMs: r.startMs, endMs: r.endMs, confidence: 0.7, words: [{ w: 'again', s: r.startMs, e: r.endMs, c: 0.7 }] }));
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/transcribe`, headers: { cookie: adminCookie } });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
    const runs = await t.db.selectFrom('transcripts').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.id).not.toBe(first[0]!.id);
    expect(Number(runs[0]!.is_current)).toBe(1);
    const utts = await currentUtterances(t.db, t.adapter, conversationId);
    expect(utts.length).toBeGreaterThan(0);
    expect(new Set(utts.map((u) => u.text))).toEqual(new Set(['again']));
    const orphans = await t.db
      .selectFrom('transcript_utterances')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('transcript_id', '!=', runs[0]!.id)
      .execute();
    expect(orphans).toHaveLength(0);
    // Audited on the conversation.
    const audit = await t.audit.find({ tenantId, resourceType: 'conversation', resourceId: conversationId, limit: 20 });
    expect(audit.items.map((e) => e.action)).toContain('SPEECH_RETRANSCRIBE');
  });

  it('the transcript API: redacted text and placeholder words without "play unredacted", the original with it (audited), 403 without a play permission', async () => {
    // The customer reads a card number and an e-mail address; the agent's words are plain.
    // Streams go to the engine in channel order: the agent's first, then the customer's.
    let party = 0;
    fake.script = (input) => {
      const r = input.speech[0]!;
      const said =
        party++ % 2 === 0 ? 'thank you for calling brightline' : `my card number is ${CARD.join(' ')} and my email is john dot smith at example dot com`;
      const words = said.split(' ');
      const step = Math.max(1, (r.endMs - r.startMs) / words.length);
      return [
        {
          startMs: r.startMs,
          endMs: r.endMs,
          confidence: 0.9,
          words: words.map((w, i) => ({ w, s: r.startMs + i * step, e: r.startMs + (i + 1) * step, c: 0.9 })),
        },
      ];
    };
    const { conversationId } = await call();
    await runJobs(t);
    const stored = await currentUtterances(t.db, t.adapter, conversationId);
    const cust = stored.find((u) => u.text.startsWith('my card'))!;
    expect(cust.displayText).toBe('my card number is 4111111111111111 and my email is john.smith@example.com');
    expect(cust.redactedText).toBe('my card number is [CARD] and my email is [EMAIL]');
    expect(cust.pii.map((p) => p.type).sort()).toEqual(['card_number', 'email']);

    const redactedUser = await makeUser(t, tenantId, { permissions: ['conversations.view', 'media.play_redacted'] });
    const fullUser = await makeUser(t, tenantId, { permissions: ['conversations.view', 'media.play_unredacted'] });
    const noPlay = await makeUser(t, tenantId, { permissions: ['conversations.view'] });
    const url = `/api/conversations/${conversationId}/transcript`;
    const audits = async () =>
      (await t.audit.find({ tenantId, resourceType: 'conversation', resourceId: conversationId, limit: 50 })).items.filter(
        (e) => e.action === 'TRANSCRIPT_VIEW_UNREDACTED',
      );

    const red = await get(url, await login(t.app, redactedUser));
    expect(red.statusCode, red.body).toBe(200);
    const r = red.json();
    expect(r).toMatchObject({ status: 'ready', engine: 'fake', language: 'en', redacted: true });
    const ru = r.utterances.find((u: { role: string }) => u.role === 'customer');
    expect(ru.text).toBe('my card number is [CARD] and my email is [EMAIL]');
    expect(ru.redacted).toBe(true);
    expect(ru.pii).toEqual([]);
    expect(ru.words.map((w: { w: string }) => w.w)).toEqual(['my', 'card', 'number', 'is', '[CARD]', 'and', 'my', 'email', 'is', '[EMAIL]']);
    // Nothing of the original anywhere in the answer.
    expect(red.body).not.toMatch(/4111|smith|example|"four"/);
    expect(await audits()).toHaveLength(0);

    const full = await get(url, await login(t.app, fullUser));
    expect(full.statusCode, full.body).toBe(200);
    const fu = full.json().utterances.find((u: { role: string }) => u.role === 'customer');
    expect(full.json().redacted).toBe(false);
    expect(fu.text).toBe('my card number is 4111111111111111 and my email is john.smith@example.com');
    expect(fu.words).toHaveLength(cust.words.length);
    expect(fu.pii.map((p: { type: string }) => p.type).sort()).toEqual(['card_number', 'email']);
    const events = await audits();
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatch(/2 PII span/);

    // Asking for the redacted view: redacted, and nothing to audit.
    const opted = await get(`${url}?redacted=true`, await login(t.app, fullUser));
    expect(opted.json().redacted).toBe(true);
    expect(await audits()).toHaveLength(1);

    const refused = await get(url, await login(t.app, noPlay));
    expect(refused.statusCode).toBe(403);
  });

  it('a chat has no transcript: status "none"', async () => {
    const { makeChat } = await import('../helpers/conversations.ts');
    const chat = await makeChat(t, ingest);
    const res = await get(`/api/conversations/${chat.conversationId}/transcript`);
    expect(res.json()).toMatchObject({ status: 'none', utterances: [], engine: null });
  });

  it('re-transcribes what a saved search finds, and nothing else', async () => {
    fake.script = (input) =>
      input.speech.map((r) => ({
        startMs: r.startMs,
        endMs: r.endMs,
        confidence: 0.8,
        words: [
          { w: 'zebra', s: r.startMs, e: r.startMs + 100, c: 0.8 },
          { w: 'crossing', s: r.startMs + 100, e: r.endMs, c: 0.8 },
        ],
      }));
    const { conversationId } = await call();
    await runJobs(t);
    fake.script = null;
    const runs = async () =>
      new Map(
        (await t.db.selectFrom('transcripts').select(['id', 'conversation_id']).where('tenant_id', '=', tenantId).execute()).map((r) => [
          r.conversation_id,
          r.id,
        ]),
      );
    const before = await runs();
    const saved = await createSavedSearch(t, ingest, { name: `Zebras ${dbEngine}`, filter: { q: '"zebra crossing"' } });
    const res = await t.app.inject({ method: 'POST', url: '/api/speech/retranscribe', headers: { cookie: adminCookie }, payload: { savedSearchId: saved.id } });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
    const job = await t.db.selectFrom('jobs').select(['status', 'progress_note']).where('id', '=', res.json().jobId).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'succeeded', progress_note: '1 of 1 conversations queued' });
    const after = await runs();
    for (const [conv, run] of after) {
      if (conv === conversationId) expect(run).not.toBe(before.get(conv));
      else expect(run).toBe(before.get(conv));
    }
  });

  it('re-transcribes every call as a job with progress; audited', async () => {
    fake.script = null;
    const runs = () => t.db.selectFrom('transcripts').select(['id', 'conversation_id']).where('tenant_id', '=', tenantId).execute();
    const before = new Set((await runs()).map((r) => r.id));
    const res = await t.app.inject({ method: 'POST', url: '/api/speech/retranscribe', headers: { cookie: adminCookie }, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    const jobId = res.json().jobId as string;
    await runJobs(t);
    const job = await t.db.selectFrom('jobs').select(['status', 'progress', 'progress_note']).where('id', '=', jobId).executeTakeFirstOrThrow();
    const calls = await t.db.selectFrom('conversations').select(['id', 'speech_status']).where('tenant_id', '=', tenantId).where('has_call', '=', 1).execute();
    expect(job).toMatchObject({ status: 'succeeded', progress_note: `${calls.length} of ${calls.length} conversations queued` });
    expect(Number(job.progress)).toBe(1);
    // Every call transcribed again (the silent one has nothing to say).
    expect(new Set(calls.map((c) => c.speech_status))).toEqual(new Set(['ready', 'no_speech']));
    const after = await runs();
    expect(after.map((r) => r.conversation_id).sort()).toEqual(calls.map((c) => c.id).sort());
    expect(after.filter((r) => before.has(r.id))).toEqual([]);
    const audit = await t.audit.find({ tenantId, resourceType: 'speech', limit: 10 });
    expect(audit.items.map((e) => e.action)).toContain('SPEECH_RETRANSCRIBE');
  });

  it('/api/health reports the speech engines (informative: the status does not degrade)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json();
    expect(h.features.speech).toMatchObject({ ok: expect.any(Boolean) });
    expect(h.features.speech.details.engines.length).toBeGreaterThan(0);
    if (!h.features.speech.ok) expect(h.features.speech.message).toBe('No speech engine configured');
  });
});

// The real engine on real audio: a corpus call (stereo 8 kHz, left = agent) through the whole pipeline with the
// registry's choice ("auto" picks pocketsphinx when nothing better is installed). SQLite only: the database engines
// are covered above, and pocketsphinx costs CPU seconds per call.
const POCKETSPHINX = '/usr/bin/pocketsphinx_continuous';
const CORPUS_CALL = path.resolve(import.meta.dirname, '../../../shared/corpus/public/p03_tech_support_silence.wav');
// The engine runs pocketsphinx_batch, from the same Debian package.
const missing = [POCKETSPHINX, '/usr/bin/pocketsphinx_batch', CORPUS_CALL].filter((f) => !fs.existsSync(f));
const haveEngine = missing.length === 0;
if (!haveEngine) console.warn(`skipping the pocketsphinx transcription test: ${missing.join(', ')} missing`);

describe.skipIf(!haveEngine)('transcription with pocketsphinx on a corpus call', () => {
  let t: TestContext & BuiltApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, { realSpeech: true });
  });
  afterAll(() => t?.cleanup());

  it('ingests the call and finds its transcript, per party, after the pipeline ran', async () => {
    const tenant = await makeTenant(t);
    const actor = await actorOfUser(t, tenant.admin.id);
    const { conversationId } = await ingestCall(
      t,
      actor,
      {
        callId: `corpus-${Date.now()}`,
        startTime: '2026-11-02T09:00:00.000Z',
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', name: 'Alan' },
          { key: 'cust', role: 'customer', phone: '+15550111' },
        ],
        audio: [{ file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
      } as never,
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: fs.readFileSync(CORPUS_CALL) }],
    );
    await runJobs(t);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/conversations/${conversationId}/transcript`,
      headers: { cookie: await login(t.app, tenant.admin) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const tr = res.json();
    expect(tr.status, tr.reason).toBe('ready');
    expect(tr.engine).toBe('pocketsphinx');
    const roles = new Set(tr.utterances.map((u: { role: string }) => u.role));
    expect(roles).toEqual(new Set(['agent', 'customer']));
    const words = tr.utterances.flatMap((u: { words: unknown[] }) => u.words);
    // ~55 s of conversation: a real transcript, not a token.
    expect(words.length).toBeGreaterThan(40);
    for (const u of tr.utterances) expect(u.endMs).toBeLessThanOrEqual(56_000);
  }, 240_000);
});
