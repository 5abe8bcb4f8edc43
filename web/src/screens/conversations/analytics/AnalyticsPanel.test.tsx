// The Analytics tab against a fake API and a fake player (happy-dom plays no audio): the sections in the seed order
// with the server's figures, an indicator that seeks the player and marks its mentions in the transcript beside it,
// the sentiment-over-time markers with their pop-up and play button, and the states before and after a failure.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationInsights, ConversationMentions } from '../../../api/insights.ts';
import type { MediaManifest } from '../../../api/media.ts';
import type { ConversationDetail } from '../../../api/types.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { appWrapper, fakeApi, testUser } from '../../../test/render.tsx';
import { Clock } from '../player/clock.ts';
import type { Transcript, TranscriptUtterance } from '../player/transcript/api.ts';
import { ChatThread } from '../detail/ChatThread.tsx';
import { TranscriptPanel } from '../player/transcript/TranscriptPanel.tsx';
import { PlayerContext, type PlayerApi } from '../player/usePlayer.ts';
import { InsightMarksProvider } from './AnalyticsContext.tsx';
import { AnalyticsPanel } from './AnalyticsPanel.tsx';
import { markedWords } from './marks.ts';
import { changePoints, SentimentTimeline } from './SentimentTimeline.tsx';

const A = en.analytics;

function utt(id: string, role: TranscriptUtterance['role'], startMs: number, text: string): TranscriptUtterance {
  const words = text.split(' ').map((w, i) => ({ w, s: startMs + i * 300, e: startMs + i * 300 + 250, c: 0.9 }));
  return { id, role, partyKey: role, startMs, endMs: words[words.length - 1]!.e, text, confidence: 0.9, words, redacted: false };
}

const TRANSCRIPT: Transcript = {
  status: 'ready',
  reason: null,
  engine: 'test',
  language: 'en',
  createdAt: '2026-12-06T10:00:00.000Z',
  utterances: [
    utt('u1', 'agent', 1_000, 'thank you for calling how can i help'), // words 0–7
    utt('u2', 'customer', 4_000, 'i want to cancel my account because of the late fee'), // words 8–18
    utt('u3', 'agent', 9_000, 'what would make you stay with us'), // words 19–25
    utt('u4', 'agent', 14_000, 'i will send you a refund confirmation by email'), // words 26–34
    utt('u5', 'customer', 19_000, 'thanks that is great'), // words 35–38
    utt('u6', 'agent', 22_000, 'um you know that is fine'), // words 39–44
  ],
};

const place = (lineId: string, startMs: number, range: [number, number]) => ({ lineId, startMs, range });

const INSIGHTS: ConversationInsights = {
  conversationId: 'c1',
  status: 'done',
  error: null,
  computedAt: '2026-12-06T10:00:00.000Z',
  analyserVersion: 1,
  language: 'en',
  sentimentScore: 66.4,
  sentimentLabel: 'positive',
  engagementScore: 72.2,
  talkListenRatio: 1.5,
  wordsPerMinute: 151.4,
  fillersPerMinute: 1.25,
  longestMonologueMs: 12_000,
  avgResponseMs: 1_400,
  details: {
    channel: 'call',
    metricsSource: 'transcript',
    language: 'en',
    lineCount: 5,
    sentiment: {
      status: 'done',
      score: 66.4,
      label: 'positive',
      lines: [],
      points: [
        { lineId: 'u1', atMs: 1_000, role: 'agent', score: 60, smoothed: 55, label: 'neutral' },
        { lineId: 'u2', atMs: 4_000, role: 'customer', score: 20, smoothed: 35, label: 'negative' },
        { lineId: 'u5', atMs: 19_000, role: 'customer', score: 90, smoothed: 75, label: 'positive' },
      ],
      sections: [
        { label: 'neutral', startMs: 1_000, endMs: 3_400, lineIds: ['u1'], score: 55 },
        { label: 'negative', startMs: 4_000, endMs: 12_000, lineIds: ['u2'], score: 35 },
        { label: 'positive', startMs: 14_000, endMs: 20_000, lineIds: ['u4', 'u5'], score: 75 },
      ],
      cues: [],
    },
    engagement: { score: 72.2, balance: 0.8, responsiveness: 0.7, interactivity: 0.654 },
    agent: {
      kind: 'call',
      agentTalkShare: 0.6,
      longestMonologue: { durationMs: 12_000, startMs: 14_000, endMs: 26_000, lineIds: ['u4'] },
      fillerBreakdown: { um: 1, 'you know': 1 },
      fillerPlaces: [
        { lineId: 'u6', startMs: 22_000, range: [0, 2], filler: 'um' },
        { lineId: 'u6', startMs: 22_300, range: [3, 11], filler: 'you know' },
      ],
    },
    nextSteps: [{ ...place('u4', 14_000, [0, 46]), text: 'I will send you a refund confirmation by email', role: 'agent', source: 'rules' }],
    questions: [],
    goodQuestions: [{ ...place('u3', 9_000, [0, 32]), text: 'What would make you stay with us?' }],
    summary: null,
    llm: { status: 'off' },
    rulesStatus: 'done',
    analysers: [],
  },
};

