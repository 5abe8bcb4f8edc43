// The home screen: the conversations the user may see that match the search (text query and filter chips), with
// a preview pane for the selected one and the interaction player docked at the bottom. Double-clicking a row with a
// call plays it (other rows open).
import { Box, Button, EmptyState, Group, Paper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useConversation, useConversationList, useCustomFieldDefinitions } from '../../api/conversations.ts';
import { useExactCount } from '../../api/search.ts';
import { keys } from '../../api/keys.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconConversations, IconReset } from '../../components/icons.tsx';
import { useCurrentUser } from '../shell/currentUser.tsx';
import { canPlay, hasMedia } from './ConversationActions.tsx';
import { ConversationPreview } from './ConversationPreview.tsx';
import { ConversationTable } from './ConversationTable.tsx';
import { ListToolbar } from './ListToolbar.tsx';
import { FilterChips } from './search/FilterChips.tsx';
import { encodeFilter, isQueryError } from './search/filterModel.ts';
import { SavedSearchMenu } from './search/SavedSearchMenu.tsx';
import { SearchBar } from './search/SearchBar.tsx';
import { SearchContext, type SearchContextValue } from './search/SearchContext.tsx';
import { detailPath } from './search/searchLinks.ts';
import { Player } from './player/Player.tsx';
import { PlayerContext, usePlayer } from './player/usePlayer.ts';
import { useListQuery } from './useListQuery.ts';

/** The page fills the window below the header; the list and the preview scroll on their own. */
const FULL_HEIGHT = 'calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-lg))';

export function ConversationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { query, q, filter, queryFor, setSearch, selectedId, select } = useListQuery();
  const list = useConversationList(query);
  // Custom-field columns are optional: without the definitions (or the permission to read them) the list still works.
  const fields = useCustomFieldDefinitions();
  const fieldColumns = (fields.data?.items ?? []).filter((f) => f.showInList).sort((a, b) => a.position - b.position);

  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const first = list.data?.pages[0];
  // The first page stops counting at a limit: the exact number is counted apart, without delaying the rows. A page
  // still shown from the previous search (placeholder) says nothing about this one.
  const exact = useExactCount(query.filter, !!first && !first.totalExact && !list.isPlaceholderData);
  const searching = q.trim() !== '' || encodeFilter(filter) !== null;
  // A hit in what was said opens the player at that utterance (t).
  const open = (id: string) => navigate(detailPath(id, q, '', rows.find((r) => r.id === id)?.highlight?.speech?.startMs), { state: { list: location.search } });
  const me = useCurrentUser();
  const selectedDetail = useConversation(selectedId);
  const selected = selectedDetail.data ?? rows.find((r) => r.id === selectedId);
  const player = usePlayer(selected && selectedId && hasMedia(selected) && canPlay(me) ? selectedId : null);
  const playOrOpen = (id: string) => {
    const row = rows.find((r) => r.id === id);
    if (row && row.channels.includes('call') && canPlay(me)) {
      select(id);
      player.playWhenReady(id);
    } else open(id);
  };
  const refresh = () => qc.invalidateQueries({ queryKey: keys.conversations });

  const search = useMemo<SearchContextValue>(
    () => ({ q, filter, page: first, error: list.error, queryFor, setSearch }),
    [q, filter, first, list.error, queryFor, setSearch],
  );
  // A malformed text query is said under the search box, not again above the list.
  const listError = isQueryError(list.error) ? null : list.error;

  return (
    <SearchContext.Provider value={search}>
      <PlayerContext.Provider value={player}>
        <Box h={FULL_HEIGHT} mih={480} style={{ display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-sm)' }}>
          <Title order={2}>{t('nav.conversations')}</Title>
          <Group align="stretch" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
            <Paper withBorder radius="md" style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', overflow: 'hidden' }}>
              <ListToolbar
                total={first?.total}
                totalExact={first?.totalExact ?? true}
                exactTotal={list.isPlaceholderData ? undefined : exact.data?.total}
                counting={exact.isFetching}
                refreshing={list.isFetching && !list.isFetchingNextPage}
                onRefresh={refresh}
                actions={
                  <>
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<IconReset size={14} />}
                      disabled={!searching}
                      onClick={() => setSearch({ q: '', filter: {} })}
                    >
                      {t('search.reset')}
                    </Button>
                    <SavedSearchMenu />
                  </>
                }
                below={<FilterChips />}
              >
                <SearchBar />
              </ListToolbar>
              <ErrorAlert error={listError} />
              <Box style={{ flex: 1, overflow: 'auto' }} data-testid="conversation-list">
                {!list.isPending && rows.length === 0 && !list.error ? (
                  <EmptyState
                    py={64}
                    icon={<IconConversations size={28} stroke={1.6} />}
                    variant="light"
                    title={searching ? t('search.noMatch') : t('conversations.empty')}
                    description={searching ? t('search.noMatchHint') : t('conversations.emptyHint')}
                  />
                ) : (
                  <ConversationTable
                    rows={rows}
                    loading={list.isPending}
                    fieldColumns={fieldColumns}
                    selectedId={selectedId}
                    onSelect={select}
                    onOpen={open}
                    onActivate={playOrOpen}
                  />
                )}
                {list.hasNextPage && (
                  <Group justify="center" p="md">
                    <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                      {t('common.loadMore')}
                    </Button>
                  </Group>
                )}
                {!list.hasNextPage && rows.length > 0 && (
                  <Text size="xs" c="dimmed" ta="center" p="md">
                    {t('conversations.endOfList')}
                  </Text>
                )}
              </Box>
            </Paper>
            {selectedId && (
              <Paper withBorder radius="md" w={400} style={{ flexShrink: 0, overflow: 'auto' }}>
                <ConversationPreview key={selectedId} id={selectedId} summary={rows.find((r) => r.id === selectedId)} onClose={() => select(null)} />
              </Paper>
            )}
          </Group>
          {player.conversationId && <Player player={player} comments={selectedDetail.data?.comments ?? []} maxHeight="58%" />}
        </Box>
      </PlayerContext.Provider>
    </SearchContext.Provider>
  );
}
