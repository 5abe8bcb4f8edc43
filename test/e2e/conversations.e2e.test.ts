// The Conversations screen end to end: data ingested through the real API, the built app (dist/web) served by the
// real server, driven in Debian Chromium. Needs `npm run build:web` first and /usr/bin/chromium; never downloads a browser.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/media/wav-write.ts';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const SHOTS = {
  list: '/tmp/earshot-conv-list.png',
  detail: '/tmp/earshot-conv-detail.png',
  call: '/tmp/earshot-conv-call.png',
  email: '/tmp/earshot-conv-email.png',
  agent: '/tmp/earshot-conv-agent.png',
};
const hasChromium = e2e.chromiumFor('conversations');
const { WAIT, visible, hidden } = e2e.waits(15_000);
const C = en.conversations;

/** An 8 kHz, 16-bit PCM stereo WAV: a tone per channel (440 and 660 Hz), so each party is audible apart. */
function stereoWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = new Int16Array(rate * seconds * 2);
  for (let i = 0; i < rate * seconds; i++) {
    samples[i * 2] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000);
    samples[i * 2 + 1] = Math.round(Math.sin((2 * Math.PI * 660 * i) / rate) * 8000);
  }
  return encodeWav({ sampleRate: rate, channels: 2, samples });
}

describe.skipIf(!hasChromium)('conversations screen', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let adminCookie = '';
  let callIngested: string | null = null; // why not, when it failed
  let pageErrors: string[] = [];
  const base = Date.now() - 100 * 60_000; // the newest of these is 10 minutes old: above any seeded demo data
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const suffix = Date.now().toString(36);
  const ids: Record<'camille' | 'jordan' | 'noah', string> = { camille: '', jordan: '', noah: '' };

  const api = (method: string, url: string, body?: unknown, init: RequestInit = {}) => e2e.apiClient(server, () => adminCookie)(method, url, body, init);
  const ingestChat = (input: Record<string, unknown>) => e2e.ingestChat(api, input);
  const signIn = (p: Page, who: e2e.Login) => e2e.signIn(p, server, who, WAIT.timeout);

  const row = (p: Page, text: string) => p.getByTestId('conversation-row').filter({ hasText: text });
  const preview = () => page.getByTestId('conversation-preview');

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    adminCookie = await e2e.sessionCookie(server);

    // One customer contact across a chat, a call and a follow-up chat (joined by the engagement id), and two more chats.
    const engagementId = `eng-${suffix}`;
    const camille = [
      { key: 'cust', role: 'customer', name: 'Camille Martin', email: 'camille.martin@example.com', phone: '+33 6 12 34 56 78' },
      { key: 'agent', role: 'agent', extension: '1001' },
    ];
    ids.camille = await ingestChat({
      chatId: `chat-a-${suffix}`,
      engagementId,
      roomName: 'Invoice question',
      queue: 'Billing',
      participants: camille,
      customData: { crmCase: 'CASE-1042', plan: 'Premium' },
      metadata: { site: 'web', browser: 'Firefox' },
      messages: [
        { sender: 'cust', at: at(0), text: 'Hello, my last invoice shows a charge twice.' },
        { sender: 'agent', at: at(1), text: 'Sorry about that! Let me look at your account.' },
        { sender: 'agent', at: at(1.5), text: 'I can see the duplicate charge from March 3rd.' },
        { sender: 'cust', at: at(3), text: 'Can you call me so we sort it out?' },
        { sender: 'agent', at: at(4), text: 'Of course, calling you now.' },
      ],
    });
    const wav = stereoWav(20);
    const form = new FormData();
    form.set(
      'metadata',
      JSON.stringify({
        callId: `call-${suffix}`,
        engagementId,
        startTime: at(5),
        direction: 'outbound',
        queue: 'Billing',
        agent: 'agent',
        parties: [
          { key: 'agent', role: 'agent', extension: '1001' },
          { key: 'cust', role: 'customer', name: 'Camille Martin', phone: '+33 6 12 34 56 78' },
        ],
        audio: [{ file: 'call.wav', channelMap: { 0: 'agent', 1: 'cust' } }],
        events: [
          { type: 'hold', offsetMs: 6000 },
          { type: 'resume', offsetMs: 11000 },
          { type: 'transfer', offsetMs: 17000, to: 'Refunds' },
        ],
      }),
    );
    form.set('audio', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'call.wav');
    const call = await fetch(`${server.url}/api/ingest/calls`, { method: 'POST', headers: { cookie: adminCookie }, body: form });
    if (call.status === 200) expect(((await call.json()) as { conversationId: string }).conversationId).toBe(ids.camille);
    else {
      callIngested = `POST /api/ingest/calls answered ${call.status}: ${(await call.text()).slice(0, 300)}`;
      console.warn(`\n!! the call steps are skipped: ${callIngested}\n`);
    }
    await ingestChat({
      chatId: `chat-a2-${suffix}`,
      engagementId,
      roomName: 'Invoice question (follow-up)',
      participants: camille,
      messages: [
        { sender: 'cust', at: at(30), text: 'Thanks, I see the refund now.' },
        { sender: 'agent', at: at(31), text: 'Great, have a nice day!' },
      ],
    });
    ids.jordan = await ingestChat({
      chatId: `chat-b-${suffix}`,
      roomName: 'Router keeps rebooting',
      queue: 'Tech Support',
      participants: [
        { key: 'c', role: 'customer', name: 'Jordan Lee', phone: '+1 415 555 0142' },
        { key: 'a', role: 'agent', extension: '2001' },
      ],
      messages: [
        { sender: 'c', at: at(60), text: 'My router restarts every ten minutes.' },
        { sender: 'a', at: at(62), text: 'Let us try a factory reset.' },
      ],
    });
    ids.noah = await ingestChat({
      chatId: `chat-c-${suffix}`,
      roomName: 'Address change',
      queue: 'Billing',
      participants: [
        { key: 'c', role: 'customer', name: 'Noah Schmidt', email: 'noah@example.org' },
        { key: 'a', role: 'agent', extension: '1001' },
      ],
      messages: [
        { sender: 'c', at: at(90), text: 'I moved, please update my billing address.' },
        { sender: 'a', at: at(91), text: 'Done: the next invoice goes to the new address.' },
      ],
    });

    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 }, acceptDownloads: true }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the conversations newest first with the total and channel icons', async () => {
    await signIn(page, server.login.admin);
    await visible(page.getByRole('heading', { name: en.nav.conversations }));
    await visible(row(page, 'Noah Schmidt'));
    const { total } = await page.evaluate(async () => (await fetch('/api/conversations?limit=1')).json() as Promise<{ total: number }>);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('conversation-total').textContent()).toBe(C.total.replace('{{total}}', total.toLocaleString('en-GB')));

    // Newest first: Noah (90 min) before Jordan (60) before Camille (0).
    const order = await page.getByTestId('conversation-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(order.indexOf(ids.noah)).toBeLessThan(order.indexOf(ids.jordan));
    expect(order.indexOf(ids.jordan)).toBeLessThan(order.indexOf(ids.camille));

    await visible(row(page, 'Jordan Lee').getByRole('img', { name: C.kind.chat }));
    expect(await row(page, 'Jordan Lee').getByRole('img', { name: C.direction.inbound }).count()).toBe(1);
    const camille = row(page, 'Camille Martin');
    await visible(camille.getByRole('img', { name: C.kind.chat }));
    if (!callIngested) await visible(camille.getByRole('img', { name: C.kind.call }));
    expect(await camille.textContent()).toContain('Alex Agent');

    // Keyset paging: "Load more" appends the next page (the seeded demo data makes more than one page).
    const shown = await page.getByTestId('conversation-row').count();
    if (total > shown) {
      await page.getByRole('button', { name: en.common.loadMore }).click();
      await expect.poll(() => page.getByTestId('conversation-row').count(), WAIT).toBe(Math.min(total, shown * 2));
    } else {
      await visible(page.getByText(C.endOfList));
    }
  });

  it('opens the preview with the segments on a timeline', async () => {
    await row(page, 'Camille Martin').click();
    await visible(preview());
    expect(new URL(page.url()).searchParams.get('c')).toBe(ids.camille);
    await visible(preview().getByRole('heading', { name: 'Invoice question' }));
    await visible(preview().getByTestId('segment-timeline'));
    const kinds = await preview()
      .getByTestId('timeline-bar')
      .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-kind')));
    expect(kinds).toEqual(callIngested ? ['chat', 'chat'] : ['chat', 'call', 'chat']);
    if (!callIngested) {
      expect(await preview().getByTestId('timeline-hold').count()).toBe(1);
      expect(await preview().getByTestId('timeline-mark').count()).toBe(1);
    }
    // What was written, in the pane (issue 16 item 8): the chat thread's text, and no review history before reviews exist.
    const chat = preview().getByTestId('preview-chat').first();
    await visible(chat.getByTestId('chat-bubble').filter({ hasText: 'my last invoice shows a charge twice' }));
    expect(await preview().getByText(C.reviews.title).count()).toBe(0);
    if (!callIngested) await visible(preview().getByTestId('preview-call'));
    await page.screenshot({ path: SHOTS.list });
  });

  it('adds a tag with a comment from the preview', async (ctx) => {
    const probe = await api('GET', '/api/tags');
    if (probe.status === 404) return ctx.skip('GET /api/tags answers 404: the tags API is not there yet, so Add tag cannot be checked');
    expect(probe.status).toBe(200);
    const created = await Promise.all([
      api('POST', '/api/tags', { name: `Billing error ${suffix}`, color: '#e03131' }),
      api('POST', '/api/tags', { name: `Escalation ${suffix}`, color: '#7048e8', commentRequired: true }),
    ]);
    for (const r of created) expect(r.status, await r.clone().text()).toBe(200);
    const [plain, strict] = (await Promise.all(created.map((r) => r.json()))) as { id: string; name: string }[];

    // A tag that requires a comment says so, and is not applied without one.
    await preview().getByRole('button', { name: C.actions.addTag }).click();
    const dialog = page.getByRole('dialog', { name: C.tags.addTitle });
    await visible(dialog);
    await dialog.getByLabel(C.tags.tag, { exact: true }).click();
    await page.getByRole('option', { name: strict!.name }).click();
    await visible(dialog.getByText(C.tags.commentRequiredHint));
    await dialog.getByRole('button', { name: C.tags.add }).click();
    await visible(dialog.getByText(C.tags.commentRequired));

    // A plain tag with a comment: the counter follows the typing, the tag shows in the preview and in the list.
    await dialog.getByLabel(C.tags.tag, { exact: true }).click();
    await page.getByRole('option', { name: plain!.name }).click();
    const comment = 'Charged twice for March';
    await dialog.getByRole('textbox', { name: C.tags.comment }).fill(comment);
    expect(await dialog.getByTestId('tag-comment-counter').textContent()).toBe(`${comment.length}/1000`);
    await dialog.getByRole('button', { name: C.tags.add }).click();
    await hidden(dialog);

    const tags = preview().getByTestId('conversation-tags');
    await visible(tags.getByText(plain!.name));
    await visible(tags.getByText(comment));
    const count = row(page, 'Camille Martin').getByTestId('tag-count');
    await visible(count);
    expect(await count.textContent()).toBe('1');
    // Hovering the count lists the tags with their comments (the preview shows the comment once already).
    await count.hover();
    await expect.poll(() => page.getByText(comment).count(), WAIT).toBe(2);
    await page.mouse.move(0, 0);
  });

  it('exports the conversation as a JSON download', async () => {
    // Export is a menu (JSON / MP3 / WAV) where the export menu is built, else a plain JSON button.
    const menu = preview().getByTestId('action-export');
    const exportJson = async () => {
      if ((await menu.count()) === 0) return preview().getByRole('button', { name: C.actions.export }).click();
      await menu.click();
      await page.getByTestId('export-json').click();
    };
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), exportJson()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${ids.camille}_.+\\.json$`));
    const file = await download.path();
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { conversation: { id: string } };
    expect(body.conversation.id).toBe(ids.camille);
  });

  it('shows the detail view: chat bubbles by side, participants, custom data, metadata and the call', async () => {
    // Double-click plays a call in the docked player; the preview's Open link opens the detail view.
    await preview().getByRole('link', { name: C.actions.open }).click();
    await page.waitForURL(`**/conversations/${ids.camille}`, WAIT);
    const detail = page.getByTestId('conversation-detail');
    await visible(detail.getByRole('heading', { name: 'Invoice question' }));
    // Two chat threads: the call between them breaks the thread (one thread when there is no call).
    await expect.poll(() => detail.getByTestId('chat-thread').count(), WAIT).toBe(callIngested ? 1 : 2);
    const bubbles = detail.getByTestId('chat-bubble');
    await visible(bubbles.filter({ hasText: 'my last invoice shows a charge twice' }));
    expect(await bubbles.filter({ hasText: 'my last invoice' }).getAttribute('data-side')).toBe('left');
    expect(await bubbles.filter({ hasText: 'Let me look at your account' }).getAttribute('data-side')).toBe('right');
    await visible(detail.getByRole('region', { name: C.participants.title }).getByText('Camille Martin').first());
    await visible(detail.getByRole('region', { name: C.customData.title }).getByText('CASE-1042'));
    await visible(detail.getByRole('region', { name: C.metadata.title }).getByText('Firefox'));
    await page.screenshot({ path: SHOTS.detail, fullPage: true });

    if (!callIngested) {
      const call = detail.getByTestId('segment-call');
      await visible(call);
      // The call plays through the media API: the segment's stereo mix is a ranged WAV once the analysis ran.
      const media = await page.evaluate(async (id) => {
        for (let i = 0; i < 100; i++) {
          const m = await (await fetch(`/api/conversations/${id}/media`)).json();
          const seg = m.segments.find((s: { kind: string; mixUrl: string | null }) => s.kind === 'call' && s.mixUrl);
          if (seg) {
            const r = await fetch(seg.mixUrl, { headers: { range: 'bytes=0-43' } });
            return { status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 4)) };
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        return null;
      }, ids.camille);
      expect(media).toEqual({ status: 206, head: 'RIFF' });
      await visible(call.getByTestId('call-events').getByText(C.events.hold));
      await call.scrollIntoViewIfNeeded();
      await page.screenshot({ path: SHOTS.call });
    }
    expect(pageErrors).toEqual([]);
  });

  it('adds a private comment at a time offset and edits a custom field in the detail view', async () => {
    const comments = page.getByTestId('conversation-detail').getByRole('region', { name: C.comments.title.replace('{{n}}', '0') });
    await comments.getByRole('textbox', { name: C.comments.add }).fill('Refund promised within 5 days');
    await comments.getByText(C.comments.private, { exact: true }).click();
    await comments.getByRole('textbox', { name: C.comments.offset }).fill('0:12');
    await comments.getByRole('button', { name: C.comments.post, exact: true }).click();
    const comment = page.getByTestId('comment').filter({ hasText: 'Refund promised within 5 days' });
    await visible(comment);
    expect(await comment.textContent()).toContain(C.comments.private);
    expect(await comment.textContent()).toContain('0:12');

    const { items: fields } = (await (await api('GET', '/api/custom-fields')).json()) as { items: { key: string; label: string; type: string }[] };
    const field = fields.find((f) => f.type === 'text');
    if (!field) return console.warn('\n!! no text custom field is defined: the custom field edit is not checked\n');
    const card = page.getByTestId('conversation-detail').getByRole('region', { name: C.customFields.title });
    await card.getByRole('button', { name: en.common.edit }).click();
    await card.getByRole('textbox', { name: field.label }).fill('INC-77001');
    await card.getByRole('button', { name: en.common.save }).click();
    await visible(card.getByText('INC-77001'));
    const detail = (await (await api('GET', `/api/conversations/${ids.camille}`)).json()) as { customFieldValues: { key: string; value: string | null }[] };
    expect(detail.customFieldValues.find((v) => v.key === field.key)?.value).toBe('INC-77001');
  });

  it('shows an email segment as plain text with its envelope', async () => {
    const { items } = await page.evaluate(
      async () => (await fetch('/api/conversations?limit=200')).json() as Promise<{ items: { id: string; channels: string[] }[] }>,
    );
    const mail = items.find((i) => i.channels.includes('email'));
    if (!mail) return console.warn('\n!! no email conversation in the seeded data: the email segment is not checked\n');
    await page.goto(`${server.url}/conversations/${mail.id}`);
    const segment = page.getByTestId('segment-email').first();
    await visible(segment.getByTestId('email-body'));
    expect(await segment.textContent()).toContain(C.email.subject);
    await page.screenshot({ path: SHOTS.email });
    expect(pageErrors).toEqual([]);
  });

  it('opens a chat in full in the preview on double-click, without leaving the list', async () => {
    await page.goto(`${server.url}/conversations`);
    await row(page, 'Jordan Lee').dblclick();
    await visible(preview().getByTestId('preview-chat'));
    await expect.poll(() => preview().getByTestId('preview-chat').getAttribute('data-open'), WAIT).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/conversations');
    expect(new URL(page.url()).searchParams.get('c')).toBe(ids.jordan);
    await visible(preview().getByTestId('chat-bubble').filter({ hasText: 'Let us try a factory reset.' }));
    // A double-click in the pane closes it again.
    await preview().getByTestId('preview-chat').dblclick();
    await expect.poll(() => preview().getByTestId('preview-chat').getAttribute('data-open'), WAIT).toBe('false');
  });

  it('keeps every list column in view beside the preview; the split and the columns are remembered', async () => {
    await page.goto(`${server.url}/conversations?c=${ids.jordan}`);
    await visible(preview());
    const list = page.getByTestId('conversation-list');
    const widths = () => list.evaluate((el) => `${el.scrollWidth} / ${el.clientWidth}`);
    const fits = () => list.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(await fits(), await widths()).toBe(true); // 1440 px wide: no column cut off by the preview

    // Dragging the bar between them widens the preview; the width survives a reload.
    const pane = page.getByTestId('preview-pane');
    const before = (await pane.boundingBox())!.width;
    const handle = (await page.getByTestId('preview-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x - 100, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = (await pane.boundingBox())!.width;
    expect(after).toBeGreaterThan(before + 80);
    await page.reload();
    await visible(pane);
    expect(Math.abs((await pane.boundingBox())!.width - after)).toBeLessThan(2);

    // The columns chooser hides the Agent column (remembered too); Show all brings it back.
    const header = () => page.getByRole('columnheader', { name: C.cols.agent, exact: true });
    await visible(header());
    await page.getByTestId('columns-button').click();
    await page.getByRole('menuitem', { name: C.cols.agent }).click();
    await hidden(header());
    await page.keyboard.press('Escape');
    await page.reload();
    await visible(row(page, 'Jordan Lee'));
    expect(await header().count()).toBe(0);
    await page.getByTestId('columns-button').click();
    await page.getByRole('menuitem', { name: C.columns.showAll }).click();
    await visible(header());
    await page.keyboard.press('Escape');
    await page.evaluate(() => localStorage.removeItem('earshot.conversations.previewWidth'));
    expect(pageErrors).toEqual([]);
  });

  it('fits the 12-hour start time beside the tag count (en-US)', async () => {
    const { context, page: us } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await signIn(us, server.login.admin);
    await visible(row(us, 'Noah Schmidt'));
    const times = us.getByTestId('conversation-row').locator('time');
    expect(await times.first().textContent()).toMatch(/[AP]M$/);
    // Every start time is whole inside its cell: nothing runs under the tag count next to it.
    const cut = await times.evaluateAll((els) =>
      els
        .filter((el) => el.parentElement!.scrollWidth > el.parentElement!.clientWidth)
        .map((el) => `${el.textContent} (${el.parentElement!.scrollWidth} > ${el.parentElement!.clientWidth} px)`),
    );
    expect(cut).toEqual([]);
    await context.close();
  });

  it('shows an agent only their own conversations', async () => {
    const { context: agentContext, page: agentPage } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 } });
    await signIn(agentPage, server.login.agent);
    await visible(row(agentPage, 'Noah Schmidt'));
    await visible(row(agentPage, 'Camille Martin'));
    expect(await row(agentPage, 'Jordan Lee').count()).toBe(0);
    const { total, items } = await agentPage.evaluate(
      async () => (await fetch('/api/conversations?limit=200')).json() as Promise<{ total: number; items: { participants: { userName: string | null }[] }[] }>,
    );
    // Every conversation listed is one the agent took part in.
    expect(items.filter((i) => !i.participants.some((p) => p.userName === 'Alex Agent'))).toEqual([]);
    expect(await agentPage.getByTestId('conversation-total').textContent()).toBe(C.total.replace('{{total}}', total.toLocaleString('en-GB')));
    // The agent role may not export: the action is not offered.
    await row(agentPage, 'Noah Schmidt').click();
    await visible(agentPage.getByTestId('conversation-preview'));
    expect(await agentPage.getByTestId('conversation-preview').getByRole('button', { name: C.actions.export }).count()).toBe(0);
    await agentPage.screenshot({ path: SHOTS.agent });
    await agentContext.close();
  });
});
