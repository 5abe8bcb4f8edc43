// Administration → Recorder → Sources & parties: which SBCs/PBXs may record into this tenant (by address/CIDR or TLS
// identity; anything else is refused and listed under "Refused requests" so a new SBC's address can be allowed from
// there), and how recorded participants become agents or customers (rules tried in order, then users' extensions).
import { ActionIcon, Badge, Button, Card, Group, Select, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useDeletePartyRule,
  useDeleteRecorderSource,
  usePartyRules,
  useRecorderSources,
  useSavePartyRule,
  useSaveRecorderSource,
  useTestParty,
  type PartyRuleInput,
  type RecorderSourceInput,
} from '../../../../api/recorderSources.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { IconTrash } from '../../../../components/icons.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { AgentPicker } from '../../../conversations/search/editors/AgentPicker.tsx';

const VENDORS = ['generic', 'cisco', 'oracle', 'audiocodes', 'broadworks', 'freeswitch', 'asterisk'] as const;
type Vendor = (typeof VENDORS)[number];

export function RecorderSourcesPage() {
  return (
    <Stack gap="lg" data-testid="recorder-sources-page">
      <SourcesCard />
      <PartyRulesCard />
    </Stack>
  );
}

const emptySource = (): RecorderSourceInput => ({ name: '', address: '', tlsIdentity: '', vendor: 'generic', pingUri: '' });

