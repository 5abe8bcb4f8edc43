// The user's own preferences (issue 16): the time display ("site" or "mine") and the language, set from the user menu
// or picked on the sign-in page, saved on the profile and audited; and the zone each conversation's times are read
// in, which the list shows so its times agree with the time-of-day filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestApp } from '../../test/helpers/context.ts';
import { makeChat, tenantWithAdmin } from '../../test/helpers/conversations.ts';
import { makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { client, fails, ok, signIn } from '../../test/helpers/http.ts';
import { SESSION_COOKIE } from './tokens.ts';

describe.each(ENGINES)('own preferences on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
  });
  afterAll(() => t?.cleanup());

  const auditOf = async (admin: ReturnType<typeof client>, userId: string) =>
    ok(await admin.get(`/api/audit?${new URLSearchParams({ resourceId: userId, action: 'USER_UPDATE', limit: '50' })}`)).items as Array<{
      changes: Array<{ field: string; old: unknown; new: unknown }>;
    }>;

  it("shows times in the site's zone by default; the user switches to their own zone and back, audited", async () => {
    const s = await makeTenant(t);
    const admin = await signIn(t.app, s.admin);
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const me = await signIn(t.app, u);
    expect(ok(await me.get('/api/me')).timeDisplay).toBe('site');

    expect(ok(await me.patch('/api/me', { timeDisplay: 'mine' })).timeDisplay).toBe('mine');
    expect(ok(await me.get('/api/me')).timeDisplay).toBe('mine');
    fails(await me.patch('/api/me', { timeDisplay: 'browser' }), 400, 'VALIDATION_FAILED');
    expect(ok(await me.get('/api/me')).timeDisplay).toBe('mine');
    // The same value again changes nothing and writes no event.
    ok(await me.patch('/api/me', { timeDisplay: 'mine' }));
    ok(await me.patch('/api/me', { timeDisplay: 'site' }));

    const events = await auditOf(admin, u.id);
    expect(events.map((e) => e.changes)).toEqual([[{ field: 'timeDisplay', old: 'mine', new: 'site' }], [{ field: 'timeDisplay', old: 'site', new: 'mine' }]]);
  });

  it('saves the language picked on the sign-in page on the profile, audited; without one the profile keeps its own', async () => {
    const s = await makeTenant(t);
    const admin = await signIn(t.app, s.admin);
    const u = await makeUser(t, s.tenantId, { roles: ['agent'] });
    const signInWith = (language?: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password, ...(language ? { language } : {}) } });

    expect(ok(await signInWith('fr')).user.language).toBe('fr');
    expect(ok(await signInWith()).user.language).toBe('fr');
    const cookie = (await signInWith()).cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(ok(await client(t.app, `${cookie.name}=${cookie.value}`).get('/api/me')).language).toBe('fr');
    fails(await signInWith('xx'), 400, 'VALIDATION_FAILED');
    expect(ok(await signInWith('en')).user.language).toBe('en');

    const events = await auditOf(admin, u.id);
    // A new user has no language of their own (null): they read their organisation's until they pick one.
    expect(events.map((e) => e.changes)).toEqual([[{ field: 'language', old: 'fr', new: 'en' }], [{ field: 'language', old: null, new: 'fr' }]]);
  });

  it("gives each listed conversation its site's zone (UTC without a site), the zone the time-of-day filter reads it in", async () => {
    const { tenantId, admin, ingest } = await tenantWithAdmin(t);
    const paris = ok(await admin.post('/api/sites', { name: 'Paris', timeZone: 'Europe/Paris' }));
    const agent = await makeUser(t, tenantId, { roles: ['agent'], extension: '4101' });
    ok(await admin.patch(`/api/users/${agent.id}`, { siteId: paris.id }));
    // 06:39 UTC is 07:39 in Paris (winter).
    const at = new Date('2026-01-14T06:39:00.000Z');
    const inParis = await makeChat(t, ingest, { agentExtension: '4101', at, customerName: 'Zoe Zone' });
    const nowhere = await makeChat(t, ingest, { agentExtension: '9999', at, customerName: 'Nils Nowhere' });

    const all = ok(await admin.post('/api/conversations/search', { period: null })).items as Array<{ id: string; timeZone: string }>;
    const zoneOf = (id: string) => all.find((c) => c.id === id)?.timeZone;
    expect(zoneOf(inParis.conversationId)).toBe('Europe/Paris');
    expect(zoneOf(nowhere.conversationId)).toBe('UTC');

    // What the list shows at 07:39 (Paris) is what 07:00–08:00 finds; the UTC one (06:39) is not found.
    const morning = ok(await admin.post('/api/conversations/search', { period: null, timeOfDay: { from: '07:00', to: '08:00' } })).items as Array<{
      id: string;
    }>;
    expect(morning.map((c) => c.id)).toEqual([inParis.conversationId]);
    const detail = ok(await admin.get(`/api/conversations/${inParis.conversationId}`));
    expect(detail.timeZone).toBe('Europe/Paris');
  });
});
