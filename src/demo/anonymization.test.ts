// The demo's anonymized conversations: the oldest unreviewed chats, e-mails and calls go through the real service
// (placeholders, the first call's media planned for deletion), once; a reviewed one is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { runJobs } from '../../test/helpers/jobs.ts';
import { makeCall } from '../compliance/deletion/test-helpers.ts';
import { seedDemoAnonymization } from './anonymization.ts';

describe.each(ENGINES)('demo anonymization on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  afterAll(() => t?.cleanup());
  beforeAll(async () => {
    t = await createTestApp(engine);
  });

  it('anonymizes the oldest unreviewed conversations once, the first call with its media planned for deletion', async () => {
    const { tenantId, ingest } = await tenantWithAdmin(t);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000);
    const reviewed = (await makeChat(t, ingest, { at: day(30) })).conversationId;
    await t.db.updateTable('conversations').set({ reviewed_at: new Date().toISOString() }).where('id', '=', reviewed).execute();
    const chats = [(await makeChat(t, ingest, { at: day(20) })).conversationId, (await makeChat(t, ingest, { at: day(19) })).conversationId];
    const young = (await makeChat(t, ingest, { at: day(1) })).conversationId;
    const calls = [(await makeCall(t, ingest, { at: day(10) })).conversationId, (await makeCall(t, ingest, { at: day(9) })).conversationId];
    await runJobs(t);

    expect(await seedDemoAnonymization(t, tenantId)).toEqual({ anonymized: 4 });
    const rows = await t.db
      .selectFrom('conversations')
      .select(['id', 'anonymized_at', 'media_state', 'customer_phone', 'title'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const by = new Map(rows.map((r) => [r.id, r]));
    for (const id of [...chats, ...calls]) expect(by.get(id)!.anonymized_at).toBeTruthy();
    expect(by.get(reviewed)!.anonymized_at).toBeNull();
    expect(by.get(young)!.anonymized_at).toBeNull();
    expect(by.get(calls[0]!)).toMatchObject({ media_state: 'planned_for_deletion', customer_phone: '[anonphonenumber]', title: '[anonymized]' });
    expect(by.get(calls[1]!)!.media_state).toBeNull();
    expect(await seedDemoAnonymization(t, tenantId)).toEqual({ skipped: true, anonymized: 0 });
    expect(await t.audit.verifyChain(tenantId)).toMatchObject({ intact: true });
  });
});
