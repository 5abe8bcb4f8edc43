// Speech end to end in Debian Chromium: search a phrase the customer said, open the call, see its transcript, play,
// and watch the lit word follow playback; then open the call at a moment (?t=, as a search hit in speech links it)
// and check the player and the transcript are there. Needs `npm run build:web` first and /usr/bin/chromium.
//
// The transcript is made deterministic rather than recognised: a corpus call (p07) is ingested through the real API
// and analysed by the real media pipeline, then its ground-truth words are stored through the speech repository
// (replaceTranscript, as the transcription job stores them) and the conversation is indexed by the real search
// indexer. A recogniser's errors would make the phrase and the timing assertions flaky; the test server has no speech
// engine (speech.transcribe settles at once with "no engine"), and pocketsphinx itself is tested by the speech suites.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { newId, nowIso } from '../../src/platform/ids.ts';
import { inTransaction } from '../../src/platform/db/uow.ts';
import { replaceTranscript, setSpeechStatus, type NewUtterance } from '../../src/speech/repository.ts';
import { indexConversation } from '../../src/search/index/indexer.ts';
import * as e2e from './setup.ts';

const CORPUS = path.resolve(e2e.ROOT, '..', 'shared/corpus/public');
const CALL = 'p07_happy_upgrade';
const hasCorpus = fs.existsSync(path.join(CORPUS, `${CALL}.wav`));
const hasChromium = e2e.chromiumFor('speech');
const { WAIT, visible } = e2e.waits(30_000);
/** Said by the customer at 19.3 s: "I'd also like to upgrade to the Premium membership so I can use the pool." */
const PHRASE = 'premium membership';

