// Retention through the HTTP API and the purge job on both engines: a policy with a default and ordered rules (group
// with its subgroups, channel, direction, tag, category; media only or whole conversation; keep forever shadowing the
// default), the dry-run preview (count, oldest, storage, protected ones skipped, nothing changed), the purge deleting
// oldest first in batches and never a protected conversation, the explicit confirmation a delete-everything policy
// needs (when saved and at run time), bad input with stable codes, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import type { Actor } from '../../auth/actor.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { makeCall } from '../deletion/test-helpers.ts';
import { purgeTenant } from './service.ts';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe.each(ENGINES)('retention on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;

  const conv = (id: string) => t.db.selectFrom('conversations').select(['id', 'media_state']).where('id', '=', id).executeTakeFirst();
  const exists = async (id: string) => Boolean(await conv(id));

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('starts with keep-everything and refuses bad policies with stable codes', async () => {
    expect(ok(await admin.get('/api/compliance/retention'))).toMatchObject({ default: { periodDays: null }, rules: [], lastRun: null });
    const put = (body: Json) => admin.put('/api/compliance/retention', body);
    fails(await put({ default: { periodDays: 0, scope: 'conversation' }, rules: [] }), 400, 'VALIDATION_FAILED');
    fails(await put({ default: { periodDays: 30, scope: 'everything' }, rules: [] }), 400, 'VALIDATION_FAILED');
    fails(
      await put({ default: { periodDays: 30, scope: 'media' }, rules: [{ name: 'Empty', periodDays: 5, scope: 'media', conditions: {} }] }),
      400,
      'VALIDATION_FAILED',
      'RULE_WITHOUT_CONDITION',
    );
    fails(
      await put({
        default: { periodDays: 30, scope: 'media' },
        rules: [{ name: 'Ghost', periodDays: 5, scope: 'media', conditions: { groupIds: [newId()] } }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    const twice = { name: 'Same', periodDays: 5, scope: 'media', conditions: { channels: ['chat'] } };
    fails(await put({ default: { periodDays: 30, scope: 'media' }, rules: [twice, twice] }), 400, 'VALIDATION_FAILED', 'DUPLICATE_RULE');
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view'] }));
    fails(await viewer.get('/api/compliance/retention'), 403, 'FORBIDDEN');
  });

  it('previews and purges by the first matching rule, oldest first, never a protected conversation', async () => {
    const sales = await makeGroup(t, tenantId, 'Sales');
    const salesEast = await makeGroup(t, tenantId, 'Sales East', sales);
    await makeUser(t, tenantId, { roles: ['agent'], extension: '3101', groupId: salesEast });
    const vip = ok(await admin.post('/api/tags', { name: 'VIP', color: '#123456' }));
    // Chats (no media): default 60 days, whole conversation.
    const oldChat = (await makeChat(t, ingest, { at: daysAgo(100) })).conversationId;
    const olderChat = (await makeChat(t, ingest, { at: daysAgo(200) })).conversationId;
    const freshChat = (await makeChat(t, ingest, { at: daysAgo(10) })).conversationId;
    // A VIP chat is kept forever (a rule without a period shadows the default).
    const vipChat = (await makeChat(t, ingest, { at: daysAgo(300) })).conversationId;
    ok(await admin.post(`/api/conversations/${vipChat}/tags`, { tagId: vip.id }));
    // A reviewed old chat is protected.
    const reviewedChat = (await makeChat(t, ingest, { at: daysAgo(150) })).conversationId;
    await t.db.updateTable('conversations').set({ reviewed_at: nowIso() }).where('id', '=', reviewedChat).execute();
    // Calls of the Sales group (and its subgroup): media only after 20 days.
    const salesCall = (await makeCall(t, ingest, { at: daysAgo(30), agentExtension: '3101' })).conversationId;
    const freshSalesCall = (await makeCall(t, ingest, { at: daysAgo(5), agentExtension: '3101' })).conversationId;
    await runJobs(t);

    const policy = {
      default: { periodDays: 60, scope: 'conversation' },
      rules: [
        { name: 'VIP kept', periodDays: null, scope: 'conversation', conditions: { tagIds: [vip.id] } },
        { name: 'Sales calls', periodDays: 20, scope: 'media', conditions: { groupIds: [sales], channels: ['call'] } },
      ],
    };
    const preview = ok(await admin.post('/api/compliance/retention/preview', { policy }));
    expect(preview).toMatchObject({ conversations: 3, wholeConversations: 2, mediaOnly: 1, protectedSkipped: 1, deletesEverything: false, exact: true });
    expect(preview.sample.map((s: Json) => s.id)).toEqual([olderChat, oldChat, salesCall]);
    expect(preview.sample[2]).toMatchObject({ scope: 'media', rule: 'rule Sales calls (20 days)' });
    expect(preview.oldestStartedAt).toBe(
      (await t.db.selectFrom('conversations').select('started_at').where('id', '=', olderChat).executeTakeFirstOrThrow()).started_at,
    );
    expect(preview.bytes).toBeGreaterThan(1000);
    // A preview changes nothing.
    expect(await exists(oldChat)).toBe(true);

    const saved = ok(await admin.put('/api/compliance/retention', policy));
    expect(saved.rules.map((r: Json) => r.name)).toEqual(['VIP kept', 'Sales calls']);
    const event = (ok(await admin.get(`/api/audit?resourceId=${tenantId}&limit=50`)).items as Json[]).find((e) => e.action === 'RETENTION_POLICY_UPDATE');
    expect(event.changes[0]).toMatchObject({ field: 'default', old: { periodDays: null }, new: { periodDays: 60, scope: 'conversation' } });

    // The purge, in batches of one to show the order and the batching.
    const result = await purgeTenant(t, tenantId, { batch: 1 });
    expect(result).toEqual({ planned: 3, skippedProtected: 1, blocked: false });
    const planned = await t.db
      .selectFrom('deletions')
      .select(['conversation_id', 'origin', 'scope', 'policy_id'])
      .where('tenant_id', '=', tenantId)
      .orderBy('requested_at')
      .execute();
    expect(planned.map((p) => p.conversation_id)).toEqual([olderChat, oldChat, salesCall]);
    expect(planned.every((p) => p.origin === 'policy' && p.policy_id)).toBe(true);
    await runJobs(t);
    expect(await exists(olderChat)).toBe(false);
    expect(await exists(oldChat)).toBe(false);
    expect(await conv(salesCall)).toMatchObject({ media_state: 'deleted' });
    for (const kept of [freshChat, vipChat, reviewedChat, freshSalesCall]) expect(await conv(kept)).toMatchObject({ media_state: null });
    // Nothing due the second time; the media-deleted call is not planned again.
    expect(await purgeTenant(t, tenantId)).toEqual({ planned: 0, skippedProtected: 1, blocked: false });

    // Run now through the API: a job, audited; the last run shows on the policy.
    const { jobId } = ok(await admin.post('/api/compliance/retention/run', {}), 202);
    expect(jobId).toBeTruthy();
    await runJobs(t);
    expect(ok(await admin.get('/api/compliance/retention')).lastRun).toMatchObject({ status: 'succeeded', planned: 0, skippedProtected: 1 });
  }, 120_000);

  it('needs an explicit confirmation for a policy that deletes everything, when saved and when it runs', async () => {
    const other = await tenantWithAdmin(t);
    const c1 = (await makeChat(t, other.ingest, { at: daysAgo(40) })).conversationId;
    const c2 = (await makeChat(t, other.ingest, { at: daysAgo(50) })).conversationId;
    const all = { default: { periodDays: 30, scope: 'conversation' }, rules: [] };
    const err = fails(await other.admin.put('/api/compliance/retention', all), 409, 'CONFLICT', 'RETENTION_DELETES_ALL');
    expect(err.details).toMatchObject({ conversations: 2 });
    expect(ok(await other.admin.get('/api/compliance/retention')).default.periodDays).toBeNull();
    expect(ok(await other.admin.post('/api/compliance/retention/preview', { policy: all })).deletesEverything).toBe(true);

    // Saved while something was fresh, then everything aged: the run stops and says why.
    const fresh = (await makeChat(t, other.ingest, { at: daysAgo(1) })).conversationId;
    ok(await other.admin.put('/api/compliance/retention', all));
    await t.db
      .updateTable('conversations')
      .set({ started_at: daysAgo(45).toISOString() })
      .where('id', '=', fresh)
      .execute();
    expect(await purgeTenant(t, other.tenantId)).toEqual({ planned: 0, skippedProtected: 0, blocked: true });
    expect(await exists(c1)).toBe(true);
    const blocked = (ok(await other.admin.get(`/api/audit?resourceId=${other.tenantId}&limit=50`)).items as Json[]).map((e) => e.action);
    expect(blocked).toContain('RETENTION_PURGE_BLOCKED');

    // Confirmed: saved with the confirmation (audited) and the purge runs.
    ok(await other.admin.put('/api/compliance/retention', { ...all, confirmDeleteAll: true }));
    expect(ok(await other.admin.get('/api/compliance/retention')).confirmedAllAt).toBeTruthy();
    expect((await purgeTenant(t, other.tenantId)).planned).toBe(3);
    await runJobs(t);
    expect(await exists(c2)).toBe(false);
  }, 60_000);
});
