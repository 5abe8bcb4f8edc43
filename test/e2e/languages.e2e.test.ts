// The UI in Czech end to end (issue 14), in Debian Chromium against the built app: the sign-in page follows the
// browser's languages (a Czech browser gets Czech) until the user is known; signed in, the user's effective language
// takes over (the demo organisation's English); the user switches to Čeština from the user menu, which is kept on the
// server, shows Czech words and Czech dates; "Default" hands the choice back to the organisation.
// Needs `npm run build:web` first and /usr/bin/chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import csCatalogue from '../../web/src/i18n/cs.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { chromiumFor, launchChromium, openPage, startE2eServer, submitLogin, waits, type TestServer } from './setup.ts';

const hasChromium = chromiumFor('languages');
const { WAIT, visible } = waits(15_000);
const ZONE = 'Europe/Prague';
// The Czech catalogue has English's keys (the parity test, web/src/i18n/i18n.test.ts, holds it to that).
const cs = csCatalogue as unknown as typeof en;

/** Intl output with every kind of space made one plain space (ICU puts narrow no-break spaces in times). */
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

describe.skipIf(!hasChromium)('the UI in Czech', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const nav = (labels: typeof en) => page.getByRole('navigation', { name: labels.shell.mainNav });
  const me = () => page.evaluate(async () => (await fetch('/api/me')).json() as Promise<{ language: string; ownLanguage: string | null }>);

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    // A Czech browser: navigator.languages starts with cs-CZ.
    ({ page, errors: pageErrors } = await openPage(browser, WAIT.timeout, { locale: 'cs-CZ', timezoneId: ZONE, viewport: { width: 1400, height: 900 } }));
    // Seeding the demo tenant takes a while on a busy machine.
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the sign-in page in the browser's language", async () => {
    await page.goto(`${server.url}/login`);
    await visible(page.getByRole('heading', { name: cs.login.title }));
    expect(await page.getAttribute('html', 'lang')).toBe('cs');
    expect(await page.getByRole('button', { name: 'Čeština' }).getAttribute('aria-pressed')).toBe('true');
  });

  it("switches to the user's own language once they are known: the organisation's English", async () => {
    await submitLogin(page, server.login.admin, cs);
    // An administrator (reports.view) lands on the dashboard.
    await page.waitForURL('**/dashboard', WAIT);
    await visible(nav(en).getByRole('link', { name: en.nav.conversations }));
    expect(await me()).toMatchObject({ language: 'en', ownLanguage: null });
  });

  it('switches the UI to Czech from the user menu, kept on the server and after a reload', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menu').getByText('Čeština', { exact: true }).click();
    for (const label of [cs.nav.conversations, cs.nav.quality, cs.nav.reports, cs.nav.admin]) await visible(nav(cs).getByRole('link', { name: label }));
    expect(await page.getAttribute('html', 'lang')).toBe('cs');
    expect(await me()).toMatchObject({ language: 'cs', ownLanguage: 'cs' });

    await page.goto(`${server.url}/admin/users`);
    await visible(page.getByRole('heading', { name: cs.users.title }));
    await visible(page.getByRole('tab', { name: cs.admin.tabs.users }));
    expect(pageErrors).toEqual([]);
  });

  it('writes dates the Czech way', async () => {
    // The admin's last sign-in, as the users table shows it: in Czech, the month a word ("3. prosince 2026 v 09:05"; Czech
    // medium dates are all digits, so web/src/format.ts spells the month out), in the browser's zone.
    const users = await page.evaluate(
      async () => (await (await fetch('/api/users?limit=200')).json()) as { items: Array<{ email: string; lastLoginAt: string | null }> },
    );
    const lastLoginAt = users.items.find((u) => u.email === server.login.admin.email)?.lastLoginAt;
    expect(lastLoginAt).toBeTruthy();
    const czech = plain(
      new Intl.DateTimeFormat('cs-CZ', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: ZONE }).format(
        new Date(lastLoginAt!),
      ),
    );
    expect(czech).toMatch(/^\d{1,2}\. (ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince) \d{4}/);
    const row = page.getByRole('row').filter({ hasText: server.login.admin.email });
    await visible(row);
    expect(plain((await row.textContent()) ?? '')).toContain(czech);
  });

  it("hands the choice back: “Default” follows the organisation's language again", async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('language-default').click();
    await visible(nav(en).getByRole('link', { name: en.nav.conversations }));
    expect(await me()).toMatchObject({ language: 'en', ownLanguage: null });
    expect(pageErrors).toEqual([]);
  });
});
