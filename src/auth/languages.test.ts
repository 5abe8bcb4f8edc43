// Languages by level (issue 14) through the HTTP API on both engines: the organisation's default, a group's (reaching
// its members and subgroups, the nearest group with one winning), a user's own choice over both and "none of my own"
// to follow them again; bad codes refused with 400; group changes audited; and a quality e-mail written in the
// recipient's effective language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { fails, ok, signIn } from '../../test/helpers/http.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { notifyQuality } from '../quality/notifications.ts';
import { inheritedLanguage, LANGUAGES } from './languages.ts';

describe('inherited language', () => {
  const groups = new Map([
    ['root', { id: 'root', parent_id: null, language: 'de' }],
    ['mid', { id: 'mid', parent_id: 'root', language: null }],
    ['leaf', { id: 'leaf', parent_id: 'mid', language: 'cs' }],
    ['loop', { id: 'loop', parent_id: 'loop', language: null }],
  ]);

  it('is the nearest group with one up the tree, else the organisation’s, else English', () => {
    expect(inheritedLanguage('leaf', groups, 'fr')).toBe('cs');
    expect(inheritedLanguage('mid', groups, 'fr')).toBe('de');
    expect(inheritedLanguage(null, groups, 'fr')).toBe('fr');
    expect(inheritedLanguage('loop', groups, 'ru')).toBe('ru');
    expect(inheritedLanguage(null, groups, 'xx')).toBe('en');
    expect(LANGUAGES).toEqual(['en', 'fr', 'es', 'pt-BR', 'de', 'ru', 'cs']);
  });
});

describe.each(ENGINES)('languages by level on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_PUBLIC_URL: 'https://qa.example.com' });
  });
  afterAll(() => t?.cleanup());

  it('user → nearest group → organisation, each level set through the API', async () => {
    const s = await makeTenant(t);
    const admin = await signIn(t.app, s.admin);
    ok(await admin.patch('/api/settings', { language: 'de' }));

    const parent = ok(await admin.post('/api/groups', { name: 'Prague', language: 'cs' }));
    expect(parent.language).toBe('cs');
    const child = ok(await admin.post('/api/groups', { name: 'Prague nights', parentId: parent.id }));
    expect(child.language).toBeNull();

    const agent = await makeUser(t, s.tenantId, { roles: ['agent'], groupId: child.id });
    const loner = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const me = await signIn(t.app, agent);
    // From the parent group, two levels up.
    expect(ok(await me.get('/api/me'))).toMatchObject({ language: 'cs', ownLanguage: null, defaultLanguage: 'cs' });
    // No group: the organisation's.
    expect(ok(await (await signIn(t.app, loner)).get('/api/me'))).toMatchObject({ language: 'de', ownLanguage: null, defaultLanguage: 'de' });

    // The nearer group wins once it has one.
    ok(await admin.patch(`/api/groups/${child.id}`, { language: 'ru' }));
    expect(ok(await me.get('/api/me')).language).toBe('ru');

    // The user's own choice wins; null gives it up again.
    expect(ok(await me.patch('/api/me', { language: 'pt-BR' }))).toMatchObject({ language: 'pt-BR', ownLanguage: 'pt-BR', defaultLanguage: 'ru' });
    expect(ok(await me.patch('/api/me', { language: null }))).toMatchObject({ language: 'ru', ownLanguage: null });

    // An administrator sets or clears a user's own language; the list shows null for "none of their own".
    ok(await admin.patch(`/api/users/${agent.id}`, { language: 'es' }));
    expect(ok(await me.get('/api/me')).language).toBe('es');
    expect(ok(await admin.patch(`/api/users/${agent.id}`, { language: null })).language).toBeNull();

    // Clearing the groups' languages falls back to the organisation's.
    ok(await admin.patch(`/api/groups/${child.id}`, { language: null }));
    ok(await admin.patch(`/api/groups/${parent.id}`, { language: null }));
    expect(ok(await me.get('/api/me')).language).toBe('de');

    const audit = ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: child.id, limit: '10' })}`)).items as Array<{
      action: string;
      changes: Array<{ field: string; old: unknown; new: unknown }>;
    }>;
    expect(audit.filter((e) => e.action === 'GROUP_UPDATE').map((e) => e.changes)).toEqual([
      [{ field: 'language', old: 'ru', new: null }],
      [{ field: 'language', old: null, new: 'ru' }],
    ]);
  });

  it('refuses a language it does not have, at every level, and changes nothing', async () => {
    const s = await makeTenant(t);
    const admin = await signIn(t.app, s.admin);
    const group = ok(await admin.post('/api/groups', { name: 'Vienna', language: 'de' }));
    fails(await admin.post('/api/groups', { name: 'Nowhere', language: 'xx' }), 400, 'VALIDATION_FAILED');
    fails(await admin.patch(`/api/groups/${group.id}`, { language: 'pt' }), 400, 'VALIDATION_FAILED');
    fails(await admin.patch('/api/settings', { language: 'klingon' }), 400, 'VALIDATION_FAILED');
    fails(await admin.patch('/api/me', { language: 'cz' }), 400, 'VALIDATION_FAILED');
    expect(ok(await admin.get('/api/groups')).items.find((g: { id: string }) => g.id === group.id).language).toBe('de');
    expect(ok(await admin.get('/api/groups')).items.map((g: { name: string }) => g.name)).not.toContain('Nowhere');
  });

  it("writes a quality e-mail in the recipient's effective language: their group's Czech, or German by choice", async () => {
    const { tenantId, ingest } = await tenantWithAdmin(t);
    const { conversationId } = await makeChat(t, ingest, { customerName: 'Pat Doe' });
    const group = ok(await signIn(t.app, (await makeTenantAdmin(tenantId))!).then((a) => a.post('/api/groups', { name: 'Brno', language: 'cs' })));
    const cs = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'jana@example.com', groupId: group.id });
    const de = await makeUser(t, tenantId, { roles: ['evaluator'], email: 'karl@example.com', groupId: group.id });
    ok(await (await signIn(t.app, de)).patch('/api/me', { language: 'de' }));

    await inTransaction(t.db, (uow) =>
      notifyQuality(t, uow, { event: 'comment_mention', tenantId, toUserIds: [cs.id, de.id], conversationId, commentId: 'k1', actorName: 'Ana' }),
    );
    const mails = await t.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'comment_mention')
      .orderBy('to_address')
      .execute();
    expect(mails.map((m) => [m.to_address, m.subject])).toEqual([
      ['jana@example.com', 'Earshot: Zmínka od uživatele Ana: Support chat with Pat Doe'],
      ['karl@example.com', 'Earshot: Ana hat Sie erwähnt: Support chat with Pat Doe'],
    ]);
    expect(mails[0]!.body_text).toContain('Ana vás zmínil(a) v komentáři k interakci „Support chat with Pat Doe“.');
    expect(mails[0]!.body_html).toContain('Nastavení oznámení');
    expect(mails[1]!.body_text).toContain('Beginn: ');
  });

  /** An administrator of an existing tenant, to manage its groups. */
  async function makeTenantAdmin(tenantId: string) {
    return makeUser(t, tenantId, { roles: ['admin'] });
  }
});
