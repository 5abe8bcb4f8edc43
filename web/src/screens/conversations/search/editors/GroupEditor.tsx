// Group: one group and its subgroups, picked among the groups the user may see (GET /api/groups answers the caller's
// scope; the server refuses any other).
import { Select } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useGroups } from '../../../../api/directory.ts';
import { messageAt } from '../filterModel.ts';
import { EditorForm, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

export function GroupEditor({ value, apply, ...form }: EditorProps<string>) {
  const { t } = useTranslation();
  const groups = useGroups();
  const [groupId, setGroupId] = useState<string | null>(value ?? null);
  return (
    <EditorForm title={t('search.fields.groupId')} onApply={() => apply(groupId ?? undefined)} canApply={!!groupId} shownPaths={['groupId']} {...form}>
      <Select
        label={t('search.group.label')}
        description={t('search.group.hint')}
        placeholder={t('search.group.placeholder')}
        data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
        value={groupId}
        onChange={setGroupId}
        searchable
        nothingFoundMessage={t('search.group.none')}
        error={messageAt(form.error, 'groupId')}
        data-testid="group-picker"
        {...INLINE_COMBOBOX}
      />
    </EditorForm>
  );
}
