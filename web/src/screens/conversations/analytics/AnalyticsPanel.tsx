// The Analytics tab of a conversation, in the order supervisors read it: Engagement, Sentiment, Next steps, Call outs
// (indicators, good questions, next steps), Topic highlights, Speech events, Agent summary. Every item takes the user
// to its place: on a call the player seeks there and the transcript marks the words; on a chat or an email the
// messages are brought into view.
import { Alert, Badge, Box, Button, Group, Loader, Progress, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useConversationInsights,
  useConversationMentions,
  type ConversationInsights,
  type Mention,
  type PlacedText,
  type TopicHit,
} from '../../../api/insights.ts';
import type { SpeechEvent } from '../../../api/media.ts';
import type { ConversationDetail } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDuration, formatNumber, useTimes } from '../../../format.ts';
import { Section } from '../parts.tsx';
import { formatClock } from '../player/model.ts';
import { useTranscript, type TranscriptUtterance } from '../player/transcript/api.ts';
import { usePlayerContext } from '../player/usePlayer.ts';
import { useInsightMarks, type InsightMark } from './marks.ts';
import { BAND_COLORS, bandOf } from './SentimentTimeline.tsx';
import { SubscribeButton } from './SubscribeButton.tsx';

interface Place {
  lineId: string;
  startMs: number | null;
  range?: [number, number] | null;
}

