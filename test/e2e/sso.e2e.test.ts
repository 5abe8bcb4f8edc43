// Single sign-on end to end in Debian Chromium: the organisation's OpenID Connect provider (a real oidc-provider on
// 127.0.0.1) is configured through the API, the sign-in page shows its button, and the browser signs in through the
// provider's own login and consent screens and lands in Earshot as the user the provider vouched for.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { startOidcProvider } from '../sso/oidc-provider.ts';
import { apiClient, chromiumFor, launchChromium, openPage, sessionCookie, startE2eServer, waits, type TestServer } from './setup.ts';

const hasChromium = chromiumFor('single sign-on');
const { WAIT, visible } = waits(20_000);

describe.skipIf(!hasChromium)('single sign-on in the browser', () => {
  let server: TestServer;
  let op: Awaited<ReturnType<typeof startOidcProvider>>;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startE2eServer();
    op = await startOidcProvider({
      redirectUri: `${server.url}/api/auth/sso/oidc/callback`,
      accounts: { dana: { sub: 'dana-1', email: 'dana.sso@corp.test', name: 'Dana Okta', groups: ['earshot-agents'] } },
    });
    const cookie = await sessionCookie(server);
    const api = apiClient(server, () => cookie);
    const res = await api('POST', '/api/admin/sso/providers', {
      kind: 'oidc',
      name: 'Corp ID',
      oidc: { issuer: op.issuer, clientId: 'earshot', clientSecret: 'earshot-secret', scopes: 'openid email profile groups' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const roles = (await (await api('GET', '/api/roles')).json()) as { items: Array<{ id: string; builtinKey: string | null }> };
    const agent = roles.items.find((r) => r.builtinKey === 'agent')!;
    const s = await api('PATCH', '/api/admin/sso/settings', { jit: true, mappingRules: [{ match: 'earshot-agents', roleIds: [agent.id], groupId: null }] });
    expect(s.status, await s.clone().text()).toBe(200);
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openPage(browser, WAIT.timeout));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await op?.stop();
  });

  it('signs in through the OpenID Provider from the sign-in page', async () => {
    await page.goto(`${server.url}/login`);
    const button = page.getByRole('link', { name: en.login.ssoWith.replace('{{name}}', 'Corp ID') });
    await visible(button);
    await button.click();
    // The provider's development login screen, then its consent screen.
    await page.waitForURL((u) => u.href.startsWith(op.issuer), WAIT);
    await page.locator('input[name="login"]').fill('dana');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('button[type="submit"]');
    await page.waitForURL((u) => !u.href.startsWith(op.issuer) || u.pathname.includes('interaction'), WAIT);
    if (page.url().startsWith(op.issuer)) await consent.click();
    await page.waitForURL((u) => u.href.startsWith(server.url) && !u.pathname.startsWith('/login') && !u.pathname.startsWith('/api/'), WAIT);
    await visible(page.getByRole('navigation', { name: en.shell.mainNav }));
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ email: 'dana.sso@corp.test', name: 'Dana Okta' });
    expect(pageErrors).toEqual([]);
  });

  it('shows why a sign-in was refused', async () => {
    // Signed out (a signed-in visitor is sent on from the sign-in page).
    await page.context().clearCookies();
    await page.goto(`${server.url}/login?sso_error=SSO_NO_ACCOUNT`);
    await visible(page.getByText(en.login.ssoError.SSO_NO_ACCOUNT));
  });
});
