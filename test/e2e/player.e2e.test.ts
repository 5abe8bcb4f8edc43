// The interaction player end to end: a demo call (seeded and analysed by the real server: renditions, peaks, speech
// events), the built app (dist/web) in Debian Chromium. Open the call from the list, play, seek on the waveform, change
// the speed, solo a party, and check that the audio element's time advances; then the preview's segment progress,
// the menu's MP3 download, the Audit section of the detail view, and a screenshot of the player for the docs
// (docs/player.png). Needs `npm run build:web` first and /usr/bin/chromium; never downloads a browser.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import * as e2e from './setup.ts';

const DOC_SHOT = path.join(e2e.ROOT, 'docs/player.png');
const hasChromium = e2e.chromiumFor('player');
const { WAIT, visible } = e2e.waits(20_000);
const P = en.player;

interface Manifest {
  conversationId: string;
  status: string | null;
  segments: {
    id: string;
    kind: string;
    startMs: number;
    endMs: number;
    mixUrl: string | null;
    streams: { party: string; participantId: string | null; status: string; soloUrl: string | null }[];
  }[];
}

/** The player's <audio>: where it is in its file, how fast, what it plays. */
const audioState = (page: Page) =>
  page.evaluate(() => {
    const a = document.querySelector<HTMLAudioElement>('[data-testid="player-audio"]')!;
    return { currentTime: a.currentTime, paused: a.paused, playbackRate: a.playbackRate, src: a.currentSrc || a.src, muted: a.muted, volume: a.volume };
  });

/** Pixels of a canvas that are not transparent (the waveform is drawn). */
const drawnPixels = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });

/** "1:23 / 4:56" → [83000, 296000]. */
function parseTimes(text: string): [number, number] {
  const ms = (s: string) =>
    s
      .trim()
      .split(':')
      .reduce((acc, p) => acc * 60 + Number(p), 0) * 1000;
  const [a, b] = text.split('/');
  return [ms(a!), ms(b!)];
}

