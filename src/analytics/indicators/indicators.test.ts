// Indicators and topics through the HTTP API on both databases: the defaults a new tenant gets (once), definitions
// (validation, limits, permissions, audit), retroactive mentions after a change (the re-analysis job, per indicator,
// with progress), removed keywords losing their mentions at once, the speaker rule, topic hits, and the per-conversation
// view with line ids and character ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { replaceTranscript } from '../../speech/repository.ts';
import { loadLines } from '../insights/service.ts';
import { DEFAULT_TOPICS } from '../topics/defaults.ts';
import { MAX_CUSTOM_TOPICS } from '../topics/schemas.ts';
import { indicatorAnalyser } from './analysis.ts';
import { reanalyseMentions } from './reanalyse.ts';
import { DEFAULT_INDICATORS } from './defaults.ts';
import { MAX_INDICATORS } from './schemas.ts';
import { ensureInsightDefaults } from './service.ts';

describe.each(ENGINES)('indicators and topics on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let viewer: Client;
  let categoryId: string;

  /** A chat whose customer says `customer` and whose agent answers `agent`. */
  async function chat(customer: string, agent = 'Let me look into that for you.') {
    const r = await makeChat(t, ingest, { text: customer });
    // makeChat's second message is the agent's; give it the wanted text.
    await t.db
      .updateTable('chat_messages')
      .set({ text: agent })
      .where('segment_id', 'in', t.db.selectFrom('segments').select('id').where('conversation_id', '=', r.conversationId))
      .where('sender_role', '=', 'agent')
      .execute();
    return r.conversationId;
  }
  const mentionsOf = async (id: string, client = admin) => ok(await client.get(`/api/conversations/${id}/mentions`)) as { mentions: Json[]; topics: Json[] };
  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId, limit: '50' })}`)).items as Json[]).reverse();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    await runJobs(t);
    categoryId = ok(await admin.post('/api/insights/categories', { name: 'Test category' })).id;
  });
  afterAll(() => t?.cleanup());

  describe('defaults', () => {
    it('gives a new tenant the default indicators and the 7 topics, once', async () => {
      const cats = ok(await viewer.get('/api/insights/categories'));
      expect(cats.limit).toBe(MAX_INDICATORS);
      const names = (cats.items as Json[]).flatMap((c) => (c.indicators as Json[]).map((i) => i.name));
      for (const c of DEFAULT_INDICATORS) for (const i of c.indicators) expect(names).toContain(i.name);
      const topics = ok(await viewer.get('/api/insights/topics'));
      expect((topics.items as Json[]).map((x) => x.name).sort()).toEqual(DEFAULT_TOPICS.map((x) => x.name).sort());
      expect(topics.customLimit).toBe(MAX_CUSTOM_TOPICS);

      // Deleted defaults stay deleted when the start-up hook runs again.
      const pricing = (topics.items as Json[]).find((x) => x.builtinKey === 'pricing');
      ok(await admin.del(`/api/insights/topics/${pricing.id}`), 204);
      await inTransaction(t.db, ({ tx }) => ensureInsightDefaults(t, tx, tenantId));
      const again = ok(await viewer.get('/api/insights/topics')).items as Json[];
      expect(again.map((x) => x.builtinKey)).not.toContain('pricing');
      expect(again).toHaveLength(DEFAULT_TOPICS.length - 1);
      const count = ok(await viewer.get('/api/insights/indicators')).items.length;
      expect(count).toBe(DEFAULT_INDICATORS.reduce((n, c) => n + c.indicators.length, 0));
    });
  });

  describe('definitions', () => {
    it('creates, edits and deletes categories and indicators, each change audited', async () => {
      const cat = ok(await admin.post('/api/insights/categories', { name: '  Sales   signals ' }));
      expect(cat).toMatchObject({ name: 'Sales signals', indicators: [] });
      fails(await admin.post('/api/insights/categories', { name: 'SALES SIGNALS' }), 409, 'ALREADY_EXISTS');
      const made = ok(
        await admin.post('/api/insights/indicators', {
          categoryId: cat.id,
          name: 'Upsell',
          speaker: 'agent',
          keywords: [' upgrade ', 'Upgrade', 'premium plan'],
        }),
      );
      expect(made).toMatchObject({ name: 'Upsell', speaker: 'agent', categoryId: cat.id, mentions: 0 });
      expect((made.keywords as Json[]).map((k) => k.text)).toEqual(['premium plan', 'upgrade']);
      expect(made.analysis).toMatchObject({ status: 'queued' });
      fails(await admin.del(`/api/insights/categories/${cat.id}`), 409, 'IN_USE');

      const edited = ok(await admin.patch(`/api/insights/indicators/${made.id}`, { name: 'Upsell offer', keywords: ['upgrade', 'better plan'] }));
      expect((edited.keywords as Json[]).map((k) => k.text)).toEqual(['better plan', 'upgrade']);
      // The unchanged keyword keeps its id (and so its mentions).
      const idOf = (i: Json, text: string) => (i.keywords as Json[]).find((k) => k.text === text).id;
      expect(idOf(edited, 'upgrade')).toBe(idOf(made, 'upgrade'));
      const moved = ok(await admin.patch(`/api/insights/indicators/${made.id}`, { categoryId }));
      expect(moved.categoryId).toBe(categoryId);
      fails(await admin.patch(`/api/insights/indicators/${made.id}`, { categoryId: 'nope' }), 404, 'NOT_FOUND');
      ok(await admin.del(`/api/insights/categories/${cat.id}`), 204);
      ok(await admin.del(`/api/insights/indicators/${made.id}`), 204);
      fails(await admin.patch(`/api/insights/indicators/${made.id}`, { name: 'x' }), 404, 'NOT_FOUND');

      const events = await audit(made.id);
      expect(events.map((e) => e.action)).toEqual(['INDICATOR_CREATE', 'INDICATOR_UPDATE', 'INDICATOR_UPDATE', 'INDICATOR_DELETE']);
      expect(events[2].changes).toEqual([{ field: 'category', old: 'Sales signals', new: 'Test category' }]);
      expect(events[0].details).toBe('Created indicator Upsell in Sales signals, said by the agent: “upgrade”, “premium plan”');
      expect(events[1].changes).toContainEqual({ field: 'keywords', old: ['premium plan', 'upgrade'], new: ['upgrade', 'better plan'] });
      expect((await audit(cat.id)).map((e) => e.action)).toEqual(['INDICATOR_CATEGORY_CREATE', 'INDICATOR_CATEGORY_DELETE']);
    });

    it('refuses an indicator without keywords, bad keywords and names, and a missing category, writing nothing', async () => {
      const before = ok(await admin.get('/api/insights/indicators')).items.length;
      fails(await admin.post('/api/insights/indicators', { categoryId, name: 'Empty', keywords: [] }), 400, 'VALIDATION_FAILED', 'KEYWORD_REQUIRED');
      fails(await admin.post('/api/insights/indicators', { categoryId, name: 'Blank', keywords: ['  ', ''] }), 400, 'VALIDATION_FAILED', 'KEYWORD_REQUIRED');
      fails(await admin.post('/api/insights/indicators', { categoryId, name: 'Punct', keywords: ['?!'] }), 400, 'VALIDATION_FAILED', 'KEYWORD_NO_WORDS');
      fails(await admin.post('/api/insights/indicators', { categoryId, name: ' ', keywords: ['x'] }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
      fails(
        await admin.post('/api/insights/indicators', { categoryId, name: 'Long', keywords: ['k'.repeat(101)] }),
        400,
        'VALIDATION_FAILED',
        'KEYWORD_TOO_LONG',
      );
      fails(await admin.post('/api/insights/indicators', { categoryId: 'nope', name: 'Orphan', keywords: ['x'] }), 404, 'NOT_FOUND');
      fails(await admin.post('/api/insights/indicators', { categoryId, name: 'Who', speaker: 'robot', keywords: ['x'] }), 400, 'VALIDATION_FAILED');
      const made = ok(await admin.post('/api/insights/indicators', { categoryId, name: 'Keep', keywords: ['keep'] }));
      fails(await admin.patch(`/api/insights/indicators/${made.id}`, { keywords: [] }), 400, 'VALIDATION_FAILED', 'KEYWORD_REQUIRED');
      expect(ok(await admin.get('/api/insights/indicators')).items.length).toBe(before + 1);
      ok(await admin.del(`/api/insights/indicators/${made.id}`), 204);
    });

    it('lets viewers list but only insights.manage change, and hides other tenants’ definitions', async () => {
      fails(await viewer.post('/api/insights/categories', { name: 'Nope' }), 403, 'FORBIDDEN');
      fails(await viewer.post('/api/insights/indicators', { categoryId, name: 'Nope', keywords: ['x'] }), 403, 'FORBIDDEN');
      fails(await viewer.post('/api/insights/topics', { name: 'Nope', sentences: ['a b', 'c d', 'e f'] }), 403, 'FORBIDDEN');
      const other = await tenantWithAdmin(t);
      fails(await other.admin.patch(`/api/insights/categories/${categoryId}`, { name: 'Mine' }), 404, 'NOT_FOUND');
      fails(await other.admin.post('/api/insights/indicators', { categoryId, name: 'Mine', keywords: ['x'] }), 404, 'NOT_FOUND');
    });

    it(`stops at ${MAX_INDICATORS} indicators with 409 INDICATOR_LIMIT`, async () => {
      const have = ok(await admin.get('/api/insights/indicators')).items.length as number;
      const cat = ok(await admin.post('/api/insights/categories', { name: 'Bulk' }));
      const now = new Date().toISOString();
      // Straight into the table: 240-odd HTTP calls would only test the same code slowly.
      const rows = Array.from({ length: MAX_INDICATORS - have }, (_, i) => ({
        id: `bulk-${engine}-${i}`,
        tenant_id: tenantId,
        category_id: cat.id,
        name: `Bulk ${i}`,
        speaker: 'both',
        builtin_key: null,
        analysis_job_id: null,
        created_at: now,
        updated_at: now,
      }));
      for (let i = 0; i < rows.length; i += 50)
        await t.db
          .insertInto('indicators')
          .values(rows.slice(i, i + 50))
          .execute();
      const err = fails(await admin.post('/api/insights/indicators', { categoryId, name: 'One too many', keywords: ['x'] }), 409, 'INDICATOR_LIMIT');
      expect(err.message).toContain(String(MAX_INDICATORS));
      expect(ok(await admin.get('/api/insights/indicators')).items.length).toBe(MAX_INDICATORS);
      await t.db.deleteFrom('indicators').where('category_id', '=', cat.id).execute();
      ok(await admin.del(`/api/insights/categories/${cat.id}`), 204);
    });

    it('needs 3 guiding sentences per topic and stops at 10 custom topics with 409 TOPIC_LIMIT', async () => {
      const e = fails(
        await admin.post('/api/insights/topics', { name: 'Thin', sentences: ['Where is my parcel?', 'Where is my parcel?', 'The delivery is late.'] }),
        400,
        'VALIDATION_FAILED',
        'TOO_FEW_SENTENCES',
      );
      expect(e.message).toContain('at least 3');
      fails(
        await admin.post('/api/insights/topics', { name: 'Stops', sentences: ['the and', 'a b c d', 'is it'] }),
        400,
        'VALIDATION_FAILED',
        'SENTENCE_NO_WORDS',
      );
      const made: string[] = [];
      for (let i = 0; i < MAX_CUSTOM_TOPICS; i++)
        made.push(
          ok(
            await admin.post('/api/insights/topics', {
              name: `Custom ${i}`,
              sentences: [`Parcel ${i} delivery is late`, 'Where is my parcel now', 'The courier lost my package'],
            }),
          ).id,
        );
      fails(
        await admin.post('/api/insights/topics', { name: 'Eleventh', sentences: ['one thing said', 'two things said', 'three things said'] }),
        409,
        'TOPIC_LIMIT',
      );
      const renamed = ok(await admin.patch(`/api/insights/topics/${made[0]}`, { name: 'Deliveries' }));
      expect(renamed).toMatchObject({ name: 'Deliveries', builtinKey: null });
      fails(await admin.patch(`/api/insights/topics/${made[0]}`, { sentences: ['only one'] }), 400, 'VALIDATION_FAILED', 'TOO_FEW_SENTENCES');
      for (const id of made.slice(1)) ok(await admin.del(`/api/insights/topics/${id}`), 204);
      expect((await audit(made[0]!)).map((x) => x.action)).toEqual(['TOPIC_CREATE', 'TOPIC_UPDATE']);
    });
  });

  describe('mentions', () => {
    it('are retroactive: a new indicator is found in stored conversations by the re-analysis job, with ranges', async () => {
      const a = await chat('I want to cancel my subscription, this is unacceptable.', 'I am sorry, let me get my supervisor.');
      const b = await chat('Could you send me the new invoice?');
      await runJobs(t);
      const made = ok(await admin.post('/api/insights/indicators', { categoryId, name: 'Leaving', speaker: 'customer', keywords: ['cancel', 'supervisor'] }));
      const job = made.analysis.jobId as string;
      await runJobs(t);
      const done = (ok(await admin.get('/api/insights/indicators')).items as Json[]).find((i) => i.id === made.id);
      expect(done.analysis).toMatchObject({ jobId: job, status: 'succeeded', progress: 1 });
      expect(done).toMatchObject({ conversations: 1, mentions: 1 });
      // Counts cover only what the caller may see: an agent who took part in none of these chats counts nothing.
      const own = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view_own'] }));
      expect((ok(await own.get('/api/insights/indicators')).items as Json[]).find((i) => i.id === made.id)).toMatchObject({ conversations: 0, mentions: 0 });

      const lines = (await loadLines(t, t.db, a))!.lines;
      const seen = (await mentionsOf(a, viewer)).mentions.filter((m) => m.indicatorId === made.id);
      // "supervisor" is the agent's: the indicator listens to the customer only.
      expect(seen).toHaveLength(1);
      const m = seen[0]!;
      expect(m).toMatchObject({ indicatorName: 'Leaving', categoryName: 'Test category', keyword: 'cancel', role: 'customer', startMs: 0 });
      expect(lines.find((l) => l.id === m.lineId)!.text.slice(m.range[0], m.range[1])).toBe('cancel');
      expect((await mentionsOf(b)).mentions.filter((x) => x.indicatorId === made.id)).toEqual([]);

      // A removed keyword loses its mentions at once; a new one is found by the next job; so is the new speaker rule.
      ok(await admin.patch(`/api/insights/indicators/${made.id}`, { keywords: ['supervisor', 'invoice'] }));
      expect((await mentionsOf(a)).mentions.filter((x) => x.indicatorId === made.id)).toEqual([]);
      await runJobs(t);
      expect((await mentionsOf(b)).mentions.filter((x) => x.indicatorId === made.id).map((x) => x.keyword)).toEqual(['invoice']);
      ok(await admin.patch(`/api/insights/indicators/${made.id}`, { speaker: 'both' }));
      await runJobs(t);
      expect((await mentionsOf(a)).mentions.filter((x) => x.indicatorId === made.id).map((x) => [x.keyword, x.role])).toEqual([['supervisor', 'agent']]);
      // Other indicators were not touched by this indicator's re-analysis.
      const defaults = (await mentionsOf(a)).mentions.filter((x) => x.indicatorId !== made.id).map((x) => x.keyword);
      expect(defaults).toEqual(expect.arrayContaining(['cancel my subscription', 'unacceptable']));
    });

    it('are found when a conversation is analysed, and replaced (not doubled) when it is analysed again', async () => {
      const id = await chat('My lawyer will hear about this, it is unacceptable.');
      const loaded = (await loadLines(t, t.db, id))!;
      for (let i = 0; i < 2; i++) await inTransaction(t.db, ({ tx }) => indicatorAnalyser.run(t, tx, loaded.subject, loaded.lines));
      const keywords = (await mentionsOf(id)).mentions.map((m) => m.keyword).sort();
      expect(keywords).toEqual(['lawyer', 'unacceptable']);
      // A definition changed since the last run is used by the next one (the compiled matcher is not kept stale).
      const made = ok(await admin.post('/api/insights/indicators', { categoryId, name: 'Heard', keywords: ['hear about'] }));
      await inTransaction(t.db, ({ tx }) => indicatorAnalyser.run(t, tx, loaded.subject, loaded.lines));
      expect((await mentionsOf(id)).mentions.map((m) => m.keyword).sort()).toEqual(['hear about', 'lawyer', 'unacceptable']);
      ok(await admin.del(`/api/insights/indicators/${made.id}`), 204);
    });

    it('are the same from the re-analysis (calls read a page at a time) as from the conversation’s own analysis', async () => {
      // A call: a stored transcript, no chat or e-mail (the re-analysis reads such conversations in one query per page).
      const id = await chat('placeholder');
      await t.db.updateTable('conversations').set({ has_chat: 0, has_call: 1 }).where('id', '=', id).execute();
      await t.db
        .deleteFrom('chat_messages')
        .where('segment_id', 'in', t.db.selectFrom('segments').select('id').where('conversation_id', '=', id))
        .execute();
      const utterances = [
        [
          'customer',
          'I will call my lawyer if you do not cancel it, this is unacceptable.',
          'I will call my lawyer if you do not cancel it, this is [PHONE] unacceptable.',
        ],
        ['agent', 'I understand, let me get a supervisor.', 'I understand, let me get a supervisor.'],
      ].map(([role, text, redacted], i) => ({
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: role!,
        role: role as 'agent' | 'customer',
        seq: i,
        startMs: 1000 + i * 5000,
        endMs: 4000 + i * 5000,
        text: text!,
        displayText: text!,
        redactedText: redacted!,
        confidence: 0.9,
        words: text!.split(' ').map((w, k) => ({ w, s: 1000 + i * 5000 + k * 100, e: 1000 + i * 5000 + k * 100 + 90, c: 0.9 })),
        pii: [],
      }));
      await inTransaction(t.db, ({ tx }) =>
        replaceTranscript(
          tx,
          t.adapter,
          {
            id: newId(),
            tenant_id: tenantId,
            conversation_id: id,
            engine: 'test',
            language: 'en',
            word_count: 20,
            audio_ms: 10_000,
            cpu_ms: 0,
            created_at: nowIso(),
          },
          utterances,
        ),
      );
      const loaded = (await loadLines(t, t.db, id))!;
      await inTransaction(t.db, ({ tx }) => indicatorAnalyser.run(t, tx, loaded.subject, loaded.lines));
      const strip = (ms: Json[]) => ms.map(({ id: _id, ...rest }) => rest);
      const own = strip((await mentionsOf(id)).mentions);
      expect(own.map((m) => m.keyword)).toEqual(expect.arrayContaining(['lawyer', 'unacceptable', 'supervisor']));
      const all = (ok(await admin.get('/api/insights/indicators')).items as Json[]).map((i) => i.id as string);
      await reanalyseMentions(t, tenantId, { indicatorIds: all, topics: false }, () => {});
      expect(strip((await mentionsOf(id)).mentions)).toEqual(own);
      // The redacted text is what was matched: the range points into it.
      const m = own.find((x) => x.keyword === 'unacceptable')!;
      expect(loaded.lines.find((l) => l.id === m.lineId)!.text.slice(m.range[0], m.range[1])).toBe('unacceptable');
      expect(m.range[0]).toBe(utterances[0]!.redactedText.indexOf('unacceptable'));
    });

    it('include topic hits after a topic is added, and answer 404 for a conversation the caller cannot see', async () => {
      const id = await chat('My router keeps dropping the connection and the modem lights blink red.');
      await runJobs(t);
      const topic = ok(
        await admin.post('/api/insights/topics', {
          name: 'Connectivity',
          sentences: ['The internet connection keeps dropping', 'My wifi signal is weak upstairs', 'The router needs to be restarted'],
        }),
      );
      await runJobs(t);
      const hits = (await mentionsOf(id)).topics;
      expect(hits.map((h) => h.topicName)).toEqual(expect.arrayContaining(['Connectivity', 'Hardware']));
      const hit = hits.find((h) => h.topicId === topic.id)!;
      expect(hit).toMatchObject({ role: 'customer', startMs: 0 });
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);

      const other = await tenantWithAdmin(t);
      fails(await other.admin.get(`/api/conversations/${id}/mentions`), 404, 'NOT_FOUND');
      fails(await admin.get('/api/conversations/nope/mentions'), 404, 'NOT_FOUND');
    });
  });
});
