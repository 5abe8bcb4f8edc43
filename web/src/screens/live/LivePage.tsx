// The Live screen (issue 13): the calls being recorded now — parties, duration, direction, group, recording state and
// live network quality — with filters and the user's group scope applied by the server; listen-in (both parties or
// one) for "monitor live"; start/stop/pause/resume for "control recording" as the call's mode allows; chats in progress.
import { ActionIcon, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useControlRecording, useLive, type ControlAction, type LiveCall, type LiveQuery } from '../../api/live.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconLive, IconVolume } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow } from '../../components/TableStates.tsx';
import { formatDuration, useTimes } from '../../format.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { NoAccessPage } from '../shell/NoAccessPage.tsx';
import { ListenBar } from './listen/ListenBar.tsx';
import { useListen } from './listen/useListen.ts';

const STATE_COLOR: Record<string, string> = { recording: 'red', paused: 'yellow', not_recording: 'gray' };

/** What the control buttons offer in this state and mode (the server refuses the rest with a reason). */
export function controlsFor(call: Pick<LiveCall, 'state' | 'mode' | 'policy'>): ControlAction[] {
  const policyAllows = call.policy?.record !== false;
  if (call.mode === 'always') return [];
  if (call.state === 'recording') return call.mode === 'on_demand' ? ['pause', 'stop'] : ['pause'];
  if (call.state === 'paused') return call.mode === 'on_demand' ? (policyAllows ? ['resume', 'stop'] : ['stop']) : policyAllows ? ['resume'] : [];
  if (call.state === 'not_recording') return policyAllows ? ['start'] : [];
  return [];
}

function mosColor(mos: number | null) {
  if (mos === null) return 'gray';
  return mos >= 4 ? 'green' : mos >= 3.6 ? 'yellow' : 'red';
}

/** Ticks every second so durations run between the list's refreshes. */
function useNow(serverNow: string | undefined) {
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const [anchor, setAnchor] = useState<{ server: number; local: number } | null>(null);
  useEffect(() => {
    if (serverNow) setAnchor({ server: Date.parse(serverNow), local: Date.now() });
  }, [serverNow]);
  return anchor ? tick - anchor.local : 0;
}

export function LivePage() {
  const me = useCurrentUser();
  if (!can(me, 'live.monitor')) return <NoAccessPage />;
  return <LiveScreen canControl={can(me, 'recording.control')} canOpenChats={can(me, 'conversations.view', 'conversations.view_own')} />;
}

