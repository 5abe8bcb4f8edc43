// Custom field values of one conversation; users with conversations.edit_custom_fields edit them in place.
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomFieldDefinitions, useSaveCustomFields } from '../../../api/conversations.ts';
import type { CustomFieldValue } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconEdit } from '../../../components/icons.tsx';
import { formatDateTime } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { EmptyNote, Facts, Section } from '../parts.tsx';

type Draft = Record<string, string>;

const draftOf = (values: CustomFieldValue[]): Draft => Object.fromEntries(values.map((v) => [v.key, v.value ?? '']));

/** A date field's value as the date input wants it (yyyy-mm-dd); anything else is left alone. */
const asDateInput = (v: string) => (/^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v);

export function CustomFieldsCard({ conversationId, values }: { conversationId: string; values: CustomFieldValue[] }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const editable = can(me, 'conversations.edit_custom_fields');
  const definitions = useCustomFieldDefinitions();
  const save = useSaveCustomFields(conversationId);
  const [draft, setDraft] = useState<Draft | null>(null);

  const optionsOf = (v: CustomFieldValue) => {
    const opts = definitions.data?.items.find((d) => d.id === v.fieldId)?.options ?? [];
    return v.value && !opts.includes(v.value) ? [v.value, ...opts] : opts;
  };
  const display = (v: CustomFieldValue) =>
    !v.value ? '—' : v.type === 'date' && /^\d{4}-\d{2}-\d{2}T/.test(v.value) ? formatDateTime(v.value, i18n.language) : v.value;

  const submit = () => {
    if (!draft) return;
    const original = draftOf(values);
    const changed = Object.fromEntries(
      Object.entries(draft)
        .filter(([k, v]) => v.trim() !== (original[k] ?? ''))
        .map(([k, v]) => [k, v.trim() === '' ? null : v.trim()]),
    );
    if (Object.keys(changed).length === 0) return setDraft(null);
    save.mutate(changed, { onSuccess: () => setDraft(null) });
  };

  const cancel = () => {
    save.reset();
    setDraft(null);
  };

  return (
    <Section
      card
      title={t('conversations.customFields.title')}
      actions={
        editable && values.length > 0 && !draft ? (
          <Button size="compact-xs" variant="subtle" leftSection={<IconEdit size={12} />} onClick={() => setDraft(draftOf(values))}>
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      {values.length === 0 ? (
        <EmptyNote>{t('conversations.customFields.none')}</EmptyNote>
      ) : !draft ? (
        <Facts items={values.map((v) => [v.label, display(v)])} />
      ) : (
        <Stack gap="xs">
          {values.map((v) => {
            const set = (value: string | null) => setDraft({ ...draft, [v.key]: value ?? '' });
            const common = { label: v.label, size: 'xs' as const };
            return v.type === 'option' ? (
              <Select
                key={v.key}
                {...common}
                data={optionsOf(v)}
                value={draft[v.key] || null}
                onChange={set}
                clearable
                comboboxProps={{ withinPortal: true }}
              />
            ) : v.type === 'date' ? (
              <TextInput key={v.key} {...common} type="date" value={asDateInput(draft[v.key] ?? '')} onChange={(e) => set(e.currentTarget.value)} />
            ) : (
              <TextInput key={v.key} {...common} value={draft[v.key] ?? ''} onChange={(e) => set(e.currentTarget.value)} />
            );
          })}
          <ErrorAlert error={save.error} />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={cancel}>
              {t('common.cancel')}
            </Button>
            <Button size="xs" onClick={submit} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}