function SourcesCard() {
  const { t, i18n } = useTranslation();
  const list = useRecorderSources();
  const save = useSaveRecorderSource();
  const remove = useDeleteRecorderSource();
  const [draft, setDraft] = useState<RecorderSourceInput>(emptySource());
  const vendorOptions = VENDORS.map((v) => ({ value: v, label: t(`recorderSources.vendors.${v}`) }));
  const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : t('recorderSources.never'));
  const add = () =>
    save.mutate(
      { input: { ...draft, address: draft.address?.trim() || null, tlsIdentity: draft.tlsIdentity?.trim() || null, pingUri: draft.pingUri?.trim() || null } },
      { onSuccess: () => setDraft(emptySource()) },
    );
  const items = list.data?.items ?? [];
  const refusals = list.data?.refusals ?? [];
  return (
    <Card withBorder padding={0} data-testid="recorder-sources">
      <Text fw={600} p="sm" pb={0}>
        {t('recorderSources.title')}
      </Text>
      <Text size="sm" c="dimmed" px="sm" pb="sm">
        {t('recorderSources.help')}
      </Text>
      <ErrorAlert error={list.error ?? save.error ?? remove.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('recorderSources.name')}</Table.Th>
            <Table.Th>{t('recorderSources.address')}</Table.Th>
            <Table.Th>{t('recorderSources.tlsIdentity')}</Table.Th>
            <Table.Th>{t('recorderSources.vendor')}</Table.Th>
            <Table.Th>{t('recorderSources.calls')}</Table.Th>
            <Table.Th>{t('recorderSources.lastSeen')}</Table.Th>
            <Table.Th>{t('recorderSources.enabled')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && !list.isLoading && <EmptyRow colSpan={8}>{t('recorderSources.none')}</EmptyRow>}
          {items.map((s) => (
            <Table.Tr key={s.id} data-testid="recorder-source-row">
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>{s.address ?? '—'}</Table.Td>
              <Table.Td>{s.tlsIdentity ?? '—'}</Table.Td>
              <Table.Td>{t(`recorderSources.vendors.${s.vendor}`)}</Table.Td>
              <Table.Td>{s.calls}</Table.Td>
              <Table.Td>{fmt(s.lastSeenAt)}</Table.Td>
              <Table.Td>
                <Switch
                  aria-label={t('recorderSources.enabled')}
                  checked={s.enabled}
                  onChange={(e) => save.mutate({ id: s.id, input: { enabled: e.currentTarget.checked } })}
                />
              </Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="red" aria-label={t('recorderSources.remove', { name: s.name })} onClick={() => remove.mutate(s.id)}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group p="sm" align="flex-end" gap="sm">
        <TextInput
          label={t('recorderSources.name')}
          w={180}
          value={draft.name}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, name: v }));
          }}
        />
        <TextInput
          label={t('recorderSources.address')}
          placeholder="10.0.0.5 / 10.0.0.0/24"
          w={180}
          value={draft.address ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, address: v }));
          }}
        />
        <TextInput
          label={t('recorderSources.tlsIdentity')}
          placeholder={t('recorderSources.examples.tls')}
          w={180}
          value={draft.tlsIdentity ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, tlsIdentity: v }));
          }}
        />
        <Select
          label={t('recorderSources.vendor')}
          w={170}
          value={draft.vendor ?? 'generic'}
          allowDeselect={false}
          data={vendorOptions}
          onChange={(v) => setDraft((d) => ({ ...d, vendor: (v as Vendor) ?? 'generic' }))}
        />
        <TextInput
          label={t('recorderSources.pingUri')}
          placeholder={t('recorderSources.examples.ping')}
          w={180}
          value={draft.pingUri ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, pingUri: v }));
          }}
        />
        <Button loading={save.isPending} disabled={!draft.name.trim() || (!draft.address?.trim() && !draft.tlsIdentity?.trim())} onClick={add}>
          {t('recorderSources.add')}
        </Button>
      </Group>
      <Text fw={600} px="sm" pt="sm">
        {t('recorderSources.refused')}
      </Text>
      <Text size="sm" c="dimmed" px="sm">
        {t('recorderSources.refusedHelp')}
      </Text>
      <Table data-testid="recorder-refusals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('recorderSources.address')}</Table.Th>
            <Table.Th>{t('recorderSources.transport')}</Table.Th>
            <Table.Th>{t('recorderSources.count')}</Table.Th>
            <Table.Th>{t('recorderSources.lastSeen')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {refusals.length === 0 && <EmptyRow colSpan={5}>{t('recorderSources.noRefusals')}</EmptyRow>}
          {refusals.map((r) => (
            <Table.Tr key={`${r.address}-${r.reason}`}>
              <Table.Td>{r.address}</Table.Td>
              <Table.Td>{r.transport.toUpperCase()}</Table.Td>
              <Table.Td>{r.count}</Table.Td>
              <Table.Td>{fmt(r.lastAt)}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" onClick={() => setDraft((d) => ({ ...d, address: r.address, name: d.name || r.address }))}>
                  {t('recorderSources.allow')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

type RuleDraft = { kind: PartyRuleInput['kind']; value: string; valueTo: string; role: PartyRuleInput['role']; userId: string | null };
const emptyRule = (): RuleDraft => ({ kind: 'extension_range', value: '', valueTo: '', role: 'agent', userId: null });

function PartyRulesCard() {
  const { t } = useTranslation();
  const rules = usePartyRules();
  const save = useSavePartyRule();
  const remove = useDeletePartyRule();
  const test = useTestParty();
  const [draft, setDraft] = useState<RuleDraft>(emptyRule());
  const [probe, setProbe] = useState('');
  const items = rules.data?.items ?? [];
  const describe = (r: { kind: string; value: string; valueTo: string | null }) =>
    r.kind === 'extension_range'
      ? t('recorderSources.rules.describeRange', { from: r.value, to: r.valueTo })
      : r.kind === 'domain'
        ? t('recorderSources.rules.describeDomain', { domain: r.value })
        : t('recorderSources.rules.describeNumber', { number: r.value });
  const move = (i: number, delta: -1 | 1) => {
    const a = items[i];
    const b = items[i + delta];
    if (!a || !b) return;
    save.mutate({ id: a.id, input: { position: b.position } });
    save.mutate({ id: b.id, input: { position: a.position } });
  };
  const add = () =>
    save.mutate(
      {
        input: {
          kind: draft.kind,
          value: draft.value,
          valueTo: draft.kind === 'extension_range' ? draft.valueTo : null,
          role: draft.role,
          userId: draft.role === 'agent' ? draft.userId : null,
        },
      },
      { onSuccess: () => setDraft(emptyRule()) },
    );
  return (
    <Card withBorder padding={0} data-testid="recorder-party-rules">
      <Text fw={600} p="sm" pb={0}>
        {t('recorderSources.rules.title')}
      </Text>
      <Text size="sm" c="dimmed" px="sm" pb="sm">
        {t('recorderSources.rules.help')}
      </Text>
      <ErrorAlert error={rules.error ?? save.error ?? remove.error ?? test.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('recorderSources.rules.match')}</Table.Th>
            <Table.Th>{t('recorderSources.rules.role')}</Table.Th>
            <Table.Th>{t('recorderSources.rules.user')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && !rules.isLoading && <EmptyRow colSpan={5}>{t('recorderSources.rules.none')}</EmptyRow>}
          {items.map((r, i) => (
            <Table.Tr key={r.id} data-testid="party-rule-row">
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{describe(r)}</Table.Td>
              <Table.Td>
                <Badge color={r.role === 'agent' ? 'blue' : 'green'} variant="light">
                  {t(`recorderSources.rules.roles.${r.role}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{r.userName ?? '—'}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Tooltip label={t('recorderSources.rules.up')}>
                    <ActionIcon variant="subtle" aria-label={t('recorderSources.rules.up')} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('recorderSources.rules.down')}>
                    <ActionIcon variant="subtle" aria-label={t('recorderSources.rules.down')} disabled={i === items.length - 1} onClick={() => move(i, 1)}>
                      ↓
                    </ActionIcon>
                  </Tooltip>
                  <ActionIcon variant="subtle" color="red" aria-label={t('recorderSources.rules.remove')} onClick={() => remove.mutate(r.id)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group p="sm" align="flex-end" gap="sm">
        <Select
          label={t('recorderSources.rules.kind')}
          w={190}
          value={draft.kind}
          allowDeselect={false}
          data={(['extension_range', 'number', 'domain'] as const).map((k) => ({ value: k, label: t(`recorderSources.rules.kinds.${k}`) }))}
          onChange={(v) => setDraft((d) => ({ ...d, kind: (v as RuleDraft['kind']) ?? 'extension_range', value: '', valueTo: '' }))}
        />
        <TextInput
          label={draft.kind === 'extension_range' ? t('recorderSources.rules.from') : t('recorderSources.rules.value')}
          placeholder={draft.kind === 'extension_range' ? '2000' : draft.kind === 'domain' ? t('recorderSources.examples.domain') : '+33142000000'}
          w={180}
          value={draft.value}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, value: v }));
          }}
        />
        {draft.kind === 'extension_range' && (
          <TextInput
            label={t('recorderSources.rules.to')}
            placeholder="2999"
            w={120}
            value={draft.valueTo}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setDraft((d) => ({ ...d, valueTo: v }));
            }}
          />
        )}
        <Select
          label={t('recorderSources.rules.role')}
          w={140}
          value={draft.role}
          allowDeselect={false}
          data={(['agent', 'customer'] as const).map((r) => ({ value: r, label: t(`recorderSources.rules.roles.${r}`) }))}
          onChange={(v) => setDraft((d) => ({ ...d, role: (v as RuleDraft['role']) ?? 'agent' }))}
        />
        {draft.role === 'agent' && draft.kind === 'number' && (
          <div style={{ width: 220 }}>
            <AgentPicker label={t('recorderSources.rules.user')} value={draft.userId} onChange={(id) => setDraft((d) => ({ ...d, userId: id ?? null }))} />
          </div>
        )}
        <Button loading={save.isPending} disabled={!draft.value.trim() || (draft.kind === 'extension_range' && !draft.valueTo.trim())} onClick={add}>
          {t('recorderSources.rules.add')}
        </Button>
      </Group>
      <Group p="sm" pt={0} align="flex-end" gap="sm">
        <TextInput
          label={t('recorderSources.rules.try')}
          placeholder={t('recorderSources.examples.aor')}
          w={280}
          value={probe}
          onChange={(e) => setProbe(e.currentTarget.value)}
        />
        <Button variant="light" disabled={!probe.trim()} loading={test.isPending} onClick={() => test.mutate(probe.trim())}>
          {t('recorderSources.rules.tryButton')}
        </Button>
        {test.data && (
          <Text size="sm" data-testid="party-test-result">
            {t(`recorderSources.rules.result.${test.data.role}`, { number: test.data.number ?? probe })}{' '}
            {test.data.matchedBy === 'extension'
              ? t('recorderSources.rules.byExtension')
              : test.data.matchedBy === 'none'
                ? t('recorderSources.rules.byNone')
                : t('recorderSources.rules.byRule', { n: items.findIndex((r) => r.id === test.data!.matchedBy) + 1 })}
          </Text>
        )}
      </Group>
    </Card>
  );
}
