import { Button, Group, Skeleton, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IconRefresh } from '../../components/icons.tsx';
import { formatNumber } from '../../format.ts';

interface Props {
  total: number | undefined;
  refreshing: boolean;
  onRefresh: () => void;
  /** The search box and filter chips go here (they take the free width). */
  children?: ReactNode;
}

/** The slim bar above the list: search and filters on the left, the count and Refresh on the right. */
export function ListToolbar({ total, refreshing, onRefresh, children }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <Group px="md" py={8} gap="sm" wrap="nowrap" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} role="toolbar" aria-label={t('conversations.toolbar')}>
      <Group gap="sm" style={{ flex: 1, minWidth: 0 }}>
        {children}
      </Group>
      <Group gap="sm" wrap="nowrap">
        {total === undefined ? (
          <Skeleton h={14} w={110} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="conversation-total" style={{ whiteSpace: 'nowrap' }}>
            {total === 1 ? t('conversations.totalOne') : t('conversations.total', { total: formatNumber(total, i18n.language) })}
          </Text>
        )}
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={refreshing} onClick={onRefresh}>
          {t('conversations.refresh')}
        </Button>
      </Group>
    </Group>
  );
}
