// Quality → Moments: the library of every moment on a conversation the user may see, newest first, by name.
import { Button, Group, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMomentLibrary } from '../../../api/moments.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconSearch } from '../../../components/icons.tsx';
import { MomentItem } from './MomentItem.tsx';

export function MomentsLibraryPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(false);
  const [term] = useDebouncedValue(q.trim(), 300);
  const lib = useMomentLibrary(term, mine);
  const items = lib.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md" data-testid="moments-library">
      <Group>
        <TextInput
          leftSection={<IconSearch size={14} />}
          placeholder={t('moments.library.search')}
          aria-label={t('moments.library.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={320}
        />
        <Switch label={t('moments.library.mine')} checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      </Group>
      <Text size="sm" c="dimmed">
        {t('moments.library.intro')}
      </Text>
      <ErrorAlert error={lib.error} />
      {lib.isPending && <Skeleton h={120} radius="md" />}
      {!lib.isPending && items.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="moments-empty">
          {term || mine ? t('moments.library.noMatch') : t('moments.library.empty')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {items.map((m) => (
          <MomentItem key={m.id} moment={m} showConversation />
        ))}
      </SimpleGrid>
      {lib.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void lib.fetchNextPage()} loading={lib.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