/** Seeks the player (calls) or scrolls to the messages (chats, emails), and marks the given places in the transcript. */
function useGoTo(conversation: ConversationDetail) {
  const player = usePlayerContext();
  const marks = useInsightMarks();
  const isCall = conversation.segments.some((s) => s.kind === 'call');
  const isChat = conversation.segments.some((s) => s.kind === 'chat');
  const t0 = Date.parse(conversation.startedAt);
  return (place: Place | null, select?: { key: string; places: readonly Place[] }) => {
    if (select)
      marks?.select(
        select.key,
        select.places.map((p): InsightMark => ({ lineId: p.lineId, range: p.range ?? null, at: !isCall && p.startMs !== null ? t0 + p.startMs : null })),
      );
    if (isCall && player?.conversationId === conversation.id && place?.startMs !== null && place?.startMs !== undefined) player.seek(place.startMs);
    // A chat thread brings its first marked message into view itself.
    else if (!isCall && !(isChat && select)) document.getElementById('segments')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
}

export function AnalyticsPanel({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const insights = useConversationInsights(conversation.id);
  const mentions = useConversationMentions(conversation.id);
  const isCall = conversation.segments.some((s) => s.kind === 'call');
  const data = insights.data;

  if (insights.isPending) return <Loader size="sm" />;
  if (insights.isError) return <ErrorAlert error={insights.error} title={t('analytics.loadFailed')} />;
  const state = <InsightState insights={data ?? null} />;
  if (!data || data.status !== 'done') return state;

  return (
    <TextStart.Provider value={isCall ? null : { start: conversation.startedAt, zone: conversation.timeZone }}>
      <Stack gap="md" data-testid="analytics-panel">
        <Engagement score={data.engagementScore} parts={data.details?.engagement ?? null} />
        <Sentiment insights={data} />
        <NextSteps conversation={conversation} items={data.details?.nextSteps ?? []} />
        <CallOuts conversation={conversation} insights={data} mentions={mentions.data?.mentions ?? []} error={mentions.error} />
        <TopicHighlights conversation={conversation} hits={mentions.data?.topics ?? []} />
        {isCall && <SpeechEvents />}
        <AgentSummary conversation={conversation} insights={data} isCall={isCall} />
      </Stack>
    </TextStart.Provider>
  );
}

/** Not analysed yet, being analysed, or failed: said plainly. */
function InsightState({ insights }: { insights: ConversationInsights | null }) {
  const { t } = useTranslation();
  if (insights?.status === 'failed')
    return (
      <Alert color="red" variant="light" title={t('analytics.failed')} role="alert" data-testid="analytics-failed">
        {insights.error ?? ''}
      </Alert>
    );
  return (
    <Group gap="xs" data-testid="analytics-none">
      <Loader size={14} />
      <Text size="sm" c="dimmed">
        {t('analytics.none')}
      </Text>
    </Group>
  );
}

/** A 0–100 score as a bar and a number (— when there is none). */
function Score({ value, color, testId }: { value: number | null; color: string; testId: string }) {
  return (
    <Group gap="sm" wrap="nowrap" data-testid={testId}>
      <Progress value={value ?? 0} color={color} style={{ flex: 1 }} size="lg" radius="xl" aria-hidden />
      <Text fw={700} size="lg" w={48} ta="right" data-testid={`${testId}-value`}>
        {value === null ? '—' : Math.round(value)}
      </Text>
    </Group>
  );
}

function Engagement({ score, parts }: { score: number | null; parts: NonNullable<ConversationInsights['details']>['engagement'] }) {
  const { t } = useTranslation();
  return (
    <Section title={t('analytics.engagement')}>
      <Score value={score} color="indigo" testId="analytics-engagement" />
      <Text size="xs" c="dimmed" mt={4}>
        {parts
          ? t('analytics.engagementParts', {
              // Each part is 0–1 (docs/analytics.md); shown on the score's 0–100 scale.
              balance: Math.round(parts.balance * 100),
              responsiveness: Math.round(parts.responsiveness * 100),
              interactivity: Math.round(parts.interactivity * 100),
            })
          : t('analytics.engagementHint')}
      </Text>
    </Section>
  );
}

function Sentiment({ insights }: { insights: ConversationInsights }) {
  const { t } = useTranslation();
  const score = insights.sentimentScore;
  const label = insights.sentimentLabel ?? (score === null ? null : bandOf(score));
  const details = insights.details;
  return (
    <Section
      title={t('analytics.sentiment')}
      actions={
        label && (
          <Badge color={BAND_COLORS[label]} variant="light" data-testid="analytics-sentiment-label">
            {t(`analytics.band.${label}`)}
          </Badge>
        )
      }
    >
      <Score value={score} color={label ? BAND_COLORS[label] : 'gray'} testId="analytics-sentiment" />
      {score === null && (
        <Text size="xs" c="dimmed" mt={4} data-testid="analytics-sentiment-status">
          {t(`analytics.sentimentStatus.${details?.sentiment.status === 'unsupported_language' ? 'unsupported_language' : 'no_text'}`, {
            language: details?.language ?? '—',
          })}
        </Text>
      )}
      {details?.summary && (
        <Box mt="xs" data-testid="analytics-summary">
          <Text size="xs" fw={600} c="dimmed">
            {t('analytics.summary')}
          </Text>
          <Text size="sm">{details.summary}</Text>
        </Box>
      )}
      {details?.llm.status === 'failed' && (
        <Text size="xs" c="orange.8" mt={4} data-testid="analytics-llm-status">
          {t('analytics.llmFailed', { error: details.llm.error ?? '' })}
        </Text>
      )}
    </Section>
  );
}

/** On a chat or an e-mail thread, the conversation's start: its places are shown as the time the message was sent. */
const TextStart = createContext<{ start: string; zone: string } | null>(null);

/** How a place's time reads: m:ss into a call, the date and time of a message. */
function useWhen() {
  const times = useTimes();
  const text = useContext(TextStart);
  // In the conversation's site's zone (or the user's, as they chose), like every other time of the conversation.
  return (ms: number | null) =>
    ms === null ? '' : text ? times.shortDateTime(new Date(Date.parse(text.start) + ms).toISOString(), text.zone) : formatClock(ms);
}

/** A time that plays from there (or, without a time, a plain mark). */
function TimeLink({ ms, onClick, label }: { ms: number | null; onClick: () => void; label: string }) {
  const when = useWhen();
  return (
    <UnstyledButton onClick={onClick} aria-label={label} style={{ flexShrink: 0 }}>
      <Text size="xs" c="blue.7" ff="monospace" td="underline">
        {ms === null ? '→' : when(ms)}
      </Text>
    </UnstyledButton>
  );
}

/**
 * The text of a chat message or an e-mail a place points at: the insights name them by their ids, which the page does
 * not have, so a message is found by its time and an e-mail by its segment (the id the insights give it).
 */
export function textLineOf(c: ConversationDetail, lineId: string, startMs: number | null): string | null {
  const email = c.segments.find((s) => s.id === lineId)?.email;
  if (email) return email.text.trim().slice(0, 300) || email.subject;
  if (startMs === null) return null;
  const t0 = Date.parse(c.startedAt);
  for (const s of c.segments) for (const m of s.messages) if (Math.abs(Date.parse(m.sentAt) - t0 - startMs) < 1000) return m.text;
  return null;
}

function PlacedList({
  conversation,
  items,
  testId,
  selectKey,
}: {
  conversation: ConversationDetail;
  items: readonly PlacedText[];
  testId: string;
  selectKey: string;
}) {
  const { t } = useTranslation();
  const go = useGoTo(conversation);
  const when = useWhen();
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('analytics.noneFound')}
      </Text>
    );
  return (
    <Stack gap={6} data-testid={testId}>
      {items.map((n, i) => (
        <Group key={`${n.lineId}-${i}`} gap="xs" wrap="nowrap" align="flex-start" data-testid={`${testId}-item`}>
          <TimeLink
            ms={n.startMs}
            onClick={() => go(n, { key: `${selectKey}:${i}`, places: [n] })}
            label={t('analytics.goTo', { what: n.text, time: when(n.startMs) })}
          />
          <Text size="sm">{n.text}</Text>
        </Group>
      ))}
    </Stack>
  );
}

