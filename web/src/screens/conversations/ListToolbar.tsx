import { Box, Button, Group, Loader, Skeleton, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IconRefresh } from '../../components/icons.tsx';
import { formatNumber } from '../../format.ts';

interface Props {
  total: number | undefined;
  /** False when the server stopped counting: the total is a lower bound ("More than …"). */
  totalExact?: boolean;
  /** The exact total counted in the background once the first page stopped counting (item 3 of issue 16). */
  exactTotal?: number;
  /** The background count is under way. */
  counting?: boolean;
  refreshing: boolean;
  onRefresh: () => void;
  /** The search box (takes the free width). */
  children?: ReactNode;
  /** Buttons beside Refresh (Reset, Save, Saved searches). */
  actions?: ReactNode;
  /** The second row: the filter chips. */
  below?: ReactNode;
}

/** The bar above the list: search and actions on the first row, the count and Refresh on the right, chips below. */
export function ListToolbar({ total: pageTotal, totalExact: pageExact = true, exactTotal, counting, refreshing, onRefresh, children, actions, below }: Props) {
  const { t, i18n } = useTranslation();
  // The cheap total of the first page at once, replaced by the exact count when it arrives.
  const total = !pageExact && exactTotal !== undefined ? exactTotal : pageTotal;
  const totalExact = pageExact || exactTotal !== undefined;
  const n = total === undefined ? '' : formatNumber(total, i18n.language);
  return (
    <Box px="md" py={8} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} role="toolbar" aria-label={t('conversations.toolbar')}>
      {/* When the preview pane leaves little room, the count and the buttons go under the search box. */}
      <Group gap="sm" wrap="wrap" justify="space-between" align="flex-start">
        <Group gap="sm" style={{ flex: '1 1 340px', minWidth: 0 }} align="flex-start">
          {children}
        </Group>
        <Group gap="xs" wrap="nowrap" mih={36} ml="auto">
          {total === undefined ? (
            <Skeleton h={14} w={110} />
          ) : (
            <Text size="sm" c="dimmed" data-testid="conversation-total" data-exact={totalExact} style={{ whiteSpace: 'nowrap' }}>
              {!totalExact
                ? t('conversations.totalMoreThan', { total: n })
                : total === 1
                  ? t('conversations.totalOne')
                  : t('conversations.total', { total: n })}
            </Text>
          )}
          {counting && !totalExact && (
            <Group gap={4} wrap="nowrap" data-testid="conversation-counting">
              <Loader size={12} />
              <Text size="xs" c="dimmed">
                {t('conversations.counting')}
              </Text>
            </Group>
          )}
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={refreshing} onClick={onRefresh}>
            {t('conversations.refresh')}
          </Button>
          {actions}
        </Group>
      </Group>
      {below && <Box mt={6}>{below}</Box>}
    </Box>
  );
}
