// "Add new filter": every filter in a list, the editor of the one picked beside it. A filter already set opens
// with its value; for custom data the editor adds a condition.
import { Box, Button, Group, NavLink, Popover, ScrollArea, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterField } from '../../../api/types.ts';
import { IconPlus } from '../../../components/icons.tsx';
import { FILTER_FIELDS } from './filterModel.ts';
import { FilterEditor } from './FilterEditor.tsx';
import { useSearch } from './SearchContext.tsx';

const LIST_WIDTH = 190;

export function AddFilterPane() {
  const { t } = useTranslation();
  const { filter } = useSearch();
  const [opened, setOpened] = useState(false);
  const [field, setField] = useState<FilterField>('period');
  const isSet = (f: FilterField) => (f === 'customData' ? false : filter[f] !== undefined && filter[f] !== null);

  return (
    <Popover opened={opened} onChange={setOpened} onClose={() => setOpened(false)} position="bottom-start" shadow="md" trapFocus>
      <Popover.Target>
        <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => setOpened((o) => !o)} aria-haspopup="dialog">
          {t('search.addFilter')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        {opened && (
          <Group align="stretch" gap={0} wrap="nowrap" data-testid="add-filter-pane" role="dialog" aria-label={t('search.addFilter')}>
            <ScrollArea.Autosize mah={540} w={LIST_WIDTH} style={{ borderRight: '1px solid var(--mantine-color-gray-3)' }}>
              <Box py={4}>
                {FILTER_FIELDS.map((f) => (
                  <NavLink
                    key={f}
                    component="button"
                    type="button"
                    active={f === field}
                    aria-current={f === field ? 'true' : undefined}
                    label={t(`search.fields.${f}`)}
                    rightSection={
                      isSet(f) ? (
                        <Text size="xs" c="blue" aria-label={t('search.isSet')}>
                          ●
                        </Text>
                      ) : null
                    }
                    onClick={() => setField(f)}
                    py={3}
                    data-field={f}
                  />
                ))}
              </Box>
            </ScrollArea.Autosize>
            <Box p="md" w={440}>
              <FilterEditor key={field} field={field} onDone={() => setOpened(false)} />
            </Box>
          </Group>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