/** Polls `ok` until it holds (expect.poll is for tests, not hooks). */
async function until(ok: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Truth {
  utterances: { role: string; start: number; end: number; text: string; words: { w: string; start: number; end: number }[] }[];
}

describe.skipIf(!hasChromium || !hasCorpus)('speech: transcript panel', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let pageErrors: string[] = [];
  let conversationId = '';
  let stored: NewUtterance[] = [];

  const api = (method: string, url: string, body?: unknown, init?: RequestInit) => e2e.apiClient(server, () => cookie)(method, url, body, init);
  const panel = () => page.getByTestId('transcript-panel');
  const lit = () =>
    page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="transcript-words"] [data-active]')].map((e) => Number(e.dataset.wi)));
  const audioTime = () => page.evaluate(() => document.querySelector<HTMLAudioElement>('[data-testid="player-audio"]')!.currentTime * 1000);
  /** The stored word behind a global word number (utterance by utterance, word by word, as the panel numbers them). */
  const wordAt = (id: number) => stored.flatMap((u) => u.words)[id]!;

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);

    // The call, through the ingest API: agent on the left channel, customer on the right.
    const startTime = new Date(Date.now() - 5 * 60_000).toISOString();
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        callId: `speech-e2e-${Date.now().toString(36)}`,
        startTime,
        direction: 'inbound',
        parties: [
          { key: 'agent', role: 'agent', name: 'Lisa Peak' },
          { key: 'cust', role: 'customer', name: 'Jordan Pool', phone: '+15550100' },
        ],
        audio: [{ file: 'p07.wav', channelMap: { '0': 'agent', '1': 'cust' } }],
      }),
    );
    form.append('audio', new Blob([fs.readFileSync(path.join(CORPUS, `${CALL}.wav`))], { type: 'audio/wav' }), 'p07.wav');
    const res = await api('POST', '/api/ingest/calls', undefined, { body: form });
    expect(res.status, await res.clone().text()).toBe(200);
    conversationId = ((await res.json()) as { conversationId: string }).conversationId;

    // The server's worker analyses the media, then speech.transcribe settles (no engine): wait for both.
    const field = async (url: string) => ((await (await api('GET', url)).json()) as { status: string }).status;
    await until(async () => (await field(`/api/conversations/${conversationId}/media`)) === 'ready', 120_000, 'the media analysis');
    await until(async () => (await field(`/api/conversations/${conversationId}/transcript`)) !== 'pending', 60_000, 'speech.transcribe');

    // The ground truth stored as the job stores a transcript, then indexed by the real indexer.
    const truth = JSON.parse(fs.readFileSync(path.join(CORPUS, `${CALL}.json`), 'utf8')) as Truth;
    stored = truth.utterances.map((u, seq) => ({
      id: newId(),
      segmentId: null,
      streamId: null,
      partyKey: u.role === 'agent' ? 'agent' : 'cust',
      role: u.role === 'agent' ? 'agent' : 'customer',
      seq,
      startMs: Math.round(u.start * 1000),
      endMs: Math.round(u.end * 1000),
      text: u.words.map((w) => w.w).join(' '),
      displayText: u.text,
      redactedText: u.text,
      confidence: 0.9,
      words: u.words.map((w) => ({ w: w.w, s: Math.round(w.start * 1000), e: Math.round(w.end * 1000), c: 0.9 })),
      pii: [],
    }));
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
          engine: 'ground-truth',
          language: 'en',
          word_count: stored.reduce((n, u) => n + u.words.length, 0),
          audio_ms: 48_249,
          cpu_ms: 0,
          created_at: nowIso(),
        },
        stored,
      );
      await setSpeechStatus(uow.tx, conversationId, 'ready', null, nowIso());
    });
    await indexConversation(ctx, conversationId);

    // Audio plays in a headless browser without a gesture of a real user.
    browser = await e2e.launchChromium(['--autoplay-policy=no-user-gesture-required']);
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 1000 } }));
    await e2e.signIn(page, server, server.login.admin, WAIT.timeout);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds the call by a phrase the customer said and opens it on its transcript', async () => {
    const box = page.getByRole('textbox', { name: en.search.box.label });
    // The first list can take a while on a loaded machine (the server and Chromium share two cores with the rest).
    await page.getByTestId('conversation-row').first().waitFor({ timeout: 90_000 });

    await box.fill(`"${PHRASE}"`);
    await box.press('Enter');
    const row = page.locator(`[data-testid="conversation-row"][data-id="${conversationId}"]`);
    await visible(row);
    await row.click();
    await page.getByRole('link', { name: en.conversations.actions.open }).first().click();
    await page.waitForURL((u) => u.pathname === `/conversations/${conversationId}` && u.searchParams.get('q') === `"${PHRASE}"`, WAIT);

    // The transcript, by party, the customer's phrase marked as the search matched it.
    await visible(panel().getByText('membership', { exact: true }).first());
    expect(await panel().locator('[data-ui]').count()).toBe(stored.length);
    const hits = await panel()
      .locator('[data-hit]')
      .evaluateAll((els) => els.map((e) => e.textContent?.toLowerCase()));
    expect(hits).toEqual(['premium', 'membership']);
    const customer = panel().locator('[data-ui][data-role="customer"]').first();
    const agent = panel().locator('[data-ui][data-role="agent"]').first();
    const party = (l: typeof customer) => l.evaluate((e) => (e as HTMLElement).style.getPropertyValue('--party'));
    // Inbound: the customer called (dark green), the agent was called (light blue), as the waveforms draw them.
    expect(await party(customer)).toBe('#2b8a3e');
    expect(await party(agent)).toBe('#74c0fc');
  });

  it('plays, and the lit word follows playback', async () => {
    await page.getByTestId('player').getByTestId('player-play').click();
    await expect.poll(async () => (await audioTime()) > 1_500, WAIT).toBe(true);
    // Sampled while it plays: words are lit, in order, each one the audio is at (within the polling lag).
    const seen: number[] = [];
    const deadline = Date.now() + 6_000;
    while (Date.now() < deadline) {
      const [ids, now] = await Promise.all([lit(), audioTime()]);
      for (const id of ids) {
        const w = wordAt(id);
        expect(now, `word ${id} "${w.w}" lit at ${Math.round(now)} ms`).toBeGreaterThanOrEqual(w.s - 400);
        expect(now).toBeLessThanOrEqual(w.e + 400);
        if (seen[seen.length - 1] !== id) seen.push(id);
      }
      await page.waitForTimeout(120);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // The utterance at the playhead is marked for the follow view.
    expect(await panel().locator('[data-ui][data-current]').count()).toBe(1);
  });

  it('clicking a word plays from it', async () => {
    const target = stored[4]!.words[3]!; // "fifty"… of the agent's price
    const id = stored.slice(0, 4).reduce((n, u) => n + u.words.length, 0) + 3;
    await panel().locator(`[data-wi="${id}"]`).click();
    await expect.poll(async () => Math.abs((await audioTime()) - target.s) < 1_500, WAIT).toBe(true);
  });

  it('opens at a moment (?t=): the player is there and that utterance is marked', async () => {
    const u = stored.find((x) => x.displayText.toLowerCase().includes(PHRASE))!;
    await page.goto(`${server.url}/conversations/${conversationId}?q=${encodeURIComponent(`"${PHRASE}"`)}&t=${u.startMs}`);
    const target = panel().locator('[data-ui][data-target]');
    await visible(target);
    expect(await target.getAttribute('data-start')).toBe(String(u.startMs));
    await expect.poll(async () => Math.abs((await audioTime()) - u.startMs) < 300, WAIT).toBe(true);
    await page.getByTestId('player').getByTestId('player-play').click();
    await expect.poll(async () => (await lit()).some((id) => wordAt(id).s >= u.startMs), WAIT).toBe(true);
    await page.screenshot({ path: '/tmp/earshot-speech-transcript.png' });
    expect(pageErrors).toEqual([]);
  });
});
