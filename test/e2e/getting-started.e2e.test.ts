// The "getting started" path a new supervisor walks on the Conversations screen (issue 16, "Done when"), end to end in
// Debian Chromium at 1440×900 against the built app and the demo tenant: search as you type, add a filter, open a chat
// in the preview, file it under a category from the list, comment with an @mention and pin it, play a transferred
// call and check each leg's agent names its own lane, and export the recording as MP3.
// With EARSHOT_SCREENSHOTS=1 the steps are saved to docs/screens/*.png (the README shows them), each reduced to a
// small palette PNG by ffmpeg; without it nothing is written outside /tmp. Needs `npm run build:web` first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('getting started');
const { WAIT, visible, hidden } = e2e.waits(20_000);
const C = en.conversations;
const S = en.search;
const SHOTS = process.env.EARSHOT_SCREENSHOTS === '1' ? path.join(e2e.ROOT, 'docs/screens') : null;

/** Saves a screenshot to docs/screens/<name>.png when asked, as a 160-colour PNG ≤ 200 KB (ffmpeg's palette filters). */
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const raw = path.join('/tmp', `earshot-getting-started-${name}.png`);
  // Menus and tooltips fade in and out: let them settle.
  await page.waitForTimeout(400);
  await page.screenshot({ path: raw });
  const out = path.join(SHOTS, `${name}.png`);
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-i',
    raw,
    '-vf',
    'scale=1200:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=160:stats_mode=diff[p];[b][p]paletteuse=dither=none',
    out,
  ]);
  expect(fs.statSync(out).size, `${out} is small enough to commit`).toBeLessThanOrEqual(200 * 1024);
}

