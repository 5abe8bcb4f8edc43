// The transcript beside the player: utterances by party in the waveforms' party colours, the word being said lit in
// step with playback, a click on a word plays from there, "Follow" keeps the utterance at the playhead in view (and
// turns itself off when the user scrolls away), search within the transcript, the list search's matches and the
// speech tags marked, unsure words faint, redacted spans as badges, copy and download. Opened at a moment (`t` in
// the address, from a search hit in speech) it seeks there and brings that utterance into view.
//
// Rendering: the words are rendered once (in chunks of utterances, each when it nears the visible area), and what
// changes while playing is written on the DOM directly (marks.ts), so a 3-hour call stays smooth.
import { ActionIcon, Alert, Badge, Box, Button, Group, Loader, Menu, Paper, Skeleton, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { IconCheck, IconChevronDown, IconCopy, IconDownload, IconFollow, IconRefresh, IconSearch } from '../../../../components/icons.tsx';
import { can, useCurrentUser } from '../../../shell/currentUser.tsx';
import { SEARCH_PARAM, TIME_PARAM } from '../../search/searchLinks.ts';
import { COLORS, formatClock, laneOf, type Lane } from '../model.ts';
import { usePlayerContext, type PlayerApi } from '../usePlayer.ts';
import { markedWords, useInsightMarks } from '../../analytics/marks.ts';
import {
  useRetranscribe,
  useSpeechTagMarks,
  useTranscript,
  useTranscriptDownload,
  type SpeechTagMark,
  type Transcript,
  type TranscriptFormat,
  type TranscriptUtterance,
} from './api.ts';
import { DomMarks, layerOf, uttSel, wordSel } from './marks.ts';
import {
  activeWords,
  buildIndex,
  copyText,
  displayWords,
  isLowConfidence,
  isPlaceholder,
  searchHitWords,
  searchTranscript,
  utteranceAt,
  wordRef,
  type WordIndex,
} from './model.ts';

/** Utterances per lazily rendered chunk. */
export const CHUNK = 40;

const FORMATS: TranscriptFormat[] = ['txt', 'srt', 'vtt', 'json'];

const STYLE = `
.es-transcript { position: relative; overflow-y: auto; overflow-anchor: none; }
.es-transcript [data-wi] { cursor: pointer; border-radius: 3px; padding: 0 1px; }
.es-transcript [data-wi]:hover { background: var(--mantine-color-gray-2); }
.es-transcript [data-low] { opacity: 0.5; }
.es-transcript [data-hit] { background: var(--mantine-color-yellow-3); }
.es-transcript [data-tag] { text-decoration: underline 2px var(--mantine-color-grape-5); text-underline-offset: 3px; }
.es-transcript [data-insight] { background: var(--mantine-color-grape-1); box-shadow: inset 0 -2px var(--mantine-color-grape-5); }
.es-transcript [data-match] { background: var(--mantine-color-orange-1); box-shadow: 0 0 0 1px var(--mantine-color-orange-4); }
.es-transcript [data-match="current"] { background: var(--mantine-color-orange-3); }
.es-transcript [data-active] { background: color-mix(in srgb, var(--party) 45%, transparent); box-shadow: 0 0 0 1px var(--party); opacity: 1; }
.es-transcript [data-redacted] { display: inline-block; font-size: 11px; font-weight: 600; line-height: 16px; padding: 0 6px; border-radius: 8px;
  background: var(--mantine-color-gray-2); color: var(--mantine-color-gray-8); letter-spacing: 0.02em; }
.es-transcript [data-ui] { border-left: 3px solid var(--party); padding: 2px 0 4px 10px; margin-bottom: 6px; border-radius: 2px; }
.es-transcript [data-ui][data-current] { background: color-mix(in srgb, var(--party) 8%, transparent); }
.es-transcript [data-ui][data-target] { background: var(--mantine-color-yellow-0); box-shadow: inset 0 0 0 1px var(--mantine-color-yellow-5); }
`;

/** Party colours of the waveforms: the lane of the utterance's party, else by role (called side, the lighter). */
export function partyColor(lanes: readonly Lane[], u: Pick<TranscriptUtterance, 'partyKey' | 'role' | 'segmentId' | 'startMs'>): string {
  const lane = laneOf(lanes, u.partyKey, { segmentId: u.segmentId, ms: u.startMs });
  if (lane) return lane.color;
  if (u.role === 'agent') return COLORS.agentCalled;
  if (u.role === 'customer') return COLORS.customerCalled;
  return COLORS.wrapUp;
}

export function TranscriptPanel({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const player = usePlayerContext();
  const transcript = useTranscript(conversationId);
  const data = transcript.data;
  useSeekParam(player, conversationId);

  let body: ReactNode;
  if (transcript.isPending) body = <Skeleton h={120} radius="sm" />;
  else if (transcript.isError) body = <ErrorAlert error={transcript.error} title={t('transcript.loadFailed')} />;
  else if (data && data.utterances.length > 0) body = <TranscriptView conversationId={conversationId} transcript={data} player={player} />;
  else body = <TranscriptState conversationId={conversationId} transcript={data ?? null} />;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('transcript.title')} data-testid="transcript-panel" data-status={data?.status ?? ''}>
      <style>{STYLE}</style>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4} size="h5">
            {t('transcript.title')}
          </Title>
          {data?.engine && (
            <Text size="xs" c="dimmed">
              {[data.engine, data.language].filter(Boolean).join(' · ')}
            </Text>
          )}
        </Group>
        {body}
      </Stack>
    </Paper>
  );
}

