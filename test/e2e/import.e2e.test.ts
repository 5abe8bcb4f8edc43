// Administration → Import and the Export menu end to end, in Debian Chromium against the built app (dist/web) and a
// real server whose worker runs the import job: choose files (a sidecar call, a call with no recording, a chat, an
// email and an audio file with no sidecar), follow the upload and the job to the summary `earshot import` prints
// (the failure listed with its file); drop an Amazon Connect export as a zip on the drop zone and get it detected;
// then open an imported call and export it as JSON, merged MP3 and segment WAV from the Export menu (each a real
// download, each audited), and see the server's message when the recording cannot be made. Needs
// `npm run build:web` first and /usr/bin/chromium; never downloads a browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { buildEml } from '../../src/conversations/email/fixtures.ts';
import { buildConnectTree, CONNECT_IDS, monoWav } from '../../src/conversations/import/test-trees.ts';
import { filesUnder, zipOf } from '../../src/conversations/import/test-zip.ts';
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('import');
const { WAIT, visible } = e2e.waits(30_000);
const I = en.import;
const A = en.conversations.actions;

describe.skipIf(!hasChromium)('import screen and export menu', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-import-e2e-'));
  const run = Date.now().toString(36);
  const recent = new Date(Date.now() - 3600_000).toISOString();
  const callId = `e2e-call-${run}`;
  const silentId = `e2e-silent-${run}`;
  const api = (method: string, url: string) => e2e.apiClient(server, () => cookie)(method, url);

  /** The conversation of an ingested segment, found through the search API by its external id. */
  async function conversationOf(externalId: string): Promise<string> {
    const row = await server.ctx.db.selectFrom('segments').select('conversation_id').where('external_id', '=', externalId).executeTakeFirst();
    expect(row, externalId).toBeTruthy();
    return row!.conversation_id;
  }

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    // The files the user picks.
    const parties = [
      { key: 'agent', role: 'agent', extension: '1001' },
      { key: 'customer', role: 'customer', name: 'Imported Customer', phone: '+1 555 0199' },
    ];
    const put = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(dir, name), data);
    put(`${callId}.wav`, monoWav(4000, 21));
    put(`${callId}.json`, JSON.stringify({ callId, startTime: recent, direction: 'inbound', parties }));
    put(`${silentId}.json`, JSON.stringify({ callId: silentId, startTime: recent, direction: 'outbound', parties }));
    put(
      `e2e-${run}.chat.json`,
      JSON.stringify({
        chatId: `e2e-chat-${run}`,
        roomName: `Imported chat ${run}`,
        participants: [
          { key: 'c', role: 'customer', name: 'Imported Customer' },
          { key: 'a', role: 'agent', extension: '1001' },
        ],
        messages: [{ sender: 'c', at: recent, text: 'Imported hello' }],
      }),
    );
    put(
      `e2e-${run}.eml`,
      buildEml({
        messageId: `e2e-${run}@customer.example`,
        from: 'imported@customer.example',
        to: 'support@acme.example',
        subject: 'Imported mail',
        date: new Date(recent),
        text: 'Hello',
      }),
    );
    put('lonely.wav', monoWav(1000, 22));
    // The Connect export, zipped.
    const connect = path.join(dir, 'connect-tree');
    buildConnectTree(connect, { firstAgent: 'alex', transferAgent: 'julien' });
    put('acme-connect.zip', zipOf(filesUnder(connect)));

    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 }, acceptDownloads: true }));
    await e2e.signIn(page, server, server.login.admin, WAIT.timeout);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports chosen files through the upload and the job, then shows the summary with the failure and its file', async () => {
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('tab', { name: en.admin.tabs.import }).click();
    await page.waitForURL('**/admin/import');
    await visible(page.getByRole('heading', { name: I.title }));
    await visible(page.getByText(I.recent.none));

    const names = [`${callId}.wav`, `${callId}.json`, `${silentId}.json`, `e2e-${run}.chat.json`, `e2e-${run}.eml`, 'lonely.wav'];
    await page.getByTestId('import-files-input').setInputFiles(names.map((n) => path.join(dir, n)));
    await visible(page.getByText('6 files', { exact: false }));
    await page.getByTestId('import-start').click();

    const summary = page.getByTestId('import-summary');
    await visible(summary);
    await expect.poll(() => summary.textContent(), WAIT).toMatch(/Imported 4, skipped 0, failed 1 \(5 items in /);
    const failures = page.getByTestId('import-failures');
    await visible(failures.getByText('lonely.wav', { exact: true }));
    await visible(failures.getByText(/No sidecar/));
    expect(await page.getByTestId('import-status').first().textContent()).toBe(I.status.done);
    // The selection is cleared and the run is listed.
    expect(await page.getByTestId('import-selection').count()).toBe(0);
    await expect.poll(() => page.getByTestId('import-recent-row').count(), WAIT).toBe(1);
  });

  it('takes an Amazon Connect export zip dropped on the drop zone and detects its format', async () => {
    const zip = fs.readFileSync(path.join(dir, 'acme-connect.zip')).toString('base64');
    // A drop as the browser makes it: a DataTransfer holding the file.
    await page.getByTestId('import-dropzone').evaluate((zone, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'acme-connect.zip', { type: 'application/zip' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, zip);
    await visible(page.getByTestId('import-selection').getByText('acme-connect.zip'));
    await page.getByTestId('import-start').click();
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), WAIT).toContain(I.format.connect);
    expect(await summary.textContent()).toMatch(/Imported [1-9]/);
    await expect.poll(() => page.getByTestId('import-recent-row').count(), WAIT).toBe(2);
    expect(await conversationOf(CONNECT_IDS.transfer)).toBeTruthy();
    expect(pageErrors).toEqual([]);
  });

  it('exports an imported call from the Export menu as JSON, merged MP3 and segment WAV, each audited', async () => {
    const id = await conversationOf(callId);
    // The worker analyses the call's audio before it can be mixed.
    await expect
      .poll(async () => ((await (await api('GET', `/api/conversations/${id}/media`)).json()) as { status: string | null }).status, WAIT)
      .not.toBe('pending');
    await page.goto(`${server.url}/conversations/${id}`);
    const menu = () => page.getByTestId('export-menu');
    const pick = async (testId: string, name: RegExp) => {
      await page.getByTestId('action-export').first().click();
      await visible(menu());
      const [download] = await Promise.all([page.waitForEvent('download', WAIT), menu().getByTestId(testId).first().click()]);
      expect(download.suggestedFilename()).toMatch(name);
      await visible(page.getByTestId('export-saved').getByText(download.suggestedFilename(), { exact: false }));
      return download;
    };

    await page.getByTestId('action-export').first().click();
    await visible(menu().getByText(A.exportJson));
    await visible(menu().getByText(A.exportMp3));
    expect(await menu().getByTestId('export-wav').count()).toBe(1);
    await page.keyboard.press('Escape');

    await pick('export-json', new RegExp(`^${id}_.+\\.json$`));
    const mp3 = await pick('export-mp3', new RegExp(`^${id}_.+\\.mp3$`));
    expect(fs.statSync((await mp3.path())!).size).toBeGreaterThan(1000);
    const wav = await pick('export-wav', new RegExp(`^${callId}.*\\.wav$`));
    expect(
      fs
        .readFileSync((await wav.path())!)
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');

    const audit = (await (await api('GET', `/api/conversations/${id}/audit`)).json()) as { items: { action: string }[] };
    const actions = audit.items.map((e) => e.action);
    expect(actions).toContain('CONVERSATION_EXPORT');
    expect(actions.filter((a) => a === 'RECORDING_DOWNLOADED')).toHaveLength(2);
  });

  it('shows why a recording cannot be exported instead of doing nothing', async () => {
    const id = await conversationOf(silentId);
    await page.goto(`${server.url}/conversations/${id}`);
    await page.getByTestId('action-export').first().click();
    await page.getByTestId('export-menu').getByTestId('export-mp3').click();
    await visible(page.getByTestId('error-alert').getByText(/no usable media/i));
    expect(await page.getByTestId('export-saved').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
