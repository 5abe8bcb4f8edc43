import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAllUsers } from '../../../api/directory.ts';
import { useAuditVocabulary } from '../../../api/system.ts';
import type { AuditFilters } from '../../../api/types.ts';
import { IconSearch } from '../../../components/icons.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

export interface AuditFilterState {
  from: string;
  to: string;
  initiator: string;
  resourceType: string;
  action: string;
  q: string;
}

export const EMPTY_FILTERS: AuditFilterState = { from: '', to: '', initiator: '', resourceType: '', action: '', q: '' };

/** Date inputs give local calendar days; the API wants instants. */
function dayStart(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}
function dayEnd(day: string): string | undefined {
  return day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined;
}

export function toQuery(f: AuditFilterState): AuditFilters {
  return {
    from: dayStart(f.from),
    to: dayEnd(f.to),
    initiator: f.initiator.trim() || undefined,
    resourceType: f.resourceType.trim() || undefined,
    action: f.action.trim() || undefined,
    q: f.q.trim() || undefined,
  };
}

export function AuditFilterBar({ value, onChange }: { value: AuditFilterState; onChange: (v: AuditFilterState) => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const users = useAllUsers(can(me, 'users.manage'));
  // Suggestions only, from the trail itself: both fields take free text.
  const vocabulary = useAuditVocabulary().data;
  const set = <K extends keyof AuditFilterState>(k: K, v: AuditFilterState[K]) => onChange({ ...value, [k]: v });
  const isEmpty = JSON.stringify(value) === JSON.stringify(EMPTY_FILTERS);

  return (
    <Group p="md" gap="sm" align="flex-end">
      <TextInput
        label={t('audit.filters.q')}
        placeholder={t('audit.filters.qPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={value.q}
        onChange={(e) => set('q', e.currentTarget.value)}
        w={220}
      />
      <TextInput type="date" label={t('audit.filters.from')} value={value.from} onChange={(e) => set('from', e.currentTarget.value)} w={140} />
      <TextInput type="date" label={t('audit.filters.to')} value={value.to} onChange={(e) => set('to', e.currentTarget.value)} w={140} />
      <Autocomplete
        label={t('audit.filters.initiator')}
        placeholder={t('audit.filters.anyone')}
        data={[...new Set((users.data?.items ?? []).map((u) => u.name))]}
        value={value.initiator}
        onChange={(v) => set('initiator', v)}
        w={170}
      />
      <Autocomplete
        label={t('audit.filters.resourceType')}
        placeholder={t('audit.filters.any')}
        data={vocabulary?.resourceTypes ?? []}
        value={value.resourceType}
        onChange={(v) => set('resourceType', v)}
        w={150}
      />
      <Autocomplete
        label={t('audit.filters.action')}
        placeholder={t('audit.filters.any')}
        data={vocabulary?.actions ?? []}
        value={value.action}
        onChange={(v) => set('action', v)}
        w={190}
      />
      {!isEmpty && (
        <Button variant="subtle" onClick={() => onChange(EMPTY_FILTERS)}>
          {t('audit.filters.clear')}
        </Button>
      )}
    </Group>
  );
}
