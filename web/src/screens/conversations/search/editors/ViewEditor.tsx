// View: all, mine, not assigned to a user (when the server offers it), one user's, or a category (a tag).
import { Radio, Select, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../../../api/categories.ts';
import { useSearchOptions } from '../../../../api/search.ts';
import type { FilterView } from '../../../../api/types.ts';
import { messageAt } from '../filterModel.ts';
import { AgentPicker } from './AgentPicker.tsx';
import { EditorForm, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

type Choice = 'all' | 'mine' | 'unassigned' | 'user' | 'category';
const choiceOf = (v: FilterView | null | undefined): Choice => (!v ? 'all' : typeof v === 'string' ? v : 'userId' in v ? 'user' : 'category');

export function ViewEditor({ value, apply, ...form }: EditorProps<FilterView>) {
  const { t } = useTranslation();
  const options = useSearchOptions();
  // By category: the categories of Administration → Tags (archived ones too: their conversations are still there).
  const categories = useCategories();
  const [choice, setChoice] = useState<Choice>(choiceOf(value));
  const [userId, setUserId] = useState<string | null>(value && typeof value === 'object' && 'userId' in value ? value.userId : null);
  const [tagId, setTagId] = useState<string | null>(value && typeof value === 'object' && 'tagId' in value ? value.tagId : null);
  const choices: Choice[] = ['all', 'mine', ...(options.data?.views.unassigned ? (['unassigned'] as const) : []), 'user', 'category'];

  const view: FilterView | null = choice === 'user' ? (userId ? { userId } : null) : choice === 'category' ? (tagId ? { tagId } : null) : choice;

  return (
    <EditorForm
      title={t('search.fields.view')}
      onApply={() => view && apply(view === 'all' ? undefined : view)}
      canApply={view !== null}
      shownPaths={['view.userId', 'view.tagId']}
      {...form}
    >
      <Radio.Group value={choice} onChange={(v) => setChoice(v as Choice)} aria-label={t('search.fields.view')}>
        <Stack gap={6}>
          {choices.map((c) => (
            <Radio key={c} size="xs" value={c} label={t(`search.view.${c}`)} />
          ))}
        </Stack>
      </Radio.Group>
      {choice === 'user' && <AgentPicker label={t('search.view.pickUser')} value={userId} onChange={setUserId} error={messageAt(form.error, 'view.userId')} />}
      {choice === 'category' && (
        <Select
          {...INLINE_COMBOBOX}
          size="xs"
          label={t('search.view.pickCategory')}
          data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={tagId}
          onChange={setTagId}
          searchable
          nothingFoundMessage={t('common.nothingFound')}
          error={messageAt(form.error, 'view.tagId')}
        />
      )}
    </EditorForm>
  );
}