describe.skipIf(!hasChromium)('getting started', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  const suffix = Date.now().toString(36);
  // A word no demo conversation has, so the search finds exactly the chat made here.
  const WORD = 'wombat';
  const categoryName = `Getting started ${suffix}`;
  let chatId = '';

  const api = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => cookie)(method, url, body);
  const rows = () => page.getByTestId('conversation-row');
  const row = (text: string) => rows().filter({ hasText: text });
  const preview = () => page.getByTestId('conversation-preview');
  const searchBox = () => page.getByRole('textbox', { name: S.box.label });

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    const at = (minutes: number) => new Date(Date.now() - (30 - minutes) * 60_000).toISOString();
    chatId = await e2e.ingestChat(api, {
      chatId: `getting-started-${suffix}`,
      roomName: 'Wildlife hotline',
      queue: 'Support',
      participants: [
        { key: 'c', role: 'customer', name: 'Willa Walker', email: 'willa@example.org' },
        { key: 'a', role: 'agent', extension: '1001' },
      ],
      messages: [
        { sender: 'c', at: at(0), text: `A ${WORD} is digging under my fence, who do I call?` },
        { sender: 'a', at: at(1), text: 'The wildlife service handles it; I am sending you their number now.' },
        { sender: 'c', at: at(2), text: `Thanks, the ${WORD} says thanks too.` },
      ],
    });
    // The server's worker indexes the chat: wait until the search finds it.
    for (let i = 0; ; i++) {
      const res = await api('POST', '/api/conversations/search', { q: WORD, period: null });
      const found = ((await res.json()) as { items: { id: string }[] }).items.some((item) => item.id === chatId);
      if (found) break;
      if (i === 150) throw new Error(`the chat with "${WORD}" was not indexed within 30 s`);
      await new Promise((r) => setTimeout(r, 200));
    }

    browser = await e2e.launchChromium(['--autoplay-policy=no-user-gesture-required']);
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 }, acceptDownloads: true }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in to the Conversations screen', async () => {
    await e2e.signIn(page, server, server.login.admin, WAIT.timeout);
    await visible(rows().first());
    await visible(page.getByTestId('conversation-total'));
    await shot(page, '01-conversations');
  });

  it('searches as the user types and marks the matches', async () => {
    await searchBox().click();
    await searchBox().pressSequentially(WORD, { delay: 30 });
    await page.waitForURL((u) => u.searchParams.get('q') === WORD, WAIT);
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    const hit = page.locator(`[data-testid="conversation-highlight"][data-id="${chatId}"]`);
    await visible(hit.locator('mark').first());
    await visible(hit.getByTestId('highlight-field'));
  });

  it('adds a filter', async () => {
    await page.getByRole('button', { name: S.addFilter }).click();
    const pane = page.getByTestId('add-filter-pane');
    await visible(pane);
    await pane.locator('[data-field="channels"]').click();
    const editor = pane.getByTestId('filter-editor');
    await editor.getByLabel(S.channels.chat, { exact: true }).check();
    await editor.getByRole('button', { name: S.apply }).click();
    await hidden(pane);
    await visible(page.getByTestId('filter-chip').filter({ hasText: `${S.fields.channels}:` }));
    expect(JSON.parse(new URL(page.url()).searchParams.get('f') ?? '{}')).toEqual({ channels: ['chat'] });
    await visible(row('Willa Walker'));
  });

  it('opens the chat in the preview with a double-click, without leaving the list', async () => {
    // A double-click split over two renders is two single clicks: retried until the chat opens.
    for (let attempt = 1; ; attempt++) {
      await row('Willa Walker').dblclick();
      const open = preview().getByTestId('preview-chat').and(page.locator('[data-open="true"]'));
      if (
        await open.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 3) throw new Error('double-clicking the row did not open the chat in the preview');
    }
    expect(new URL(page.url()).pathname).toBe('/conversations');
    await visible(preview().getByTestId('chat-bubble').filter({ hasText: 'digging under my fence' }));
    await expect.poll(() => preview().getByTestId('chat-bubble').locator('mark').count(), WAIT).toBe(2);
    await shot(page, '02-search-filter-preview');
  });

  it('files the conversation under a category from the list', async (ctx) => {
    const created = await api('POST', '/api/categories', { name: categoryName, color: '#2f9e44' });
    if (created.status === 404) return ctx.skip('POST /api/categories answers 404: categories are not built');
    expect(created.status, await created.clone().text()).toBe(200);
    await page.reload(); // the category list is read once per minute
    await visible(row('Willa Walker'));
    await row('Willa Walker').getByTestId('row-check').check();
    const bar = page.getByTestId('selection-bar');
    await visible(bar);
    expect(await bar.getByTestId('selection-count').textContent()).toBe(C.selection.count.replace('{{n}}', '1'));
    await bar.getByTestId('selection-categories').click();
    await page.getByTestId('selection-categories-menu').getByRole('menuitem', { name: categoryName }).first().click();
    await visible(bar.getByTestId('selection-done'));
    const detail = (await (await api('GET', `/api/conversations/${chatId}`)).json()) as { tags: { name: string }[] };
    expect(detail.tags.map((t) => t.name)).toContain(categoryName);
    await shot(page, '03-category');
    await bar.getByTestId('selection-clear').click();
    await hidden(bar);
  });

  it('comments with an @mention and pins the comment', async (ctx) => {
    await row('Willa Walker').click();
    await visible(preview());
    const box = preview().getByRole('textbox', { name: C.comments.add });
    await box.click();
    await box.pressSequentially('Nice handling @Mar');
    const list = page.getByTestId('mention-list');
    if (
      !(await list.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
    )
      return ctx.skip('no @mention picker: comments with mentions are not built');
    await list.getByRole('option', { name: /Marc Manager/ }).click();
    await box.pressSequentially('please share it with the team');
    await preview().getByRole('button', { name: C.comments.post, exact: true }).click();
    const comment = preview().getByTestId('comment').filter({ hasText: 'Nice handling' });
    await visible(comment.getByTestId('mention'));
    expect(await comment.getByTestId('comment-text').textContent()).toBe('Nice handling @Marc Manager please share it with the team');
    await comment.getByRole('button', { name: C.comments.pin }).click();
    await expect.poll(() => comment.getAttribute('data-pinned'), WAIT).toBe('true');
    await comment.scrollIntoViewIfNeeded();
    await shot(page, '04-comment-mention-pin');
  });

  it('plays a transferred call: each leg’s agent on their own lane, in leg order', async () => {
    type Detail = {
      id: string;
      participants: { id: string; name: string | null; userName: string | null }[];
      segments: {
        kind: string;
        startedAt: string;
        agentPartyKey: string | null;
        metadata: Record<string, string>;
        parties?: { partyKey: string; participantId: string }[];
      }[];
    };
    const search = await api('POST', '/api/conversations/search?limit=200', { channels: ['call'], period: null, sort: 'newest' });
    const { items } = (await search.json()) as { items: { id: string }[] };
    let transfer: Detail | null = null;
    for (const { id } of items) {
      const d = (await (await api('GET', `/api/conversations/${id}`)).json()) as Detail;
      if (d.segments.some((x) => x.kind === 'call' && x.metadata.previousCallId)) {
        transfer = d;
        break;
      }
    }
    expect(transfer, 'a transferred demo call').toBeTruthy();
    const legs = transfer!.segments.filter((x) => x.kind === 'call').sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const agents = legs.map((l) => {
      const pid = l.parties?.find((x) => x.partyKey === l.agentPartyKey)?.participantId;
      const p = transfer!.participants.find((x) => x.id === pid);
      return p?.name ?? p?.userName ?? '';
    });
    expect(new Set(agents).size, 'two different agents').toBe(2);

    // Selected from the list (the URL keeps the selection): the preview plays it in the docked player.
    await page.goto(`${server.url}/conversations?c=${transfer!.id}`);
    await visible(preview().getByTestId('preview-call').first());
    const play = preview().getByTestId('segment-play').first();
    await visible(play);
    await play.click();
    const player = page.getByTestId('player');
    await visible(player.getByTestId('waveform-combined'));
    await expect.poll(async () => (await player.getByTestId('lane-name').allTextContents()).filter((n) => agents.includes(n)), WAIT).toEqual(agents);
    await expect.poll(() => player.getByTestId('player-play').getAttribute('data-playing'), WAIT).toBe('true');
    await page.mouse.move(700, 40); // the play button's tooltip would cover the first leg's agent
    await shot(page, '05-transferred-call');
    await player.getByTestId('player-play').click();
  });

  it('exports the recording as MP3', async (ctx) => {
    const menu = preview().getByTestId('action-export');
    if ((await menu.count()) === 0) return ctx.skip('no Export menu: the MP3 export is not offered');
    await menu.click();
    const mp3 = page.getByTestId('export-mp3');
    await visible(mp3);
    await shot(page, '06-export-menu');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), mp3.click()]);
    expect(download.suggestedFilename()).toMatch(/\.mp3$/);
    const head = fs.readFileSync((await download.path())!).subarray(0, 3);
    // An MP3 starts with an ID3 tag or a frame sync.
    expect(head.toString('latin1') === 'ID3' || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