function NextSteps({ conversation, items }: { conversation: ConversationDetail; items: readonly PlacedText[] }) {
  const { t } = useTranslation();
  return (
    <Section title={t('analytics.nextSteps')}>
      <PlacedList conversation={conversation} items={items} testId="analytics-next-steps" selectKey="nextStep" />
    </Section>
  );
}

interface IndicatorGroup {
  indicatorId: string;
  name: string;
  category: string;
  mentions: Mention[];
}

export function groupMentions(mentions: readonly Mention[]): IndicatorGroup[] {
  const by = new Map<string, IndicatorGroup>();
  for (const m of mentions) {
    const g = by.get(m.indicatorId) ?? { indicatorId: m.indicatorId, name: m.indicatorName ?? m.indicatorId, category: m.categoryName ?? '', mentions: [] };
    g.mentions.push(m);
    by.set(m.indicatorId, g);
  }
  for (const g of by.values()) g.mentions.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
  return [...by.values()].sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
}

function CallOuts({
  conversation,
  insights,
  mentions,
  error,
}: {
  conversation: ConversationDetail;
  insights: ConversationInsights;
  mentions: readonly Mention[];
  error: unknown;
}) {
  const { t } = useTranslation();
  const go = useGoTo(conversation);
  const marks = useInsightMarks();
  const groups = useMemo(() => groupMentions(mentions), [mentions]);
  const questions = insights.details?.goodQuestions ?? [];
  const steps = insights.details?.nextSteps ?? [];
  const chip = (key: string, label: string, count: number, places: readonly Place[], extra?: ReactNode, testId?: string) => {
    const selected = marks?.selected === key;
    return (
      <Group key={key} gap={4} wrap="nowrap">
        <Button
          size="compact-sm"
          variant={selected ? 'filled' : 'light'}
          color="grape"
          aria-pressed={selected}
          onClick={() => (selected ? marks?.select(null, []) : go(places[0] ?? null, { key, places }))}
          disabled={count === 0}
          rightSection={
            <Badge size="xs" variant="white" color="grape" circle>
              {count}
            </Badge>
          }
          data-testid={testId}
        >
          {label}
        </Button>
        {extra}
      </Group>
    );
  };
  return (
    <Section title={t('analytics.callOuts')}>
      <ErrorAlert error={error} />
      <Stack gap="sm">
        <Box>
          <Text size="xs" fw={600} c="dimmed" mb={4}>
            {t('analytics.indicators')}
          </Text>
          {groups.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('analytics.noIndicators')}
            </Text>
          ) : (
            <Group gap={6} data-testid="analytics-indicators">
              {groups.map((g) =>
                chip(
                  `indicator:${g.indicatorId}`,
                  g.category ? `${g.category} · ${g.name}` : g.name,
                  g.mentions.length,
                  g.mentions.map((m) => ({ lineId: m.lineId, startMs: m.startMs, range: m.range })),
                  <SubscribeButton indicatorId={g.indicatorId} name={g.name} />,
                  'analytics-indicator',
                ),
              )}
            </Group>
          )}
        </Box>
        <Group gap={6}>
          {chip('questions', t('analytics.goodQuestions'), questions.length, questions, undefined, 'analytics-questions-chip')}
          {chip('nextSteps', t('analytics.nextSteps'), steps.length, steps, undefined, 'analytics-next-steps-chip')}
        </Group>
        {questions.length > 0 && <PlacedList conversation={conversation} items={questions} testId="analytics-questions" selectKey="question" />}
      </Stack>
    </Section>
  );
}

