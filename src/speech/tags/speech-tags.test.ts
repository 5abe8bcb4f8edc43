// Speech tags through the HTTP API on both databases: definitions (validation, uniqueness, permissions, audit),
// spotting after a transcript is stored and over stored transcripts when a tag is added or changed (with progress),
// the hits on a conversation and per result page, and the Conversations filter on real spotted hits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeTenant, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { SpeakerRole } from '../model.ts';
import { replaceTranscript } from '../repository.ts';
import { DEMO_SPEECH_TAGS, ensureDemoSpeechTags, queueSpotting, RESPOT_BATCH, spotConversation } from './service.ts';

type Line = [SpeakerRole, string, number?];

describe.each(ENGINES)('speech tags on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let viewer: Client;

  const chat = async (opts: Parameters<typeof makeChat>[2] = {}) => (await makeChat(t, ingest, opts)).conversationId;

  /** Stores a transcript on the conversation: one utterance per line, words 300 ms apart, each with confidence c. */
  async function transcribe(conversationId: string, lines: Line[], opts: { queue?: boolean } = {}) {
    let at = 1000;
    const utterances = lines.map(([role, text, c = 0.9], i) => {
      const words = text.split(' ').map((w, k) => ({ w, s: at + k * 300, e: at + k * 300 + 250, c }));
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
        confidence: c,
        words,
        pii: [],
      };
      at = u.endMs + 1000;
      return u;
    });
    const row = {
      id: newId(),
      tenant_id: tenantId,
      conversation_id: conversationId,
      engine: 'test',
      language: 'en',
      word_count: utterances.reduce((n, u) => n + u.words.length, 0),
      audio_ms: at,
      cpu_ms: 0,
      created_at: nowIso(),
    };
    await inTransaction(t.db, async (uow) => {
      await replaceTranscript(uow.tx, t.adapter, row, utterances);
      if (opts.queue !== false) await queueSpotting(t, uow, tenantId, conversationId);
    });
    return utterances;
  }

  const hitsOf = async (conversationId: string, client = admin) => ok(await client.get(`/api/conversations/${conversationId}/speech-tags`)).items as Json[];
  const create = async (body: Record<string, unknown>) => ok(await admin.post('/api/speech-tags', { color: '#e8590c', ...body }));
  const listed = async (id: string, client = admin) => ((ok(await client.get('/api/speech-tags')).items as Json[]).find((x) => x.id === id) as Json) ?? null;
  const audit = async (resourceId: string) => (ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId, limit: '50' })}`)).items as Json[]).reverse();

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    await runJobs(t);
  });
  afterAll(() => t?.cleanup());

  describe('definitions', () => {
    it('creates, lists, edits and deletes a speech tag, each change audited', async () => {
      const made = await create({ name: '  Competitor   Summit ', phrase: '  Summit   Wireless ', party: 'customer', language: 'EN', color: '#AA3300' });
      expect(made).toMatchObject({
        name: 'Competitor Summit',
        phrase: 'Summit Wireless',
        party: 'customer',
        language: 'en',
        color: '#aa3300',
        conversations: { certainly: 0, probably: 0, maybe: 0 },
      });
      expect(made.spotting).toMatchObject({ status: 'queued' });
      expect(await listed(made.id)).toMatchObject({ name: 'Competitor Summit', phrase: 'Summit Wireless' });

      const edited = ok(await admin.patch(`/api/speech-tags/${made.id}`, { party: null, color: '#112233' }));
      expect(edited).toMatchObject({ party: null, color: '#112233', phrase: 'Summit Wireless' });
      ok(await admin.del(`/api/speech-tags/${made.id}`), 204);
      expect(await listed(made.id)).toBeNull();
      fails(await admin.patch(`/api/speech-tags/${made.id}`, { color: '#000000' }), 404, 'NOT_FOUND');
      fails(await admin.del(`/api/speech-tags/${made.id}`), 404, 'NOT_FOUND');

      const events = await audit(made.id);
      expect(events.map((e) => e.action)).toEqual(['SPEECH_TAG_CREATE', 'SPEECH_TAG_UPDATE', 'SPEECH_TAG_DELETE']);
      expect(events[0].details).toBe('Created speech tag Competitor Summit: “Summit Wireless”, said by the customer, in en');
      expect(events[1].changes).toEqual([
        { field: 'party', old: 'customer', new: null },
        { field: 'color', old: '#aa3300', new: '#112233' },
      ]);
      expect(events[1].details).toContain('spotted again');
      expect(events[2].changes).toContainEqual({ field: 'phrase', old: 'Summit Wireless', new: null });
    });

    it('refuses an empty or too long phrase with a clear message, and accepts 200 characters', async () => {
      for (const phrase of ['', '   ']) {
        const err = fails(
          await admin.post('/api/speech-tags', { name: `Empty ${newId()}`, phrase, color: '#123456' }),
          400,
          'VALIDATION_FAILED',
          'PHRASE_REQUIRED',
        );
        expect(err.message).toMatch(/phrase/i);
      }
      fails(await admin.post('/api/speech-tags', { name: `Dots ${newId()}`, phrase: '?!…', color: '#123456' }), 400, 'VALIDATION_FAILED', 'PHRASE_NO_WORDS');
      const long = fails(
        await admin.post('/api/speech-tags', { name: `Long ${newId()}`, phrase: 'a'.repeat(500), color: '#123456' }),
        400,
        'VALIDATION_FAILED',
        'PHRASE_TOO_LONG',
      );
      expect(long.message).toContain('200');
      expect(long.message).toContain('500');
      expect(long.details).toMatchObject({ limit: 200, length: 500, field: 'phrase' });
      const max = await create({ name: `Max ${newId()}`, phrase: `  ${'word '.repeat(40).trim()}  ` });
      expect(max.phrase).toHaveLength(199);
      fails(await admin.patch(`/api/speech-tags/${max.id}`, { phrase: 'b'.repeat(201) }), 400, 'VALIDATION_FAILED', 'PHRASE_TOO_LONG');
      fails(await admin.post('/api/speech-tags', { name: '   ', phrase: 'x', color: '#123456' }), 400, 'VALIDATION_FAILED', 'NAME_REQUIRED');
      fails(await admin.post('/api/speech-tags', { name: 'n'.repeat(101), phrase: 'x', color: '#123456' }), 400, 'VALIDATION_FAILED', 'NAME_TOO_LONG');
      fails(await admin.post('/api/speech-tags', { name: `P ${newId()}`, phrase: 'x', color: 'red' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/speech-tags', { name: `P ${newId()}`, phrase: 'x', color: '#123456', party: 'supervisor' }), 400, 'VALIDATION_FAILED');
      fails(await admin.post('/api/speech-tags', { name: `P ${newId()}`, phrase: 'x', color: '#123456', language: 'english!' }), 400, 'VALIDATION_FAILED');
      // Nothing half-written.
      expect((ok(await admin.get('/api/speech-tags')).items as Json[]).filter((x) => /^(Empty|Long|Dots|P) /.test(x.name))).toEqual([]);
    });

    it('keeps names unique regardless of case (409)', async () => {
      const name = `Refund ${newId().slice(-6)}`;
      const first = await create({ name, phrase: 'refund' });
      fails(await admin.post('/api/speech-tags', { name: name.toUpperCase(), phrase: 'money back', color: '#123456' }), 409, 'ALREADY_EXISTS');
      const other = await create({ name: `${name} two`, phrase: 'money back' });
      fails(await admin.patch(`/api/speech-tags/${other.id}`, { name: name.toLowerCase() }), 409, 'ALREADY_EXISTS');
      // Renaming itself with another case is fine.
      expect(ok(await admin.patch(`/api/speech-tags/${first.id}`, { name: name.toLowerCase() })).name).toBe(name.toLowerCase());
    });

    it("seeds the demo's speech tags once, however often it runs", async () => {
      const other = await makeTenant(t);
      await ensureDemoSpeechTags(t, t.db, other.tenantId);
      await ensureDemoSpeechTags(t, t.db, other.tenantId);
      const c = await signIn(t.app, other.admin);
      const items = ok(await c.get('/api/speech-tags')).items as Json[];
      expect(items.map((x) => x.name).sort()).toEqual(DEMO_SPEECH_TAGS.map((d) => d.name).sort());
      expect(items.find((x) => x.name === 'Recording disclosure')).toMatchObject({ phrase: 'this call may be recorded', party: 'agent', language: null });
    });

    it('needs tags.manage to change, a view permission to list; group-scoped managers cannot change tenant-wide definitions', async () => {
      const tag = await create({ name: `Guarded ${newId().slice(-6)}`, phrase: 'lawyer' });
      expect(await listed(tag.id, viewer)).toMatchObject({ name: tag.name });
      fails(await viewer.post('/api/speech-tags', { name: `V ${newId()}`, phrase: 'x', color: '#123456' }), 403, 'FORBIDDEN');
      fails(await viewer.patch(`/api/speech-tags/${tag.id}`, { color: '#000000' }), 403, 'FORBIDDEN');
      fails(await viewer.del(`/api/speech-tags/${tag.id}`), 403, 'FORBIDDEN');
      const nobody = await signIn(t.app, await makeUser(t, tenantId, { permissions: [] }));
      fails(await nobody.get('/api/speech-tags'), 403, 'FORBIDDEN');
      const group = await makeGroup(t, tenantId, `G-${newId().slice(-6)}`);
      const scoped = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'tags.manage'], groupId: group }));
      fails(await scoped.post('/api/speech-tags', { name: `S ${newId()}`, phrase: 'x', color: '#123456' }), 403, 'FORBIDDEN');
      fails(await scoped.patch(`/api/speech-tags/${tag.id}`, { phrase: 'attorney' }), 403, 'FORBIDDEN');
      fails(await scoped.del(`/api/speech-tags/${tag.id}`), 403, 'FORBIDDEN');
      expect(await listed(tag.id)).toMatchObject({ phrase: 'lawyer' });
    });
  });

  describe('spotting', () => {
    it('spots after a transcript is stored, replacing the earlier hits, with party, level and times', async () => {
      const word = `zorbix${newId()
        .slice(-4)
        .toLowerCase()
        .replace(/[^a-z]/g, 'q')}`;
      const any = await create({ name: `Any ${word}`, phrase: `${word} plan` });
      const agentOnly = await create({ name: `Agent ${word}`, phrase: `${word} plan`, party: 'agent' });
      await runJobs(t);
      const conv = await chat();
      const utts = await transcribe(conv, [
        ['customer', `i would like the ${word} plan please`],
        ['agent', `the ${word} plans are great`, 0.3],
      ]);
      await runJobs(t);
      const hits = await hitsOf(conv);
      expect(hits.map((h) => [h.name, h.utteranceId, h.level, h.source])).toEqual([
        [any.name, utts[0]!.id, 'certainly', 'transcript'],
        [agentOnly.name, utts[1]!.id, 'probably', 'transcript'],
        [any.name, utts[1]!.id, 'probably', 'transcript'],
      ]);
      expect(hits[0]).toMatchObject({ tagId: any.id, color: '#e8590c', phrase: `${word} plan`, startMs: 2200, endMs: 2750 });
      expect(hits[0].confidence).toBeGreaterThanOrEqual(0.65);

      // A new transcript replaces the hits (one transaction, no leftovers from the old words).
      await transcribe(conv, [['customer', 'nothing to see here']]);
      await runJobs(t);
      expect(await hitsOf(conv)).toEqual([]);
    });

    it('runs of one conversation at the same time replace its hits one after the other (no duplicates)', async () => {
      const word = `dupla${newId()
        .slice(-4)
        .toLowerCase()
        .replace(/[^a-z]/g, 'q')}`;
      const tag = await create({ name: `Concurrent ${word}`, phrase: word });
      await runJobs(t);
      const conv = await chat();
      await transcribe(conv, [['customer', `${word} and ${word} again`]], { queue: false });
      await Promise.all([1, 2, 3, 4].map(() => spotConversation(t, conv)));
      expect((await hitsOf(conv)).filter((h) => h.tagId === tag.id)).toHaveLength(2);
    });

    it('spots a new or changed tag over every stored transcript in batches, with progress, and forgets a deleted one', async () => {
      const word = `quixo${newId()
        .slice(-4)
        .toLowerCase()
        .replace(/[^a-z]/g, 'q')}`;
      const convs: string[] = [];
      // More conversations than one batch, so the job pages through them.
      for (let i = 0; i < RESPOT_BATCH + 3; i++) {
        const c = await chat();
        convs.push(c);
        await transcribe(c, [['customer', i % 2 ? `my ${word} broke` : 'all good thanks']], { queue: false });
      }
      const tag = await create({ name: `Retro ${word}`, phrase: word });
      await runJobs(t);
      const job = await t.jobs.get(tag.spotting.jobId);
      expect(job).toMatchObject({ status: 'succeeded', progress: 1 });
      expect(job!.progressNote).toMatch(/^(\d+) of \1 conversations$/);
      const expected = convs.filter((_, i) => i % 2).sort();
      const withHits = [];
      for (const c of convs) if ((await hitsOf(c)).some((h) => h.tagId === tag.id)) withHits.push(c);
      expect(withHits.sort()).toEqual(expected);
      expect((await listed(tag.id)).conversations).toEqual({ certainly: expected.length, probably: expected.length, maybe: expected.length });
      expect((await listed(tag.id)).spotting).toMatchObject({ status: 'succeeded', progress: 1 });

      // A new phrase is spotted again; a colour change is not.
      const recolored = ok(await admin.patch(`/api/speech-tags/${tag.id}`, { color: '#000000' }));
      expect(recolored.spotting.jobId).toBe(tag.spotting.jobId);
      const rephrased = ok(await admin.patch(`/api/speech-tags/${tag.id}`, { phrase: 'all good' }));
      expect(rephrased.spotting.jobId).not.toBe(tag.spotting.jobId);
      await runJobs(t);
      expect((await listed(tag.id)).conversations.certainly).toBe(convs.length - expected.length);
      expect((await hitsOf(convs[1]!)).filter((h) => h.tagId === tag.id)).toEqual([]);
      expect((await hitsOf(convs[0]!)).filter((h) => h.tagId === tag.id)).toHaveLength(1);

      ok(await admin.del(`/api/speech-tags/${tag.id}`), 204);
      expect((await hitsOf(convs[0]!)).filter((h) => h.tagId === tag.id)).toEqual([]);
    });

    it('filters conversations by spotted hits at each confidence level, include and exclude', async () => {
      const word = `vexa${newId()
        .slice(-4)
        .toLowerCase()
        .replace(/[^a-z]/g, 'q')}`;
      const tag = await create({ name: `Filter ${word}`, phrase: 'cancel' });
      const sure = await chat();
      const doubtful = await chat();
      const fuzzy = await chat();
      const none = await chat();
      await transcribe(sure, [['customer', 'please cancel my account today']]);
      await transcribe(doubtful, [['customer', 'please cancel my account today', 0.05]]);
      await transcribe(fuzzy, [['customer', 'please can sell my account today', 0.9]]);
      await transcribe(none, [['customer', 'please keep everything as it is']]);
      await runJobs(t);
      const levels = Object.fromEntries(
        await Promise.all([sure, doubtful, fuzzy].map(async (c) => [c, (await hitsOf(c)).find((h) => h.tagId === tag.id)?.level ?? null])),
      );
      expect(levels).toEqual({ [sure]: 'certainly', [doubtful]: 'probably', [fuzzy]: 'maybe' });

      const mine = [sure, doubtful, fuzzy, none];
      const find = async (speechTags: Json) => {
        const res = ok(await admin.post('/api/conversations/search?limit=200', { period: null, reviewable: 'all', speechTags }));
        return (res.items as Json[]).map((i) => i.id as string).filter((id) => mine.includes(id));
      };
      const inc = (confidence: string) => find({ include: [{ tagId: tag.id, confidence }], exclude: [] });
      expect((await inc('certainly')).sort()).toEqual([sure].sort());
      expect((await inc('probably')).sort()).toEqual([sure, doubtful].sort());
      expect((await inc('maybe')).sort()).toEqual([sure, doubtful, fuzzy].sort());
      expect((await find({ include: [], exclude: [{ tagId: tag.id, confidence: 'probably' }] })).sort()).toEqual([fuzzy, none].sort());
      expect((await listed(tag.id)).conversations).toEqual({ certainly: 1, probably: 2, maybe: 3 });
    });
  });

  describe('hits on conversations', () => {
    it('shows hits only on conversations the caller can see (404 otherwise), and summarises a result page', async () => {
      const word = `plonk${newId()
        .slice(-4)
        .toLowerCase()
        .replace(/[^a-z]/g, 'q')}`;
      const tag = await create({ name: `Seen ${word}`, phrase: word, color: '#2f9e44' });
      await makeUser(t, tenantId, { roles: ['agent'], extension: '7301', name: 'Own Agent' });
      const ownUser = await makeUser(t, tenantId, { extension: '7302', permissions: ['conversations.view_own'] });
      const own = await signIn(t.app, ownUser);
      const mine = await chat({ agentExtension: '7302' });
      const theirs = await chat({ agentExtension: '7301' });
      await transcribe(mine, [['customer', `a ${word} here and ${word} there`]]);
      await transcribe(theirs, [['customer', `${word} again`]]);
      await runJobs(t);

      expect((await hitsOf(mine, own)).map((h) => [h.name, h.color, h.level])).toEqual([
        [tag.name, '#2f9e44', 'certainly'],
        [tag.name, '#2f9e44', 'certainly'],
      ]);
      fails(await own.get(`/api/conversations/${theirs}/speech-tags`), 404, 'NOT_FOUND');
      fails(await admin.get(`/api/conversations/${newId()}/speech-tags`), 404, 'NOT_FOUND');

      const summary = ok(await own.get(`/api/speech-tags/summary?conversationIds=${mine},${theirs}`));
      expect(summary.items).toEqual([{ conversationId: mine, tags: [{ tagId: tag.id, name: tag.name, color: '#2f9e44', level: 'certainly', hits: 2 }] }]);
      const all = ok(await admin.get(`/api/speech-tags/summary?conversationIds=${mine},${theirs}`));
      expect(all.items.map((i: Json) => i.conversationId).sort()).toEqual([mine, theirs].sort());
      const many = Array.from({ length: 201 }, () => newId()).join(',');
      fails(await admin.get(`/api/speech-tags/summary?conversationIds=${many}`), 400, 'VALIDATION_FAILED');
      // The per-level counts count only conversations the caller can see.
      expect((await listed(tag.id, own)).conversations.certainly).toBe(1);
      expect((await listed(tag.id)).conversations.certainly).toBe(2);
    });
  });
});
