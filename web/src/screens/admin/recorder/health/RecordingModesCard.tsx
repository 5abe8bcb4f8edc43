// Recording modes (seed 002): per agent or number prefix, and a default — "always" (no control), "always with
// pause/resume" (PCI) or "on demand" (recorded once someone starts it). A call takes its agent's entry, else the
// longest matching number prefix, else the default, else "always".
import { ActionIcon, Button, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteRecordingMode, useRecordingModes, useSaveRecordingMode, type RecordingMode, type RecordingModeInput } from '../../../../api/live.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { IconTrash } from '../../../../components/icons.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { AgentPicker } from '../../../conversations/search/editors/AgentPicker.tsx';

const MODES: RecordingMode[] = ['always', 'always_pause', 'on_demand'];

export function RecordingModesCard() {
  const { t } = useTranslation();
  const modes = useRecordingModes();
  const save = useSaveRecordingMode();
  const remove = useDeleteRecordingMode();
  const [draft, setDraft] = useState<RecordingModeInput>({ kind: 'number', value: '', mode: 'always_pause', note: null });
  const modeOptions = MODES.map((m) => ({ value: m, label: t(`live.mode.${m}`) }));
  return (
    <Card withBorder padding={0} data-testid="recording-modes">
      <Text fw={600} p="sm" pb={0}>
        {t('recorderHealth.modes.title')}
      </Text>
      <Text size="sm" c="dimmed" px="sm" pb="sm">
        {t('recorderHealth.modes.help')}
      </Text>
      <ErrorAlert error={modes.error ?? save.error ?? remove.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('recorderHealth.modes.target')}</Table.Th>
            <Table.Th>{t('recorderHealth.modes.mode')}</Table.Th>
            <Table.Th>{t('recorderHealth.modes.note')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(modes.data?.items ?? []).length === 0 && <EmptyRow colSpan={4}>{t('recorderHealth.modes.none')}</EmptyRow>}
          {(modes.data?.items ?? []).map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>
                {m.kind === 'default'
                  ? t('recorderHealth.modes.default')
                  : m.kind === 'agent'
                    ? t('recorderHealth.modes.agent', { name: m.label ?? m.value })
                    : t('recorderHealth.modes.number', { prefix: m.value })}
              </Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={220}
                  aria-label={t('recorderHealth.modes.mode')}
                  value={m.mode}
                  data={modeOptions}
                  allowDeselect={false}
                  onChange={(v) => v && save.mutate({ id: m.id, input: { kind: m.kind, value: m.value, mode: v as RecordingMode, note: m.note } })}
                />
              </Table.Td>
              <Table.Td>{m.note ?? ''}</Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="red" aria-label={t('recorderHealth.modes.remove')} onClick={() => remove.mutate(m.id)}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group p="sm" align="flex-end" gap="sm">
        <Select
          label={t('recorderHealth.modes.kind')}
          w={160}
          value={draft.kind}
          allowDeselect={false}
          data={(['number', 'agent', 'default'] as const).map((k) => ({ value: k, label: t(`recorderHealth.modes.kinds.${k}`) }))}
          onChange={(v) => setDraft((d) => ({ ...d, kind: (v as RecordingModeInput['kind']) ?? 'number', value: '' }))}
        />
        {draft.kind === 'number' && (
          <TextInput
            label={t('recorderHealth.modes.prefix')}
            w={180}
            value={draft.value}
            onChange={(e) => setDraft((d) => ({ ...d, value: e.currentTarget.value }))}
          />
        )}
        {draft.kind === 'agent' && (
          <div style={{ width: 240 }}>
            <AgentPicker
              label={t('recorderHealth.modes.agentLabel')}
              value={draft.value || null}
              onChange={(id) => setDraft((d) => ({ ...d, value: id ?? '' }))}
            />
          </div>
        )}
        <Select
          label={t('recorderHealth.modes.mode')}
          w={220}
          value={draft.mode}
          allowDeselect={false}
          data={modeOptions}
          onChange={(v) => setDraft((d) => ({ ...d, mode: (v as RecordingMode) ?? 'always' }))}
        />
        <TextInput
          label={t('recorderHealth.modes.note')}
          w={200}
          value={draft.note ?? ''}
          onChange={(e) => setDraft((d) => ({ ...d, note: e.currentTarget.value || null }))}
        />
        <Button
          loading={save.isPending}
          disabled={draft.kind !== 'default' && !draft.value.trim()}
          onClick={() => save.mutate({ input: draft }, { onSuccess: () => setDraft((d) => ({ ...d, value: '', note: null })) })}
        >
          {t('recorderHealth.modes.add')}
        </Button>
      </Group>
    </Card>
  );
}
