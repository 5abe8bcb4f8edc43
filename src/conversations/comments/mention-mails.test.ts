// @mentions in conversation comments e-mail the people mentioned (issue 11): once each, only from public comments,
// never the author, again only for people newly mentioned by an edit or when a private comment becomes public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestApp } from '../../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../../test/helpers/conversations.ts';
import { makeUser, type TestUser } from '../../../test/helpers/factories.ts';
import { ok, signIn, type Client } from '../../../test/helpers/http.ts';
import type { Actor } from '../../auth/actor.ts';

describe.each(ENGINES)('mention e-mails on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let tenantId: string;
  let admin: Client;
  let adminUser: TestUser;
  let ingest: Actor;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000', EARSHOT_PUBLIC_URL: 'https://qa.example.com' });
    ({ tenantId, admin, adminUser, ingest } = await tenantWithAdmin(t));
    ann = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Ann Lee' });
    bob = await makeUser(t, tenantId, { roles: ['evaluator'], name: 'Bob Ray' });
  });
  afterAll(() => t?.cleanup());

  const mails = async () =>
    (
      await t.db
        .selectFrom('notification_outbox')
        .select(['to_address', 'subject', 'body_text'])
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'comment_mention')
        .execute()
    ).map((m) => m.to_address);
  const mention = (u: TestUser, name: string) => `@[${name}](${u.id})`;

  it('a public comment e-mails each person mentioned once, not its author, with a link to the comment', async () => {
    const { conversationId } = await makeChat(t, ingest);
    const c = ok(
      await admin.post(`/api/conversations/${conversationId}/comments`, {
        text: `${mention(ann, 'Ann Lee')} and ${mention(ann, 'Ann Lee')} please listen; ${mention(adminUser, 'Me')}`,
      }),
    );
    expect(await mails()).toEqual([ann.email]);
    const row = await t.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'comment_mention')
      .executeTakeFirstOrThrow();
    expect(row.body_text).toContain('@Ann Lee and @Ann Lee please listen');
    expect(row.body_text).toContain(`https://qa.example.com/conversations/${conversationId}?comment=${c.id}`);

    // An edit adding Bob tells Bob only.
    ok(await admin.patch(`/api/conversations/${conversationId}/comments/${c.id}`, { text: `${mention(ann, 'Ann Lee')} ${mention(bob, 'Bob Ray')} listen` }));
    expect((await mails()).sort()).toEqual([ann.email, bob.email].sort());
    // Pinning tells nobody.
    ok(await admin.patch(`/api/conversations/${conversationId}/comments/${c.id}`, { pinned: true }));
    expect(await mails()).toHaveLength(2);
  });

  it('a private comment tells nobody until it is made public', async () => {
    const { conversationId } = await makeChat(t, ingest);
    const before = (await mails()).length;
    const c = ok(await admin.post(`/api/conversations/${conversationId}/comments`, { text: `note for ${mention(bob, 'Bob Ray')}`, visibility: 'private' }));
    expect(await mails()).toHaveLength(before);
    ok(await admin.patch(`/api/conversations/${conversationId}/comments/${c.id}`, { visibility: 'public' }));
    const after = await mails();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1) === bob.email || after.includes(bob.email)).toBe(true);
    // Someone who turned mention e-mails off is not told.
    const annClient = await signIn(t.app, ann);
    ok(await annClient.put('/api/me/notification-preferences', { items: [{ event: 'comment_mention', email: false }] }));
    ok(await admin.post(`/api/conversations/${conversationId}/comments`, { text: `${mention(ann, 'Ann Lee')} fyi` }));
    expect(await mails()).toHaveLength(before + 1);
  });
});