function LiveScreen({ canControl, canOpenChats }: { canControl: boolean; canOpenChats: boolean }) {
  const { t } = useTranslation();
  const times = useTimes();
  const fmtTime = (iso: string) => times.time(iso, null, true);
  const [query, setQuery] = useState<LiveQuery>({});
  const [text, setText] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setQuery((q) => ({ ...q, q: text.trim() || undefined })), 300);
    return () => clearTimeout(id);
  }, [text]);
  const live = useLive(query);
  const control = useControlRecording();
  const listen = useListen();
  const since = useNow(live.data?.now);
  const calls = useMemo(() => live.data?.calls ?? [], [live.data]);
  const groups = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of calls) if (c.group) m.set(c.group.id, c.group.name);
    if (query.groupId && !m.has(query.groupId)) m.set(query.groupId, query.groupId);
    return [...m].map(([value, label]) => ({ value, label }));
  }, [calls, query.groupId]);
  const listening = calls.find((c) => c.id === listen.callId) ?? null;

  const partyText = (c: LiveCall) => {
    const caller = c.parties.find((p) => p.side === 'caller');
    const callee = c.parties.find((p) => p.side === 'callee');
    const name = (p: LiveCall['parties'][number] | undefined) => (p ? (p.name ?? p.number ?? '?') : '?');
    if (caller || callee) return `${name(caller)} → ${name(callee)}`;
    return c.parties.map((p) => p.name ?? p.number ?? '?').join(' – ');
  };

  return (
    <Stack gap="md">
      <PageHeader title={t('live.title')} description={t('live.description')} />
      <Group gap="sm" align="flex-end" data-testid="live-filters">
        <TextInput
          label={t('live.filters.search')}
          placeholder={t('live.filters.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={240}
        />
        <Select
          label={t('live.filters.direction')}
          clearable
          w={160}
          value={query.direction ?? null}
          onChange={(v) => setQuery((q) => ({ ...q, direction: (v as LiveQuery['direction']) ?? undefined }))}
          data={(['inbound', 'outbound', 'internal'] as const).map((d) => ({ value: d, label: t(`live.direction.${d}`) }))}
        />
        <Select
          label={t('live.filters.state')}
          clearable
          w={180}
          value={query.state ?? null}
          onChange={(v) => setQuery((q) => ({ ...q, state: (v as LiveQuery['state']) ?? undefined }))}
          data={(['recording', 'paused', 'not_recording'] as const).map((s) => ({ value: s, label: t(`live.state.${s}`) }))}
        />
        <Select
          label={t('live.filters.group')}
          clearable
          w={200}
          value={query.groupId ?? null}
          onChange={(v) => setQuery((q) => ({ ...q, groupId: v ?? undefined }))}
          data={groups}
        />
      </Group>
      <ErrorAlert error={live.error} />
      <ErrorAlert error={control.error} />
      {listen.status !== 'idle' && <ListenBar listen={listen} call={listening} />}
      <Card withBorder padding={0}>
        <Table striped highlightOnHover data-testid="live-calls">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('live.columns.parties')}</Table.Th>
              <Table.Th>{t('live.columns.agent')}</Table.Th>
              <Table.Th>{t('live.columns.group')}</Table.Th>
              <Table.Th>{t('live.columns.direction')}</Table.Th>
              <Table.Th>{t('live.columns.duration')}</Table.Th>
              <Table.Th>{t('live.columns.state')}</Table.Th>
              <Table.Th>{t('live.columns.quality')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {live.isLoading ? (
              <EmptyRow colSpan={8}>{t('live.loading')}</EmptyRow>
            ) : calls.length === 0 ? (
              <EmptyRow colSpan={8}>{t('live.noCalls')}</EmptyRow>
            ) : (
              calls.map((c) => (
                <Table.Tr key={c.id} data-testid="live-call" data-call-ref={c.callRef}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {partyText(c)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('live.startedAt', { time: fmtTime(c.startedAt) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{c.agent?.name ?? '—'}</Table.Td>
                  <Table.Td>{c.group?.name ?? '—'}</Table.Td>
                  <Table.Td>{t(`live.direction.${c.direction}`, { defaultValue: c.direction })}</Table.Td>
                  <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDuration(c.durationMs + since)}</Table.Td>
                  <Table.Td>
                    <Tooltip label={c.policy && !c.policy.record ? t('live.policyNo', { rule: c.policy.ruleName ?? '' }) : t(`live.mode.${c.mode}`)}>
                      <Badge color={STATE_COLOR[c.state] ?? 'gray'} variant={c.state === 'recording' ? 'filled' : 'light'} data-testid="live-state">
                        {t(`live.state.${c.state}`)}
                      </Badge>
                    </Tooltip>
                    {c.sourcePaused && c.state !== 'recording' && (
                      <Text size="xs" c="yellow.8" data-testid="live-source-paused">
                        {t('live.pausedBySource')}
                      </Text>
                    )}
                    {c.pausedMs > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('live.paused', { duration: formatDuration(c.pausedMs + (c.state === 'recording' ? 0 : since)) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {c.quality.length === 0
                        ? '—'
                        : c.quality.map((q) => {
                            const who = c.parties.find((p) => p.labels.includes(q.label));
                            return (
                              <Tooltip
                                key={q.label}
                                label={t('live.qualityTip', { who: who?.name ?? who?.number ?? q.label, jitter: q.jitterMs, loss: q.lossPercent })}
                              >
                                <Badge color={mosColor(q.mos)} variant="light">
                                  {q.mos === null ? '…' : q.mos.toFixed(1)}
                                </Badge>
                              </Tooltip>
                            );
                          })}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {canControl &&
                        controlsFor(c).map((a) => (
                          <Button
                            key={a}
                            size="compact-xs"
                            variant="light"
                            color={a === 'pause' || a === 'stop' ? 'yellow' : 'red'}
                            loading={control.isPending && control.variables?.callRef === c.callRef && control.variables.action === a}
                            onClick={() => control.mutate({ callRef: c.callRef, action: a })}
                          >
                            {t(`live.actions.${a}`)}
                          </Button>
                        ))}
                      <Tooltip label={c.listenable ? t('live.listen') : t('live.listenElsewhere')}>
                        <ActionIcon
                          variant={listen.callId === c.id ? 'filled' : 'light'}
                          aria-label={t('live.listen')}
                          disabled={!c.listenable}
                          onClick={() => void listen.start(c.id)}
                          data-testid="live-listen"
                        >
                          <IconVolume size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Card>
      {(live.data?.chats.length ?? 0) > 0 && (
        <Card withBorder data-testid="live-chats">
          <Group gap="xs" mb="xs">
            <IconLive size={16} />
            <Text fw={600}>{t('live.chats')}</Text>
          </Group>
          <Stack gap={4}>
            {live.data!.chats.map((c) => (
              <Group key={c.conversationId} gap="sm">
                {canOpenChats ? <Link to={`/conversations/${c.conversationId}`}>{c.title}</Link> : <Text size="sm">{c.title}</Text>}
                <Text size="xs" c="dimmed">
                  {[c.agent?.name, c.group?.name, t('live.lastMessage', { time: fmtTime(c.lastMessageAt) })].filter(Boolean).join(' · ')}
                </Text>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
