import { Checkbox, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PermissionInfo } from '../../../api/types.ts';
import { permissionKey } from '../../../i18n/index.ts';

interface Props {
  catalogue: PermissionInfo[];
  value: string[];
  onChange: (v: string[]) => void;
  readOnly: boolean;
}

function byCategory(items: PermissionInfo[]): [string, PermissionInfo[]][] {
  const map = new Map<string, PermissionInfo[]>();
  for (const p of items) map.set(p.category, [...(map.get(p.category) ?? []), p]);
  return [...map.entries()];
}

/** The permission catalogue as checkboxes, one box per category with a select-all checkbox. */
export function PermissionPicker({ catalogue, value, onChange, readOnly }: Props) {
  const { t } = useTranslation();
  const selected = new Set(value);

  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onChange(catalogue.map((p) => p.id).filter((id) => next.has(id)));
  };

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      {byCategory(catalogue).map(([category, perms]) => {
        const ids = perms.map((p) => p.id);
        const count = ids.filter((id) => selected.has(id)).length;
        const label = t(`permissionCategories.${category}`, { defaultValue: category });
        return (
          <Paper key={category} withBorder p="sm" radius="md">
            <Stack gap="xs">
              <Checkbox
                label={
                  <Text fw={600} size="sm">
                    {label}
                  </Text>
                }
                checked={count === ids.length}
                indeterminate={count > 0 && count < ids.length}
                onChange={(e) => toggle(ids, e.currentTarget.checked)}
                disabled={readOnly}
                aria-label={t('roles.selectCategory', { category: label })}
              />
              {perms.map((p) => (
                <Checkbox
                  key={p.id}
                  ml="md"
                  value={p.id}
                  label={t(`permissionNames.${permissionKey(p.id)}.label`, { defaultValue: p.label })}
                  description={t(`permissionNames.${permissionKey(p.id)}.description`, { defaultValue: p.description })}
                  checked={selected.has(p.id)}
                  onChange={(e) => toggle([p.id], e.currentTarget.checked)}
                  disabled={readOnly}
                  data-permission={p.id}
                />
              ))}
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
