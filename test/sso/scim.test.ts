// SCIM 2.0 conformance, written from RFC 7643/7644: discovery, create, get, list with filter and paging, replace,
// PATCH (attributes, active: false, group members add/remove), delete, and the error shapes of §3.12 — through the
// real HTTP app on both engines. Deactivation must end the user's sessions and API tokens at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp, type TestContext } from '../helpers/context.ts';
import { PASSWORD, login, makeTenant } from '../helpers/factories.ts';
import type { BuiltApp } from '../../src/app.ts';
import { signIn, ok, type Json } from '../helpers/http.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe.each(ENGINES)('SCIM 2.0 (%s)', (engine) => {
  let t: TestContext & BuiltApp;
  let token: string;
  let tenantId: string;
  let adminCookie: string;
  let admin: Awaited<ReturnType<typeof signIn>>;
  const scim = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, bearer = token) =>
    t.app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: { authorization: `Bearer ${bearer}`, ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
  const scimError = (res: Awaited<ReturnType<typeof scim>>, status: number, scimType?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json();
    expect(body.schemas).toEqual([ERROR]);
    expect(body.status).toBe(String(status));
    if (scimType) expect(body.scimType).toBe(scimType);
    expect(body.detail).toBeTruthy();
    return body;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    const tenant = await makeTenant(t);
    tenantId = tenant.tenantId;
    adminCookie = await login(t.app, tenant.admin);
    admin = await signIn(t.app, tenant.admin);
    const agentRole = (ok(await admin.get('/api/roles')).items as Json[]).find((r) => r.builtinKey === 'agent' || r.name === 'Agent');
    ok(await admin.patch('/api/admin/sso/settings', { defaultRoleIds: [agentRole.id] }));
    token = ok(await admin.post('/api/admin/sso/scim-token')).token;
    expect(token).toMatch(/^esc_/);
  });
  afterAll(() => t?.cleanup());

  it('refuses a request without the tenant token, in the SCIM error shape', async () => {
    scimError(await scim('GET', '/Users', undefined, 'esc_wrong'), 401);
    // A user's session cookie is no SCIM credential.
    const res = await t.app.inject({ method: 'GET', url: '/scim/v2/Users', headers: { cookie: adminCookie } });
    scimError(res, 401);
  });

  it('describes itself (ServiceProviderConfig, ResourceTypes, Schemas)', async () => {
    const spc = ok(await scim('GET', '/ServiceProviderConfig'));
    expect(spc.patch.supported).toBe(true);
    expect(spc.filter.supported).toBe(true);
    expect(spc.bulk.supported).toBe(false);
    const rt = ok(await scim('GET', '/ResourceTypes'));
    expect(rt.Resources.map((r: Json) => r.id).sort()).toEqual(['Group', 'User']);
    const schemas = ok(await scim('GET', '/Schemas'));
    expect(schemas.Resources.map((r: Json) => r.id)).toContain(USER);
    expect(ok(await scim('GET', `/Schemas/${GROUP}`)).name).toBe('Group');
  });

  let userId: string;
  it('creates, reads, lists with a filter and pages users', async () => {
    const res = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'Ada.Lovelace@example.test',
      externalId: 'okta-1',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada.lovelace@example.test', primary: true, type: 'work' }],
      active: true,
    });
    const created = ok(res, 201);
    expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(res.headers.location).toBe(created.meta.location);
    expect(created).toMatchObject({
      userName: 'ada.lovelace@example.test',
      externalId: 'okta-1',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });
    userId = created.id;
    expect(ok(await scim('GET', `/Users/${userId}`)).displayName).toBe('Ada Lovelace');
    // The account exists in Earshot with the tenant's default role and no password.
    const row = await t.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    expect(row.password_hash).toBeNull();

    const found = ok(await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ADA.lovelace@example.test"')}`));
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0].id).toBe(userId);
    expect(ok(await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@example.test"')}`)).totalResults).toBe(0);

    for (const n of [1, 2, 3]) ok(await scim('POST', '/Users', { schemas: [USER], userName: `p${n}@example.test` }), 201);
    const all = ok(await scim('GET', '/Users?count=1000')).totalResults as number;
    const page = ok(await scim('GET', '/Users?startIndex=2&count=2'));
    expect(page).toMatchObject({ totalResults: all, startIndex: 2, itemsPerPage: 2 });
    const first = ok(await scim('GET', '/Users?startIndex=1&count=3'));
    expect(page.Resources[0].id).toBe(first.Resources[1].id);
    expect(ok(await scim('GET', '/Users?count=0')).Resources).toEqual([]);
  });

  it('refuses a bad filter, an unknown attribute, a bad value and a duplicate with RFC 7644 error types', async () => {
    scimError(await scim('GET', `/Users?filter=${encodeURIComponent('userName co "ada"')}`), 400, 'invalidFilter');
    scimError(await scim('GET', `/Users?filter=${encodeURIComponent('title eq "x"')}`), 400, 'invalidFilter');
    scimError(await scim('POST', '/Users', { schemas: [USER], userName: 'x@example.test', favouriteColour: 'blue' }), 400, 'invalidSyntax');
    scimError(await scim('POST', '/Users', { schemas: [USER], userName: 'not-an-email' }), 400, 'invalidValue');
    scimError(await scim('POST', '/Users', { schemas: [USER], userName: 'ada.lovelace@example.test' }), 409, 'uniqueness');
    scimError(await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'shoeSize', value: 42 }] }), 400, 'invalidPath');
    scimError(await scim('PATCH', `/Users/${userId}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }), 400, 'invalidSyntax');
    scimError(await scim('GET', '/Users/does-not-exist'), 404);
    // Nothing was half-written by the refused requests.
    expect(ok(await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "x@example.test"')}`)).totalResults).toBe(0);
    expect(ok(await scim('GET', `/Users/${userId}`)).active).toBe(true);
  });

  it('replaces and patches a user', async () => {
    const put = ok(
      await scim('PUT', `/Users/${userId}`, {
        schemas: [USER],
        userName: 'ada@example.test',
        externalId: 'okta-1',
        name: { givenName: 'Ada', familyName: 'King' },
        active: true,
      }),
    );
    expect(put).toMatchObject({ userName: 'ada@example.test', displayName: 'Ada King' });
    const patched = ok(
      await scim('PATCH', `/Users/${userId}`, {
        schemas: [PATCH],
        Operations: [
          { op: 'replace', path: 'displayName', value: 'Countess Ada' },
          { op: 'Replace', value: { 'name.givenName': 'Augusta' } },
        ],
      }),
    );
    expect(patched).toMatchObject({ displayName: 'Countess Ada', name: { givenName: 'Augusta' } });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('resource_id', '=', userId).execute();
    expect(audit.some((e) => e.action === 'USER_UPDATE' && /through SCIM/.test(e.details))).toBe(true);
  });

  it('deactivation (active: false) ends the sessions and revokes the API tokens at once', async () => {
    // The user gets a password (an admin set it) so it can hold a session and a token to lose.
    ok(await admin.post(`/api/users/${userId}/password`, { newPassword: PASSWORD }), 204);
    const ada = await signIn(t.app, { email: 'ada@example.test', password: PASSWORD });
    const apiToken = ok(await ada.post('/api/me/tokens', { name: 'integration' })).token;
    ok(await ada.get('/api/me'));
    ok(await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: 'False' } }] }));
    expect((await ada.get('/api/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${apiToken}` } })).statusCode).toBe(401);
    const tokens = await t.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', userId).execute();
    expect(tokens.every((x) => x.revoked_at)).toBe(true);
    expect(ok(await scim('GET', `/Users/${userId}`)).active).toBe(false);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ada@example.test', password: PASSWORD } });
    expect(login.statusCode).toBe(403);
    ok(await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] }));
  });

  it('creates groups, patches members in and out, maps them to roles, filters by displayName, deletes', async () => {
    const roles = ok(await admin.get('/api/roles')).items as Json[];
    const evaluator = roles.find((r) => r.builtinKey === 'evaluator' || r.name === 'Evaluator');
    const agent = roles.find((r) => r.builtinKey === 'agent' || r.name === 'Agent');
    ok(await admin.patch('/api/admin/sso/settings', { mappingRules: [{ match: 'QA team', roleIds: [evaluator.id], groupId: null }] }));
    const other = ok(await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "p1@example.test"')}`)).Resources[0].id;

    const g = ok(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'QA team', members: [{ value: other }] }), 201);
    expect(g.members.map((m: Json) => m.value)).toEqual([other]);
    scimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'qa TEAM' }), 409, 'uniqueness');
    scimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'X', members: [{ value: 'ghost' }] }), 400, 'invalidValue');

    ok(await scim('PATCH', `/Groups/${g.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] }));
    let got = ok(await scim('GET', `/Groups/${g.id}`));
    expect(got.members.map((m: Json) => m.value).sort()).toEqual([other, userId].sort());
    // The mapping rule gave the members the evaluator role.
    const rolesOf = async (id: string) => (ok(await admin.get(`/api/users/${id}`)).roles as Json[]).map((r) => r.id);
    expect(await rolesOf(userId)).toEqual([evaluator.id]);
    expect(ok(await scim('GET', `/Users/${userId}`)).groups.map((x: Json) => x.display)).toEqual(['QA team']);

    ok(await scim('PATCH', `/Groups/${g.id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] }));
    got = ok(await scim('GET', `/Groups/${g.id}`));
    expect(got.members.map((m: Json) => m.value)).toEqual([other]);
    // Out of every mapped group: back to the default role.
    expect(await rolesOf(userId)).toEqual([agent.id]);

    ok(await scim('PATCH', `/Groups/${g.id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members', value: [{ value: other }] }] }));
    expect(ok(await scim('GET', `/Groups/${g.id}`)).members).toEqual([]);

    const byName = ok(await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "QA team"')}`));
    expect(byName.totalResults).toBe(1);
    const renamed = ok(await scim('PUT', `/Groups/${g.id}`, { schemas: [GROUP], displayName: 'Quality', members: [{ value: userId }] }));
    expect(renamed.displayName).toBe('Quality');
    ok(await scim('DELETE', `/Groups/${g.id}`), 204);
    scimError(await scim('GET', `/Groups/${g.id}`), 404);
    const audit = await t.db.selectFrom('audit_events').select('action').where('resource_id', '=', g.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['DIRECTORY_GROUP_CREATE', 'DIRECTORY_GROUP_UPDATE', 'DIRECTORY_GROUP_DELETE']));
  });

  it('deletes a user', async () => {
    const u = ok(await scim('POST', '/Users', { schemas: [USER], userName: 'gone@example.test' }), 201);
    ok(await scim('DELETE', `/Users/${u.id}`), 204);
    scimError(await scim('GET', `/Users/${u.id}`), 404);
  });

  it('a rotated token replaces the old one at once; only its hash is stored', async () => {
    const old = token;
    token = ok(await admin.post('/api/admin/sso/scim-token')).token;
    scimError(await scim('GET', '/Users', undefined, old), 401);
    ok(await scim('GET', '/Users'));
    const row = await t.db.selectFrom('scim_tokens').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
  });
});
