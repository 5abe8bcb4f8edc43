// An agent picked by name: suggestions from the server from the second character typed.
import { Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENT_QUERY_MIN, useAgentSuggestions } from '../../../../api/search.ts';
import type { AgentSuggestion } from '../../../../api/types.ts';
import { INLINE_COMBOBOX } from './EditorForm.tsx';

/** Names of the agents seen in suggestions, so a filter on an agent shows the name when edited again. */
const seenNames = new Map<string, string>();

interface Props {
  label: string;
  value: string | null;
  /** The name to show for `value` when it is not among the suggestions. */
  valueName?: string;
  onChange: (id: string | null) => void;
  error?: string;
}

export function AgentPicker({ label, value, valueName, onChange, error }: Props) {
  const { t } = useTranslation();
  const initialName = (value && (seenNames.get(value) ?? valueName)) || '';
  const [search, setSearch] = useState(initialName);
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(value ? { id: value, name: initialName || value } : null);
  const [term] = useDebouncedValue(search, 200);
  const suggestions = useAgentSuggestions(term === picked?.name ? '' : term);
  const items: AgentSuggestion[] = suggestions.data?.items ?? [];
  useEffect(() => {
    for (const a of suggestions.data?.items ?? []) seenNames.set(a.id, a.name);
  }, [suggestions.data]);
  // A name that arrives after the first render (an address that keeps only the id): shown instead of the id.
  useEffect(() => {
    if (!value || !valueName || picked?.id !== value || picked.name !== value) return;
    seenNames.set(value, valueName);
    setPicked({ id: value, name: valueName });
    setSearch(valueName);
  }, [value, valueName, picked]);

  const data = items.map((a) => ({ value: a.id, label: a.name }));
  if (picked && !data.some((d) => d.value === picked.id)) data.unshift({ value: picked.id, label: picked.name });
  const details = new Map(
    items.map((a) => [a.id, [a.email, a.extension && t('search.agent.extension', { extension: a.extension })].filter(Boolean).join(' · ')]),
  );

  return (
    <Select
      {...INLINE_COMBOBOX}
      size="xs"
      label={label}
      placeholder={t('search.agent.placeholder')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={data}
      value={picked?.id ?? null}
      onChange={(id, option) => {
        setPicked(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
      filter={({ options }) => options}
      nothingFoundMessage={
        search.trim().length < AGENT_QUERY_MIN ? t('search.agent.typeMore') : suggestions.isFetching ? t('search.agent.loading') : t('common.nothingFound')
      }
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          {details.get(option.value) && (
            <Text size="xs" c="dimmed">
              {details.get(option.value)}
            </Text>
          )}
        </Stack>
      )}
      error={error}
      clearable
      data-autofocus
    />
  );
}