const MENTIONS: ConversationMentions = {
  mentions: [
    {
      id: 'm1',
      indicatorId: 'ind-churn',
      indicatorName: 'Churn risk',
      categoryId: 'cat1',
      categoryName: 'Retention',
      keywordId: 'k1',
      keyword: 'cancel my account',
      lineId: 'u2',
      role: 'customer',
      startMs: 4_900,
      range: [10, 27],
    },
  ],
  topics: [{ id: 'th1', topicId: 'tp1', topicName: 'Pricing', lineId: 'u2', role: 'customer', startMs: 4_000, score: 0.8 }],
};

const conversation = (kind = 'call') =>
  ({
    id: 'c1',
    startedAt: '2026-11-05T10:00:00.000Z',
    segments: [
      {
        id: 's1',
        kind,
        messages:
          kind === 'chat'
            ? [
                {
                  seq: 0,
                  senderKey: 'c',
                  senderName: 'Robin',
                  senderRole: 'customer',
                  sentAt: '2026-11-05T10:00:04.000Z',
                  text: 'How much is the premium plan?',
                },
                { seq: 1, senderKey: 'a', senderName: 'Sam', senderRole: 'agent', sentAt: '2026-11-05T10:00:14.000Z', text: 'It is 20 a month.' },
              ]
            : [],
        email: null,
      },
    ],
  }) as unknown as ConversationDetail;

function fakePlayer() {
  const clock = new Clock();
  const media = {
    data: {
      events: [
        { type: 'silence', startMs: 12_000, endMs: 13_500, parties: [], source: 'audio' },
        { type: 'hold', startMs: 2_000, endMs: 3_000, parties: ['agent'], source: 'metadata' },
        { type: 'silence', startMs: 20_000, endMs: 26_000, parties: [], source: 'audio' },
      ] as MediaManifest['events'],
    },
    isPending: false,
  };
  const seek = vi.fn((ms: number) => clock.set(ms));
  const play = vi.fn();
  return { conversationId: 'c1', model: null, clock, media, seek, play } as unknown as PlayerApi & { seek: typeof seek; play: typeof play };
}

function renderTab(opts: { insights?: ConversationInsights; mentions?: ConversationMentions; kind?: string; withTranscript?: boolean } = {}) {
  const api = fakeApi({
    'GET /api/conversations/c1/insights': () => opts.insights ?? INSIGHTS,
    'GET /api/conversations/c1/mentions': () => opts.mentions ?? MENTIONS,
    'GET /api/conversations/c1/transcript': () => TRANSCRIPT,
  });
  const player = fakePlayer();
  const { wrapper: App } = appWrapper({ me: testUser(['conversations.view']) });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <App>
      <MemoryRouter initialEntries={['/conversations/c1']}>
        <PlayerContext.Provider value={player}>
          <InsightMarksProvider>{children}</InsightMarksProvider>
        </PlayerContext.Provider>
      </MemoryRouter>
    </App>
  );
  const ui = (
    <>
      {opts.withTranscript && <TranscriptPanel conversationId="c1" />}
      {opts.kind === 'chat' && <ChatThread messages={conversation('chat').segments[0]!.messages} />}
      <AnalyticsPanel conversation={conversation(opts.kind)} />
    </>
  );
  return { api, player, ...render(ui, { wrapper }) };
}

