// Chat and e-mail text through the conversation API: users without media.play_unredacted read placeholders
// ([CARD], [EMAIL]…) for the tenant's PII types and get no e-mail HTML; users with it read the original. On both
// databases, and the redactText function on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp } from '../helpers/context.ts';
import { login, makeUser } from '../helpers/factories.ts';
import { makeChat, tenantWithAdmin } from '../helpers/conversations.ts';
import { buildEml } from '../../src/conversations/email/fixtures.ts';
import { redactText } from '../../src/speech/redaction/text.ts';
import { PII_TYPES } from '../../src/speech/model.ts';

const CHAT = 'My card is 4111 1111 1111 1111, exp 04/27, cvv 123. Reach me at (212) 555-0147 or jane.doe@example.com';

describe('redactText', () => {
  it('replaces each span by its placeholder and keeps the punctuation around it', () => {
    expect(redactText(CHAT, PII_TYPES)).toBe('My card is [CARD], exp [EXPIRY], cvv [CVV]. Reach me at [PHONE] or [EMAIL]');
    expect(redactText('I live at 42 West 5th Street, Austin, TX 78701 – DOB 03/04/1982, SSN 123-45-6789.', PII_TYPES)).toBe(
      'I live at [ADDRESS] – DOB [DOB], SSN [ID].',
    );
    expect(redactText('Card:4111111111111111', PII_TYPES)).toBe('Card:[CARD]');
    expect(redactText('The late fee was 45 dollars on March 3.', PII_TYPES)).toBe('The late fee was 45 dollars on March 3.');
    expect(redactText(CHAT, ['email'])).toBe('My card is 4111 1111 1111 1111, exp 04/27, cvv 123. Reach me at (212) 555-0147 or [EMAIL]');
    expect(redactText(CHAT, [])).toBe(CHAT);
  });
});

describe.each(ENGINES)('chat and e-mail redaction on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenant: Awaited<ReturnType<typeof tenantWithAdmin>>;
  let redacted: string;
  let unredacted: string;
  let admin: string;
  let chatId: string;
  let emailId: string;
  const detail = async (id: string, cookie: string) => (await t.app.inject({ url: `/api/conversations/${id}`, headers: { cookie } })).json();

  beforeAll(async () => {
    t = await createTestApp(engine);
    tenant = await tenantWithAdmin(t);
    admin = await login(t.app, tenant.adminUser);
    redacted = await login(t.app, await makeUser(t, tenant.tenantId, { permissions: ['conversations.view', 'media.play_redacted'] }));
    unredacted = await login(t.app, await makeUser(t, tenant.tenantId, { permissions: ['conversations.view', 'media.play_unredacted'] }));
    chatId = (await makeChat(t, tenant.ingest, { text: CHAT })).conversationId;
    const eml = buildEml({
      from: 'jamie@example.com',
      to: 'support@acme.test',
      subject: 'Card 4111 1111 1111 1111',
      date: new Date('2026-11-04T09:00:00Z'),
      messageId: 'pii@x.test',
      text: 'Please call me back on (212) 555-0147.',
      html: '<p>Please call me back on <b>(212) 555-0147</b>.</p>',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/emails',
      headers: { cookie: admin, 'content-type': 'message/rfc822' },
      payload: Buffer.from(eml),
    });
    expect(res.statusCode, res.body).toBe(200);
    emailId = res.json().items[0].conversationId;
  }, 60_000);
  afterAll(() => t.cleanup());

  it('shows chat messages with placeholders to users without play_unredacted, the original to users with it', async () => {
    const r = await detail(chatId, redacted);
    expect(r.segments[0].messages[0].text).toBe('My card is [CARD], exp [EXPIRY], cvv [CVV]. Reach me at [PHONE] or [EMAIL]');
    expect(r.segments[0].messages[1].text).toBe('Sorry to hear that, let me check.');
    expect((await detail(chatId, unredacted)).segments[0].messages[0].text).toBe(CHAT);
  });

  it('redacts the e-mail subject and body and withholds its HTML', async () => {
    const r = (await detail(emailId, redacted)).segments[0].email;
    expect(r.subject).toBe('Card [CARD]');
    expect(r.text).toContain('Please call me back on [PHONE].');
    expect(r.text).not.toContain('555');
    expect(r.html).toBeNull();
    const u = (await detail(emailId, unredacted)).segments[0].email;
    expect(u.subject).toBe('Card 4111 1111 1111 1111');
    expect(u.html).toContain('555-0147');
  });

  it("follows the tenant's PII types", async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: admin }, payload: { piiTypes: ['email'] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await detail(chatId, redacted)).segments[0].messages[0].text).toBe(
      'My card is 4111 1111 1111 1111, exp 04/27, cvv 123. Reach me at (212) 555-0147 or [EMAIL]',
    );
    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: admin }, payload: { piiTypes: [] } });
    expect((await detail(chatId, redacted)).segments[0].messages[0].text).toBe(CHAT);
  });
});