describe.skipIf(!hasChromium)('interaction player', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let cookie = '';
  let call: Manifest;
  let pageErrors: string[] = [];
  const listFilter = JSON.stringify({ channels: ['call'], period: null, sort: 'newest' });

  const api = (url: string, init: RequestInit = {}) => e2e.apiClient(server, () => cookie)(init.method ?? 'GET', url, undefined, init);
  const player = () => page.getByTestId('player');
  const timeText = async () => parseTimes((await player().getByTestId('player-time').textContent()) ?? '0:00 / 0:00');

  /** Waits until the audio element's time has moved on by `seconds` from now. */
  async function advances(seconds = 0.5) {
    const from = (await audioState(page)).currentTime;
    await expect.poll(async () => (await audioState(page)).currentTime - from, WAIT).toBeGreaterThan(seconds);
  }

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);

    // A demo call whose media the seed's analysis made ready: at least two parties with audio, 30 s or more (time for
    // every step), on the list's first page; one with screen recordings if there is one.
    const search = await api('/api/conversations/search?limit=50', { method: 'POST', headers: { 'content-type': 'application/json' }, body: listFilter });
    expect(search.status).toBe(200);
    const { items } = (await search.json()) as { items: { id: string }[] };
    let found: Manifest | null = null;
    for (const { id } of items) {
      const res = await api(`/api/conversations/${id}/media`);
      expect(res.status, await res.clone().text()).toBe(200);
      const m = (await res.json()) as Manifest;
      const calls = m.segments.filter((s) => s.kind === 'call');
      const long = Math.max(...calls.map((s) => s.endMs)) - Math.min(...calls.map((s) => s.startMs)) >= 30_000;
      const ok = calls.length > 0 && long && calls.every((s) => s.mixUrl && s.streams.filter((x) => x.status === 'ok' && x.soloUrl).length >= 2);
      if (ok && m.status !== 'pending' && (!found || m.segments.some((s) => s.kind === 'screen'))) found = m;
      if (found?.segments.some((s) => s.kind === 'screen')) break;
    }
    expect(found, 'a demo call with analysed media on the first page').toBeTruthy();
    call = found!;

    // Audio plays in a headless browser without a gesture of a real user.
    browser = await e2e.launchChromium(['--autoplay-policy=no-user-gesture-required']);
    ({ page, errors: pageErrors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 1000 }, acceptDownloads: true }));
    await e2e.signIn(page, server, server.login.admin, WAIT.timeout);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('plays a call when its row is double-clicked, with every party drawn', async () => {
    await page.goto(`${server.url}/conversations?f=${encodeURIComponent(listFilter)}`);
    const row = page.locator(`[data-testid="conversation-row"][data-id="${call.conversationId}"]`);
    await visible(row);
    await row.dblclick();
    await visible(player());
    expect(new URL(page.url()).searchParams.get('c')).toBe(call.conversationId);
    // Double-click plays here: no navigation to the detail view.
    expect(new URL(page.url()).pathname).toBe('/conversations');

    await expect.poll(async () => player().getByTestId('player-play').getAttribute('data-playing'), WAIT).toBe('true');
    await advances(0.5);
    const state = await audioState(page);
    expect(state.paused).toBe(false);
    expect(state.src).toMatch(/\/segments\/[^/]+\/mix\.wav$/);

    // One lane per person (a transfer's two agents are two lanes), below the combined waveform; each canvas has
    // something drawn (the peaks arrived).
    const parties = new Set(call.segments.flatMap((s) => s.streams.map((x) => x.participantId ?? x.party)));
    await expect.poll(() => player().getByTestId('player-lane').count(), WAIT).toBe(parties.size);
    await expect.poll(() => drawnPixels(player().getByTestId('waveform-combined')), WAIT).toBeGreaterThan(500);
    for (const lane of await player().getByTestId('waveform-lane').all()) await expect.poll(() => drawnPixels(lane), WAIT).toBeGreaterThan(100);
    await expect.poll(() => player().getByTestId('player-waveform-failed').count()).toBe(0);
    // A band shows where the screen was recorded.
    if (call.segments.some((x) => x.kind === 'screen')) await visible(player().getByTestId('player-screen-band'));
  });

  it('seeks where the waveform is clicked', async () => {
    const combined = player().getByTestId('waveform-combined');
    const box = (await combined.boundingBox())!;
    const [, total] = await timeText();
    expect(total).toBeGreaterThan(4000);
    // Early enough in the call that the rest of the steps still have audio to play.
    await combined.click({ position: { x: box.width * 0.4, y: box.height / 2 } });
    // Polled on the upper bound: on a loaded machine the call may have played to its end during the first step.
    await expect.poll(async () => (await timeText())[0], WAIT).toBeLessThanOrEqual(total * 0.4 + 2000);
    const [now] = await timeText();
    expect(now).toBeGreaterThanOrEqual(Math.floor((total * 0.4) / 1000) * 1000 - 1000);
    // Ended, the seek lands paused: play on from there.
    if ((await player().getByTestId('player-play').getAttribute('data-playing')) !== 'true') await player().getByTestId('player-play').click();
    await advances(0.3);

    // Rewind 5 s goes back.
    const before = (await timeText())[0];
    await player().getByTestId('player-rewind').click();
    await expect.poll(async () => (await timeText())[0], WAIT).toBeLessThan(before - 2000);
  });

  it('changes the speed', async () => {
    await player().getByTestId('player-speed').selectOption('1.5');
    await expect.poll(async () => (await audioState(page)).playbackRate, WAIT).toBe(1.5);
    await advances(0.5);
  });

  it('solos a party: its speaker turns blue, the audio switches to its own stream and keeps the time', async () => {
    const before = await audioState(page);
    const solo = player().getByTestId('solo-button').first();
    await solo.click();
    await expect.poll(() => solo.getAttribute('aria-pressed'), WAIT).toBe('true');
    await expect.poll(async () => (await audioState(page)).src, WAIT).toMatch(/\/streams\/[^/]+\/solo\.wav$/);
    // The same place in the recording (the solo WAV is as long as the mix), still playing at the chosen speed.
    await expect.poll(async () => (await audioState(page)).currentTime, WAIT).toBeGreaterThanOrEqual(before.currentTime - 0.5);
    await advances(0.5);
    const after = await audioState(page);
    expect(after.playbackRate).toBe(1.5);
    expect(after.paused).toBe(false);
    // The speaker icon is blue (filled) for the soloed party only.
    const pressed = await player()
      .getByTestId('solo-button')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')));
    expect(pressed.filter((p) => p === 'true').length).toBe(1);

    // The preview pane shows the segment's progress.
    await expect.poll(async () => Number(await page.getByTestId('segment-progress').first().getAttribute('data-value')), WAIT).toBeGreaterThan(0);
  });

  it('pauses and resumes with the space bar when focus is in the player', async () => {
    await player().getByTestId('player-time').focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(page)).paused, WAIT).toBe(true);
    await expect.poll(async () => player().getByTestId('player-play').getAttribute('data-playing'), WAIT).toBe('false');
    await page.keyboard.press('Space');
    await advances(0.3);
  });

  it('takes a screenshot of the player for the docs', async () => {
    // Back to the whole mix at normal speed, so the picture shows the usual state.
    await player().getByTestId('solo-button').first().click();
    await player().getByTestId('player-speed').selectOption('1');
    await advances(0.3);
    await page.mouse.move(0, 0);
    fs.mkdirSync(path.dirname(DOC_SHOT), { recursive: true });
    await player().screenshot({ path: DOC_SHOT });
    expect(fs.statSync(DOC_SHOT).size).toBeGreaterThan(10_000);
  });

  it('downloads the merged MP3 from the player menu', async () => {
    await player().getByTestId('player-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('menuitem', { name: P.downloadMp3 }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${call.conversationId}_.+\\.mp3$`));
  });

  it('lists the playback and the download in the Audit section of the detail view', async () => {
    await page.goto(`${server.url}/conversations/${call.conversationId}`);
    const audit = page.getByRole('region', { name: en.conversations.audit.title });
    await visible(audit);
    await visible(audit.getByText(en.conversations.audit.actions.PLAYBACK).first());
    await visible(audit.getByText(en.conversations.audit.actions.RECORDING_DOWNLOADED).first());
    // The player docks on the detail view too.
    await visible(page.getByTestId('player').getByTestId('waveform-combined'));
    expect(pageErrors).toEqual([]);
  });

  it('names each leg’s agent on its own lane and card, in the order of the legs, the transfer and the wrap-up marked', async () => {
    // A transferred demo call: two call legs, the second joined by previousCallId, two different agents.
    const search = await api('/api/conversations/search?limit=200', { method: 'POST', headers: { 'content-type': 'application/json' }, body: listFilter });
    const { items } = (await search.json()) as { items: { id: string }[] };
    type Detail = {
      id: string;
      participants: { id: string; role: string; name: string | null; userName: string | null }[];
      segments: {
        kind: string;
        startedAt: string;
        agentPartyKey: string | null;
        metadata: Record<string, string>;
        parties: { partyKey: string; participantId: string }[];
      }[];
    };
    let transfer: Detail | null = null;
    for (const { id } of items) {
      const d = (await (await api(`/api/conversations/${id}`)).json()) as Detail;
      if (d.segments.some((x) => x.kind === 'call' && x.metadata.previousCallId)) {
        transfer = d;
        break;
      }
    }
    expect(transfer, 'a transferred demo call').toBeTruthy();
    const legs = transfer!.segments.filter((x) => x.kind === 'call').sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const nameOf = (id: string) => {
      const p = transfer!.participants.find((x) => x.id === id)!;
      return p.name ?? p.userName;
    };
    const agents = legs.map((l) => nameOf(l.parties.find((x) => x.partyKey === l.agentPartyKey)!.participantId) ?? '');
    expect(new Set(agents).size, 'two different agents').toBe(2);

    await page.goto(`${server.url}/conversations/${transfer!.id}`);
    await visible(player().getByTestId('waveform-combined'));
    // The lanes: the agents in the order of the legs, each named after themselves.
    const laneNames = await player().getByTestId('lane-name').allTextContents();
    expect(laneNames.filter((n) => agents.includes(n))).toEqual(agents);
    // Each leg's card names its own agent.
    const cards = await page.getByTestId('segment-agent').allTextContents();
    expect(cards.map((c) => agents.find((a) => c.includes(a)))).toEqual(agents);
    // The transfer on the waveform (not a consultation), and the wrap-up after the last leg.
    await visible(player().getByTestId('transfer-marker').first());
    expect(await player().getByTestId('consult-marker').count()).toBe(0);
    await visible(player().getByTestId('wrapup-label'));
    await visible(page.getByTestId('segment-timeline').locator('[data-testid="timeline-mark"][data-type="transfer"]').first());
    expect(pageErrors).toEqual([]);
  });

  it('keyboard shortcuts: +/− speed (remembered after a reload), m mutes, ← goes back 5 s; the help lists them', async () => {
    await visible(player().getByTestId('player-play'));
    const speed = player().getByTestId('player-speed');
    await speed.selectOption('1');
    // Nothing focused: the page's keys are the player's.
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await blur();
    await page.keyboard.press('+');
    await expect.poll(() => speed.inputValue(), WAIT).toBe('1.1');
    await page.keyboard.press('m');
    await expect.poll(async () => (await audioState(page)).muted, WAIT).toBe(true);
    await page.keyboard.press('m');
    await expect.poll(async () => (await audioState(page)).muted, WAIT).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(async () => player().getByTestId('player-play').getAttribute('data-playing'), WAIT).toBe('true');
    expect((await audioState(page)).playbackRate).toBe(1.1);
    await advances(0.3);
    // Forward 5 s, then back 5 s.
    const t0 = (await timeText())[0];
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await timeText())[0], WAIT).toBeGreaterThanOrEqual(t0 + 4000);
    const t1 = (await timeText())[0];
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await timeText())[0], WAIT).toBeLessThan(t1 - 3000);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(page)).paused, WAIT).toBe(true);

    await player().getByTestId('player-shortcuts').click();
    const help = page.getByTestId('player-shortcuts-help');
    await visible(help);
    for (const action of ['toggle', 'back5', 'forward5', 'faster', 'slower', 'mute'] as const) await visible(help.getByText(P.shortcuts[action]));
    await page.keyboard.press('Escape');

    // The speed is remembered like the volume.
    await page.reload();
    await expect.poll(() => player().getByTestId('player-speed').inputValue(), WAIT).toBe('1.1');
    await blur();
    await page.keyboard.press('-');
    await expect.poll(() => player().getByTestId('player-speed').inputValue(), WAIT).toBe('1');
  });

  it('never hides the page under the docked player', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await visible(player().getByTestId('waveform-combined'));
    const playerTop = async () => (await player().boundingBox())!.y;
    // What is scrolled into view stops above the player, not under it.
    await page.evaluate(() => document.getElementById('segments')!.scrollIntoView({ block: 'end' }));
    await expect
      .poll(async () => (await page.locator('#segments').boundingBox())!.y + (await page.locator('#segments').boundingBox())!.height, WAIT)
      .toBeLessThanOrEqual(await playerTop());
    // At the end of the page the last card sits above the player.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const audit = page.getByRole('region', { name: en.conversations.audit.title });
    await expect
      .poll(async () => {
        const b = (await audit.boundingBox())!;
        return b.y + b.height;
      }, WAIT)
      .toBeLessThanOrEqual(await playerTop());
    // The player never takes more than half the window; folded, only its controls remain.
    expect((await player().boundingBox())!.height).toBeLessThanOrEqual(900 * 0.45 + 1);
    await player().getByTestId('player-compact').click();
    await expect.poll(() => player().getByTestId('waveform-combined').count(), WAIT).toBe(0);
    expect((await player().boundingBox())!.height).toBeLessThan(120);
    await player().getByTestId('player-compact').click();
    await visible(player().getByTestId('waveform-combined'));
    expect(pageErrors).toEqual([]);
  });
});
