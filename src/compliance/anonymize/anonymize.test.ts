// Anonymization on both engines, through the HTTP API and the real jobs: the compliance setup (validated, audited);
// one conversation overwritten with the placeholders in the database and the search index (searching the old values
// finds nothing), not reviewable any more, its earlier audit events redacted while the chain still verifies, kept
// across a re-import; protected conversations refused with why; a search anonymized as a job with progress that skips
// the protected one; media planned for deletion, or only the PII spans kept silenced (the gentler option).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { ingestChat } from '../../conversations/ingest/chats.ts';
import { ingestEmail } from '../../conversations/ingest/emails.ts';
import { buildEml } from '../../conversations/email/fixtures.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { replaceTranscript, setSpeechStatus } from '../../speech/repository.ts';
import { redactConversationAudio } from '../../speech/redaction/service.ts';
import { makeCall } from '../deletion/test-helpers.ts';

describe.each(ENGINES)('anonymization on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let manager: Client;
  let evaluator: Client;
  let protectTagId: string;

  const search = async (filter: Json) =>
    (ok(await admin.post('/api/conversations/search', { period: null, reviewable: 'all', ...filter })).items as Json[]).map((i) => i.id as string);
  const conv = (id: string) => t.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = async (id: string) => (ok(await admin.get(`/api/audit?resourceId=${id}&limit=200`)).items as Json[]).reverse();

  /** A chat with a unique word, the customer's number and address in it, a custom value, a tag comment and a comment. */
  async function richChat(word: string, opts: { phone?: string; email?: string; name?: string } = {}) {
    const phone = opts.phone ?? '+15557654321';
    const email = opts.email ?? `${word}@example.org`;
    const name = opts.name ?? `Robin ${word}`;
    const at = new Date(Date.now() - 3600_000);
    const chatId = `chat-${newId()}`;
    const input = {
      chatId,
      roomName: `Support for ${name}`,
      participants: [
        { key: 'cust', role: 'customer' as const, name, email, phone },
        { key: 'agent', role: 'agent' as const, name: 'Agent', extension: '9999' },
      ],
      messages: [
        { sender: 'cust', at: new Date(at.getTime()).toISOString(), text: `Hello, ${word} here, call me on +1 555 765 4321 or ${email}` },
        { sender: 'agent', at: new Date(at.getTime() + 20_000).toISOString(), text: 'Sure, let me check.' },
      ],
    };
    const { conversationId } = await ingestChat(t, ingest, input);
    ok(await admin.put(`/api/conversations/${conversationId}/custom-fields`, { values: { account: `ACC-${word}` } }));
    ok(await admin.post(`/api/conversations/${conversationId}/comments`, { text: `Customer asked us to write to ${email}` }));
    await runJobs(t);
    return { conversationId, input, phone, email, name };
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    ok(await admin.post('/api/custom-fields', { key: 'account', label: 'Account', type: 'text', showInFilters: true }));
    manager = await signIn(t.app, await makeUser(t, tenantId, { roles: ['cc_manager'] }));
    evaluator = await signIn(t.app, await makeUser(t, tenantId, { roles: ['evaluator'] }));
    const tag = ok(await admin.post('/api/tags', { name: 'MiFID II', color: '#123456' }));
    protectTagId = tag.id as string;
    await t.db.updateTable('tag_definitions').set({ protects: 1 }).where('id', '=', protectTagId).execute();
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('sets up which data is anonymized: checked, audited with old and new values, for lifecycle.manage only', async () => {
    const before = ok(await admin.get('/api/compliance/setup'));
    expect(before.parts).toEqual(['phone_numbers', 'email_addresses', 'email_content', 'chat_content', 'transcripts', 'other_metadata']);
    const field = (before.customFields as Json[]).find((f) => f.key === 'account')!;
    expect(field).toMatchObject({ label: 'Account', filterable: true });
    fails(await admin.put('/api/compliance/setup', { parts: ['phone_numbers', 'voice_prints'], customFieldIds: [] }), 400, 'VALIDATION_FAILED');
    fails(await admin.put('/api/compliance/setup', { parts: ['phone_numbers'], customFieldIds: ['nope'] }), 400, 'VALIDATION_FAILED', 'UNKNOWN_FIELD');
    fails(await manager.put('/api/compliance/setup', { parts: [], customFieldIds: [] }), 403, 'FORBIDDEN');
    const after = ok(
      await admin.put('/api/compliance/setup', {
        parts: ['other_metadata', 'phone_numbers', 'email_addresses', 'chat_content', 'email_content', 'transcripts', 'media'],
        customFieldIds: [field.id],
      }),
    );
    expect(after).toMatchObject({
      parts: ['phone_numbers', 'email_addresses', 'email_content', 'chat_content', 'media', 'transcripts', 'other_metadata'],
      customFieldIds: [field.id],
    });
    const events = (ok(await admin.get(`/api/audit?action=COMPLIANCE_SETUP_UPDATE&limit=10`)).items as Json[]).filter((e) => e.resourceId === tenantId);
    expect(events[0]!.changes).toEqual([
      { field: 'anonymizationParts', old: before.parts, new: after.parts },
      { field: 'anonymizationCustomFields', old: [], new: ['account'] },
    ]);
  });

  it('overwrites a conversation in the database and the search index; the old values are found nowhere', async () => {
    const c = await richChat('zebracorn');
    // Before: the word, the address and the number find it.
    expect(await search({ q: 'zebracorn' })).toEqual([c.conversationId]);
    expect(await search({ q: '"zebracorn@example.org"' })).toEqual([c.conversationId]);
    expect(await search({ phone: '+15557654321' })).toContain(c.conversationId);
    expect((await conv(c.conversationId)).reviewable).toBe(1);

    // Refused without confirmation, without permission, and for what the user cannot see.
    fails(await admin.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: false }), 400, 'VALIDATION_FAILED', 'CONFIRMATION_REQUIRED');
    fails(await evaluator.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: true }), 403, 'FORBIDDEN');
    fails(await admin.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: true, audio: 'keep' }), 400, 'VALIDATION_FAILED', 'AUDIO_CHOICE');

    const result = ok(await manager.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: true }));
    expect(result).toMatchObject({ conversationId: c.conversationId, media: 'none', legacyAuditEvents: 0 });
    expect(result.auditEventsRedacted as number).toBeGreaterThanOrEqual(1);

    // The database holds placeholders only.
    const row = await conv(c.conversationId);
    expect(row).toMatchObject({ title: '[anonymized]', reviewable: 0 });
    expect(row.anonymized_at).toBeTruthy();
    const detail = ok(await admin.get(`/api/conversations/${c.conversationId}`));
    const text = JSON.stringify(detail);
    for (const old of ['zebracorn', 'Robin', '7654321', '765 4321', 'example.org']) expect(text).not.toContain(old);
    const participant = await t.db
      .selectFrom('conversation_participants')
      .selectAll()
      .where('conversation_id', '=', c.conversationId)
      .where('role', '=', 'customer')
      .executeTakeFirstOrThrow();
    expect(participant).toMatchObject({ name: '[anonymized]', phone: '[anonphonenumber]', email: '[anondigitaladdress]' });
    const seg = await t.db.selectFrom('segments').select(['title', 'anonymized_at']).where('conversation_id', '=', c.conversationId).executeTakeFirstOrThrow();
    expect(seg.title).toBe('[anonconversationcontent]');
    expect(seg.anonymized_at).toBeTruthy();
    const chat = await t.db
      .selectFrom('chat_messages as m')
      .innerJoin('segments as s', 's.id', 'm.segment_id')
      .select(['m.text', 'm.sender_role'])
      .where('s.conversation_id', '=', c.conversationId)
      .execute();
    expect(chat.map((m) => m.text)).toEqual(['[anonconversationcontent]', '[anonconversationcontent]']);
    const field = await t.db
      .selectFrom('conversation_field_values')
      .select(['value', 'value_folded'])
      .where('conversation_id', '=', c.conversationId)
      .executeTakeFirstOrThrow();
    expect(field).toEqual({ value: '[anonymized]', value_folded: '[anonymized]' });
    const comment = await t.db.selectFrom('comments').select('text').where('conversation_id', '=', c.conversationId).executeTakeFirstOrThrow();
    expect(comment.text).toBe('Customer asked us to write to [anondigitaladdress]');

    // The search index and the filters find nothing by the old values.
    expect(await search({ q: 'zebracorn' })).toEqual([]);
    expect(await search({ q: '"zebracorn@example.org"' })).toEqual([]);
    expect(await search({ q: 'Robin' })).toEqual([]);
    expect(await search({ phone: '+15557654321' })).not.toContain(c.conversationId);
    expect(await search({ customData: [{ fieldKey: 'account', op: { op: 'contains', value: 'zebracorn' } }] })).toEqual([]);
    // The default list (reviewable only) leaves it out: an anonymized conversation cannot be reviewed.
    expect((ok(await admin.post('/api/conversations/search', { period: null })).items as Json[]).map((i) => i.id)).not.toContain(c.conversationId);

    // The audit trail keeps who and when, never the values; the chain still verifies.
    const events = await auditOf(c.conversationId);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['CONVERSATION_CUSTOM_FIELDS_UPDATE', 'CONVERSATION_ANONYMIZE']));
    const fieldsEvent = events.find((e) => e.action === 'CONVERSATION_CUSTOM_FIELDS_UPDATE')!;
    expect(fieldsEvent.changes).toEqual([{ field: 'account', old: null, new: '[anonymized]' }]);
    expect(fieldsEvent.details).toBe('Custom fields: Account = [anonymized]');
    expect(fieldsEvent.initiatorName).toBeTruthy();
    expect(JSON.stringify(events)).not.toMatch(/zebracorn|Robin|765 4321/i);
    expect((ok(await admin.get('/api/audit?q=zebracorn&limit=50')).items as Json[]).length).toBe(0);
    expect(await t.audit.verifyChain(tenantId)).toMatchObject({ intact: true, firstBroken: null });
  });

  it('keeps the marking when the same conversation is imported again', async () => {
    const c = await richChat('quokkaberry');
    ok(await admin.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: true }));
    const again = await ingestChat(t, ingest, c.input);
    expect(again).toMatchObject({ conversationId: c.conversationId, duplicate: true });
    await runJobs(t);
    const row = await conv(c.conversationId);
    expect(row.anonymized_at).toBeTruthy();
    expect(row.customer_phone).toBe('[anonphonenumber]');
    expect(await search({ q: 'quokkaberry' })).toEqual([]);
    expect(await t.db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).where('title', 'like', '%quokkaberry%').execute()).toEqual([]);
  });

  it('anonymizes an e-mail (customer addresses, subject, body; staff addresses kept); a segment joining later is reviewable again', async () => {
    const staff = await makeUser(t, tenantId, { roles: ['agent'], email: `casey-${engine}@acme.test`, name: 'Casey Agent' });
    const firstId = `cust-${newId()}@example.com`;
    const first = buildEml({
      messageId: firstId,
      from: { name: 'Jo Numbat', address: 'jo.numbat@example.com' },
      to: [staff.email],
      subject: 'Cancel my numbatplan',
      date: new Date(Date.now() - 7200_000),
      text: 'Please cancel my numbatplan, call me on +33 6 12 34 56 78.',
    });
    const { conversationId } = await ingestEmail(t, ingest, Buffer.from(first));
    await runJobs(t);
    expect(await search({ q: 'numbatplan' })).toEqual([conversationId]);
    ok(await admin.post(`/api/conversations/${conversationId}/anonymize`, { confirm: true }));
    const row = await t.db
      .selectFrom('email_messages')
      .select(['subject', 'body_text', 'body_html', 'from_address', 'from_name', 'to_list'])
      .where('segment_id', 'in', t.db.selectFrom('segments').select('id').where('conversation_id', '=', conversationId))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      subject: '[anonconversationcontent]',
      body_text: '[anonconversationcontent]',
      body_html: null,
      from_address: '[anondigitaladdress]',
      from_name: '[anonymized]',
    });
    expect(JSON.stringify(t.adapter.fromJson(row.to_list))).toContain(staff.email);
    expect(await search({ q: 'numbatplan' })).toEqual([]);
    expect(await search({ q: '"jo.numbat@example.com"' })).toEqual([]);
    expect((await conv(conversationId)).reviewable).toBe(0);

    // The agent's reply joins the thread: that segment is not anonymized, so the conversation can be reviewed again.
    const reply = buildEml({
      messageId: `agent-${newId()}@acme.test`,
      inReplyTo: firstId,
      references: [firstId],
      from: { name: 'Casey Agent', address: staff.email },
      to: ['someone@example.net'],
      subject: 'Re: your plan',
      date: new Date(Date.now() - 3600_000),
      text: 'Done.',
    });
    expect((await ingestEmail(t, ingest, Buffer.from(reply))).conversationId).toBe(conversationId);
    const after = await conv(conversationId);
    expect(after.reviewable).toBe(1);
    expect(after.anonymized_at).toBeTruthy();
  });

  it('refuses a protected conversation and says why', async () => {
    const c = await richChat('platypuslime');
    ok(await admin.post(`/api/conversations/${c.conversationId}/tags`, { tagId: protectTagId }));
    const preview = ok(await admin.post('/api/compliance/anonymize/preview', { conversationIds: [c.conversationId] }));
    expect(preview).toMatchObject({ total: 1, protectedCount: 1 });
    expect((preview.protected as Json[])[0]!.protections).toEqual([{ kind: 'tag', tagId: protectTagId, name: 'MiFID II' }]);
    const err = fails(await admin.post(`/api/conversations/${c.conversationId}/anonymize`, { confirm: true }), 409, 'CONVERSATION_PROTECTED');
    expect(err.message).toContain('MiFID II');
    expect((await conv(c.conversationId)).anonymized_at).toBeNull();
    expect(await search({ q: 'platypuslime' })).toEqual([c.conversationId]);
  });

  it('anonymizes every conversation of a search as a job with progress, skipping the protected one', async () => {
    const word = 'wombatmint';
    const a = await richChat(word, { email: 'a-wm@example.org', phone: '+15551112222' });
    const b = await richChat(word, { email: 'b-wm@example.org', phone: '+15553334444' });
    const p = await richChat(word, { email: 'p-wm@example.org', phone: '+15555556666' });
    ok(await admin.post(`/api/conversations/${p.conversationId}/tags`, { tagId: protectTagId }));
    const filter = { q: word, period: null, reviewable: 'all' };
    const preview = ok(await admin.post('/api/compliance/anonymize/preview', { filter }));
    expect(preview).toMatchObject({ total: 3, protectedCount: 1, audioOptions: ['delete', 'redact'] });
    fails(await admin.post('/api/compliance/anonymizations', { filter, confirm: false }), 400, 'VALIDATION_FAILED', 'CONFIRMATION_REQUIRED');
    const run = ok(await admin.post('/api/compliance/anonymizations', { filter, confirm: true }));
    expect(run).toMatchObject({ status: 'queued', total: 3, done: 0 });
    const jobOf = async () => (ok(await admin.get('/api/jobs?type=compliance.anonymize')).items as Json[]).find((j) => j.id === run.jobId)!;
    expect((await jobOf()).status).toBe('queued');
    await runJobs(t);
    const done = ok(await admin.get(`/api/compliance/anonymizations/${run.id}`));
    expect(done).toMatchObject({ status: 'done', total: 3, done: 3, anonymized: 2, skipped: 1 });
    expect(done.skippedItems).toEqual([
      { conversationId: p.conversationId, title: expect.any(String), status: 'skipped', reason: 'protected: protection tag MiFID II' },
    ]);
    expect(await jobOf()).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(await search({ q: word })).toEqual([p.conversationId]);
    expect((await conv(a.conversationId)).anonymized_at).toBeTruthy();
    expect((await conv(b.conversationId)).anonymized_at).toBeTruthy();
    expect(await t.audit.verifyChain(tenantId)).toMatchObject({ intact: true });
  });

  it('plans the media for deletion, or keeps only the copy with the PII spans silenced', async () => {
    // Media in the setup: the recording is planned for deletion (still playable until the deletion job runs).
    const setup = ok(await admin.get('/api/compliance/setup'));
    ok(await admin.put('/api/compliance/setup', { parts: [...new Set([...(setup.parts as string[]), 'media'])], customFieldIds: setup.customFieldIds }));
    const call = await makeCall(t, ingest, { phone: '+15559990000' });
    await runJobs(t);
    const r1 = ok(await admin.post(`/api/conversations/${call.conversationId}/anonymize`, { confirm: true }));
    expect(r1.media).toBe('planned_for_deletion');
    expect((await conv(call.conversationId)).media_state).toBe('planned_for_deletion');
    expect((await conv(call.conversationId)).customer_phone).toBe('[anonphonenumber]');
    // The deletion job (src/compliance/deletion) then removes the objects: the conversation shows "Deleted".
    await runJobs(t);
    expect((await conv(call.conversationId)).media_state).toBe('deleted');
    expect(ok(await admin.get(`/api/conversations/${call.conversationId}`))).toMatchObject({ mediaState: 'deleted', anonymizedAt: expect.any(String) });

    // The gentler option: a transcript with a card number; only its redacted copy stays, for everyone.
    const other = await makeCall(t, ingest, { phone: '+15559990001', ms: 4000 });
    await runJobs(t);
    const words = 'my card is 4111 1111'.split(' ').map((w, k) => ({ w, s: k * 600, e: k * 600 + 500, c: 0.9 }));
    await inTransaction(t.db, async ({ tx }) => {
      await replaceTranscript(
        tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: other.conversationId,
          engine: 'test',
          language: 'en',
          word_count: words.length,
          audio_ms: 4000,
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
            startMs: 0,
            endMs: 3000,
            text: words.map((w) => w.w).join(' '),
            displayText: words.map((w) => w.w).join(' '),
            redactedText: 'my card is [card number]',
            confidence: 0.9,
            words,
            pii: [{ type: 'card_number', firstWord: 3, lastWord: 4, startMs: 1800, endMs: 3000 }],
          },
        ],
      );
      await setSpeechStatus(tx, other.conversationId, 'ready', null, nowIso());
    });
    const preview = ok(await admin.post('/api/compliance/anonymize/preview', { conversationIds: [other.conversationId] }));
    expect(preview).toMatchObject({ withPii: 1, withMedia: 1 });
    // Until the redacted copy exists, the gentler option waits rather than keep the PII.
    fails(
      await admin.post(`/api/conversations/${other.conversationId}/anonymize`, { confirm: true, audio: 'redact' }),
      409,
      'CONFLICT',
      'MEDIA_REDACTION_PENDING',
    );
    await redactConversationAudio(t, other.conversationId);
    const before = await t.db
      .selectFrom('stream_renditions')
      .select(['stream_id', 'pcm_blob_id', 'redacted_pcm_blob_id'])
      .where('conversation_id', '=', other.conversationId)
      .execute();
    const r2 = ok(await admin.post(`/api/conversations/${other.conversationId}/anonymize`, { confirm: true, audio: 'redact' }));
    expect(r2.media).toBe('redacted');
    const row = await conv(other.conversationId);
    expect(row.media_state).toBeNull();
    const after = await t.db
      .selectFrom('stream_renditions')
      .select(['stream_id', 'pcm_blob_id', 'redacted_pcm_blob_id'])
      .where('conversation_id', '=', other.conversationId)
      .execute();
    for (const r of after) {
      expect(r.pcm_blob_id).toBe(before.find((b) => b.stream_id === r.stream_id)!.redacted_pcm_blob_id);
      expect(r.pcm_blob_id).toBe(r.redacted_pcm_blob_id);
    }
    // The originals are gone from the store; the transcript text is overwritten.
    // Removed after the commit, in the background: vi.waitFor polls until they are gone.
    const originals = before.map((b) => b.pcm_blob_id!);
    await vi.waitFor(async () => expect(await t.db.selectFrom('blobs').select('id').where('id', 'in', originals).execute()).toEqual([]), { timeout: 10_000 });
    const u = await t.db
      .selectFrom('transcript_utterances')
      .select(['text', 'redacted_text'])
      .where('conversation_id', '=', other.conversationId)
      .executeTakeFirstOrThrow();
    expect(u).toEqual({ text: '[anonconversationcontent]', redacted_text: '[anonconversationcontent]' });
    // A manager (who may hear unredacted audio) now gets the silenced copy too.
    const streams = ok(await manager.get(`/api/conversations/${other.conversationId}`));
    expect(streams).toBeTruthy();

    // What the silenced copy is now, it stays: the media analysis run again (reprocess) and the redaction run again
    // used to delete it as "the earlier copy", leaving a conversation without any audio.
    const mixOf = async () => {
      const { segments } = ok(await manager.get(`/api/conversations/${other.conversationId}/media`)) as { segments: Array<{ id: string }> };
      return manager.get(`/api/conversations/${other.conversationId}/segments/${segments[0]!.id}/mix.wav`);
    };
    const played = await mixOf();
    expect(played.statusCode).toBe(200);
    await redactConversationAudio(t, other.conversationId);
    const afterRedaction = await mixOf();
    expect(afterRedaction.statusCode).toBe(200);
    expect(afterRedaction.rawPayload.length).toBe(played.rawPayload.length);
    ok(await admin.post(`/api/conversations/${other.conversationId}/media/reprocess`, {}));
    await runJobs(t);
    const replayed = await mixOf();
    expect(replayed.statusCode).toBe(200);
    expect(replayed.rawPayload.length).toBe(played.rawPayload.length);
    const rends = await t.db.selectFrom('stream_renditions').select(['status', 'pcm_blob_id']).where('conversation_id', '=', other.conversationId).execute();
    expect(rends.length).toBeGreaterThan(0);
    for (const r of rends) {
      expect(r.status).toBe('ok');
      expect(await t.db.selectFrom('blobs').select('id').where('id', '=', r.pcm_blob_id!).executeTakeFirst()).toBeDefined();
    }
    expect(await t.audit.verifyChain(tenantId)).toMatchObject({ intact: true });
  }, 60_000);

  it('refuses to start a run that selects nothing and checks the selection', async () => {
    fails(
      await admin.post('/api/compliance/anonymizations', { filter: { q: 'nothingmatchesthisword', period: null }, confirm: true }),
      400,
      'VALIDATION_FAILED',
      'NOTHING_SELECTED',
    );
    fails(await admin.post('/api/compliance/anonymize/preview', {}), 400, 'VALIDATION_FAILED', 'SELECTION');
    const chat = await makeChat(t, ingest, {});
    fails(
      await admin.post('/api/compliance/anonymize/preview', { conversationIds: [chat.conversationId], filter: { q: 'x' } }),
      400,
      'VALIDATION_FAILED',
      'SELECTION',
    );
  });
});
