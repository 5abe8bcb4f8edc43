// Quality e-mails: every event renders in English and French with its link (pure), and notifyQuality on both engines
// queues one e-mail per recipient in their language and zone, skipping users who opted out, disabled users and users
// without an address, and never failing the caller.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeUser } from '../../test/helpers/factories.ts';
import { ok, signIn } from '../../test/helpers/http.ts';
import { inTransaction, type Uow } from '../platform/db/uow.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { LANGUAGES } from '../auth/languages.ts';
import { QUALITY_EVENTS, renderQualityMail, type MailFacts } from './notification-emails.ts';
import { notifyQuality, qualityLink } from './notifications.ts';

describe('quality e-mail templates', () => {
  const facts = (event: MailFacts['event'], lang: MailFacts['lang']): MailFacts => ({
    event,
    lang,
    base: 'https://e.example',
    link: qualityLink('https://e.example', { event, evaluationId: 'ev1', calibrationId: 'cal1', conversationId: 'c1', commentId: 'k1' }),
    actorName: 'Ana <Boss>',
    conversationTitle: 'Call with Pat',
    startedAt: '1 Dec 2026, 09:00 (UTC)',
    dueAt: '3 Dec 2026, 17:00 (UTC)',
    scorecardName: 'Basics',
    agentName: 'Alma',
    evaluatorName: 'Eva',
    calibrationName: 'December calibration',
    score: '8 / 10 (80 %)',
    passed: true,
    reason: 'Because <reasons>',
    excerpt: 'Look at 1:02 @Alma',
  });

  // Every event in each of the seven UI languages (issue 14).
  it.each(QUALITY_EVENTS.flatMap((e) => LANGUAGES.map((l) => [e, l] as const)))('%s in %s: subject, text and HTML with the link, escaped', (event, lang) => {
    const m = renderQualityMail(facts(event, lang));
    expect(m.subject).toMatch(/^Earshot: \S/);
    expect(m.subject).toContain(event === 'calibration_assigned' ? 'December calibration' : 'Call with Pat');
    const link = facts(event, lang).link;
    expect(m.text).toContain(link);
    expect(m.html).toContain(`href="${link}"`);
    expect(m.text).toContain('https://e.example/profile/notifications');
    expect(m.html).not.toContain('<Boss>');
    expect(m.html).not.toContain('<reasons>');
    if (lang === 'fr') expect(m.text).toMatch(/Vous recevez cet e-mail/);
    if (lang === 'cs') expect(m.text).toMatch(/Tento e-mail dostáváte/);
    if (lang === 'de') expect(m.text).toMatch(/Sie erhalten diese E-Mail/);
    // Each language says it in its own words: no English sentence left in a translated mail.
    if (lang !== 'en') expect(m.text).not.toMatch(/You receive this e-mail|Open the review|See your result/);
  });

  it('links each event where its reader acts', () => {
    const l = (event: MailFacts['event'], extra = {}) => qualityLink('https://e', { event, evaluationId: 'ev1', ...extra });
    expect(l('evaluation_assigned')).toBe('https://e/quality/evaluations/ev1');
    expect(l('evaluation_submitted')).toBe('https://e/quality/results?evaluation=ev1');
    expect(l('dispute_raised')).toBe('https://e/quality/disputes?evaluation=ev1');
    expect(l('dispute_resolved')).toBe('https://e/quality/results?evaluation=ev1');
    expect(l('calibration_assigned', { evaluationId: undefined, calibrationId: 'k' })).toBe('https://e/quality/calibrations/k');
    expect(l('comment_mention', { evaluationId: undefined, conversationId: 'c1', commentId: 'm1' })).toBe('https://e/conversations/c1?comment=m1');
  });
});

