// The transcript panel against a fake API and a fake player (happy-dom plays no audio): words in the party colours
// of the waveforms, the word at the playhead lit as the clock moves (on the DOM, without re-rendering the words),
// a click seeks, search within the transcript with its count and next/previous, the list search's matches marked,
// opening at a moment (?t=), unsure words and redacted spans, the states without a transcript, retry, download.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { MediaManifest, MediaPartyStream } from '../../../../api/media.ts';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { appWrapper, fakeApi, testUser } from '../../../../test/render.tsx';
import { Clock } from '../clock.ts';
import { buildModel, COLORS } from '../model.ts';
import { PlayerContext, type PlayerApi } from '../usePlayer.ts';
import type { Transcript, TranscriptUtterance } from './api.ts';
import { CHUNK, TranscriptPanel } from './TranscriptPanel.tsx';

const T = en.transcript;

function utt(id: string, role: TranscriptUtterance['role'], partyKey: string, startMs: number, text: string): TranscriptUtterance {
  const words = text.split(' ').map((w, i) => ({ w, s: startMs + i * 300, e: startMs + i * 300 + 250, c: w === 'um' ? 0.2 : 0.9 }));
  return { id, role, partyKey, startMs, endMs: words[words.length - 1]!.e, text, confidence: 0.8, words, redacted: text.includes('[') };
}

const READY: Transcript = {
  status: 'ready',
  reason: null,
  engine: 'pocketsphinx',
  language: 'en',
  createdAt: '2026-12-06T10:00:00.000Z',
  utterances: [
    utt('u1', 'agent', 'agent', 1_000, 'thank you for calling how can i help'), // words 0–7
    utt('u2', 'customer', 'cust', 3_200, 'um i was charged a late fee'), // words 8–14
    utt('u3', 'customer', 'cust', 6_000, 'my card is [CARD] thanks'), // words 15–19
    utt('u4', 'agent', 'agent', 9_000, 'the late charge is removed'), // words 20–24
  ],
};

const stream = (party: string, role: string, side: string): MediaPartyStream => ({
  id: `st-${party}`,
  party,
  participantId: null,
  role,
  side,
  name: party === 'agent' ? 'Lisa' : null,
  status: 'ok',
  reason: null,
  sampleRate: 8000,
  durationMs: 12_000,
  talkMs: 5_000,
  soloUrl: `/solo/${party}`,
  peaksUrl: `/peaks/${party}`,
  peaks: null,
});

const manifest: MediaManifest = {
  conversationId: 'c1',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 12_000,
  status: 'ready',
  holdCount: 0,
  segments: [
    {
      id: 's1',
      kind: 'call',
      contactId: 's1',
      startMs: 0,
      endMs: 12_000,
      recordedAt: '2026-01-01T00:00:00.000Z',
      monitor: null,
      mixUrl: '/mix/s1',
      downloadWavUrl: null,
      videoUrl: null,
      streams: [stream('cust', 'customer', 'calling'), stream('agent', 'agent', 'called')],
    },
  ],
  events: [],
  crosstalk: { measurable: true, reason: null, message: null },
  marks: [],
  wrapUp: null,
  exportMp3Url: '/mp3',
};

function fakePlayer() {
  const clock = new Clock();
  const seek = vi.fn((ms: number) => clock.set(ms));
  return { conversationId: 'c1', model: buildModel(manifest), clock, seek } as unknown as PlayerApi & { seek: typeof seek };
}

function renderPanel(transcript: Transcript, opts: { url?: string; permissions?: string[]; player?: PlayerApi; tags?: unknown } = {}) {
  const api = fakeApi({
    ...(opts.tags ? { 'GET /api/conversations/c1/speech-tags': () => opts.tags } : {}),
    'GET /api/conversations/c1/transcript': () => transcript,
    'POST /api/conversations/c1/transcribe': () => ({ jobId: 'j1' }),
    'GET /api/conversations/c1/transcript.srt': () =>
      new Response('1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n', { headers: { 'content-disposition': 'attachment; filename="c1_transcript.srt"' } }),
  });
  const player = opts.player ?? fakePlayer();
  const { wrapper: App } = appWrapper({ me: testUser(opts.permissions ?? ['media.play_unredacted']) });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <App>
      <MemoryRouter initialEntries={[opts.url ?? '/conversations/c1']}>
        <PlayerContext.Provider value={player}>{children}</PlayerContext.Provider>
      </MemoryRouter>
    </App>
  );
  const view = render(<TranscriptPanel conversationId="c1" />, { wrapper });
  return { api, player: player as ReturnType<typeof fakePlayer>, ...view };
}

const word = (id: number) => document.querySelector<HTMLElement>(`[data-wi="${id}"]`)!;
const active = () => [...document.querySelectorAll<HTMLElement>('[data-active]')].map((e) => Number(e.dataset.wi));

