// The insights filters end to end in Debian Chromium (issue 10 item 9): two chats ingested through the real API and
// analysed by the real jobs (the tenant's default indicators, sentiment), then Add new filter → Indicators (Churn risk,
// mentioned by the customer) and → Sentiment (a label's range) narrow the list as the server's search does, the chips
// name them, a chip edits its filter, and a saved search keeps them. Needs `npm run build:web` first and
// /usr/bin/chromium; never downloads a browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { runJobs } from '../helpers/jobs.ts';
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('insights-filters');
const { WAIT, visible, hidden } = e2e.waits(15_000);
const S = en.search;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

describe.skipIf(!hasChromium)('insights filters', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  const suffix = Date.now().toString(36);
  // A word no seeded conversation has, so the text search finds exactly the chats made here.
  const WORD = 'numbat';
  const ids = { upset: '', pleased: '' };
  const savedName = `Numbat churn ${suffix}`;
  const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000).toISOString();

  const api = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => cookie)(method, url, body);
  const rows = () => page.getByTestId('conversation-row');
  const chip = (text: string) => page.getByTestId('filter-chip').filter({ hasText: text });
  const searchBox = () => page.getByRole('textbox', { name: S.box.label });

  /** Add new filter → the field → its editor. */
  async function openEditor(field: string) {
    await page.getByRole('button', { name: S.addFilter }).click();
    const pane = page.getByTestId('add-filter-pane');
    await visible(pane);
    await pane.locator(`[data-field="${field}"]`).click();
    return pane.getByTestId('filter-editor');
  }

  async function pick(editor: ReturnType<Page['getByTestId']>, label: string, option: string) {
    await editor.locator(`input[aria-label="${label}"]`).last().click();
    await editor.getByRole('option', { name: option, exact: true }).click();
  }

  const searchIds = async (filter: Record<string, unknown>) =>
    ((await (await api('POST', '/api/conversations/search?limit=50', { q: WORD, period: null, ...filter })).json()) as { items: { id: string }[] }).items
      .map((i) => i.id)
      .sort();

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    const participants = [
      { key: 'c', role: 'customer', name: 'Robin Filter' },
      { key: 'a', role: 'agent', extension: '1001' },
    ];
    ids.upset = await e2e.ingestChat(api, {
      chatId: `filters-upset-${suffix}`,
      roomName: `Numbat account ${suffix}`,
      participants,
      messages: [
        { sender: 'c', at: at(0), text: `My ${WORD} plan keeps failing. This is terrible, I am furious and I want to cancel my account.` },
        { sender: 'a', at: at(1), text: 'I am sorry to hear that.' },
        { sender: 'c', at: at(2), text: 'It is awful and nobody ever helps.' },
      ],
    });
    ids.pleased = await e2e.ingestChat(api, {
      chatId: `filters-pleased-${suffix}`,
      roomName: `Numbat upgrade ${suffix}`,
      participants,
      messages: [
        { sender: 'c', at: at(5), text: `The new ${WORD} plan is wonderful, I am thrilled with it.` },
        { sender: 'a', at: at(6), text: 'Glad to hear it.' },
        { sender: 'c', at: at(7), text: 'Really delighted, it works brilliantly.' },
      ],
    });
    // Indexing and insights run as jobs after ingest.
    await runJobs(server.ctx);

    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 } }));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the chats are analysed: one mentions Churn risk and is negative, the other positive', async () => {
    const insights = async (id: string) => (await (await api('GET', `/api/conversations/${id}/insights`)).json()) as { sentimentLabel: string };
    expect((await insights(ids.upset)).sentimentLabel).toBe('negative');
    expect((await insights(ids.pleased)).sentimentLabel).toBe('positive');
    const mentions = (await (await api('GET', `/api/conversations/${ids.upset}/mentions`)).json()) as { mentions: { indicatorName: string; role: string }[] };
    expect(mentions.mentions.some((m) => m.indicatorName === 'Churn risk' && m.role === 'customer')).toBe(true);
  });

  it('Add new filter → Indicators narrows the list to what the server finds, with its chip', async () => {
    await page.goto(`${server.url}/conversations`);
    await searchBox().fill(WORD);
    await searchBox().press('Enter');
    await expect.poll(() => rows().count(), WAIT).toBe(2);

    const editor = await openEditor('indicators');
    await pick(editor, S.indicators.indicator, 'Churn risk');
    await pick(editor, S.indicators.by, S.indicators.byOptions.customer);
    await editor.getByRole('button', { name: S.apply }).click();
    await hidden(page.getByTestId('add-filter-pane'));
    await visible(chip('Indicators: Churn risk (by the customer)'));
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    await visible(page.locator(`[data-testid="conversation-row"][data-id="${ids.upset}"]`));

    // The same filter through the API finds the same conversation.
    const churn = ((await (await api('GET', '/api/insights/indicators')).json()) as { items: { id: string; name: string }[] }).items.find(
      (i) => i.name === 'Churn risk',
    )!;
    expect(await searchIds({ indicators: { include: [{ indicatorId: churn.id, by: 'customer' }] } })).toEqual([ids.upset]);
  });

  it('Sentiment by its label, then edited from its chip', async () => {
    let editor = await openEditor('sentiment');
    await editor.getByRole('radio', { name: fill(S.sentiment.positive, { min: 61, max: 100 }) }).check();
    await editor.getByRole('button', { name: S.apply }).click();
    await visible(chip('Sentiment: 61 – 100'));
    // The churn chat is negative: nothing left.
    await visible(page.getByText(S.noMatch));

    // Clicking the chip opens its editor.
    await chip('Sentiment: 61 – 100').getByRole('button').first().click();
    editor = page.getByTestId('filter-editor');
    await visible(editor);
    await editor.getByRole('radio', { name: fill(S.sentiment.negative, { min: 0, max: 39 }) }).check();
    await editor.getByRole('button', { name: S.apply }).click();
    await visible(chip('Sentiment: 0 – 39'));
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    await visible(page.locator(`[data-testid="conversation-row"][data-id="${ids.upset}"]`));
    expect(pageErrors).toEqual([]);
  });

  it('a saved search keeps the insights filters and names them', async () => {
    await page.getByRole('button', { name: S.saved.save, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: S.saved.saveTitle });
    await visible(dialog);
    await dialog.getByRole('textbox', { name: S.saved.name }).fill(savedName);
    await dialog.getByRole('button', { name: en.common.save }).click();
    await hidden(dialog);
    const saved = ((await (await api('GET', '/api/saved-searches')).json()) as { items: { name: string; filter: Record<string, unknown> }[] }).items.find(
      (s) => s.name === savedName,
    );
    expect(saved?.filter).toMatchObject({ q: WORD, sentiment: { min: 0, max: 39 }, indicators: { include: [{ by: 'customer' }], exclude: [] } });

    await page.getByTestId('saved-searches-button').click();
    const item = page.getByTestId('saved-searches').getByTestId('saved-search').filter({ hasText: savedName });
    await visible(item);
    const summary = await item.textContent();
    expect(summary).toContain('Indicators: Churn risk (by the customer)');
    expect(summary).toContain('Sentiment: 0 – 39');
  });
});
