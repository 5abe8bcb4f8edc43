// Offline interactions end to end in Debian Chromium: a manager adds a walk-in (agent found by name, notes, a file)
// from Quality → Offline interactions; it opens as a conversation whose card shows the channel, the notes and the file,
// the list of conversations finds it, and Review is offered on it like on any other.
// Needs `npm run build:web` first and /usr/bin/chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('offline');
const { WAIT, visible } = e2e.waits(60_000);
const O = en.offline;

describe.skipIf(!hasChromium)('offline interactions', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, 60_000));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('adds a walk-in with a file and opens it as a reviewable conversation', async () => {
    await page.goto(`${server.url}/quality/offline`);
    await page.getByTestId('add-offline').click();
    await page.getByTestId('offline-agent').fill('Alex');
    await page.getByRole('option', { name: 'Alex Agent' }).click();
    await page.getByLabel(O.form.channel).first().click();
    await page.getByRole('option', { name: O.channels.in_person }).click();
    await page.getByLabel(O.form.customer).fill('Dana Walk-in');
    await page.getByLabel(O.form.notes).fill('Asked for a refund at the counter; handled calmly.');
    await page.locator('input[type="file"]').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Receipt #1234\n') });
    await page.getByTestId('save-offline').click();
    await page.waitForURL(/\/conversations\/[A-Za-z0-9-]+$/, WAIT);
    const id = page.url().split('/').pop()!;

    const card = page.getByTestId('offline-segment');
    await visible(card);
    expect(await card.textContent()).toContain(O.channels.in_person);
    expect(await card.textContent()).toContain('Asked for a refund at the counter');
    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: /receipt\.txt/ }).click();
    expect((await download).suggestedFilename()).toBe('receipt.txt');
    await visible(page.getByTestId('action-review'));

    // Listed among the offline interactions and found by the conversation list.
    await page.goto(`${server.url}/quality/offline`);
    await visible(page.getByRole('link', { name: `${O.channels.in_person} with Dana Walk-in` }));
    const cookie = await e2e.sessionCookie(server);
    await expect
      .poll(
        async () =>
          ((await (await e2e.apiClient(server, () => cookie)('POST', '/api/conversations/search', {})).json()) as { items: { id: string }[] }).items.map(
            (x) => x.id,
          ),
        WAIT,
      )
      .toContain(id);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