/** Why there is no transcript to show, in the words users know, with "Transcribe again" where it may help. */
function TranscriptState({ conversationId, transcript }: { conversationId: string; transcript: Transcript | null }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const retry = useRetranscribe(conversationId);
  const status = transcript?.status ?? null;
  const reason = transcript?.reason ?? null;
  const canRetry = can(me, 'media.reprocess');
  const retryButton = canRetry && (
    <Button
      size="compact-xs"
      variant="default"
      leftSection={<IconRefresh size={12} />}
      loading={retry.isPending}
      onClick={() => retry.mutate()}
      data-testid="transcript-retry"
    >
      {t('transcript.retry')}
    </Button>
  );
  let content: ReactNode;
  if (status === 'pending') {
    content = (
      <Group gap="xs" data-testid="transcript-pending">
        <Loader size={14} />
        <Text size="sm">{t('transcript.pending')}</Text>
      </Group>
    );
  } else if (status === 'no_engine') {
    content = (
      <Alert color="gray" variant="light" title={t('transcript.noEngine')} data-testid="transcript-no-engine">
        {reason && <Text size="sm">{reason}</Text>}
      </Alert>
    );
  } else if (status === 'no_speech') {
    content = (
      <Text size="sm" c="dimmed" data-testid="transcript-no-speech">
        {t('transcript.noSpeech')}
      </Text>
    );
  } else if (status === 'failed') {
    content = (
      <Alert
        color="red"
        variant="light"
        title={t('transcript.failed', { reason: reason ?? t('transcript.noReason') })}
        data-testid="transcript-failed"
        role="alert"
      >
        {retryButton}
      </Alert>
    );
  } else {
    content = (
      <Group gap="sm" data-testid="transcript-none">
        <Text size="sm" c="dimmed">
          {status === 'ready' ? t('transcript.empty') : t('transcript.notYet')}
        </Text>
        {retryButton}
      </Group>
    );
  }
  return (
    <Stack gap="xs">
      {content}
      <ErrorAlert error={retry.error} title={t('transcript.retryFailed')} />
    </Stack>
  );
}

/** Opened with ?t=ms: seek there once the media is in (once per conversation and time). */
function useSeekParam(player: PlayerApi | null, conversationId: string) {
  const [params] = useSearchParams();
  const raw = params.get(TIME_PARAM);
  const ms = raw === null ? Number.NaN : Number(raw);
  const done = useRef<string | null>(null);
  const model = player?.model;
  useEffect(() => {
    if (!player || !model || model.problem === 'pending' || !Number.isFinite(ms) || ms < 0) return;
    const key = `${conversationId}@${ms}`;
    if (done.current === key || player.conversationId !== conversationId) return;
    done.current = key;
    player.seek(ms);
  }, [player, model, ms, conversationId]);
}

// ——— the transcript itself ——————————————————————————————————————————————————————————————————————————————————

interface ViewProps {
  conversationId: string;
  transcript: Transcript;
  player: PlayerApi | null;
}

