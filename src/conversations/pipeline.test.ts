// The conversation pipeline with the real jobs, on both engines: ingest queues the first step (and, for a call, an
// early index), each step queues the next once it has succeeded, chats and emails skip the audio steps, and every conversation ends indexed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ENGINES } from '../../test/db.ts';
import { createTestContext, type TestContext } from '../../test/helpers/context.ts';
import { makeTenant } from '../../test/helpers/factories.ts';
import { makeChat } from '../../test/helpers/conversations.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { JobWorker } from '../platform/jobs/worker.ts';
import { encodeWav } from '../media/wav-write.ts';
import { buildEml } from './email/fixtures.ts';
import { ingestCall } from './ingest/calls.ts';
import { ingestEmail } from './ingest/emails.ts';
import { useEngineResolver } from '../speech/transcribe/engine.ts';

const log = pino({ level: 'silent' });

describe.each(ENGINES)('conversation pipeline on %s', (engine) => {
  let t: TestContext;
  let actor: Actor;

  beforeAll(async () => {
    t = await createTestContext(engine);
    actor = systemActor((await makeTenant(t)).tenantId);
  });
  afterAll(() => t.cleanup());

  const jobsOf = async (conversationId: string) => {
    const rows = await t.db.selectFrom('jobs').select(['type', 'status', 'payload', 'created_at', 'finished_at']).orderBy('created_at').orderBy('id').execute();
    return rows
      .map((r) => ({ ...r, payload: t.adapter.fromJson<{ conversationId?: string; conversationIds?: string[]; conversations?: string[] }>(r.payload) }))
      .filter(
        (r) =>
          r.payload.conversationId === conversationId ||
          r.payload.conversationIds?.includes(conversationId) ||
          r.payload.conversations?.includes(conversationId),
      );
  };
  /** Runs exactly one due job, so the test sees what each step queued. */
  const runOne = () => new JobWorker(t.jobs, t, { concurrency: 1, log }).runOnce();

  it('a call: indexed at once and media.analyze first, then speech.transcribe, analytics.insights and search.index, each queued by the step before once it has succeeded', async () => {
    // No engine here: speech.transcribe settles at once with "no_engine" (its own tests run engines).
    useEngineResolver(t, async () => ({ engine: null, reason: 'No speech engine configured' }));
    const samples = new Int16Array(8000 * 2);
    for (let i = 0; i < 8000; i++) samples[2 * i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const wav = encodeWav({ sampleRate: 8000, channels: 2, samples });
    const { conversationId } = await ingestCall(
      t,
      actor,
      {
        callId: `pipeline-${engine}`,
        startTime: '2026-11-01T10:00:00.000Z',
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', extension: '1001' },
          { key: 'cust', role: 'customer', phone: '+15550100' },
        ],
        audio: [{ file: 'call.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
      } as never,
      [{ fieldName: 'audio', fileName: 'call.wav', contentType: 'audio/wav', data: wav }],
    );

    const sorted = (js: Array<{ type: string; status: string }>) => js.map((j) => [j.type, j.status]).sort((a, b) => a.join().localeCompare(b.join()));
    // The early index (searchable at once) and the dashboard's daily counts beside the pipeline's first step.
    expect(sorted(await jobsOf(conversationId))).toEqual([
      ['media.analyze', 'queued'],
      ['reports.refresh_days', 'queued'],
      ['search.index', 'queued'],
    ]);
    expect((await t.db.selectFrom('conversations').select('speech_status').where('id', '=', conversationId).executeTakeFirstOrThrow()).speech_status).toBe(
      'pending',
    );
    await runOne();
    await runOne();
    await runOne();
    expect(await t.db.selectFrom('search_docs').select('conversation_id').where('conversation_id', '=', conversationId).executeTakeFirst()).toBeDefined();
    const afterAnalyze = await jobsOf(conversationId);
    expect(sorted(afterAnalyze)).toEqual([
      ['media.analyze', 'succeeded'],
      ['reports.refresh_days', 'succeeded'],
      ['search.index', 'succeeded'],
      ['speech.transcribe', 'queued'],
    ]);
    // Queued by the finished step, in the transaction that recorded its success.
    const analyze = afterAnalyze.find((j) => j.type === 'media.analyze')!;
    const transcribe = afterAnalyze.find((j) => j.type === 'speech.transcribe')!;
    expect(transcribe.created_at >= analyze.finished_at!).toBe(true);
    expect(transcribe.payload.conversationId).toBe(conversationId);
    await runOne();
    const afterTranscribe = await jobsOf(conversationId);
    expect(afterTranscribe.map((j) => [j.type, j.status]).slice(-2)).toEqual([
      ['speech.transcribe', 'succeeded'],
      ['analytics.insights', 'queued'],
    ]);
    await runOne();
    const afterInsights = await jobsOf(conversationId);
    expect(afterInsights.map((j) => [j.type, j.status]).slice(-2)).toEqual([
      ['analytics.insights', 'succeeded'],
      ['search.index', 'queued'],
    ]);
    expect(afterInsights[afterInsights.length - 1]!.payload.conversationIds).toEqual([conversationId]);
    await runOne();
    // Last, the daily counts again: the insights' sentiment is in them now.
    const afterIndex = await jobsOf(conversationId);
    expect(afterIndex.map((j) => [j.type, j.status]).slice(-2)).toEqual([
      ['search.index', 'succeeded'],
      ['reports.refresh_days', 'queued'],
    ]);
    await runOne();
    expect(sorted(await jobsOf(conversationId))).toEqual([
      ['analytics.insights', 'succeeded'],
      ['media.analyze', 'succeeded'],
      ['reports.refresh_days', 'succeeded'],
      ['reports.refresh_days', 'succeeded'],
      ['search.index', 'succeeded'],
      ['search.index', 'succeeded'],
      ['speech.transcribe', 'succeeded'],
    ]);
    const conv = await t.db
      .selectFrom('conversations')
      .select(['media_status', 'speech_status', 'speech_reason'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conv).toEqual({ media_status: 'ready', speech_status: 'no_engine', speech_reason: 'No speech engine configured' });
  });

  it('a chat and an email skip the audio steps: indexed at once, then analytics.insights and search.index', async () => {
    const chat = await makeChat(t, actor, { text: 'pipeline chat' });
    const email = await ingestEmail(
      t,
      actor,
      Buffer.from(
        buildEml({
          messageId: `pipeline-${engine}@x.test`,
          from: { name: 'Jamie Doe', address: 'jamie@example.com' },
          to: ['support@acme.test'],
          subject: 'Pipeline',
          date: new Date('2026-11-03T08:00:00Z'),
          text: 'An email in the pipeline',
        }),
      ),
    );
    const sorted = (js: Array<{ type: string; status: string }>) => js.map((j) => [j.type, j.status]).sort((a, b) => a.join().localeCompare(b.join()));
    for (const id of [chat.conversationId, email.conversationId]) {
      expect(sorted(await jobsOf(id))).toEqual([
        ['analytics.insights', 'queued'],
        ['reports.refresh_days', 'queued'],
        ['search.index', 'queued'],
      ]);
    }
    // Each step queues the next (the call above checks the order): insights, the index, then the daily counts.
    for (let i = 0; i < 20 && (await t.db.selectFrom('jobs').select('id').where('status', '=', 'queued').executeTakeFirst()); i++) await runOne();
    for (const id of [chat.conversationId, email.conversationId]) {
      expect(sorted(await jobsOf(id))).toEqual([
        ['analytics.insights', 'succeeded'],
        ['reports.refresh_days', 'succeeded'],
        ['reports.refresh_days', 'succeeded'],
        ['search.index', 'succeeded'],
        ['search.index', 'succeeded'],
      ]);
      expect((await t.db.selectFrom('conversations').select('media_status').where('id', '=', id).executeTakeFirstOrThrow()).media_status ?? null).toBeNull();
    }
    expect(await t.db.selectFrom('jobs').select('id').where('status', '=', 'queued').execute()).toHaveLength(0);
  });
});