describe('Analytics tab', () => {
  it('shows the sections in the seed order with the server’s figures', async () => {
    renderTab();
    const panel = await screen.findByTestId('analytics-panel');
    const titles = [...panel.querySelectorAll('section')].map((s) => s.getAttribute('aria-label'));
    expect(titles).toEqual([A.engagement, A.sentiment, A.nextSteps, A.callOuts, A.topics, A.speechEvents, A.agentSummary]);
    expect(screen.getByTestId('analytics-engagement-value').textContent).toBe('72');
    expect(screen.getByText('Balance 80 · responsiveness 70 · interactivity 65')).toBeTruthy();
    expect(screen.getByTestId('analytics-sentiment-value').textContent).toBe('66');
    expect(screen.getByTestId('analytics-sentiment-label').textContent).toBe(A.band.positive);
    expect(within(screen.getByTestId('analytics-next-steps')).getByText('I will send you a refund confirmation by email')).toBeTruthy();
    expect(within(screen.getByTestId('analytics-questions')).getByText('What would make you stay with us?')).toBeTruthy();
    const indicator = await screen.findByTestId('analytics-indicator');
    expect(indicator.textContent).toContain('Retention · Churn risk');
    expect(indicator.textContent).toContain('1');
    // Topic highlights quote the transcript line.
    expect(await within(screen.getByTestId('analytics-topics')).findByText('i want to cancel my account because of the late fee')).toBeTruthy();
    expect(screen.getByTestId('analytics-event-count-silence').textContent).toBe(`${A.events.silence}: 2`);
    expect(screen.getByTestId('analytics-event-count-hold').textContent).toBe(`${A.events.hold}: 1`);
    // Chronology in time order.
    expect(screen.getAllByTestId('analytics-event').map((e) => e.textContent?.slice(0, 4))).toEqual(['0:02', '0:12', '0:20']);
    expect(screen.getByTestId('analytics-agent-talk-listen').textContent).toContain('60 : 40');
    expect(screen.getByTestId('analytics-agent-wpm').textContent).toContain('151');
    expect(screen.getByTestId('analytics-agent-fillers').textContent).toContain('1.3');
    expect(screen.getByTestId('analytics-agent-monologue').textContent).toContain('0:12');
  });

  it('seeks the player to an item’s place', async () => {
    const { player } = renderTab();
    await screen.findByTestId('analytics-panel');
    await userEvent.click(within(screen.getByTestId('analytics-next-steps')).getByRole('button'));
    expect(player.seek).toHaveBeenLastCalledWith(14_000);
    await userEvent.click(screen.getAllByTestId('analytics-event')[1]!.querySelector('button')!);
    expect(player.seek).toHaveBeenLastCalledWith(12_000);
  });

  it('an indicator seeks to its first mention and marks its words in the transcript; a second click unmarks', async () => {
    const { player } = renderTab({ withTranscript: true });
    await screen.findByText('thank');
    const indicator = await screen.findByTestId('analytics-indicator');
    await userEvent.click(indicator);
    expect(player.seek).toHaveBeenLastCalledWith(4_900);
    expect(indicator.getAttribute('aria-pressed')).toBe('true');
    // "cancel my account" = words 3–5 of u2 (global 11–13).
    await waitFor(() => expect([...document.querySelectorAll<HTMLElement>('[data-insight]')].map((e) => e.textContent)).toEqual(['cancel', 'my', 'account']));
    await userEvent.click(indicator);
    await waitFor(() => expect(document.querySelectorAll('[data-insight]')).toHaveLength(0));
    // The agent's fillers, on demand.
    await userEvent.click(screen.getByTestId('analytics-fillers-show'));
    expect(player.seek).toHaveBeenLastCalledWith(22_000);
    await waitFor(() => expect([...document.querySelectorAll<HTMLElement>('[data-insight]')].map((e) => e.textContent)).toEqual(['um', 'you', 'know']));
  });

  it('says when a conversation is not analysed yet, and why an analysis failed', async () => {
    renderTab({ insights: { ...INSIGHTS, status: 'none', details: null } });
    expect((await screen.findByTestId('analytics-none')).textContent).toBe(A.none);
  });

  it('shows the failure of an analysis', async () => {
    renderTab({ insights: { ...INSIGHTS, status: 'failed', error: 'transcript unreadable', details: null } });
    const alert = await screen.findByTestId('analytics-failed');
    expect(alert.textContent).toContain(A.failed);
    expect(alert.textContent).toContain('transcript unreadable');
  });

  it('says when a call’s agent summary comes from voice activity, without a transcript', async () => {
    renderTab({ insights: { ...INSIGHTS, wordsPerMinute: null, details: { ...INSIGHTS.details!, metricsSource: 'voice_activity' } } });
    expect((await screen.findByTestId('analytics-agent-vad')).textContent).toBe(A.fromVoiceActivity);
    expect(screen.getByTestId('analytics-agent-wpm').textContent).toContain('—');
  });

  it('a chat shows message counts and response times instead of talk metrics', async () => {
    renderTab({
      kind: 'chat',
      insights: {
        ...INSIGHTS,
        details: {
          ...INSIGHTS.details!,
          channel: 'text',
          agent: { kind: 'text', agentMessages: 7, customerMessages: 5, avgResponseMs: 45_000, firstResponseMs: 20_000 },
        },
      },
    });
    await screen.findByTestId('analytics-panel');
    expect(screen.getByTestId('analytics-agent-agent-messages').textContent).toContain('7');
    expect(screen.getByTestId('analytics-agent-response').textContent).toContain('0:45');
    expect(screen.queryByTestId('analytics-agent-wpm')).toBeNull();
    expect(screen.queryByLabelText(A.speechEvents)).toBeNull();
    // Places read as the time the message was sent, and a topic quotes the message it was found in (by its time).
    expect(within(screen.getByTestId('analytics-next-steps')).queryByText('0:14')).toBeNull();
    expect(await within(screen.getByTestId('analytics-topics')).findByText('How much is the premium plan?')).toBeTruthy();
  });
});

