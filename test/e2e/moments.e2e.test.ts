// Moments end to end in Debian Chromium: on a demo call, Shift + drag on the waveform selects a range, "Save … as
// moment" saves it, the render job makes the clip (ffmpeg), the card plays it and the waveform marks it; an external link made from the card
// opens a public page in a browser that is not signed in, its clip plays (MP3), and once revoked the link answers 410.
// Needs `npm run build:web` first and /usr/bin/chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('moments');
const { WAIT, visible } = e2e.waits(60_000);
const M = en.moments;

interface Manifest {
  conversationId: string;
  status: string | null;
  segments: { kind: string; startMs: number; endMs: number; mixUrl: string | null }[];
}

describe.skipIf(!hasChromium)('moments', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let cookie = '';
  let conversationId = '';

  const api = (url: string, init: RequestInit = {}) => e2e.apiClient(server, () => cookie)(init.method ?? 'GET', url, undefined, init);

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    // A demo call of 20 s or more whose media is ready.
    const search = await api('/api/conversations/search?limit=50', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channels: ['call'], period: null, sort: 'newest' }),
    });
    const { items } = (await search.json()) as { items: { id: string }[] };
    for (const { id } of items) {
      const m = (await (await api(`/api/conversations/${id}/media`)).json()) as Manifest;
      const calls = m.segments.filter((s) => s.kind === 'call');
      if (m.status === 'ready' && calls.length === 1 && calls[0]!.mixUrl && calls[0]!.endMs - calls[0]!.startMs >= 20_000) {
        conversationId = id;
        break;
      }
    }
    expect(conversationId, 'a demo call with analysed media').toBeTruthy();
    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, 60_000));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('saves a range selected on the waveform as a moment and plays its clip', async () => {
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const wave = page.getByTestId('waveform-combined');
    await visible(wave);
    const box = (await wave.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await visible(page.getByTestId('player-selection').first());

    const add = page.getByTestId('add-moment');
    await expect.poll(() => add.textContent(), WAIT).toMatch(/^Save \d+:\d\d–\d+:\d\d as moment$/);
    await add.click();
    const form = page.getByTestId('new-moment');
    await form.getByLabel(M.name).fill('Selected on the waveform');
    const start = await page.getByTestId('moment-start').inputValue();
    const end = await page.getByTestId('moment-end').inputValue();
    expect(start).not.toBe(end);
    await page.getByTestId('save-moment').click();

    // The job renders the clip; the card polls until it is ready and shows the clip's player.
    const card = page.locator('[data-testid^="moment-"]', { hasText: 'Selected on the waveform' }).first();
    await visible(card);
    await visible(card.getByTestId('moment-audio'));
    // The saved moment is drawn on the waveform, where the selection was.
    await visible(page.getByTestId('player-moment').first());
    const { items } = (await (await api(`/api/conversations/${conversationId}/moments`)).json()) as {
      items: { id: string; name: string; startMs: number; endMs: number; clipUrl: string }[];
    };
    const saved = items.find((m) => m.name === 'Selected on the waveform')!;
    expect(saved.endMs - saved.startMs).toBeGreaterThanOrEqual(1000);
    const clip = await api(saved.clipUrl);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = new Uint8Array(await clip.arrayBuffer());
    expect(bytes[0]).toBe(0xff);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('shares the clip by a public link that plays without signing in, until revoked', async () => {
    const card = page.locator('[data-testid^="moment-"]', { hasText: 'Selected on the waveform' }).first();
    await card.getByTestId('moment-menu').click();
    await page.getByRole('menuitem', { name: M.share.menu }).click();
    await page.getByTestId('create-share').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toMatch(/\/api\/shared\/moments\/[A-Za-z0-9_-]{30,}$/);
    const publicUrl = `${server.url}${new URL(url).pathname}`;

    // Someone without an account: a fresh browser context, no cookie.
    const outside = await e2e.openPage(browser, 60_000);
    await outside.page.goto(publicUrl);
    await visible(outside.page.locator('audio'));
    expect(await outside.page.locator('h1').textContent()).toBe('Selected on the waveform');
    const played = await outside.page.evaluate(async () => {
      const src = document.querySelector('audio')!.src;
      const r = await fetch(src);
      return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
    });
    expect(played.status).toBe(200);
    expect(played.type).toBe('audio/mpeg');
    expect(played.size).toBeGreaterThan(1000);

    // Revoked from the card's share dialog: the link stops at once.
    await page.getByRole('button', { name: M.share.revoke }).click();
    await visible(page.getByText(M.share.states.revoked, { exact: true }).first());
    const gone = await fetch(`${publicUrl}/clip.mp3`);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('SHARE_REVOKED');
    await outside.context.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
