// A tenant changes its PII types in Settings: the stored transcripts are detected again in the background
// (speech.redetect_pii), so their spans and redacted text follow the new types. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { login } from '../helpers/factories.ts';
import { makeChat, tenantWithAdmin } from '../helpers/conversations.ts';
import { runJobs } from '../helpers/jobs.ts';
import { currentUtterances, replaceTranscript } from '../../src/speech/repository.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { newId, nowIso } from '../../src/platform/ids.ts';
import { PII_TYPES } from '../../src/speech/model.ts';
import { detectPii } from '../../src/speech/redaction/detect.ts';
import { renderRedacted } from '../../src/speech/text/redact.ts';

const SAID = 'my email is bob at example dot com and my phone is five five five two three four nine eight seven six'.split(' ');

describe.each(ENGINES)('PII re-detection after a settings change on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: string;
  let conversationId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const tenant = await tenantWithAdmin(t);
    admin = await login(t.app, tenant.adminUser);
    conversationId = (await makeChat(t, tenant.ingest)).conversationId;
    await runJobs(t);
    const words = SAID.map((w, i) => ({ w, s: i * 300, e: i * 300 + 250, c: 0.9 }));
    const pii = detectPii(SAID, PII_TYPES).map((m) => ({ ...m, startMs: words[m.firstWord]!.s, endMs: words[m.lastWord]!.e }));
    await inTransaction(t.db, (uow) =>
      replaceTranscript(
        uow.tx,
        t.adapter,
        {
          id: newId(),
          tenant_id: tenant.tenantId,
          conversation_id: conversationId,
          engine: 'test',
          language: 'en',
          word_count: SAID.length,
          audio_ms: 9000,
          cpu_ms: 1,
          created_at: nowIso(),
        },
        [
          {
            id: newId(),
            segmentId: null,
            streamId: null,
            partyKey: 'cust',
            role: 'customer',
            seq: 0,
            startMs: 0,
            endMs: 9000,
            text: SAID.join(' '),
            displayText: SAID.join(' '),
            redactedText: renderRedacted(SAID, pii),
            confidence: 0.9,
            words,
            pii,
          },
        ],
      ),
    );
  }, 60_000);
  afterAll(() => t.cleanup());

  const current = async () => (await currentUtterances(t.db, t.adapter, conversationId))[0]!;
  const setTypes = async (piiTypes: string[]) => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: admin }, payload: { piiTypes } });
    expect(res.statusCode, res.body).toBe(200);
    await runJobs(t);
  };

  it('starts with both spans', async () => {
    expect((await current()).pii.map((p) => p.type)).toEqual(['email', 'phone_number']);
  });

  it('keeps only the selected types after a change, and brings them back', async () => {
    await setTypes(['phone_number']);
    let u = await current();
    expect(u.pii.map((p) => p.type)).toEqual(['phone_number']);
    expect(u.redactedText).toContain('bob');
    expect(u.redactedText).toContain('[PHONE]');
    await setTypes([...PII_TYPES]);
    u = await current();
    expect(u.pii.map((p) => p.type)).toEqual(['email', 'phone_number']);
    expect(u.redactedText).not.toContain('bob');
    const jobs = await t.db.selectFrom('jobs').select(['type', 'status']).where('type', '=', 'speech.redetect_pii').execute();
    expect(jobs.length).toBe(2);
  });
});