describe('Analytics tab on a chat', () => {
  it('an indicator marks its mention in the message it was written in', async () => {
    const mention = { ...MENTIONS.mentions[0]!, lineId: 'msg-1', role: 'customer', startMs: 4_000, range: [9, 15] as [number, number] };
    renderTab({ kind: 'chat', mentions: { mentions: [mention], topics: [] } });
    const indicator = await screen.findByTestId('analytics-indicator');
    await userEvent.click(indicator);
    await waitFor(() => expect(document.querySelectorAll('[data-testid="chat-bubble"][data-insight]')).toHaveLength(1));
    const bubble = document.querySelector('[data-testid="chat-bubble"][data-insight]')!;
    expect(bubble.textContent).toBe('How much is the premium plan?');
    expect(bubble.querySelector('mark')!.textContent).toBe('is the');
    await userEvent.click(indicator);
    await waitFor(() => expect(document.querySelectorAll('[data-testid="chat-bubble"][data-insight]')).toHaveLength(0));
  });
});

describe('sentiment over time', () => {
  const sections = INSIGHTS.details!.sentiment.sections;

  it('marks where the sentiment changes (the first section only when it is not neutral)', () => {
    expect(changePoints(sections)).toEqual([1, 2]);
    expect(changePoints([{ ...sections[1]!, startMs: 0 }])).toEqual([0]);
  });

  it('a change opens the lines of that stretch, and Play plays from its start', async () => {
    const { wrapper: App } = appWrapper();
    fakeApi({ 'GET /api/conversations/c1/transcript': () => TRANSCRIPT });
    const player = fakePlayer();
    render(
      <App>
        <PlayerContext.Provider value={player}>
          <SentimentTimeline conversationId="c1" points={INSIGHTS.details!.sentiment.points} sections={sections} totalMs={26_000} />
        </PlayerContext.Provider>
      </App>,
    );
    const markers = screen.getAllByTestId('sentiment-change');
    expect(markers.map((m) => m.getAttribute('aria-label'))).toEqual([
      A.sentimentChange.replace('{{band}}', A.band.negative).replace('{{time}}', '0:04'),
      A.sentimentChange.replace('{{band}}', A.band.positive).replace('{{time}}', '0:14'),
    ]);
    await userEvent.click(markers[1]!);
    const popup = await screen.findByTestId('sentiment-popup');
    expect(await within(popup).findByText('i will send you a refund confirmation by email')).toBeTruthy();
    expect(within(popup).getByText('thanks that is great')).toBeTruthy();
    await userEvent.click(within(popup).getByTestId('sentiment-play'));
    expect(player.seek).toHaveBeenCalledWith(14_000);
    expect(player.play).toHaveBeenCalled();
    await act(async () => {});
  });
});

describe('markedWords', () => {
  const us = TRANSCRIPT.utterances;
  const firstOf = [0, 8, 19, 26, 35];

  it('turns a character range into the words it covers', () => {
    expect(markedWords(us, firstOf, [{ lineId: 'u2', range: [10, 27] }])).toEqual([11, 12, 13]);
    expect(markedWords(us, firstOf, [{ lineId: 'u5', range: null }])).toEqual([35, 36, 37, 38]);
  });

  it('marks the whole utterance when its text does not line up with its timed words', () => {
    const joined = [{ ...us[0]!, text: 'thank you for calling [NAME] how can i help' }];
    expect(markedWords(joined, [0], [{ lineId: 'u1', range: [0, 5] }])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
