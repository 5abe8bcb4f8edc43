// Quality → Offline interactions: contacts that were not recorded here (a walk-in, a call on another system, a
// letter), added by hand with an optional file so they can be evaluated like any other conversation.
import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useOfflineList } from '../../../api/offline.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPaperclip, IconPlus } from '../../../components/icons.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { useTimes } from '../../../format.ts';
import { AddOfflineModal } from './AddOfflineModal.tsx';

export function OfflinePage() {
  const { t } = useTranslation();
  const times = useTimes();
  const [adding, setAdding] = useState(false);
  const list = useOfflineList();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md" data-testid="offline-page">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          {t('offline.intro')}
        </Text>
        <Button leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="add-offline">
          {t('offline.add')}
        </Button>
      </Group>
      <ErrorAlert error={list.error} />
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('offline.col.title')}</Table.Th>
            <Table.Th>{t('offline.col.when')}</Table.Th>
            <Table.Th>{t('offline.col.channel')}</Table.Th>
            <Table.Th>{t('offline.col.agent')}</Table.Th>
            <Table.Th>{t('offline.col.addedBy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.isPending && <SkeletonRows rows={3} columns={5} />}
          {!list.isPending && items.length === 0 && <EmptyRow colSpan={5}>{t('offline.empty')}</EmptyRow>}
          {items.map((o) => (
            <Table.Tr key={o.conversationId}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Anchor component={Link} to={`/conversations/${encodeURIComponent(o.conversationId)}`} size="sm">
                    {o.title || t('offline.untitled')}
                  </Anchor>
                  {o.file && <IconPaperclip size={14} aria-label={t('offline.hasFile')} />}
                </Group>
              </Table.Td>
              <Table.Td>{times.dateTime(o.startedAt, null, 'compact')}</Table.Td>
              <Table.Td>{t(`offline.channels.${o.channel}`)}</Table.Td>
              <Table.Td>{o.agent.name ?? '—'}</Table.Td>
              <Table.Td>
                {o.createdBy.name ?? '—'}
                <Text size="xs" c="dimmed">
                  {times.dateTime(o.createdAt, null, 'compact')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      {adding && <AddOfflineModal onClose={() => setAdding(false)} />}
    </Stack>
  );
}
