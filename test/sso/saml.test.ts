// SAML 2.0 sign-in against a test IdP on 127.0.0.1 that signs its responses (xml-crypto), both engines: SP metadata,
// a signed assertion signs in (just-in-time, attributes mapped to roles and a group), and each refusal — replayed,
// unsigned, signed with another key, wrong audience, wrong recipient, wrong issuer, expired — comes back to the
// sign-in page with its reason and leaves an audit event; an unreadable certificate is refused when configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../db.ts';
import { createTestApp, type TestContext } from '../helpers/context.ts';
import { makeTenant } from '../helpers/factories.ts';
import type { BuiltApp } from '../../src/app.ts';
import { fails, ok, signIn, type Json } from '../helpers/http.ts';
import { SESSION_COOKIE } from '../../src/auth/tokens.ts';
import { makeKeyPair, startSamlIdp, type Tamper } from './saml-idp.ts';

const BASE = 'http://127.0.0.1:9';
const IDP_ENTITY = 'https://idp.corp.test/saml';
const idpKeys = makeKeyPair('Corp IdP');
const strangerKeys = makeKeyPair('Someone else');

describe.each(ENGINES)('SAML sign-in (%s)', (engine) => {
  let t: TestContext & BuiltApp;
  let idp: Awaited<ReturnType<typeof startSamlIdp>>;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let providerId: string;
  let evaluator: Json;

  /** Start at Earshot → IdP form → POST to the ACS, as a browser does. */
  async function flow(tamper: Tamper = {}) {
    idp.state.tamper = tamper;
    const start = await t.app.inject({ method: 'GET', url: `/api/auth/sso/${providerId}/start?returnTo=/quality` });
    expect(start.statusCode, start.body).toBe(302);
    const html = await (await fetch(String(start.headers.location))).text();
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const fields = Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]!.replace(/&amp;/g, '&')]));
    expect(action.startsWith(BASE)).toBe(true);
    const post = (body: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: action.slice(BASE.length),
        // Posted from the IdP's page: another site.
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'cross-site' },
        payload: new URLSearchParams(body).toString(),
      });
    return { res: await post(fields), again: () => post(fields) };
  }
  const ssoError = (res: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(res.statusCode).toBe(303);
    return new URL(String(res.headers.location), BASE).searchParams.get('sso_error');
  };

  beforeAll(async () => {
    idp = await startSamlIdp({ entityId: IDP_ENTITY, keys: idpKeys });
    idp.state.user = { nameId: 'carol@corp.test', email: 'Carol@Corp.test', name: 'Carol Jones', groups: ['QA', 'All staff'] };
    t = await createTestApp(engine, { EARSHOT_PUBLIC_URL: BASE, EARSHOT_LOGIN_RATE_LIMIT: '100000' });
    tenant = await makeTenant(t);
    admin = await signIn(t.app, tenant.admin);
    evaluator = (ok(await admin.get('/api/roles')).items as Json[]).find((r) => r.builtinKey === 'evaluator')!;
    const p = ok(
      await admin.post('/api/admin/sso/providers', {
        kind: 'saml',
        name: 'Corp SAML',
        saml: { entryPoint: idp.ssoUrl, idpIssuer: IDP_ENTITY, idpCert: idpKeys.cert },
      }),
    );
    providerId = p.id;
    expect(p.saml.acsUrl).toBe(`${BASE}/api/auth/sso/saml/${providerId}/acs`);
    ok(await admin.patch('/api/admin/sso/settings', { jit: true, mappingRules: [{ match: 'qa', roleIds: [evaluator.id], groupId: null }] }));
  });
  afterAll(async () => {
    await t?.cleanup();
    await idp?.stop();
  });

  it('publishes the SP metadata', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/auth/sso/saml/${providerId}/metadata` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/samlmetadata\+xml/);
    expect(res.body).toContain(`entityID="${BASE}/api/auth/sso/saml/${providerId}/metadata"`);
    expect(res.body).toContain(`Location="${BASE}/api/auth/sso/saml/${providerId}/acs"`);
    expect(res.body).toContain('WantAssertionsSigned="true"');
  });

  it('refuses an unreadable certificate when configuring', async () => {
    fails(
      await admin.post('/api/admin/sso/providers', {
        kind: 'saml',
        name: 'X',
        saml: { entryPoint: idp.ssoUrl, idpIssuer: IDP_ENTITY, idpCert: 'not a certificate' },
      }),
      400,
      'VALIDATION_FAILED',
      'SSO_BAD_CERTIFICATE',
    );
  });

  it('signs in with a signed assertion, creating the account with the mapped role', async () => {
    const { res, again } = await flow();
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/quality');
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const me = ok(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${session.value}` } }));
    expect(me).toMatchObject({ email: 'carol@corp.test', name: 'Carol Jones' });
    expect(me.roles.map((r: Json) => r.id)).toEqual([evaluator.id]);
    // The very same response posted again is refused (its request is used up, its assertion id is remembered).
    expect(['SAML_REPLAY', 'SAML_UNSOLICITED']).toContain(ssoError(await again()));
    expect(await t.db.selectFrom('saml_assertions_seen').selectAll().where('provider_id', '=', providerId).execute()).toHaveLength(1);
  });

  const refusals: Array<[string, () => Tamper, string]> = [
    ['unsigned', () => ({ unsigned: true }), 'SAML_SIGNATURE'],
    ['signed with another key (bad certificate)', () => ({ otherKey: strangerKeys }), 'SAML_SIGNATURE'],
    ['for another audience', () => ({ audience: 'https://other-sp.test' }), 'SAML_AUDIENCE'],
    ['for another recipient', () => ({ recipient: 'https://other-sp.test/acs' }), 'SAML_RECIPIENT'],
    ['from another issuer', () => ({ issuer: 'https://evil.test/saml' }), 'SAML_ISSUER'],
    ['expired', () => ({ expired: true }), 'SSO_EXPIRED'],
  ];
  for (const [what, tamper, reason] of refusals) {
    it(`refuses an assertion ${what} (${reason}) and audits it`, async () => {
      const before = await t.db.selectFrom('sessions').select('id').execute();
      const { res } = await flow(tamper());
      expect(ssoError(res)).toBe(reason);
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      expect(await t.db.selectFrom('sessions').select('id').execute()).toHaveLength(before.length);
      const audit = await t.db
        .selectFrom('audit_events')
        .select('details')
        .where('resource_id', '=', providerId)
        .where('action', '=', 'SSO_LOGIN_FAILED')
        .execute();
      expect(audit.some((e) => e.details.includes(`(${reason})`))).toBe(true);
    });
  }
});
