// The Moments of one conversation, on its page: the list (opened from a moment's link, the player jumps to it), and
// "Save as moment": mark the start and the end at the player's position (or type them), name it, save.
import { Badge, Button, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { MAX_MOMENT_MS, MIN_MOMENT_MS, useConversationMoments, useCreateMoment } from '../../../api/moments.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { formatDuration, parseDuration } from '../../../format.ts';
import { Section } from '../../conversations/parts.tsx';
import { usePlayerContext } from '../../conversations/player/usePlayer.ts';
import { setMarkedRanges, setRangeSelection, useRangeSelection } from '../../conversations/player/selection.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { MomentItem } from './MomentItem.tsx';

export function ConversationMoments({ conversationId, hasCall, card }: { conversationId: string; hasCall: boolean; card?: boolean }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const player = usePlayerContext();
  const [params] = useSearchParams();
  const list = useConversationMoments(conversationId);
  const [adding, setAdding] = useState<{ startMs: number; endMs: number } | 'here' | null>(null);
  const selection = useRangeSelection(conversationId);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const linked = params.get('moment');
  const seeked = useRef<string | null>(null);
  const playerReady = Boolean(player?.model);

  // The moments drawn on the player's waveform.
  useEffect(() => {
    setMarkedRanges(
      conversationId,
      items.map((m) => ({ id: m.id, name: m.name, startMs: m.startMs, endMs: m.endMs })),
    );
    return () => setMarkedRanges(conversationId, []);
  }, [conversationId, items]);

  // Opened from a moment's link: bring the player to it once.
  useEffect(() => {
    const m = linked ? items.find((x) => x.id === linked) : undefined;
    if (!m || !player || !playerReady || seeked.current === m.id) return;
    seeked.current = m.id;
    player.seek(m.startMs);
    document.querySelector(`[data-testid="moment-${m.id}"]`)?.scrollIntoView({ block: 'center' });
  }, [linked, items, player, playerReady]);

  if (!hasCall && items.length === 0) return null;
  return (
    <Section
      card={card}
      title={t('moments.title')}
      actions={
        hasCall && can(me, 'moments.manage') && !adding ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={12} />}
            onClick={() => setAdding(selection ? { startMs: selection.startMs, endMs: selection.endMs } : 'here')}
            data-testid="add-moment"
          >
            {selection ? t('moments.saveSelection', { range: `${formatDuration(selection.startMs)}–${formatDuration(selection.endMs)}` }) : t('moments.saveAs')}
          </Button>
        ) : undefined
      }
    >
      <Stack gap="xs" data-testid="conversation-moments">
        <ErrorAlert error={list.error} />
        {adding && (
          <NewMoment
            conversationId={conversationId}
            range={adding === 'here' ? null : adding}
            onDone={() => {
              setAdding(null);
              setRangeSelection(null);
            }}
          />
        )}
        {hasCall && can(me, 'moments.manage') && player?.model && !adding && (
          <Text size="xs" c="dimmed">
            {t('moments.selectHint')}
          </Text>
        )}
        {items.length === 0 && !adding && (
          <Text size="sm" c="dimmed">
            {t('moments.none')}
          </Text>
        )}
        {items.map((m) => (
          <div key={m.id} style={m.id === linked ? { outline: '2px solid var(--mantine-color-blue-4)', borderRadius: 8 } : undefined}>
            <MomentItem moment={m} onSeek={player?.model ? (ms) => player.seek(ms) : undefined} />
          </div>
        ))}
      </Stack>
    </Section>
  );
}

function NewMoment({ conversationId, range, onDone }: { conversationId: string; range: { startMs: number; endMs: number } | null; onDone: () => void }) {
  const { t } = useTranslation();
  const player = usePlayerContext();
  const create = useCreateMoment(conversationId);
  const here = () => Math.max(0, Math.round(player?.now() ?? 0));
  const [start, setStart] = useState(() => formatDuration(range?.startMs ?? here()));
  const [end, setEnd] = useState(() => formatDuration(range?.endMs ?? here() + 15_000));
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const startMs = parseDuration(start);
  const endMs = parseDuration(end);
  const problem =
    startMs === null || endMs === null
      ? t('moments.form.badTime')
      : endMs <= startMs
        ? t('moments.form.endAfterStart')
        : endMs - startMs < MIN_MOMENT_MS
          ? t('moments.form.tooShort')
          : endMs - startMs > MAX_MOMENT_MS
            ? t('moments.form.tooLong')
            : null;
  return (
    <Stack gap={6} data-testid="new-moment">
      <TextInput label={t('moments.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} required data-autofocus />
      <Group grow align="flex-end">
        <TextInput
          label={t('moments.form.start')}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          placeholder="m:ss"
          data-testid="moment-start"
        />
        <TextInput label={t('moments.form.end')} value={end} onChange={(e) => setEnd(e.currentTarget.value)} placeholder="m:ss" data-testid="moment-end" />
      </Group>
      {player?.model && (
        <Group gap="xs">
          <Button size="compact-xs" variant="default" onClick={() => setStart(formatDuration(here()))}>
            {t('moments.form.markStart')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => setEnd(formatDuration(here()))}>
            {t('moments.form.markEnd')}
          </Button>
          {startMs !== null && endMs !== null && endMs > startMs && (
            <Badge variant="light" color="gray">
              {formatDuration(endMs - startMs)}
            </Badge>
          )}
        </Group>
      )}
      <Textarea label={t('moments.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} rows={2} maxLength={2000} />
      {problem && (start || end) && (
        <Text size="xs" c="red">
          {problem}
        </Text>
      )}
      <ErrorAlert error={create.error} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" size="xs" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          size="xs"
          disabled={!name.trim() || Boolean(problem)}
          loading={create.isPending}
          onClick={() => create.mutate({ name: name.trim(), startMs: startMs!, endMs: endMs!, note: note.trim() || null }, { onSuccess: onDone })}
          data-testid="save-moment"
        >
          {t('moments.form.save')}
        </Button>
      </Group>
    </Stack>
  );
}
