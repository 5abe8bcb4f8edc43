// Outgoing e-mail through HTTP and the job queue, against an in-process SMTP server on 127.0.0.1: the SMTP settings
// (checked, password sealed and never returned or audited in clear), the test e-mail, and outbox delivery with retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeUser } from '../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../test/helpers/http.ts';
import { runJobs } from '../../test/helpers/jobs.ts';
import { startTestSmtp, type TestSmtp } from '../../test/helpers/smtp.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { queueEmail } from './service.ts';
import { openSecret, signLink, verifyLink } from './secrets.ts';

describe.each(ENGINES)('notify (e-mail) on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let smtp: TestSmtp;
  let tenantId: string;
  let admin: Client;
  let adminEmail: string;
  const auth = { user: 'earshot', pass: 'Sm7p-secret!' };

  const configure = (patch: Record<string, unknown> = {}) =>
    admin.patch('/api/settings', {
      smtpHost: '127.0.0.1',
      smtpPort: smtp.port,
      smtpSecurity: 'none',
      smtpUser: auth.user,
      smtpPassword: auth.pass,
      smtpFrom: 'Earshot <earshot@example.com>',
      ...patch,
    });

  beforeAll(async () => {
    smtp = await startTestSmtp({ auth });
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000', EARSHOT_PUBLIC_URL: 'https://earshot.example.com' });
    let adminUser;
    ({ tenantId, admin, adminUser } = await tenantWithAdmin(t));
    adminEmail = adminUser.email;
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  it('without a mail server the test e-mail says so', async () => {
    const s = ok(await admin.get('/api/settings'));
    expect(s).toMatchObject({ smtpHost: '', smtpPort: 587, smtpSecurity: 'starttls', smtpPasswordSet: false });
    const res = ok(await admin.post('/api/settings/email/test', {}));
    expect(res).toMatchObject({ delivered: false, to: adminEmail });
    expect(res.message).toMatch(/No mail server is configured/);
  });

  it('refuses bad SMTP settings and changes nothing', async () => {
    fails(await configure({ smtpHost: 'mail server.example.com' }), 400, 'VALIDATION_FAILED');
    fails(await configure({ smtpPort: 70000 }), 400, 'VALIDATION_FAILED');
    fails(await configure({ smtpSecurity: 'ssl3' }), 400, 'VALIDATION_FAILED');
    fails(await configure({ smtpFrom: 'not an address' }), 400, 'VALIDATION_FAILED');
    fails(await configure({ smtpFrom: '' }), 400, 'VALIDATION_FAILED');
    fails(await admin.patch('/api/settings', { smtpPasswordSet: true }), 400, 'VALIDATION_FAILED');
    expect(ok(await admin.get('/api/settings'))).toMatchObject({ smtpHost: '', smtpPasswordSet: false });
  });

  it('stores the password sealed, never returns it, and audits it only as set or changed', async () => {
    const after = ok(await configure());
    expect(after).toMatchObject({ smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'none', smtpUser: auth.user, smtpPasswordSet: true });
    expect(after).not.toHaveProperty('smtpPassword');
    const got = ok(await admin.get('/api/settings'));
    expect(JSON.stringify(got)).not.toContain(auth.pass);
    expect(got).not.toHaveProperty('smtpPassword');

    const row = await t.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const stored = t.adapter.fromJson<Record<string, string>>(row.settings);
    expect(stored.smtpPassword).toMatch(/^s1\./);
    expect(stored.smtpPassword).not.toContain(auth.pass);
    expect(openSecret(t.keyring, tenantId, 'SMTP password', stored.smtpPassword!)).toBe(auth.pass);
    // Sealed for this tenant only.
    expect(() => openSecret(t.keyring, 'another-tenant', 'SMTP password', stored.smtpPassword!)).toThrow(/could not be decrypted/);

    ok(await admin.patch('/api/settings', { smtpPassword: 'Another-one-2' }));
    ok(await admin.patch('/api/settings', { smtpPassword: auth.pass }));
    const audit = ok(await admin.get(`/api/audit?resourceId=${tenantId}&action=SETTINGS_UPDATE&limit=50`)).items as Json[];
    expect(JSON.stringify(audit)).not.toContain(auth.pass);
    expect(JSON.stringify(audit)).not.toContain('Another-one-2');
    expect(audit.some((e) => (e.changes as Json[]).some((c) => c.field === 'smtpPasswordSet' && c.new === true))).toBe(true);
    expect(audit.some((e) => (e.changes as Json[]).some((c) => c.field === 'smtpPassword' && c.new === '(changed)'))).toBe(true);
  });

  it('sends a test e-mail that arrives in the SMTP server, and audits it', async () => {
    const before = smtp.received.length;
    const res = ok(await admin.post('/api/settings/email/test', {}));
    expect(res).toMatchObject({ delivered: true, to: adminEmail });
    const mails = await smtp.waitFor(before + 1);
    const mail = mails[before]!;
    expect(mail.envelopeTo).toEqual([adminEmail]);
    expect(mail.parsed.subject).toBe('Earshot test e-mail');
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'earshot@example.com', name: 'Earshot' });
    expect(mail.parsed.text).toContain('the mail server settings work');
    const audit = ok(await admin.get(`/api/audit?resourceId=${tenantId}&action=EMAIL_TEST`)).items as Json[];
    expect(audit[0].details).toBe(`Sent a test e-mail to ${adminEmail}`);
    fails(await admin.post('/api/settings/email/test', { to: 'nobody' }), 400, 'VALIDATION_FAILED');
  });

  it("writes the test e-mail in the administrator's language (issue 14)", async () => {
    ok(await admin.patch('/api/me', { language: 'cs' }));
    try {
      const before = smtp.received.length;
      ok(await admin.post('/api/settings/email/test', {}));
      const mail = (await smtp.waitFor(before + 1))[before]!;
      expect(mail.parsed.subject).toBe('Zkušební e-mail Earshot');
      expect(mail.parsed.text).toContain('nastavení poštovního serveru funguje');
    } finally {
      ok(await admin.patch('/api/me', { language: null }));
    }
  });

  it("reports the server's refusal (wrong password) instead of failing the request", async () => {
    ok(await configure({ smtpPassword: 'wrong' }));
    const res = ok(await admin.post('/api/settings/email/test', { to: 'someone@example.com' }));
    expect(res.delivered).toBe(false);
    expect(res.message).toMatch(/auth|Invalid username/i);
    ok(await configure());
  });

  it('with starttls, refuses to send in clear text to a server that offers no TLS', async () => {
    ok(await configure({ smtpSecurity: 'starttls' }));
    const before = smtp.received.length;
    const res = ok(await admin.post('/api/settings/email/test', { to: 'someone@example.com' }));
    expect(res.delivered).toBe(false);
    expect(res.message).toMatch(/STARTTLS/i);
    expect(smtp.received.length).toBe(before);
    ok(await configure());
  });

  it('only settings.manage may send test e-mails or read the outbox', async () => {
    const viewer = await signIn(t.app, await makeUser(t, tenantId, { permissions: ['conversations.view', 'reports.view'] }));
    fails(await viewer.post('/api/settings/email/test', {}), 403, 'FORBIDDEN');
    fails(await viewer.get('/api/settings/email/outbox'), 403, 'FORBIDDEN');
  });

  it('delivers queued e-mail through the job with its headers, and keeps a failed one with its error', async () => {
    const before = smtp.received.length;
    await inTransaction(t.db, (uow) =>
      queueEmail(t, uow, {
        tenantId,
        userId: null,
        kind: 'subscription_alert',
        to: 'supervisor@example.com',
        subject: 'Queued',
        text: 'Body',
        html: '<p>Body</p>',
        headers: { 'List-Unsubscribe': '<https://earshot.example.com/api/unsubscribe?token=x>' },
      }),
    );
    // Nothing leaves before the job runs: the transaction only wrote the outbox row.
    expect(smtp.received.length).toBe(before);
    await runJobs(t);
    const mail = (await smtp.waitFor(before + 1))[before]!;
    expect(mail.parsed.subject).toBe('Queued');
    expect(mail.parsed.html).toContain('<p>Body</p>');
    expect(mail.raw).toMatch(/^List-Unsubscribe: <https:\/\/earshot\.example\.com\/api\/unsubscribe\?token=x>/m);
    const outbox = ok(await admin.get('/api/settings/email/outbox')).items as Json[];
    expect(outbox[0]).toMatchObject({ subject: 'Queued', status: 'sent', attempts: 1, lastError: null });

    // A tenant without a mail server: the e-mail fails at once (retrying cannot help) and says why.
    const other = await tenantWithAdmin(t);
    await inTransaction(t.db, (uow) =>
      queueEmail(t, uow, { tenantId: other.tenantId, userId: null, kind: 'subscription_alert', to: 'x@example.com', subject: 'Nowhere', text: 'x' }),
    );
    await runJobs(t);
    const failed = ok(await other.admin.get('/api/settings/email/outbox')).items as Json[];
    expect(failed[0]).toMatchObject({ subject: 'Nowhere', status: 'failed', attempts: 1 });
    expect(failed[0].lastError).toMatch(/No mail server is configured/);
  });

  it('fails an e-mail at once when the stored password was sealed under a master key this server no longer holds', async () => {
    const other = await tenantWithAdmin(t);
    ok(
      await other.admin.patch('/api/settings', {
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpSecurity: 'none',
        smtpUser: 'u',
        smtpPassword: 'p',
        smtpFrom: 'x@example.com',
      }),
    );
    const row = await t.db.selectFrom('tenants').select('settings').where('id', '=', other.tenantId).executeTakeFirstOrThrow();
    const settings = t.adapter.fromJson<Record<string, string>>(row.settings);
    const [v, , body] = settings.smtpPassword!.split('.');
    await t.db
      .updateTable('tenants')
      .set({ settings: t.adapter.json({ ...settings, smtpPassword: `${v}.0000000000000000.${body}` }) })
      .where('id', '=', other.tenantId)
      .execute();
    await inTransaction(t.db, (uow) =>
      queueEmail(t, uow, { tenantId: other.tenantId, userId: null, kind: 'subscription_alert', to: 'x@example.com', subject: 'Sealed', text: 'x' }),
    );
    await runJobs(t);
    const failed = ok(await other.admin.get('/api/settings/email/outbox')).items as Json[];
    expect(failed[0]).toMatchObject({ subject: 'Sealed', status: 'failed', attempts: 1 });
    expect(failed[0].lastError).toMatch(/master key this server no longer holds; enter it again/);
  });

  it('signs links that verify only unchanged', () => {
    const token = signLink(t.keyring, 'unsubscribe', 'abc-123');
    expect(verifyLink(t.keyring, 'unsubscribe', token)).toBe('abc-123');
    expect(verifyLink(t.keyring, 'other-purpose', token)).toBeNull();
    expect(verifyLink(t.keyring, 'unsubscribe', token.replace('abc-123', 'abc-124'))).toBeNull();
    expect(verifyLink(t.keyring, 'unsubscribe', 'abc-123')).toBeNull();
  });
});
