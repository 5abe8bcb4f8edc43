// Custom fields: text, date or option, in display order; which are columns of the conversation list and which "Add new
// filter" offers. The key is permanent (saved searches and the ingest API name fields by it).
import { Badge, Button, Group, Modal, NumberInput, Paper, Select, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomFieldDefinitions } from '../../../api/conversations.ts';
import { useDeleteCustomField, useSaveCustomField } from '../../../api/customFields.ts';
import type { CustomFieldDefinition } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { FormButtons, RowActions } from './shared.tsx';

const TYPES = ['text', 'date', 'option'] as const;
type FieldType = (typeof TYPES)[number];
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

export function CustomFieldsTab() {
  const { t } = useTranslation();
  const fields = useCustomFieldDefinitions();
  const save = useSaveCustomField();
  const del = useDeleteCustomField();
  const [dialog, setDialog] = useState<{ kind: 'form'; field: CustomFieldDefinition | null } | { kind: 'delete'; field: CustomFieldDefinition } | null>(null);
  const items = fields.data?.items ?? [];
  const close = () => {
    del.reset();
    setDialog(null);
  };

  const toggle = (f: CustomFieldDefinition, input: { showInList?: boolean; showInFilters?: boolean }) => save.mutate({ id: f.id, input });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t('tagsAdmin.fieldsTab.description')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'form', field: null })}>
          {t('tagsAdmin.fieldsTab.create')}
        </Button>
      </Group>
      <ErrorAlert error={fields.error ?? save.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('tagsAdmin.tabs.fields')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tagsAdmin.fieldsTab.label')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fieldsTab.key')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fieldsTab.type')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fieldsTab.showInList')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fieldsTab.showInFilters')}</Table.Th>
              <Table.Th w={100} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((f) => (
              <Table.Tr key={f.id} data-testid="field-row">
                <Table.Td fw={500}>{f.label}</Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {f.key}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge size="sm" variant="light">
                      {t(`tagsAdmin.fieldsTab.types.${f.type}`)}
                    </Badge>
                    {f.type === 'option' && (
                      <Text size="xs" c="dimmed" truncate maw={200} title={f.options.join(', ')}>
                        {f.options.join(', ')}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch
                    size="xs"
                    checked={f.showInList}
                    onChange={(e) => toggle(f, { showInList: e.currentTarget.checked })}
                    aria-label={t('tagsAdmin.fieldsTab.showInListNamed', { name: f.label })}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch
                    size="xs"
                    checked={f.showInFilters}
                    onChange={(e) => toggle(f, { showInFilters: e.currentTarget.checked })}
                    aria-label={t('tagsAdmin.fieldsTab.showInFiltersNamed', { name: f.label })}
                  />
                </Table.Td>
                <Table.Td>
                  <RowActions name={f.label} onEdit={() => setDialog({ kind: 'form', field: f })} onDelete={() => setDialog({ kind: 'delete', field: f })} />
                </Table.Td>
              </Table.Tr>
            ))}
            {!fields.isPending && items.length === 0 && <EmptyRow colSpan={6}>{t('tagsAdmin.fieldsTab.empty')}</EmptyRow>}
          </Table.Tbody>
        </Table>
      </Paper>
      {dialog?.kind === 'form' && <FieldFormModal field={dialog.field} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          opened
          title={t('tagsAdmin.fieldsTab.deleteTitle')}
          message={t('tagsAdmin.fieldsTab.deleteConfirm', { name: dialog.field.label })}
          confirmLabel={t('common.delete')}
          loading={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(dialog.field.id, { onSuccess: close })}
          onClose={close}
        />
      )}
    </Stack>
  );
}

function FieldFormModal({ field, onClose }: { field: CustomFieldDefinition | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCustomField();
  const [label, setLabel] = useState(field?.label ?? '');
  const [key, setKey] = useState(field?.key ?? '');
  const [type, setType] = useState<FieldType>((field?.type as FieldType | undefined) ?? 'text');
  const [options, setOptions] = useState<string[]>(field?.options ?? []);
  const [showInList, setShowInList] = useState(field?.showInList ?? false);
  const [showInFilters, setShowInFilters] = useState(field?.showInFilters ?? true);
  const [position, setPosition] = useState<number | string>(field?.position ?? '');
  const [submitted, setSubmitted] = useState(false);
  // A key from the label, until the administrator types one.
  const [keyTouched, setKeyTouched] = useState(!!field);
  const suggested = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 40);
  const keyOk = KEY.test(key);
  const optionsOk = type !== 'option' || options.length > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!label.trim() || !keyOk || !optionsOk) return;
    const common = {
      label: label.trim(),
      type,
      ...(type === 'option' ? { options } : {}),
      showInList,
      showInFilters,
      ...(typeof position === 'number' ? { position } : {}),
    };
    save.mutate(field ? { id: field.id, input: common } : { input: { key, ...common } }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={field ? t('tagsAdmin.editTitle', { name: field.label }) : t('tagsAdmin.fieldsTab.create')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('tagsAdmin.fieldsTab.label')}
            required
            value={label}
            maxLength={100}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setLabel(v);
              if (!keyTouched) setKey(suggested(v));
            }}
            error={submitted && !label.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <TextInput
            label={t('tagsAdmin.fieldsTab.key')}
            description={t('tagsAdmin.fieldsTab.keyHint')}
            required
            value={key}
            maxLength={40}
            disabled={!!field}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.currentTarget.value);
            }}
            error={submitted && !keyOk ? t('tagsAdmin.fieldsTab.keyInvalid') : undefined}
            ff="monospace"
          />
          <Select
            label={t('tagsAdmin.fieldsTab.type')}
            data={TYPES.map((x) => ({ value: x, label: t(`tagsAdmin.fieldsTab.types.${x}`) }))}
            value={type}
            onChange={(v) => v && setType(v as FieldType)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          {type === 'option' && (
            <TagsInput
              label={t('tagsAdmin.fieldsTab.options')}
              description={t('tagsAdmin.fieldsTab.optionsHint')}
              value={options}
              onChange={setOptions}
              clearable
              error={submitted && !optionsOk ? t('tagsAdmin.fieldsTab.optionsRequired') : undefined}
            />
          )}
          <Switch label={t('tagsAdmin.fieldsTab.showInList')} checked={showInList} onChange={(e) => setShowInList(e.currentTarget.checked)} />
          <Switch label={t('tagsAdmin.fieldsTab.showInFilters')} checked={showInFilters} onChange={(e) => setShowInFilters(e.currentTarget.checked)} />
          <NumberInput label={t('tagsAdmin.fieldsTab.position')} value={position} onChange={setPosition} min={0} max={100000} allowDecimal={false} w={160} />
          <ErrorAlert error={save.error} />
          <FormButtons editing={!!field} saving={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