function TopicHighlights({ conversation, hits }: { conversation: ConversationDetail; hits: readonly TopicHit[] }) {
  const { t } = useTranslation();
  const go = useGoTo(conversation);
  const when = useWhen();
  const isCall = conversation.segments.some((s) => s.kind === 'call');
  const transcript = useTranscript(conversation.id);
  const utterances = isCall ? transcript.data?.utterances : undefined;
  const byId = useMemo(() => new Map<string, TranscriptUtterance>((utterances ?? []).map((u) => [u.id, u])), [utterances]);
  const topics = useMemo(() => {
    const by = new Map<string, { name: string; hits: TopicHit[] }>();
    for (const h of hits) {
      const g = by.get(h.topicId) ?? { name: h.topicName ?? h.topicId, hits: [] };
      g.hits.push(h);
      by.set(h.topicId, g);
    }
    return [...by.entries()].map(([id, g]) => ({ id, ...g, hits: g.hits.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0)) }));
  }, [hits]);
  return (
    <Section title={t('analytics.topics')}>
      {topics.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('analytics.noTopics')}
        </Text>
      ) : (
        <Stack gap="sm" data-testid="analytics-topics">
          {topics.map((topic) => (
            <Box key={topic.id} data-testid="analytics-topic">
              <Group gap={6} mb={4}>
                <Badge variant="light" color="teal">
                  {topic.name}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t('analytics.hits', { count: topic.hits.length })}
                </Text>
              </Group>
              <Stack gap={4}>
                {topic.hits.slice(0, 5).map((h, i) => {
                  const text = byId.get(h.lineId)?.text ?? textLineOf(conversation, h.lineId, h.startMs) ?? t('analytics.messageLine');
                  return (
                    <Group key={`${h.lineId}-${i}`} gap="xs" wrap="nowrap" align="flex-start">
                      <TimeLink
                        ms={h.startMs}
                        onClick={() => go(h, { key: `topic:${topic.id}`, places: topic.hits.map((x) => ({ lineId: x.lineId, startMs: x.startMs })) })}
                        label={t('analytics.goTo', { what: topic.name, time: when(h.startMs) })}
                      />
                      <Text size="sm" lineClamp={2}>
                        {text}
                      </Text>
                    </Group>
                  );
                })}
              </Stack>
            </Box>
          ))}
        </Stack>
      )}
    </Section>
  );
}

const EVENT_TYPES = ['silence', 'crosstalk', 'hold', 'gap'] as const;
const EVENT_COLORS: Record<string, string> = { silence: 'gray', crosstalk: 'red', hold: 'orange', gap: 'dark' };

