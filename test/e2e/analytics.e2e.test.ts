// Conversation analytics end to end in Debian Chromium: a demo call's Analytics tab (sections in the seed order with
// the server's scores), an indicator that seeks the player and marks its mention in the transcript, and sentiment over
// time in the player (ECharts loaded on first use) whose change marker opens the lines of that stretch and plays them.
// Needs `npm run build:web` first and /usr/bin/chromium.
//
// The test server has no speech engine, so the demo calls have no transcript. One is given a short scripted exchange
// (our own wording: a customer who wants to leave, an agent who keeps them) stored as the transcription job stores a
// transcript, then analysed by the real insights service with the tenant's default indicators: the text decides what
// the tab shows, not a recogniser's errors.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { analyseConversation } from '../../src/analytics/insights/service.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { newId, nowIso } from '../../src/platform/ids.ts';
import { replaceTranscript, setSpeechStatus, type NewUtterance } from '../../src/speech/repository.ts';
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('analytics');
const { WAIT, visible } = e2e.waits(30_000);
const A = en.analytics;

interface Manifest {
  conversationId: string;
  status: string | null;
  segments: { kind: string; startMs: number; endMs: number; mixUrl: string | null; streams: { party: string; role: string; status: string }[] }[];
}

/** The scripted exchange: who says what, when (s from the call's start). */
const SCRIPT: { role: 'agent' | 'customer'; at: number; text: string }[] = [
  { role: 'agent', at: 1, text: 'good morning thank you for calling how can i help you today' },
  { role: 'customer', at: 5, text: 'this is terrible i am furious and i want to cancel my account right now' },
  { role: 'agent', at: 10, text: 'i am sorry to hear that what would make you want to stay with us' },
  { role: 'customer', at: 15, text: 'the fees keep going up and nobody ever answers my emails it is awful' },
  { role: 'agent', at: 20, text: 'i will send you a refund for the fees by email today' },
  { role: 'customer', at: 25, text: 'wow thank you so much that is wonderful you have been really great' },
];