describe('transcript panel', () => {
  it('shows the utterances by party in the waveforms’ colours, unsure words faint, redacted spans as badges', async () => {
    renderPanel(READY);
    await screen.findByText('thank');
    const [u1, u2] = [...document.querySelectorAll<HTMLElement>('[data-ui]')];
    // The agent is on the called side (light blue), the customer calling (dark green), as the lanes draw them.
    expect(u1!.style.getPropertyValue('--party')).toBe(COLORS.agentCalled);
    expect(u2!.style.getPropertyValue('--party')).toBe(COLORS.customerCalling);
    expect(u1!.textContent).toContain('Lisa · Agent');
    expect(word(8).textContent).toBe('um');
    expect(word(8).hasAttribute('data-low')).toBe(true);
    expect(word(9).hasAttribute('data-low')).toBe(false);
    expect(word(18).hasAttribute('data-redacted')).toBe(true);
    expect(word(18).textContent).toBe('CARD');
    expect(screen.getByText('pocketsphinx · en')).toBeTruthy();
  });

  it('lights the word being said as the playhead moves, one per speaker in crosstalk, nothing in pauses', async () => {
    const { player } = renderPanel(READY);
    await screen.findByText('thank');
    expect(active()).toEqual([]);
    act(() => player.clock.set(1_310));
    expect(active()).toEqual([1]);
    act(() => player.clock.set(3_220));
    expect(active()).toEqual([7, 8]);
    act(() => player.clock.set(3_470));
    expect(active()).toEqual([]);
    // The utterance at the playhead is marked too.
    expect(document.querySelector('[data-ui][data-current]')?.getAttribute('data-ui')).toBe('1');
    act(() => player.clock.set(9_610));
    expect(active()).toEqual([22]);
    expect(document.querySelectorAll('[data-active]')).toHaveLength(1);
  });

  it('plays from a word when it is clicked, and from an utterance’s time', async () => {
    const { player } = renderPanel(READY);
    await screen.findByText('thank');
    fireEvent.click(word(12));
    expect(player.seek).toHaveBeenLastCalledWith(4_400);
    fireEvent.click(screen.getByRole('button', { name: T.playFrom.replace('{{time}}', '0:09') }));
    expect(player.seek).toHaveBeenLastCalledWith(9_000);
  });

  it('searches within the transcript: count, next and previous, the current match marked', async () => {
    renderPanel(READY);
    await screen.findByText('thank');
    const input = screen.getByRole('textbox', { name: T.search });
    fireEvent.change(input, { target: { value: 'late' } });
    await waitFor(() => expect(screen.getByTestId('transcript-match-count').textContent).toBe('1 of 2'));
    const marked = () => [...document.querySelectorAll<HTMLElement>('[data-match]')].map((e) => [Number(e.dataset.wi), e.dataset.match]);
    expect(marked()).toEqual([
      [13, 'current'],
      [21, ''],
    ]);
    fireEvent.click(screen.getByTestId('transcript-next'));
    await waitFor(() => expect(screen.getByTestId('transcript-match-count').textContent).toBe('2 of 2'));
    expect(marked()).toEqual([
      [13, ''],
      [21, 'current'],
    ]);
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('transcript-match-count').textContent).toBe('1 of 2'));
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(screen.getByTestId('transcript-match-count').textContent).toBe('2 of 2'));
    // A phrase across two speakers is no match; searching stops following the playhead.
    fireEvent.change(input, { target: { value: 'help um' } });
    await waitFor(() => expect(screen.getByTestId('transcript-match-count').textContent).toBe(T.noMatch));
    expect(document.querySelectorAll('[data-match]')).toHaveLength(0);
    expect(screen.getByTestId('transcript-follow').getAttribute('aria-pressed')).toBe('false');
  });

  it('turns "Follow" off when the user scrolls the transcript, and on again with the button', async () => {
    renderPanel(READY);
    await screen.findByText('thank');
    const follow = screen.getByTestId('transcript-follow');
    const box = screen.getByTestId('transcript-words');
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    // A scroll nobody asked for (layout) keeps it.
    box.scrollTop = 0;
    fireEvent.scroll(box);
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    fireEvent.wheel(box);
    Object.defineProperty(box, 'scrollTop', { configurable: true, value: 240 });
    fireEvent.scroll(box);
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(follow);
    expect(follow.getAttribute('aria-pressed')).toBe('true');
  });

  it('marks what the list search matched (q), by stem', async () => {
    renderPanel(READY, { url: '/conversations/c1?q=charge%20-fee' });
    await screen.findByText('thank');
    const hits = [...document.querySelectorAll<HTMLElement>('[data-hit]')].map((e) => Number(e.dataset.wi));
    expect(hits).toEqual([11, 22]);
  });

  it('marks speech-tag hits on the words they cover, in their utterance only', async () => {
    // "late fee" (4_700–5_250) in the customer's turn; the agent says nothing then. A hit without an utterance
    // marks by time.
    const hit = (startMs: number, endMs: number, utteranceId: string | null, name: string) => ({
      id: name,
      tagId: name,
      name,
      color: 'grape',
      phrase: name,
      startMs,
      endMs,
      confidence: 0.7,
      level: 'certainly',
      utteranceId,
      segmentId: null,
      source: 'transcript',
    });
    renderPanel(READY, { tags: { items: [hit(4_700, 5_250, 'u2', 'Late fee'), hit(1_000, 1_550, null, 'Greeting'), hit(9_300, 9_900, 'u2', 'Elsewhere')] } });
    await waitFor(() => expect(document.querySelectorAll('[data-tag]').length).toBeGreaterThan(0));
    const tagged = [...document.querySelectorAll<HTMLElement>('[data-tag]')].map((e) => Number(e.dataset.wi));
    expect(tagged).toEqual([0, 1, 13, 14]);
    expect(word(13).title).toBe(T.speechTag.replace('{{name}}', 'Late fee'));
  });

  it('opened at a moment (?t=): seeks the player there and marks that utterance', async () => {
    const { player } = renderPanel(READY, { url: '/conversations/c1?t=6300' });
    await screen.findByText('thank');
    await waitFor(() => expect(player.seek).toHaveBeenCalledWith(6_300));
    expect(document.querySelector('[data-ui][data-target]')?.getAttribute('data-ui')).toBe('2');
    expect(active()).toEqual([16]);
  });

  it('copies the transcript as text', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderPanel(READY);
    await screen.findByText('thank');
    fireEvent.click(screen.getByTestId('transcript-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const text = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(text.split('\n')[0]).toBe('[00:00:01] Agent: thank you for calling how can i help');
    expect(text).toContain('[00:00:06] Customer: my card is [CARD] thanks');
  });

  it('downloads a format from the menu', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const { api } = renderPanel(READY);
    await screen.findByText('thank');
    fireEvent.click(screen.getByTestId('transcript-download'));
    fireEvent.click(await screen.findByTestId('transcript-download-srt'));
    await waitFor(() => expect(api.requests('GET', '/api/conversations/c1/transcript.srt')).toHaveLength(1));
  });

  it('renders a long transcript lazily: the first chunks, then a far one when search goes there', async () => {
    // IntersectionObserver that never reports: only what the panel asks for is rendered.
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    const long: TranscriptUtterance[] = [];
    for (let k = 0; k < 2_000; k++)
      long.push(utt(`l${k}`, k % 2 ? 'customer' : 'agent', 'agent', k * 5_000, k === 1_900 ? 'the zebra crossing' : 'one two three four five six'));
    renderPanel({ ...READY, utterances: long });
    await screen.findAllByText('one');
    expect(document.querySelectorAll('[data-ui]')).toHaveLength(2 * CHUNK);
    expect(document.querySelectorAll('[data-chunk][data-pending]').length).toBe(2_000 / CHUNK - 2);
    fireEvent.change(screen.getByRole('textbox', { name: T.search }), { target: { value: 'zebra' } });
    await waitFor(() => expect(document.querySelector('[data-match="current"]')?.textContent).toBe('zebra'));
    expect(document.querySelectorAll('[data-ui]')).toHaveLength(3 * CHUNK);
  });

  describe('without a transcript', () => {
    const state = (status: Transcript['status'], reason: string | null = null): Transcript => ({ ...READY, status, reason, engine: null, utterances: [] });

    it('says it is transcribing', async () => {
      renderPanel(state('pending'));
      await screen.findByText(T.pending);
    });

    it('says no engine is configured, with the reason', async () => {
      renderPanel(state('no_engine', 'pocketsphinx_continuous is not installed'));
      await screen.findByText(T.noEngine);
      expect(screen.getByText('pocketsphinx_continuous is not installed')).toBeTruthy();
    });

    it('says there is no speech', async () => {
      renderPanel(state('no_speech'));
      await screen.findByText(T.noSpeech);
    });

    it('says why it failed and retries for a user who may', async () => {
      const { api } = renderPanel(state('failed', 'engine timed out'), { permissions: ['media.play_unredacted', 'media.reprocess'] });
      await screen.findByText(T.failed.replace('{{reason}}', 'engine timed out'));
      fireEvent.click(screen.getByTestId('transcript-retry'));
      await waitFor(() => expect(api.requests('POST', '/api/conversations/c1/transcribe')).toHaveLength(1));
    });

    it('offers no retry to a user who may not', async () => {
      renderPanel(state('failed', 'engine timed out'));
      await screen.findByText(T.failed.replace('{{reason}}', 'engine timed out'));
      expect(screen.queryByTestId('transcript-retry')).toBeNull();
    });
  });
});
