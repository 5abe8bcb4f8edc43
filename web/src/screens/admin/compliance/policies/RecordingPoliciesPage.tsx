// Administration → Compliance → Recording policies (lifecycle.manage): the ordered rules (first enabled match decides,
// none = record), each with how many calls it decided; add, edit, enable, move, delete; and "Test a call" to see what
// the rules answer for a described call before relying on them.
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllUsers } from '../../../../api/directory.ts';
import { ConfirmModal } from '../../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { IconChevronDown, IconChevronUp, IconEdit, IconPlus, IconTrash } from '../../../../components/icons.tsx';
import { useCreatePolicy, useDeletePolicy, usePolicies, useReorderPolicies, useTestPolicies, useUpdatePolicy, type Policy, type PolicyCreate } from './api.ts';

const lines = (text: string) => [
  ...new Set(
    text
      .split(/[\n,;]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];
const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;

export function RecordingPoliciesPage() {
  const { t } = useTranslation();
  const policies = usePolicies();
  const reorder = useReorderPolicies();
  const update = useUpdatePolicy();
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const items = policies.data?.items ?? [];
  const move = (i: number, by: -1 | 1) => {
    const ids = items.map((p) => p.id);
    [ids[i], ids[i + by]] = [ids[i + by]!, ids[i]!];
    reorder.mutate(ids);
  };

  return (
    <Stack gap="md" data-testid="recording-policies-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{t('recordingPolicies.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('recordingPolicies.description')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="policy-create">
          {t('recordingPolicies.create')}
        </Button>
      </Group>
      <ErrorAlert error={policies.error ?? reorder.error ?? update.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('recordingPolicies.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('recordingPolicies.fields.order')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.name')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.appliesTo')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.when')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.action')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.decided')}</Table.Th>
              <Table.Th>{t('recordingPolicies.fields.enabled')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && <EmptyRow colSpan={8}>{t('recordingPolicies.none')}</EmptyRow>}
            {items.map((p, i) => (
              <Table.Tr key={p.id} data-testid="policy-row" opacity={p.enabled ? 1 : 0.6}>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Text size="sm" w={20}>
                      {i + 1}
                    </Text>
                    <ActionIcon variant="subtle" size="sm" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('recordingPolicies.moveUp')}>
                      <IconChevronUp size={14} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      size="sm"
                      disabled={i === items.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('recordingPolicies.moveDown')}
                    >
                      <IconChevronDown size={14} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td fw={500}>{p.name}</Table.Td>
                <Table.Td>{t(`recordingPolicies.appliesTo.${p.appliesTo}`)}</Table.Td>
                <Table.Td>
                  <Conditions p={p} />
                </Table.Td>
                <Table.Td>
                  <Badge color={p.action === 'skip' ? 'red' : p.action === 'sample' ? 'yellow' : 'green'} variant="light">
                    {p.action === 'sample' ? t('recordingPolicies.action.sampleOf', { percent: p.samplePercent }) : t(`recordingPolicies.action.${p.action}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('recordingPolicies.decidedCounts', { recorded: p.decided.recorded, notRecorded: p.decided.notRecorded })}</Text>
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={p.enabled}
                    onChange={(e) => update.mutate({ id: p.id, patch: { enabled: e.currentTarget.checked } })}
                    aria-label={t('recordingPolicies.fields.enabled')}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="subtle" onClick={() => setEditing(p)} aria-label={t('common.edit')}>
                      <IconEdit size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(p)} aria-label={t('common.delete')}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Text size="xs" c="dimmed">
        {t('recordingPolicies.defaultRule')}
      </Text>
      <TestCall />
      {editing && <PolicyModal policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeletePolicy policy={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

function Conditions({ p }: { p: Policy }) {
  const { t } = useTranslation();
  const parts = [
    p.numbers.length ? t('recordingPolicies.when.numbers', { list: p.numbers.join(', ') }) : null,
    p.agentUserIds.length ? t('recordingPolicies.when.agents', { count: p.agentUserIds.length }) : null,
    p.queues.length ? t('recordingPolicies.when.queues', { list: p.queues.join(', ') }) : null,
    p.directions.length ? p.directions.map((d) => t(`recordingPolicies.direction.${d}`)).join(', ') : null,
    p.shorterThanSeconds !== null ? t('recordingPolicies.when.shorter', { seconds: p.shorterThanSeconds }) : null,
  ].filter(Boolean);
  return <Text size="sm">{parts.length ? parts.join(' · ') : t('recordingPolicies.when.any')}</Text>;
}

function PolicyModal({ policy, onClose }: { policy: Policy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const users = useAllUsers(true);
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const [name, setName] = useState(policy?.name ?? '');
  const [appliesTo, setAppliesTo] = useState<string>(policy?.appliesTo ?? 'call');
  const [action, setAction] = useState<string>(policy?.action ?? 'skip');
  const [percent, setPercent] = useState<number | string>(policy?.samplePercent ?? 10);
  const [numbers, setNumbers] = useState((policy?.numbers ?? []).join('\n'));
  const [queues, setQueues] = useState((policy?.queues ?? []).join('\n'));
  const [agents, setAgents] = useState<string[]>(policy?.agentUserIds ?? []);
  const [directions, setDirections] = useState<string[]>(policy?.directions ?? []);
  const [shorter, setShorter] = useState<number | string>(policy?.shorterThanSeconds ?? '');
  const body: PolicyCreate = {
    name,
    appliesTo: appliesTo as PolicyCreate['appliesTo'],
    action: action as PolicyCreate['action'],
    samplePercent: action === 'sample' ? Number(percent) : null,
    numbers: lines(numbers),
    queues: lines(queues),
    agentUserIds: agents,
    directions: directions as NonNullable<PolicyCreate['directions']>,
    shorterThanSeconds: shorter === '' ? null : Number(shorter),
  };
  const save = () => {
    const done = { onSuccess: onClose };
    if (policy) update.mutate({ id: policy.id, patch: body }, done);
    else create.mutate(body, done);
  };
  return (
    <Modal opened onClose={onClose} title={policy ? t('recordingPolicies.edit') : t('recordingPolicies.create')} size="lg">
      <Stack>
        <TextInput label={t('recordingPolicies.fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <Group grow>
          <Select
            label={t('recordingPolicies.fields.appliesTo')}
            value={appliesTo}
            onChange={(v) => setAppliesTo(v ?? 'call')}
            data={(['call', 'screen', 'all'] as const).map((v) => ({ value: v, label: t(`recordingPolicies.appliesTo.${v}`) }))}
            allowDeselect={false}
          />
          <Select
            label={t('recordingPolicies.fields.action')}
            value={action}
            onChange={(v) => setAction(v ?? 'skip')}
            data={(['record', 'sample', 'skip'] as const).map((v) => ({ value: v, label: t(`recordingPolicies.action.${v}`) }))}
            allowDeselect={false}
          />
          {action === 'sample' && (
            <NumberInput label={t('recordingPolicies.fields.samplePercent')} value={percent} onChange={setPercent} min={0} max={100} suffix=" %" />
          )}
        </Group>
        <Text size="sm" fw={500}>
          {t('recordingPolicies.conditions')}
        </Text>
        <Textarea
          label={t('recordingPolicies.fields.numbers')}
          description={t('recordingPolicies.hints.numbers')}
          value={numbers}
          onChange={(e) => setNumbers(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <MultiSelect
          label={t('recordingPolicies.fields.agents')}
          data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={agents}
          onChange={setAgents}
          searchable
          clearable
        />
        <Textarea label={t('recordingPolicies.fields.queues')} value={queues} onChange={(e) => setQueues(e.currentTarget.value)} autosize minRows={1} />
        <Group grow>
          <MultiSelect
            label={t('recordingPolicies.fields.directions')}
            data={DIRECTIONS.map((d) => ({ value: d, label: t(`recordingPolicies.direction.${d}`) }))}
            value={directions}
            onChange={setDirections}
            clearable
          />
          <NumberInput
            label={t('recordingPolicies.fields.shorterThan')}
            description={t('recordingPolicies.hints.shorterThan')}
            value={shorter}
            onChange={setShorter}
            min={1}
            max={86400}
            suffix=" s"
          />
        </Group>
        <ErrorAlert error={create.error ?? update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={save} loading={create.isPending || update.isPending} disabled={!name.trim()} data-testid="policy-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeletePolicy({ policy, onClose }: { policy: Policy; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeletePolicy();
  return (
    <ConfirmModal
      opened
      title={t('recordingPolicies.deleteTitle')}
      message={t('recordingPolicies.deleteMessage', { name: policy.name })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(policy.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

function TestCall() {
  const { t } = useTranslation();
  const test = useTestPolicies();
  const [callRef, setCallRef] = useState('');
  const [numbers, setNumbers] = useState('');
  const [queue, setQueue] = useState('');
  const [direction, setDirection] = useState<string>('inbound');
  const [kind, setKind] = useState<string>('call');
  const [seconds, setSeconds] = useState<number | string>('');
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Title order={5}>{t('recordingPolicies.test.title')}</Title>
        <Group grow align="flex-end">
          <TextInput label={t('recordingPolicies.test.callRef')} value={callRef} onChange={(e) => setCallRef(e.currentTarget.value)} />
          <TextInput label={t('recordingPolicies.fields.numbers')} value={numbers} onChange={(e) => setNumbers(e.currentTarget.value)} />
          <TextInput label={t('recordingPolicies.test.queue')} value={queue} onChange={(e) => setQueue(e.currentTarget.value)} />
        </Group>
        <Group grow align="flex-end">
          <Select
            label={t('recordingPolicies.test.direction')}
            value={direction}
            onChange={(v) => setDirection(v ?? 'inbound')}
            data={DIRECTIONS.map((d) => ({ value: d, label: t(`recordingPolicies.direction.${d}`) }))}
            allowDeselect={false}
          />
          <Select
            label={t('recordingPolicies.fields.appliesTo')}
            value={kind}
            onChange={(v) => setKind(v ?? 'call')}
            data={(['call', 'screen'] as const).map((v) => ({ value: v, label: t(`recordingPolicies.appliesTo.${v}`) }))}
            allowDeselect={false}
          />
          <NumberInput label={t('recordingPolicies.test.duration')} value={seconds} onChange={setSeconds} min={0} suffix=" s" />
          <Button
            variant="light"
            disabled={!callRef.trim()}
            loading={test.isPending}
            onClick={() =>
              test.mutate({
                callRef: callRef.trim(),
                numbers: lines(numbers),
                queue: queue.trim() || null,
                direction: direction as 'inbound',
                kind: kind as 'call',
                durationSeconds: seconds === '' ? null : Number(seconds),
              })
            }
            data-testid="policy-test"
          >
            {t('recordingPolicies.test.run')}
          </Button>
        </Group>
        <ErrorAlert error={test.error} />
        {test.data && (
          <Text size="sm" data-testid="policy-test-result">
            <Badge color={test.data.record ? 'green' : 'red'} variant="light" mr="xs">
              {test.data.record ? t('recordingPolicies.test.recorded') : t('recordingPolicies.test.notRecorded')}
            </Badge>
            {test.data.reason}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