function TranscriptView({ conversationId, transcript, player }: ViewProps) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const listQuery = params.get(SEARCH_PARAM) ?? '';
  const rawT = params.get(TIME_PARAM);
  const target = rawT === null ? Number.NaN : Number(rawT);

  const utterances = transcript.utterances;
  const index = useMemo(() => buildIndex(utterances), [utterances]);
  const lanes = player?.model?.lanes;
  const colors = useMemo(() => utterances.map((u) => partyColor(lanes ?? [], u)), [utterances, lanes]);
  const names = useMemo(
    () => utterances.map((u) => (lanes && laneOf(lanes, u.partyKey, { segmentId: u.segmentId, ms: u.startMs })?.name) ?? null),
    [utterances, lanes],
  );
  const hits = useMemo(() => searchHitWords(utterances, index, listQuery), [utterances, index, listQuery]);
  const tagMarks = useSpeechTagMarks(conversationId).data;
  const tagged = useMemo(() => tagWords(utterances, index, tagMarks ?? []), [utterances, index, tagMarks]);

  const boxRef = useRef<HTMLDivElement>(null);
  const marks = useMemo(() => new DomMarks(), []);
  const [follow, setFollowState] = useState(true);
  const followRef = useRef(follow);
  const setFollow = useCallback((v: boolean) => {
    followRef.current = v;
    setFollowState(v);
  }, []);

  // Chunks rendered so far: the first ones and the one at the opening time; the rest as they near the view.
  const chunkCount = Math.ceil(utterances.length / CHUNK);
  const [shown, setShown] = useState<ReadonlySet<number>>(() => {
    const s = new Set([0, 1]);
    if (Number.isFinite(target)) s.add(Math.floor(Math.max(0, utteranceAt(utterances, target)) / CHUNK));
    return s;
  });
  const show = useCallback((k: number) => setShown((s) => (s.has(k) ? s : new Set([...s, k]))), []);

  // ——— scrolling (ours vs the user's) ———
  const expected = useRef(0);
  const intent = useRef(0);
  const pendingScroll = useRef<{ sel: string; chunk: number } | null>(null);

  const scrollToEl = useCallback((el: HTMLElement, force: boolean) => {
    const box = boxRef.current;
    if (!box) return;
    const top = el.offsetTop;
    const bottom = top + el.offsetHeight;
    if (force || top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight * 0.25);
      expected.current = box.scrollTop;
    }
  }, []);

  /** Brings an utterance or word into view, rendering its chunk first when needed. */
  const scrollTo = useCallback(
    (sel: string, chunk: number, force = false) => {
      const el = boxRef.current?.querySelector<HTMLElement>(sel);
      if (el) scrollToEl(el, force);
      else {
        pendingScroll.current = { sel, chunk };
        show(chunk);
      }
    },
    [scrollToEl, show],
  );

  const onChunkMount = useCallback(
    (k: number, part: HTMLElement) => {
      marks.paint(part);
      const p = pendingScroll.current;
      if (p && p.chunk === k) {
        pendingScroll.current = null;
        const el = part.querySelector<HTMLElement>(p.sel);
        if (el) scrollToEl(el, true);
      }
    },
    [marks, scrollToEl],
  );

  const onScroll = () => {
    const box = boxRef.current;
    if (!box || !followRef.current) return;
    // Only a scroll the user made (wheel, touch, keys, scrollbar) turns "Follow" off, not ours nor a layout change.
    if (performance.now() - intent.current < 1500 && Math.abs(box.scrollTop - expected.current) > 8) setFollow(false);
  };
  const markIntent = () => {
    intent.current = performance.now();
  };

  // ——— the playhead: the words being said and the utterance at the playhead ———
  useLayoutEffect(() => {
    marks.root = boxRef.current;
  });
  useEffect(() => {
    const clock = player?.clock;
    if (!clock) return;
    let prevWords = '';
    let prevUtt = -2;
    const update = () => {
      const ms = clock.ms;
      const words = activeWords(index, ms);
      const key = words.join(',');
      if (key !== prevWords) {
        prevWords = key;
        marks.set('data-active', layerOf(words.map(wordSel)));
      }
      const k = utteranceAt(utterances, ms);
      if (k !== prevUtt) {
        prevUtt = k;
        marks.set('data-current', k >= 0 ? layerOf([uttSel(k)]) : new Map());
        if (followRef.current && k >= 0) scrollTo(uttSel(k), Math.floor(k / CHUNK));
      }
    };
    update();
    return clock.subscribe(update);
  }, [player?.clock, index, utterances, marks, scrollTo]);

  // Follow turned back on: to the playhead at once.
  useEffect(() => {
    if (!follow || !player) return;
    const k = utteranceAt(utterances, player.clock.ms);
    if (k >= 0) scrollTo(uttSel(k), Math.floor(k / CHUNK), true);
  }, [follow, player, utterances, scrollTo]);

  // Opened at a moment: that utterance marked and in view (the page scrolls to the panel too).
  const targetDone = useRef<number | null>(null);
  useEffect(() => {
    if (!Number.isFinite(target) || targetDone.current === target) return;
    targetDone.current = target;
    const k = Math.max(0, utteranceAt(utterances, target));
    marks.set('data-target', layerOf([uttSel(k)]));
    scrollTo(uttSel(k), Math.floor(k / CHUNK), true);
    boxRef.current?.closest('section')?.scrollIntoView({ block: 'center' });
  }, [target, utterances, marks, scrollTo]);

  const downloader = useTranscriptDownload(conversationId);

  // What the Analytics tab points at (an indicator's mentions, a topic's hits): marked, the first one brought into view.
  const insight = useInsightMarks();
  useEffect(() => {
    const words = insight ? markedWords(utterances, index.firstOf, insight.marks) : [];
    marks.set('data-insight', layerOf(words.map(wordSel)));
    const first = words[0];
    if (first === undefined) return;
    setFollow(false);
    scrollTo(wordSel(first), Math.floor(wordRef(index, first).u / CHUNK), true);
  }, [insight, utterances, index, marks, scrollTo, setFollow]);

  // ——— search within the transcript ———
  const [query, setQuery] = useState('');
  const matches = useMemo(() => searchTranscript(utterances, query), [utterances, query]);
  const [current, setCurrent] = useState(0);
  useEffect(() => setCurrent(0), [matches]);
  useEffect(() => {
    const all = new Map<string, string>();
    matches.forEach((m, n) => {
      for (let i = m.first; i <= m.last; i++) all.set(wordSel(index.firstOf[m.u]! + i), n === current ? 'current' : '');
    });
    marks.set('data-match', all);
    const m = matches[current];
    if (m) scrollTo(wordSel(index.firstOf[m.u]! + m.first), Math.floor(m.u / CHUNK));
  }, [matches, current, index, marks, scrollTo]);
  const step = (d: number) => {
    if (matches.length === 0) return;
    setFollow(false);
    setCurrent((c) => (c + d + matches.length) % matches.length);
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    step(e.shiftKey ? -1 : 1);
  };
  const onQuery = (v: string) => {
    setQuery(v);
    if (v.trim()) setFollow(false);
  };

  // ——— clicks: a word plays from its start; the time of an utterance from its start ———
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-wi]');
    if (!el || !player) return;
    const ref = wordRef(index, Number(el.dataset.wi));
    const w = utterances[ref.u]?.words[ref.i];
    if (w) {
      player.seek(w.s);
      marks.set('data-target', new Map());
    }
  };
  const playFrom = useCallback(
    (ms: number) => {
      player?.seek(ms);
      marks.set('data-target', new Map());
    },
    [player, marks],
  );

  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap={6} wrap="nowrap" style={{ flex: 1, minWidth: 220 }}>
          <TextInput
            size="xs"
            style={{ flex: 1, maxWidth: 320 }}
            leftSection={<IconSearch size={14} />}
            placeholder={t('transcript.search')}
            aria-label={t('transcript.search')}
            value={query}
            onChange={(e) => onQuery(e.currentTarget.value)}
            onKeyDown={onSearchKey}
            data-testid="transcript-search"
          />
          {query.trim() !== '' && (
            <Text size="xs" c={matches.length ? undefined : 'red'} style={{ whiteSpace: 'nowrap' }} data-testid="transcript-match-count">
              {matches.length ? t('transcript.matchOf', { current: current + 1, n: matches.length }) : t('transcript.noMatch')}
            </Text>
          )}
          <Tooltip label={t('transcript.previous')} withinPortal>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              onClick={() => step(-1)}
              disabled={matches.length === 0}
              aria-label={t('transcript.previous')}
              data-testid="transcript-prev"
            >
              <span style={{ display: 'inline-flex', transform: 'rotate(180deg)' }}>
                <IconChevronDown size={14} />
              </span>
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('transcript.next')} withinPortal>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              onClick={() => step(1)}
              disabled={matches.length === 0}
              aria-label={t('transcript.next')}
              data-testid="transcript-next"
            >
              <IconChevronDown size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('transcript.followHint')} withinPortal>
            <Button
              size="compact-xs"
              variant={follow ? 'light' : 'subtle'}
              color={follow ? 'blue' : 'gray'}
              leftSection={<IconFollow size={12} />}
              onClick={() => setFollow(!follow)}
              aria-pressed={follow}
              data-testid="transcript-follow"
            >
              {t('transcript.follow')}
            </Button>
          </Tooltip>
          <CopyButton transcript={transcript} />
          <DownloadMenu downloader={downloader} />
        </Group>
      </Group>
      <ErrorAlert error={downloader.error} title={t('transcript.downloadFailed')} />
      <Box
        ref={boxRef}
        className="es-transcript"
        mah={420}
        onScroll={onScroll}
        onWheel={markIntent}
        onTouchMove={markIntent}
        onPointerDown={markIntent}
        onKeyDown={markIntent}
        onClick={onClick}
        tabIndex={0}
        aria-label={t('transcript.words')}
        data-testid="transcript-words"
      >
        {Array.from({ length: chunkCount }, (_, k) => (
          <Chunk
            key={k}
            k={k}
            shown={shown.has(k)}
            utterances={utterances}
            index={index}
            colors={colors}
            names={names}
            hits={hits}
            tagged={tagged}
            onShow={show}
            onMount={onChunkMount}
            playFrom={playFrom}
            rootRef={boxRef}
          />
        ))}
      </Box>
    </Stack>
  );
}

