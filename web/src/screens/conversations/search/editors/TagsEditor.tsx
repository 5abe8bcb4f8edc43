// Tags: conversations with any of the picked tags.
import { Group, MultiSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchOptions } from '../../../../api/search.ts';
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
        data={tags.map((tag) => ({ value: tag.id, label: tagLabel(tag) }))}
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
