// Tags: conversations with any of the picked tags.
import { Group, MultiSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../../../api/categories.ts';
import { useSearchOptions } from '../../../../api/search.ts';
import { useTags } from '../../../../api/tags.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { ColorDot } from '../../parts.tsx';
import { messageAt } from '../filterModel.ts';
import { EditorForm, HelpText, INLINE_COMBOBOX, type EditorProps } from './EditorForm.tsx';

/** A tag's name as pickers show it: with its data value, when it is a data tag. */
export const tagLabel = (tag: { name: string; dataValue: string | null }) => (tag.dataValue ? `${tag.name} · ${tag.dataValue}` : tag.name);

export function TagsEditor({ value, apply, ...form }: EditorProps<string[]>) {
  const { t } = useTranslation();
  const options = useSearchOptions();
  const tags = options.data?.tags ?? [];
  // The list holds categories and archived tags too (both stay searchable): say which is which.
  const definitions = useTags();
  const categories = useCategories();
  const categoryIds = new Set((categories.data?.items ?? []).map((c) => c.id));
  const archived = new Set([...(definitions.data?.items ?? []), ...(categories.data?.items ?? [])].filter((d) => d.archived).map((d) => d.id));
  const label = (tag: (typeof tags)[number]) => {
    const name = categoryIds.has(tag.id) ? t('search.tags.categoryName', { name: tagLabel(tag) }) : tagLabel(tag);
    return archived.has(tag.id) ? t('conversations.categories.archivedName', { name }) : name;
  };
  const [picked, setPicked] = useState<string[]>(value ?? []);
  const colors = new Map(tags.map((tag) => [tag.id, tag.color]));
  return (
    <EditorForm title={t('search.fields.tags')} onApply={() => apply(picked.length ? picked : undefined)} shownPaths={['tags']} {...form}>
      <ErrorAlert error={options.error} />
      <MultiSelect
        {...INLINE_COMBOBOX}
        size="xs"
        aria-label={t('search.fields.tags')}
        placeholder={t('search.tags.placeholder')}
        data={tags.map((tag) => ({ value: tag.id, label: label(tag) }))}
        value={picked}
        onChange={setPicked}
        searchable
        nothingFoundMessage={t('common.nothingFound')}
        renderOption={({ option }) => (
          <Group gap={8} wrap="nowrap">
            <ColorDot color={colors.get(option.value) ?? 'gray'} />
            <Text size="sm">{option.label}</Text>
          </Group>
        )}
        error={messageAt(form.error, 'tags')}
        disabled={options.isPending}
        data-autofocus
      />
      <HelpText text={t('search.tags.help')} />
    </EditorForm>
  );
}