/** Global word numbers covered by a speech-tag hit, with the tag's name (for the mark and its tooltip). */
export function tagWords(utterances: readonly TranscriptUtterance[], index: WordIndex, tags: readonly SpeechTagMark[]): Map<number, string> {
  const out = new Map<number, string>();
  if (tags.length === 0) return out;
  utterances.forEach((u, k) => {
    for (const tag of tags) {
      if (tag.endMs <= u.startMs || tag.startMs >= u.endMs || (tag.utteranceId && tag.utteranceId !== u.id)) continue;
      u.words.forEach((w, i) => {
        if (w.s < tag.endMs && w.e > tag.startMs) out.set(index.firstOf[k]! + i, tag.label);
      });
    }
  });
  return out;
}

interface ChunkProps {
  k: number;
  shown: boolean;
  utterances: readonly TranscriptUtterance[];
  index: WordIndex;
  colors: readonly string[];
  names: readonly (string | null)[];
  hits: ReadonlySet<number>;
  tagged: ReadonlyMap<number, string>;
  onShow: (k: number) => void;
  onMount: (k: number, part: HTMLElement) => void;
  playFrom: (ms: number) => void;
  rootRef: RefObject<HTMLDivElement | null>;
}

/** An estimate of a chunk's height before it is rendered (so the scrollbar is about right). */
const estimate = (us: readonly TranscriptUtterance[]) => us.reduce((h, u) => h + 34 + Math.ceil(Math.max(1, u.text.length) / 90) * 22, 0);

