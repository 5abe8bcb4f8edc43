// One chip per condition of the filter, labelled by the server. Clicking a chip opens its editor; its x removes the
// condition (for the time period: all time). "Add new filter" sits at the end.
import { CloseButton, Group, Popover, Text, UnstyledButton } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterChip as Chip, FilterField, SearchFilterInput } from '../../../api/types.ts';
import { AddFilterPane } from './AddFilterPane.tsx';
import { errorTarget, FILTER_FIELDS, withoutChip } from './filterModel.ts';
import { FilterEditor } from './FilterEditor.tsx';
import { useSearch } from './SearchContext.tsx';
import { chipLabel } from '../../../i18n/chips.ts';

const EDITOR_WIDTH = 440;

const isField = (f: string): f is FilterField => (FILTER_FIELDS as readonly string[]).includes(f);

/** Chips named by this screen, for when the server has not described the filter (it refused it). */
function localChips(filter: SearchFilterInput, t: TFunction): Chip[] {
  const chips: Chip[] = [];
  if (filter.period === undefined) chips.push({ field: 'period', label: t('search.chips.defaultPeriod') });
  for (const field of FILTER_FIELDS) {
    const v = filter[field];
    if (v === undefined || v === null || field === 'sort') continue;
    if (field === 'customData' && Array.isArray(v)) v.forEach((_, index) => chips.push({ field, index, label: t('search.fields.customData') }));
    else chips.push({ field, label: t(`search.fields.${field}`) });
  }
  return chips;
}

export function FilterChips() {
  const { t, i18n } = useTranslation();
  const { q, filter, page, error, setSearch } = useSearch();
  const bad = errorTarget(error);
  // The server labels chips in English: shown in the UI's language (i18n/chips.ts).
  const chips = page?.chips.map((c) => ({ ...c, label: chipLabel(c, page.filter, t, i18n.language) })) ?? (error ? localChips(filter, t) : []);
  return (
    <Group gap={6} data-testid="filter-chips" aria-label={t('search.chips.label')} role="group">
      {chips.map((chip) => (
        <FilterChip
          key={`${chip.field}-${chip.index ?? ''}`}
          chip={chip}
          invalid={!!bad && bad.field === chip.field && (bad.index === undefined || bad.index === chip.index)}
          onRemove={() => setSearch({ q, filter: withoutChip(filter, chip) })}
        />
      ))}
      <AddFilterPane />
    </Group>
  );
}

function FilterChip({ chip, invalid, onRemove }: { chip: Chip; invalid: boolean; onRemove: () => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const editable = isField(chip.field);
  const color = invalid ? 'red' : 'blue';
  return (
    <Popover opened={opened} onChange={setOpened} onClose={() => setOpened(false)} position="bottom-start" shadow="md" width={EDITOR_WIDTH} trapFocus>
      <Popover.Target>
        <Group
          gap={0}
          wrap="nowrap"
          data-testid="filter-chip"
          data-field={chip.field}
          data-invalid={invalid || undefined}
          bg={`var(--mantine-color-${color}-0)`}
          style={{ border: `1px solid var(--mantine-color-${color}-3)`, borderRadius: 16, maxWidth: 420 }}
        >
          <UnstyledButton
            onClick={() => editable && setOpened((o) => !o)}
            pl={10}
            pr={4}
            py={2}
            style={{ minWidth: 0, cursor: editable ? 'pointer' : 'default' }}
            title={chip.label}
          >
            <Text size="xs" fw={500} c={`${color}.9`} truncate="end">
              {chip.label}
            </Text>
          </UnstyledButton>
          <CloseButton size="xs" mr={4} radius="xl" aria-label={t('search.chips.remove', { label: chip.label })} onClick={onRemove} />
        </Group>
      </Popover.Target>
      <Popover.Dropdown>
        {opened && editable && <FilterEditor field={chip.field as FilterField} index={chip.index} onDone={() => setOpened(false)} />}
      </Popover.Dropdown>
    </Popover>
  );
}
