// Indicator subscriptions through HTTP, the job queue and an in-process SMTP server on 127.0.0.1: who may subscribe to
// what, continuous alerts (once per interaction, only to subscribers who may see it, only for the keywords followed),
// daily digests with counts, and the signed unsubscribe link that works without logging in.
// Mentions are written as the indicator analyser stores them (the pinned indicator_mentions columns), so these tests
// check what subscriptions do with mentions, whatever found them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeGroup, makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../../test/helpers/http.ts';
import { runJobs } from '../../../test/helpers/jobs.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/helpers/smtp.ts';
import type { Actor } from '../../auth/actor.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { notifyMentions, sendDueDigests, unsubscribeToken } from './service.ts';

describe.each(ENGINES)('indicator subscriptions on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let smtp: TestSmtp;
  let tenantId: string;
  let admin: Client;
  let ingest: Actor;
  let supervisorUser: TestUser;
  let supervisor: Client;
  let outsiderUser: TestUser;
  let outsider: Client;
  let churn: { id: string; cancel: string; competitor: string };
  let praise: { id: string; thanks: string };

  async function makeIndicator(name: string, keywords: string[], tenant = tenantId) {
    const now = nowIso();
    const categoryId = newId();
    await t.db
      .insertInto('indicator_categories')
      .values({ id: categoryId, tenant_id: tenant, name: `Cat ${name}`, position: 0, created_at: now, updated_at: now })
      .execute();
    const id = newId();
    await t.db
      .insertInto('indicators')
      .values({ id, tenant_id: tenant, category_id: categoryId, name, speaker: 'both', builtin_key: null, created_at: now, updated_at: now })
      .execute();
    const ids = keywords.map(() => newId());
    await t.db
      .insertInto('indicator_keywords')
      .values(keywords.map((text, i) => ({ id: ids[i]!, tenant_id: tenant, indicator_id: id, text })))
      .execute();
    return { id, keywordIds: ids };
  }

  async function mention(conversationId: string, indicatorId: string, keywordId: string, startedAt?: string) {
    const c = await t.db.selectFrom('conversations').select(['started_at', 'tenant_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    await t.db
      .insertInto('indicator_mentions')
      .values({
        id: newId(),
        tenant_id: c.tenant_id,
        conversation_id: conversationId,
        indicator_id: indicatorId,
        keyword_id: keywordId,
        line_id: newId(),
        role: 'customer',
        start_ms: 12_000,
        range_start: 0,
        range_end: 6,
        started_at: startedAt ?? c.started_at,
        created_at: nowIso(),
      })
      .execute();
  }

  /** What the insights job does after storing mentions: the subscriptions analyser, in the same transaction. */
  const analysed = (conversationId: string) => inTransaction(t.db, ({ tx }) => notifyMentions(t, tx, { tenantId, conversationId }));

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000', EARSHOT_PUBLIC_URL: 'https://earshot.example.com' });
    ({ tenantId, admin, ingest } = await tenantWithAdmin(t));
    ok(await admin.patch('/api/settings', { smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'none', smtpFrom: 'earshot@example.com' }));
    const groupA = await makeGroup(t, tenantId, 'Support A');
    const groupB = await makeGroup(t, tenantId, 'Support B');
    await makeUser(t, tenantId, { roles: ['agent'], extension: '3001', groupId: groupA, name: 'Agent A' });
    supervisorUser = await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupA, name: 'Sam Supervisor' });
    supervisor = await signIn(t.app, supervisorUser);
    outsiderUser = await makeUser(t, tenantId, { roles: ['cc_manager'], groupId: groupB, name: 'Olga Outside' });
    outsider = await signIn(t.app, outsiderUser);
    const c = await makeIndicator(`Churn ${newId().slice(-6)}`, ['cancel my account', 'competitor']);
    churn = { id: c.id, cancel: c.keywordIds[0]!, competitor: c.keywordIds[1]! };
    // A phrase the test chats never say: the mentions below are the only ones, whether or not insights analyse chats here.
    const p = await makeIndicator(`Praise ${newId().slice(-6)}`, ['splendid service']);
    praise = { id: p.id, thanks: p.keywordIds[0]! };
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  describe('managing subscriptions', () => {
    it('creates, lists, changes and deletes my own subscriptions, audited', async () => {
      const s = ok(await supervisor.post('/api/insights/subscriptions', { indicatorId: praise.id, frequency: 'weekly' }));
      expect(s).toMatchObject({ indicatorId: praise.id, keywordIds: null, keywords: [{ id: praise.thanks, text: 'splendid service' }], frequency: 'weekly' });
      expect(Date.parse(s.nextDueAt)).toBeGreaterThan(Date.now());
      expect(new Date(s.nextDueAt).getUTCDay()).toBe(1); // Monday, an hour after midnight UTC
      expect(ok(await supervisor.get('/api/insights/subscriptions')).items.map((x: Json) => x.id)).toEqual([s.id]);
      fails(await supervisor.post('/api/insights/subscriptions', { indicatorId: praise.id, frequency: 'daily' }), 409, 'ALREADY_EXISTS');

      const changed = ok(await supervisor.patch(`/api/insights/subscriptions/${s.id}`, { frequency: 'continuous' }));
      expect(changed).toMatchObject({ frequency: 'continuous', nextDueAt: null });
      // Someone else's subscription looks absent.
      fails(await outsider.patch(`/api/insights/subscriptions/${s.id}`, { frequency: 'daily' }), 404, 'NOT_FOUND');
      fails(await outsider.del(`/api/insights/subscriptions/${s.id}`), 404, 'NOT_FOUND');
      expect(ok(await outsider.get('/api/insights/subscriptions')).items).toEqual([]);

      ok(await supervisor.del(`/api/insights/subscriptions/${s.id}`), 204);
      expect(ok(await supervisor.get('/api/insights/subscriptions')).items).toEqual([]);
      const audit = ok(await admin.get(`/api/audit?resourceId=${s.id}&limit=10`)).items as Json[];
      expect(audit.map((e) => e.action).sort()).toEqual(['SUBSCRIPTION_CREATE', 'SUBSCRIPTION_DELETE', 'SUBSCRIPTION_UPDATE']);
    });

    it('refuses an indicator of another tenant (404), a keyword of another indicator (400) and bad frequencies (400)', async () => {
      const other = await tenantWithAdmin(t);
      const foreign = await makeIndicator('Foreign', ['hello'], other.tenantId);
      fails(await supervisor.post('/api/insights/subscriptions', { indicatorId: foreign.id, frequency: 'daily' }), 404, 'NOT_FOUND');
      fails(await supervisor.post('/api/insights/subscriptions', { indicatorId: newId(), frequency: 'daily' }), 404, 'NOT_FOUND');
      fails(
        await supervisor.post('/api/insights/subscriptions', { indicatorId: churn.id, keywordIds: [praise.thanks], frequency: 'daily' }),
        400,
        'VALIDATION_FAILED',
      );
      fails(await supervisor.post('/api/insights/subscriptions', { indicatorId: churn.id, frequency: 'hourly' }), 400, 'VALIDATION_FAILED');
      fails(await supervisor.post('/api/insights/subscriptions', { indicatorId: churn.id, keywordIds: [], frequency: 'daily' }), 400, 'VALIDATION_FAILED');
      expect(ok(await supervisor.get('/api/insights/subscriptions')).items).toEqual([]);
    });

    it('needs a conversation view permission', async () => {
      const nobody = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['reports.view'] }));
      fails(await nobody.get('/api/insights/subscriptions'), 403, 'FORBIDDEN');
      fails(await nobody.post('/api/insights/subscriptions', { indicatorId: churn.id, frequency: 'daily' }), 403, 'FORBIDDEN');
    });
  });

  describe('continuous alerts', () => {
    let mine: Json;
    let theirs: Json;
    let subset: Json;

    beforeAll(async () => {
      mine = ok(await supervisor.post('/api/insights/subscriptions', { indicatorId: churn.id, frequency: 'continuous' }));
      theirs = ok(await outsider.post('/api/insights/subscriptions', { indicatorId: churn.id, frequency: 'continuous' }));
      const admin2 = await makeUser(t, tenantId, { roles: ['admin'], name: 'Ada Admin' });
      subset = ok(
        await (
          await signIn(t.app, admin2)
        ).post('/api/insights/subscriptions', { indicatorId: churn.id, keywordIds: [churn.competitor], frequency: 'continuous' }),
      );
    });

    it('e-mails a subscriber who may see the interaction, once, with a link to it and an unsubscribe link', async () => {
      const before = smtp.received.length;
      const { conversationId } = await makeChat(t, ingest, { agentExtension: '3001', text: 'I want to cancel my account today.' });
      // The ingest pipeline first (where insights analyse chats, they find the same mention), then the mention as stored.
      await runJobs(t);
      await mention(conversationId, churn.id, churn.cancel);
      await analysed(conversationId);
      await runJobs(t);
      const mails = (await smtp.waitFor(before + 1)).slice(before);
      // Group B's supervisor cannot see group A's chat; the admin follows only "competitor".
      expect(mails.map((m) => m.envelopeTo[0])).toEqual([supervisorUser.email]);
      const mail = mails[0]!;
      expect(mail.parsed.subject).toContain('Churn');
      expect(mail.parsed.text).toMatch(/"cancel my account" said by the customer at \d+:\d\d/);
      expect(mail.parsed.text).toContain(`https://earshot.example.com/conversations/${conversationId}?tab=analytics`);
      expect(mail.parsed.text).toMatch(/Unsubscribe: https:\/\/earshot\.example\.com\/api\/insights\/subscriptions\/unsubscribe\?token=/);
      expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

      // Analysed again (an indicator changed): no second e-mail.
      await analysed(conversationId);
      await runJobs(t);
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received.length).toBe(before + 1);
      expect(theirs.id).toBeTruthy();
      expect(mine.id).toBeTruthy();
    });

    it('follows only the chosen keywords', async () => {
      const before = smtp.received.length;
      const { conversationId } = await makeChat(t, ingest, { agentExtension: '3001', text: 'Your competitor is cheaper.' });
      await runJobs(t);
      await mention(conversationId, churn.id, churn.competitor);
      await analysed(conversationId);
      await runJobs(t);
      const mails = (await smtp.waitFor(before + 2)).slice(before);
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received.length).toBe(before + 2);
      expect(mails.some((m) => m.parsed.text?.includes('"competitor" said by the customer'))).toBe(true);
      const rows = await t.db.selectFrom('subscription_deliveries').select('subscription_id').where('conversation_id', '=', conversationId).execute();
      expect(rows.map((r) => r.subscription_id).sort()).toEqual([mine.id, subset.id].sort());
    });

    it('queues nothing for a conversation nobody follows', async () => {
      const { conversationId } = await makeChat(t, ingest, { agentExtension: '3001', text: 'Nothing to see.' });
      await runJobs(t);
      await analysed(conversationId);
      const queued = await t.db.selectFrom('jobs').select('id').where('type', '=', 'insights.subscription_alert').where('status', '=', 'queued').execute();
      expect(queued).toEqual([]);
    });
  });

  describe('digests', () => {
    it('sends a daily digest with counts per keyword and links, then waits for the next period', async () => {
      const s = ok(await supervisor.post('/api/insights/subscriptions', { indicatorId: praise.id, frequency: 'daily' }));
      const now = new Date();
      const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const yesterday = new Date(today.getTime() - 86_400_000);
      // As if subscribed yesterday: yesterday's digest is due.
      await t.db
        .updateTable('indicator_subscriptions')
        .set({ period_end: yesterday.toISOString(), next_due_at: new Date(today.getTime() + 3_600_000).toISOString() })
        .where('id', '=', s.id)
        .execute();
      const at = (h: number) => new Date(yesterday.getTime() + h * 3_600_000);
      const c1 = await makeChat(t, ingest, { agentExtension: '3001', at: at(9) });
      const c2 = await makeChat(t, ingest, { agentExtension: '3001', at: at(15) });
      const cToday = await makeChat(t, ingest, { agentExtension: '3001', at: new Date(today.getTime() + 60_000) });
      await runJobs(t);
      await mention(c1.conversationId, praise.id, praise.thanks);
      await mention(c1.conversationId, praise.id, praise.thanks);
      await mention(c2.conversationId, praise.id, praise.thanks);
      await mention(cToday.conversationId, praise.id, praise.thanks);

      const before = smtp.received.length;
      const sendAt = new Date(today.getTime() + 2 * 3_600_000);
      expect(await sendDueDigests(t, sendAt)).toMatchObject({ sent: 1 });
      await runJobs(t);
      const mail = (await smtp.waitFor(before + 1))[before]!;
      expect(mail.envelopeTo).toEqual([supervisorUser.email]);
      expect(mail.parsed.subject).toContain('in 2 interactions (daily');
      expect(mail.parsed.text).toContain('Interactions with a mention: 2 of 2 (100.0 %)');
      expect(mail.parsed.text).toContain('Mentions: 3');
      expect(mail.parsed.text).toContain('splendid service: 3 mentions in 2 interactions');
      expect(mail.parsed.text).toContain(`/conversations/${c1.conversationId}?tab=analytics`);
      expect(mail.parsed.text).not.toContain(cToday.conversationId);
      expect(mail.parsed.text).toContain(
        `/reports?report=indicator-mentions&indicatorId=${praise.id}&from=${yesterday.toISOString().slice(0, 10)}&to=${yesterday.toISOString().slice(0, 10)}`,
      );

      const row = await t.db.selectFrom('indicator_subscriptions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
      expect(row.period_end).toBe(today.toISOString());
      expect(row.next_due_at).toBe(new Date(today.getTime() + 86_400_000 + 3_600_000).toISOString());
      // Not due again until tomorrow.
      expect(await sendDueDigests(t, sendAt)).toMatchObject({ sent: 0 });
    });
  });

  describe('digests on the subscriber site calendar', () => {
    it("cut a daily digest at the midnight of the subscriber's site zone and write its times there", async () => {
      // A tenant of its own: its site is the fallback zone of every subscriber without a site.
      const other = await tenantWithAdmin(t);
      ok(await other.admin.patch('/api/settings', { smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'none', smtpFrom: 'earshot@example.com' }));
      const site = ok(await other.admin.post('/api/sites', { name: 'Auckland', timeZone: 'Pacific/Auckland' }));
      await t.db.updateTable('users').set({ site_id: site.id }).where('id', '=', other.adminUser.id).execute();
      await makeUser(t, other.tenantId, { roles: ['agent'], extension: '5001', name: 'Agent NZ' });
      const p = await makeIndicator(`Praise NZ ${newId().slice(-6)}`, ['splendid service'], other.tenantId);

      const s = ok(await other.admin.post('/api/insights/subscriptions', { indicatorId: p.id, frequency: 'daily' }));
      const auckland = new Intl.DateTimeFormat('en-GB', { timeZone: 'Pacific/Auckland', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect(auckland.format(new Date(s.nextDueAt))).toBe('01:00'); // a grace hour after Auckland's midnight

      // 20 November in Auckland (UTC+13) runs from 11:00 UTC on the 19th to 11:00 UTC on the 20th.
      await t.db
        .updateTable('indicator_subscriptions')
        .set({ period_end: '2026-11-19T11:00:00.000Z', next_due_at: '2026-11-20T12:00:00.000Z' })
        .where('id', '=', s.id)
        .execute();
      const inside = await makeChat(t, other.ingest, { agentExtension: '5001', at: new Date('2026-11-19T12:00:00Z') }); // 01:00 on the 20th there
      const after = await makeChat(t, other.ingest, { agentExtension: '5001', at: new Date('2026-11-20T12:00:00Z') }); // 01:00 on the 21st there
      await runJobs(t);
      await mention(inside.conversationId, p.id, p.keywordIds[0]!);
      await mention(after.conversationId, p.id, p.keywordIds[0]!);

      const before = smtp.received.length;
      expect(await sendDueDigests(t, new Date('2026-11-20T12:30:00Z'))).toMatchObject({ sent: 1 });
      await runJobs(t);
      const mail = (await smtp.waitFor(before + 1)).slice(before).find((m) => m.envelopeTo.includes(other.adminUser.email))!;
      expect(mail.parsed.subject).toContain('in 1 interaction (daily, 2026-11-20)');
      expect(mail.parsed.text).toContain('Period: 2026-11-20 00:00 Pacific/Auckland – 2026-11-21 00:00 Pacific/Auckland');
      expect(mail.parsed.text).toContain('2026-11-20 01:00 Pacific/Auckland');
      expect(mail.parsed.text).toContain(inside.conversationId);
      expect(mail.parsed.text).not.toContain(after.conversationId);
      expect(mail.parsed.text).toContain(`&from=2026-11-20&to=2026-11-20`);
      const row = await t.db.selectFrom('indicator_subscriptions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
      expect(row.period_end).toBe('2026-11-20T11:00:00.000Z');
      expect(row.next_due_at).toBe('2026-11-21T12:00:00.000Z');
    });
  });

  describe('end to end', () => {
    it('an indicator made in the API, a chat that says it, the insights pipeline: the alert arrives in the SMTP server', async () => {
      const category = ok(await admin.post('/api/insights/categories', { name: `E2E ${newId().slice(-6)}` }));
      const indicator = ok(
        await admin.post('/api/insights/indicators', {
          categoryId: category.id,
          name: `Refund ${newId().slice(-6)}`,
          speaker: 'customer',
          keywords: ['full refund'],
        }),
      );
      await runJobs(t); // the indicator's re-analysis of history: no alert for what came before the subscription
      ok(await supervisor.post('/api/insights/subscriptions', { indicatorId: indicator.id, frequency: 'continuous' }));
      const before = smtp.received.length;
      const { conversationId } = await makeChat(t, ingest, { agentExtension: '3001', text: 'I would like a full refund for this month please.' });
      await runJobs(t);
      const insights = await t.db.selectFrom('conversation_insights').select('status').where('conversation_id', '=', conversationId).executeTakeFirst();
      // Where chats are not analysed (no insights job), there is nothing to alert about: say so rather than pass.
      expect(insights?.status, 'the insights pipeline analyses chats').toBe('done');
      const mail = (await smtp.waitFor(before + 1)).slice(before).find((m) => m.parsed.text?.includes(conversationId));
      expect(mail?.envelopeTo).toEqual([supervisorUser.email]);
      expect(mail?.parsed.text).toContain('"full refund" said by the customer');
    });
  });

  describe('unsubscribe link', () => {
    it('shows a confirmation page on GET, unsubscribes on POST without a login, and refuses a forged token', async () => {
      const ind = await makeIndicator(`Legal ${newId().slice(-6)}`, ['lawyer']);
      const s = ok(await supervisor.post('/api/insights/subscriptions', { indicatorId: ind.id, frequency: 'monthly' }));
      const token = unsubscribeToken(t, s.id);
      const url = `/api/insights/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`;

      const page = await t.app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('<form method="post"');
      expect(ok(await supervisor.get('/api/insights/subscriptions')).items.map((x: Json) => x.id)).toContain(s.id);

      // One-click from a mail client: a form POST, no cookie, no Origin.
      const done = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('Unsubscribed');
      expect(ok(await supervisor.get('/api/insights/subscriptions')).items.map((x: Json) => x.id)).not.toContain(s.id);
      const again = await t.app.inject({ method: 'POST', url });
      expect(again.body).toContain('Already unsubscribed');

      const forged = await t.app.inject({ method: 'POST', url: `/api/insights/subscriptions/unsubscribe?token=${encodeURIComponent(`${s.id}.AAAA`)}` });
      expect(forged.statusCode).toBe(400);
      const audit = ok(await admin.get(`/api/audit?resourceId=${s.id}&action=SUBSCRIPTION_DELETE`)).items as Json[];
      expect(audit[0]).toMatchObject({ initiatorId: supervisorUser.id });
      expect(audit[0].details).toContain('with the link in an e-mail');
    });
  });
});