describe.skipIf(!hasChromium)('conversation analytics', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  let conversationId = '';

  const api = (url: string, init: RequestInit = {}) => e2e.apiClient(server, () => cookie)(init.method ?? 'GET', url, undefined, init);
  const panel = () => page.getByTestId('analytics-panel');

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);

    // A demo call of 30 s or more whose media is ready, with an agent and a customer on their own streams.
    const listFilter = JSON.stringify({ channels: ['call'], period: null, sort: 'newest' });
    const search = await api('/api/conversations/search?limit=50', { method: 'POST', headers: { 'content-type': 'application/json' }, body: listFilter });
    expect(search.status).toBe(200);
    const { items } = (await search.json()) as { items: { id: string }[] };
    let call: Manifest | null = null;
    for (const { id } of items) {
      const m = (await (await api(`/api/conversations/${id}/media`)).json()) as Manifest;
      const calls = m.segments.filter((s) => s.kind === 'call');
      const streams = calls.flatMap((s) => s.streams).filter((s) => s.status === 'ok');
      const long = calls.length > 0 && Math.max(...calls.map((s) => s.endMs)) - Math.min(...calls.map((s) => s.startMs)) >= 30_000;
      if (m.status === 'ready' && long && calls.every((s) => s.mixUrl) && ['agent', 'customer'].every((r) => streams.some((s) => s.role === r))) {
        call = m;
        break;
      }
    }
    expect(call, 'a demo call with analysed media, an agent and a customer').toBeTruthy();
    conversationId = call!.conversationId;
    const start = Math.min(...call!.segments.filter((s) => s.kind === 'call').map((s) => s.startMs));
    const partyOf = (role: string) => call!.segments.flatMap((s) => s.streams).find((s) => s.role === role)!.party;

    const utterances: NewUtterance[] = SCRIPT.map((line, seq) => {
      const words = line.text.split(' ').map((w, i) => ({ w, s: start + line.at * 1000 + i * 280, e: start + line.at * 1000 + i * 280 + 240, c: 0.9 }));
      return {
        id: newId(),
        segmentId: null,
        streamId: null,
        partyKey: partyOf(line.role),
        role: line.role,
        seq,
        startMs: words[0]!.s,
        endMs: words[words.length - 1]!.e,
        text: line.text,
        displayText: line.text,
        redactedText: line.text,
        confidence: 0.9,
        words,
        pii: [],
      };
    });
    const ctx = server.ctx;
    const tenantId = (await ctx.db.selectFrom('conversations').select('tenant_id').where('id', '=', conversationId).executeTakeFirstOrThrow()).tenant_id;
    await inTransaction(ctx.db, async (uow) => {
      await replaceTranscript(
        uow.tx,
        ctx.adapter,
        {
          id: newId(),
          tenant_id: tenantId,
          conversation_id: conversationId,
          engine: 'scripted',
          language: 'en',
          word_count: utterances.reduce((n, u) => n + u.words.length, 0),
          audio_ms: 30_000,
          cpu_ms: 0,
          created_at: nowIso(),
        },
        utterances,
      );
      await setSpeechStatus(uow.tx, conversationId, 'ready', null, nowIso());
    });
    await analyseConversation(ctx, conversationId);

    browser = await e2e.launchChromium(['--autoplay-policy=no-user-gesture-required']);
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 1000 } }));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the Analytics tab of a demo call: the sections in the seed order with the server’s scores', async () => {
    await page.goto(`${server.url}/conversations/${conversationId}`);
    await page.getByTestId('analytics-tab').click();
    await visible(panel());
    const titles = await panel()
      .locator('section')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(titles).toEqual([A.engagement, A.sentiment, A.nextSteps, A.callOuts, A.topics, A.speechEvents, A.agentSummary]);
    expect(await page.getByTestId('analytics-engagement-value').textContent()).toMatch(/^\d+$/);
    expect(await page.getByTestId('analytics-sentiment-value').textContent()).toMatch(/^\d+$/);
    await expect.poll(() => page.getByTestId('analytics-next-steps-item').count(), WAIT).toBeGreaterThan(0);
    expect(await page.getByTestId('analytics-next-steps').textContent()).toContain('refund');
    expect(await page.getByTestId('analytics-agent-talk-listen').textContent()).toMatch(/\d+ : \d+/);
    expect(await page.getByTestId('analytics-event-count-silence').count()).toBe(1);
  });

  it('an indicator seeks the player to its mention and marks its words in the transcript', async () => {
    const churn = page.getByTestId('analytics-indicator').filter({ hasText: 'Churn risk' });
    await visible(churn);
    await churn.click();
    const marked = () =>
      page.evaluate(() => [...document.querySelectorAll('[data-testid="transcript-words"] [data-insight]')].map((e) => e.textContent?.trim()));
    await expect.poll(marked, WAIT).toEqual(['cancel', 'my', 'account']);
    // The mention is said about 5 s into the call: the player is there.
    const time = (await page.getByTestId('player-time').textContent()) ?? '';
    expect(time.split('/')[0]!.trim()).toMatch(/^0:0[5-7]$/);
  });

  it('sentiment over time in the player: a change opens the lines of that stretch and plays them', async () => {
    const chart = page.getByTestId('sentiment-chart');
    await visible(chart);
    // ECharts came in its own chunk and drew the curve.
    await expect.poll(() => chart.getAttribute('data-ready'), WAIT).toBe('');
    await expect.poll(() => chart.locator('svg path').count(), WAIT).toBeGreaterThan(0);
    const markers = page.getByTestId('sentiment-change');
    await expect.poll(() => markers.count(), WAIT).toBeGreaterThan(0);
    await markers.first().click();
    const popup = page.getByTestId('sentiment-popup');
    await visible(popup);
    expect((await popup.textContent())?.length).toBeGreaterThan(20);
    await popup.getByTestId('sentiment-play').click();
    await expect.poll(() => page.getByTestId('player-play').getAttribute('data-playing'), WAIT).toBe('true');
    expect(pageErrors).toEqual([]);
  });
});