const Chunk = memo(function Chunk(p: ChunkProps) {
  const ref = useRef<HTMLDivElement>(null);
  const from = p.k * CHUNK;
  const slice = p.utterances.slice(from, from + CHUNK);
  const { k, shown, onShow, onMount, rootRef } = p;

  // Not rendered yet: render when it comes within a screen of the visible area.
  useEffect(() => {
    const el = ref.current;
    if (shown || !el) return;
    if (typeof IntersectionObserver === 'undefined') return onShow(k);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onShow(k), { root: rootRef.current, rootMargin: '600px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [shown, k, onShow, rootRef]);

  useLayoutEffect(() => {
    if (shown && ref.current) onMount(k, ref.current);
  }, [shown, k, onMount, p.utterances, p.hits, p.tagged, p.colors]);

  if (!shown) return <div ref={ref} style={{ height: estimate(slice) }} data-chunk={k} data-pending="" />;
  return (
    <div ref={ref} data-chunk={k}>
      {slice.map((u, j) => (
        <UtteranceView
          key={u.id}
          k={from + j}
          u={u}
          first={p.index.firstOf[from + j]!}
          color={p.colors[from + j]!}
          name={p.names[from + j] ?? null}
          hits={p.hits}
          tagged={p.tagged}
          playFrom={p.playFrom}
        />
      ))}
    </div>
  );
});

/** The speaker by role, in the user's language ("unknown" on a mono mix: not guessed). */
const speakerName = (t: TFunction, u: Pick<TranscriptUtterance, 'role'>) =>
  u.role === 'unknown' ? t('transcript.speakerUnknown') : t(`conversations.roles.${u.role}`);

function UtteranceView({
  k,
  u,
  first,
  color,
  name,
  hits,
  tagged,
  playFrom,
}: {
  k: number;
  u: TranscriptUtterance;
  first: number;
  color: string;
  name: string | null;
  hits: ReadonlySet<number>;
  tagged: ReadonlyMap<number, string>;
  playFrom: (ms: number) => void;
}) {
  const { t } = useTranslation();
  const role = speakerName(t, u);
  const time = formatClock(u.startMs);
  const shown = useMemo(() => displayWords(u), [u]);
  return (
    <div data-ui={k} data-role={u.role} data-party={u.partyKey ?? ''} data-start={u.startMs} style={{ '--party': color } as CSSProperties}>
      <Group gap={6} wrap="nowrap" mb={2}>
        <Text size="xs" fw={600} style={{ color }} className="es-utt-head">
          {name ? `${name} · ${role}` : role}
        </Text>
        <Text
          component="button"
          type="button"
          size="xs"
          c="dimmed"
          ff="monospace"
          onClick={(e: MouseEvent) => {
            e.stopPropagation();
            playFrom(u.startMs);
          }}
          aria-label={t('transcript.playFrom', { time })}
          style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer' }}
        >
          {time}
        </Text>
        {u.redacted && (
          <Badge size="xs" variant="light" color="gray" tt="none">
            {t('transcript.redactedBadge')}
          </Badge>
        )}
      </Group>
      <Text size="sm" component="div" style={{ lineHeight: 1.7 }}>
        {u.words.length === 0
          ? u.text
          : u.words.map((w, i) => {
              const id = first + i;
              const tag = tagged.get(id);
              const placeholder = isPlaceholder(w.w);
              const low = !placeholder && isLowConfidence(w.c);
              const title = placeholder
                ? t('transcript.redacted', { what: w.w.slice(1, -1) })
                : tag
                  ? t('transcript.speechTag', { name: tag })
                  : low
                    ? t('transcript.lowConfidence', { pct: Math.round((w.c ?? 0) * 100) })
                    : undefined;
              return (
                <span key={i}>
                  <span
                    data-wi={id}
                    data-low={low ? '' : undefined}
                    data-hit={hits.has(id) ? '' : undefined}
                    data-tag={tag !== undefined ? '' : undefined}
                    data-redacted={placeholder ? '' : undefined}
                    title={title}
                  >
                    {placeholder ? w.w.slice(1, -1) : shown[i]}
                  </span>{' '}
                </span>
              );
            })}
      </Text>
    </div>
  );
}

function CopyButton({ transcript }: { transcript: Transcript }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(copyText(transcript.utterances, (u) => speakerName(t, u)));
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  const label = state === 'copied' ? t('transcript.copied') : state === 'failed' ? t('transcript.copyFailed') : t('transcript.copy');
  return (
    <Tooltip label={label} withinPortal opened={state !== 'idle' ? true : undefined}>
      <ActionIcon
        variant="subtle"
        color={state === 'failed' ? 'red' : 'gray'}
        onClick={() => void copy()}
        aria-label={t('transcript.copy')}
        data-testid="transcript-copy"
      >
        {state === 'copied' ? <IconCheck size={16} /> : <IconCopy size={16} />}
      </ActionIcon>
    </Tooltip>
  );
}

function DownloadMenu({ downloader }: { downloader: ReturnType<typeof useTranscriptDownload> }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Tooltip label={t('transcript.download')} withinPortal>
          <ActionIcon variant="subtle" color="gray" loading={downloader.isPending} aria-label={t('transcript.download')} data-testid="transcript-download">
            <IconDownload size={16} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        {FORMATS.map((f) => (
          <Menu.Item key={f} onClick={() => downloader.mutate(f)} data-testid={`transcript-download-${f}`}>
            {t(`transcript.formats.${f}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
