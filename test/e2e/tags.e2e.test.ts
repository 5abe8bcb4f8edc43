// Administration → Tags and comments end to end, in Debian Chromium at 1440×900 against the built app (dist/web) and
// the demo server: create and archive a tag (Add tag no longer offers it), create a category, file a conversation under
// it from its page and find it again in the "By category" view, file the rows ticked in the list at once; then comment
// with an @mention picked from the people who may see the conversation (an agent who may not is not offered), see the
// mention as a name, pin it, edit it ("edited"), and check the audit trail. Needs `npm run build:web` first and
// /usr/bin/chromium; never downloads a browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('tags');
const { WAIT, visible, hidden } = e2e.waits(30_000);
const T = en.tagsAdmin;
const C = en.conversations.comments;

describe.skipIf(!hasChromium)('Administration → Tags, categories and comments', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  const run = Date.now().toString(36);
  const tagName = `E2E tag ${run}`;
  const categoryName = `E2E category ${run}`;
  let conversationId = '';
  const api = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => cookie)(method, url, body);
  const json = async <T>(method: string, url: string, body?: unknown) => (await (await api(method, url, body)).json()) as T;

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    // Sam Support's chat (Tech Support, under Customer Care): Marc Manager sees it, Alex Agent (own conversations only) does not.
    conversationId = await e2e.ingestChat(api, {
      chatId: `e2e-tags-${run}`,
      roomName: `Tags e2e ${run}`,
      participants: [
        { key: 'c', role: 'customer', name: 'Tina Tagged' },
        { key: 'a', role: 'agent', name: 'Sam Support', extension: '2001' },
      ],
      messages: [
        { sender: 'c', at: new Date(Date.now() - 600_000).toISOString(), text: 'My bill doubled.' },
        { sender: 'a', at: new Date(Date.now() - 590_000).toISOString(), text: 'Let me check that.' },
      ],
    });
    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 } }));
    await e2e.signIn(page, server, server.login.admin, WAIT.timeout);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates and archives a tag on Administration → Tags; Add tag no longer offers it', async () => {
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('tab', { name: en.admin.tabs.tags }).click();
    await page.waitForURL('**/admin/tags');
    await visible(page.getByRole('heading', { name: T.title }));
    // The demo's presets and tags are listed with their usage.
    await visible(page.getByTestId('tag-row').filter({ hasText: 'Flag' }));

    await page.getByRole('button', { name: T.tags.create }).click();
    await page.getByRole('textbox', { name: T.fields.name }).fill(tagName);
    await page.getByRole('button', { name: T.submitCreate }).click();
    const row = page.getByTestId('tag-row').filter({ hasText: tagName });
    await visible(row);
    await row.getByRole('button', { name: `Archive ${tagName}` }).click();
    await visible(row.getByTestId('archived-badge'));
    const tags = await json<{ items: Array<{ name: string; archived: boolean }> }>('GET', '/api/tags');
    expect(tags.items.find((x) => x.name === tagName)?.archived).toBe(true);

    await page.goto(`${server.url}/conversations/${conversationId}`);
    await page.getByRole('button', { name: en.conversations.actions.addTag }).first().click();
    const picker = page.getByPlaceholder(en.conversations.tags.pick);
    await picker.click();
    await picker.fill('E2E tag');
    await visible(page.getByText(en.common.nothingFound));
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: en.common.cancel }).click();
  });

  it('creates a category, files the conversation under it from its page, and finds it in the By category view', async () => {
    await page.goto(`${server.url}/admin/tags?tab=categories`);
    // The demo's categories are there.
    await visible(page.getByTestId('category-row').filter({ hasText: 'Cancellation' }));
    await page.getByRole('button', { name: T.categories.create }).click();
    await page.getByRole('textbox', { name: T.fields.name }).fill(categoryName);
    await page.getByRole('button', { name: T.submitCreate }).click();
    const row = page.getByTestId('category-row').filter({ hasText: categoryName });
    await visible(row);
    expect(await row.getByTestId('category-count').textContent()).toBe('0');

    await page.goto(`${server.url}/conversations/${conversationId}`);
    const block = page.getByTestId('conversation-categories');
    await visible(block.getByText(en.conversations.categories.none));
    await block.getByRole('button', { name: en.conversations.categories.edit }).click();
    await block.getByPlaceholder(en.conversations.categories.pick).click();
    await page.getByRole('option', { name: categoryName }).click();
    await page.getByRole('option', { name: 'Cancellation' }).click();
    await page.keyboard.press('Escape');
    await block.getByRole('button', { name: en.common.save }).click();
    await visible(block.getByText(categoryName));
    await visible(block.getByText('Cancellation'));

    // Administration links the count to the By category view, which lists the conversation.
    await page.goto(`${server.url}/admin/tags?tab=categories`);
    const count = page.getByTestId('category-row').filter({ hasText: categoryName }).getByTestId('category-count');
    await expect.poll(() => count.textContent(), WAIT).toBe('1');
    await count.click();
    await page.waitForURL('**/conversations?*');
    await expect.poll(() => page.getByTestId('conversation-row').count(), WAIT).toBe(1);
    await visible(page.getByTestId('conversation-row').getByText('Tina Tagged'));

    const audit = await json<{ items: Array<{ action: string; details: string }> }>('GET', `/api/conversations/${conversationId}/audit`);
    expect(audit.items.find((e) => e.action === 'CHAT_EVENT_CATEGORY_UPDATE')?.details).toBe(`Filed under ${categoryName}, Cancellation`);
  });

  it('files the rows ticked in the list under a category at once', async () => {
    await page.goto(`${server.url}/conversations`);
    const rows = page.getByTestId('conversation-row');
    await expect.poll(() => rows.count(), WAIT).toBeGreaterThan(2);
    const ids = [await rows.nth(0).getAttribute('data-id'), await rows.nth(1).getAttribute('data-id')];
    await rows.nth(0).getByTestId('row-check').click();
    await rows.nth(1).getByTestId('row-check').click();
    await page.getByTestId('selection-categories').click();
    await page.getByTestId('selection-categories-menu').getByRole('menuitem', { name: 'Technical issue' }).first().click();
    await visible(page.getByTestId('selection-done'));
    const technical = (await json<{ items: Array<{ id: string; name: string }> }>('GET', '/api/categories')).items.find((c) => c.name === 'Technical issue')!;
    for (const id of ids.filter((x): x is string => !!x)) {
      const detail = await json<{ tags: Array<{ tagId: string; kind: string }> }>('GET', `/api/conversations/${id}`);
      expect(detail.tags.some((x) => x.tagId === technical.id && x.kind === 'category')).toBe(true);
    }
  });

  it('comments with an @mention of someone who may see the conversation, pins it and edits it', async () => {
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const box = page.getByRole('textbox', { name: C.add });
    await box.click();
    // Alex Agent sees only their own conversations: not offered here.
    await box.pressSequentially('Check this @Alex');
    const list = page.getByTestId('mention-list');
    await visible(list.getByText(C.mentionNone));
    await box.fill('');
    await box.pressSequentially('Please listen @Mar');
    await list.getByRole('option', { name: /Marc Manager/ }).click();
    await box.pressSequentially('from the start');
    expect(await box.inputValue()).toBe('Please listen @Marc Manager from the start');
    await page.getByRole('button', { name: C.post }).click();

    const comment = page.getByTestId('comment').filter({ hasText: 'Please listen' });
    await visible(comment);
    expect(await comment.getByTestId('comment-text').textContent()).toBe('Please listen @Marc Manager from the start');
    await visible(comment.getByTestId('mention'));
    // Nowhere on the page (the audit section included) does the raw token show.
    await expect.poll(() => page.getByText('@[').count(), WAIT).toBe(0);

    await comment.getByRole('button', { name: C.pin }).click();
    await expect.poll(() => comment.getAttribute('data-pinned'), WAIT).toBe('true');
    await comment.getByRole('button', { name: C.edit }).click();
    const edit = page.getByRole('textbox', { name: C.editLabel });
    await edit.fill('Please listen @Marc Manager from 0:30');
    await page.getByTestId('comment-edit-form').getByRole('button', { name: en.common.save }).click();
    await hidden(page.getByTestId('comment-edit-form'));
    const edited = page.getByTestId('comment').filter({ hasText: 'from 0:30' });
    await visible(edited.getByTestId('comment-edited'));
    await visible(edited.getByTestId('mention'));

    const stored = await json<{ items: Array<{ text: string; pinned: boolean; edited: boolean; mentions: string[] }> }>(
      'GET',
      `/api/conversations/${conversationId}/comments`,
    );
    expect(stored.items[0]).toMatchObject({ pinned: true, edited: true });
    expect(stored.items[0]!.text).toMatch(/^Please listen @\[Marc Manager\]\([A-Za-z0-9_-]+\) from 0:30$/);
    expect(stored.items[0]!.mentions).toHaveLength(1);
    const audit = await json<{ items: Array<{ action: string; details: string }> }>('GET', `/api/conversations/${conversationId}/audit`);
    const updates = audit.items.filter((e) => e.action === 'COMMENT_UPDATE').map((e) => e.details);
    expect(updates.some((d) => d.startsWith('Pinned comment'))).toBe(true);
    expect(updates.some((d) => d.startsWith('Edited comment'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