/** Speech events from the media analysis (the player's manifest): counts by type, then each in time order. */
function SpeechEvents() {
  const { t } = useTranslation();
  const player = usePlayerContext();
  const events: SpeechEvent[] = player?.media.data?.events ?? [];
  const sorted = [...events].sort((a, b) => a.startMs - b.startMs);
  return (
    <Section title={t('analytics.speechEvents')}>
      {player?.media.isPending ? (
        <Loader size="xs" />
      ) : (
        <Stack gap="xs" data-testid="analytics-speech-events">
          <Group gap={6}>
            {EVENT_TYPES.map((type) => (
              <Badge key={type} variant="light" color={EVENT_COLORS[type]} data-testid={`analytics-event-count-${type}`}>
                {t(`analytics.events.${type}`)}: {events.filter((e) => e.type === type).length}
              </Badge>
            ))}
          </Group>
          {sorted.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('analytics.noEvents')}
            </Text>
          ) : (
            <Stack gap={2} mah={220} style={{ overflowY: 'auto' }}>
              {sorted.map((e, i) => (
                <Group key={i} gap="xs" wrap="nowrap" data-testid="analytics-event">
                  <TimeLink
                    ms={e.startMs}
                    onClick={() => player?.seek(e.startMs)}
                    label={t('analytics.goTo', { what: t(`analytics.events.${e.type}`), time: formatClock(e.startMs) })}
                  />
                  <Text size="sm">{t(`analytics.events.${e.type}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDuration(e.endMs - e.startMs)}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </Stack>
      )}
    </Section>
  );
}

// The agent summary's details are open-ended (calls and chats differ): read what is there, as numbers and places.
const numberIn = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
function placeIn(v: unknown): { lineIds: string[]; startMs: number | null } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  return { lineIds: Array.isArray(o.lineIds) ? o.lineIds.filter((x): x is string => typeof x === 'string') : [], startMs: numberIn(o.startMs) };
}

function placesIn(v: unknown): Place[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((p: Record<string, unknown>) =>
    typeof p?.lineId === 'string' && Array.isArray(p.range) ? [{ lineId: p.lineId, startMs: numberIn(p.startMs), range: p.range as [number, number] }] : [],
  );
}

/** Talk-to-listen as "agent : customer" percentages: from the agent's share of the talking (0–1), else from the
 * ratio agent talk ÷ customer talk. */
export function talkShare(share: number | null, ratio: number | null): string {
  const s = share ?? (ratio !== null && Number.isFinite(ratio) && ratio >= 0 ? ratio / (1 + ratio) : null);
  if (s === null || s < 0 || s > 1) return '—';
  const agent = Math.round(s * 100);
  return `${agent} : ${100 - agent}`;
}

function AgentSummary({ conversation, insights, isCall }: { conversation: ConversationDetail; insights: ConversationInsights; isCall: boolean }) {
  const { t, i18n } = useTranslation();
  const go = useGoTo(conversation);
  const num = (v: number | null, digits = 0) => (v === null ? '—' : formatNumber(Number(v.toFixed(digits)), i18n.language));
  const agent = (insights.details?.agent ?? {}) as Record<string, unknown>;
  const mono = placeIn(agent.longestMonologue);
  // Where the fillers were said (marked in the transcript on demand) and which ones, most frequent first.
  const fillers = placesIn(agent.fillerPlaces);
  const breakdown = Object.entries((agent.fillerBreakdown ?? {}) as Record<string, number>)
    .sort((x, y) => y[1] - x[1])
    .map(([w, n]) => `${w} ×${n}`)
    .join(' · ');
  const rows: [string, ReactNode, string][] = isCall
    ? [
        [t('analytics.agent.talkListen'), talkShare(numberIn(agent.agentTalkShare), insights.talkListenRatio), 'talk-listen'],
        [
          t('analytics.agent.longestMonologue'),
          <Group key="m" gap={6} wrap="nowrap">
            <Text size="sm">{formatDuration(insights.longestMonologueMs)}</Text>
            {mono && mono.startMs !== null && (
              <TimeLink
                ms={mono.startMs}
                onClick={() =>
                  go(
                    { lineId: mono.lineIds[0] ?? '', startMs: mono.startMs },
                    { key: 'monologue', places: mono.lineIds.map((lineId) => ({ lineId, startMs: null })) },
                  )
                }
                label={t('analytics.goTo', { what: t('analytics.agent.longestMonologue'), time: formatClock(mono.startMs) })}
              />
            )}
          </Group>,
          'monologue',
        ],
        [
          t('analytics.agent.fillers'),
          <Group key="f" gap={6} wrap="nowrap">
            <Text size="sm" fw={600}>
              {num(insights.fillersPerMinute, 1)}
            </Text>
            {fillers.length > 0 && (
              <Tooltip label={breakdown} withinPortal disabled={!breakdown}>
                <UnstyledButton
                  onClick={() => go(fillers[0]!, { key: 'fillers', places: fillers })}
                  aria-label={t('analytics.showFillers', { n: fillers.length })}
                  data-testid="analytics-fillers-show"
                >
                  <Text size="xs" c="blue.7" td="underline">
                    {t('analytics.showFillers', { n: fillers.length })}
                  </Text>
                </UnstyledButton>
              </Tooltip>
            )}
          </Group>,
          'fillers',
        ],
        [t('analytics.agent.wpm'), num(insights.wordsPerMinute), 'wpm'],
        [
          t('analytics.agent.response'),
          insights.avgResponseMs === null ? '—' : t('analytics.seconds', { n: num(insights.avgResponseMs / 1000, 1) }),
          'response',
        ],
      ]
    : [
        [t('analytics.agent.agentMessages'), num(numberIn(agent.agentMessages)), 'agent-messages'],
        [t('analytics.agent.customerMessages'), num(numberIn(agent.customerMessages)), 'customer-messages'],
        [t('analytics.agent.avgResponse'), formatDuration(numberIn(agent.avgResponseMs) ?? insights.avgResponseMs), 'response'],
        [t('analytics.agent.firstResponse'), formatDuration(numberIn(agent.firstResponseMs)), 'first-response'],
      ];
  return (
    <Section title={t('analytics.agentSummary')}>
      {insights.details?.metricsSource === 'voice_activity' && (
        <Text size="xs" c="dimmed" mb={6} data-testid="analytics-agent-vad">
          {t('analytics.fromVoiceActivity')}
        </Text>
      )}
      <Stack gap={6} data-testid="analytics-agent">
        {rows.map(([label, value, id]) => (
          <Group key={id} justify="space-between" wrap="nowrap" data-testid={`analytics-agent-${id}`}>
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            {typeof value === 'string' ? (
              <Text size="sm" fw={600}>
                {value}
              </Text>
            ) : (
              value
            )}
          </Group>
        ))}
      </Stack>
    </Section>
  );
}