describe.each(ENGINES)('notifyQuality on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let conversationId: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_PUBLIC_URL: 'https://qa.example.com' });
    let ingest;
    ({ tenantId, ingest } = await tenantWithAdmin(t));
    ({ conversationId } = await makeChat(t, ingest, { customerName: 'Pat Doe' }));
  });
  afterAll(() => t?.cleanup());

  const outbox = (kind: string) =>
    t.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).orderBy('to_address').execute();

  it('one e-mail per recipient in their language and zone; opted-out, disabled and address-less users get none', async () => {
    const siteId = newId();
    await t.db
      .insertInto('sites')
      .values({ id: siteId, tenant_id: tenantId, name: 'Paris', time_zone: 'Europe/Paris', created_at: nowIso(), updated_at: nowIso() })
      .execute();
    const en = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Ed English', email: 'ed@example.com' });
    const fr = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Flo French', email: 'flo@example.com' });
    await t.db.updateTable('users').set({ language: 'fr', site_id: siteId }).where('id', '=', fr.id).execute();
    const off = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'off@example.com' });
    ok(await (await signIn(t.app, off)).put('/api/me/notification-preferences', { items: [{ event: 'comment_mention', email: false }] }));
    const disabled = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'gone@example.com' });
    await t.db.updateTable('users').set({ disabled: 1 }).where('id', '=', disabled.id).execute();
    const noAddress = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'sso-user' });

    await inTransaction(t.db, (uow) =>
      notifyQuality(t, uow, {
        event: 'comment_mention',
        tenantId,
        toUserIds: [en.id, fr.id, off.id, disabled.id, noAddress.id, en.id, 'nobody'],
        conversationId,
        commentId: 'k1',
        actorName: 'Ana',
        excerpt: 'Listen at 0:20 @[Flo French](x)',
      }),
    );
    const mails = await outbox('comment_mention');
    expect(mails.map((m) => m.to_address)).toEqual(['ed@example.com', 'flo@example.com']);
    const [toEd, toFlo] = mails;
    expect(toEd!.subject).toBe('Earshot: Ana mentioned you: Support chat with Pat Doe');
    expect(toEd!.body_text).toContain('Listen at 0:20 @Flo French');
    expect(toEd!.body_text).toContain(`https://qa.example.com/conversations/${conversationId}?comment=k1`);
    expect(toEd!.body_text).toMatch(/Started: .*\(UTC\)/);
    expect(toFlo!.subject).toBe('Earshot: Ana vous a mentionné : Support chat with Pat Doe');
    expect(toFlo!.body_text).toMatch(/Début : |Début: /);
    expect(toFlo!.body_text).toContain('(Europe/Paris)');
    expect(toFlo!.body_html).toContain('Préférences de notification');
  });

  it('never fails the caller: a missing evaluation still sends a plain e-mail, an error is only logged', async () => {
    const u = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'solo@example.com' });
    await inTransaction(t.db, (uow) =>
      notifyQuality(t, uow, { event: 'evaluation_assigned', tenantId, toUserIds: [u.id], evaluationId: 'missing', actorName: 'Ana' }),
    );
    expect((await outbox('evaluation_assigned')).map((m) => m.to_address)).toEqual(['solo@example.com']);
    // A caller passing garbage does not throw.
    await expect(inTransaction(t.db, (uow) => notifyQuality(t, uow, { event: 'nope' as never, tenantId, toUserIds: [u.id] }))).resolves.toBeUndefined();
  });

  it('a statement failing inside the notification is rolled back alone: the action still writes and commits (PostgreSQL too)', async () => {
    const u = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'kept@example.com' });
    const enqueue = t.jobs.enqueue;
    // The outbox row is written, then queueing its delivery fails in SQL: on PostgreSQL that aborts the transaction
    // unless the notification ran under its own savepoint.
    t.jobs.enqueue = (async (uow: Uow) => {
      await sql`select * from no_such_table`.execute(uow.tx);
    }) as unknown as typeof t.jobs.enqueue;
    try {
      await inTransaction(t.db, async (uow) => {
        await notifyQuality(t, uow, { event: 'evaluation_assigned', tenantId, toUserIds: [u.id], actorName: 'Ana' });
        await uow.tx.updateTable('users').set({ name: 'Still Written' }).where('id', '=', u.id).execute();
      });
    } finally {
      t.jobs.enqueue = enqueue;
    }
    const row = await t.db.selectFrom('users').select('name').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.name).toBe('Still Written');
    // The failed notification left nothing half-written.
    expect((await outbox('evaluation_assigned')).map((m) => m.to_address)).not.toContain('kept@example.com');
  });
});
