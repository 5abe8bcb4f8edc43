// The home screen: the conversations the user may see that match the search (text query and filter chips), with
// a preview pane for the selected one (the split between them dragged to size and remembered) and the interaction
// player docked at the bottom. Double-clicking a row with a call plays it; a chat or an email opens in full in the
// preview, in place; other rows open the detail view.
import { Box, Button, EmptyState, Group, Paper, Text, Title } from '@mantine/core';
import { useElementSize, useLocalStorage } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
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
import { ColumnsMenu, ConversationTable } from './ConversationTable.tsx';
import { ListToolbar } from './ListToolbar.tsx';
import { SelectionBar } from './SelectionBar.tsx';
import { AnonymizeSearchButton } from './anonymize/AnonymizeSearchButton.tsx';
import { FilterChips } from './search/FilterChips.tsx';
import { encodeFilter, isQueryError } from './search/filterModel.ts';
import { SavedSearchMenu } from './search/SavedSearchMenu.tsx';
import { SearchBar } from './search/SearchBar.tsx';
import { SearchContext, type SearchContextValue } from './search/SearchContext.tsx';
import { detailPath } from './search/searchLinks.ts';
import { Player } from './player/Player.tsx';
import { PlayerContext, usePlayer } from './player/usePlayer.ts';
import { useListQuery } from './useListQuery.ts';
import { ActiveCallsLink } from '../live/ActiveCallsLink.tsx';

/** The page fills the window below the header; the list and the preview scroll on their own. */
const FULL_HEIGHT = 'calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-lg))';

/** The preview pane's width: dragged by the user and remembered; the list keeps at least LIST_MIN_WIDTH. */
const PREVIEW_WIDTH_KEY = 'earshot.conversations.previewWidth';
const PREVIEW_DEFAULT_WIDTH = 420;
const PREVIEW_MIN_WIDTH = 320;
const LIST_MIN_WIDTH = 420;
const COLUMNS_KEY = 'earshot.conversations.hiddenColumns';
/** The list keeps at least this height (about five rows) whatever the docked player shows (a screen recording). */
const LIST_MIN_HEIGHT = 260;
const NO_IDS: ReadonlySet<string> = new Set();

export const clampPreviewWidth = (width: number, total: number) =>
  Math.round(Math.max(PREVIEW_MIN_WIDTH, Math.min(width, Math.max(PREVIEW_MIN_WIDTH, total - LIST_MIN_WIDTH))));

export function ConversationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { query, q, filter, queryFor, setSearch, selectedId, select } = useListQuery();
  const [previewWidth, setPreviewWidth] = useLocalStorage({ key: PREVIEW_WIDTH_KEY, defaultValue: PREVIEW_DEFAULT_WIDTH, getInitialValueInEffect: false });
  const [hiddenColumns, setHiddenColumns] = useLocalStorage<string[]>({ key: COLUMNS_KEY, defaultValue: [], getInitialValueInEffect: false });
  const hidden = useMemo(() => new Set(hiddenColumns), [hiddenColumns]);
  const split = useRef<HTMLDivElement>(null);
  const listBox = useElementSize();
  // The conversation whose chat or email the user double-clicked: its preview opens the text in full.
  const [expandId, setExpandId] = useState<string | null>(null);
  // Rows ticked for a bulk action, for the search they were ticked in (another search starts with none).
  const [ticked, setTicked] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: '', ids: new Set() });
  const searchKey = JSON.stringify(query.filter);
  const checked = ticked.key === searchKey ? ticked.ids : NO_IDS;
  const onCheck = (ids: string[], on: boolean) => {
    const next = new Set(checked);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setTicked({ key: searchKey, ids: next });
  };
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
    } else if (row && (row.channels.includes('chat') || row.channels.includes('email'))) {
      setExpandId(id);
      select(id);
    } else open(id);
  };
  const selectRow = (id: string | null) => {
    if (id !== expandId) setExpandId(null);
    select(id);
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
          <Group justify="space-between" wrap="nowrap">
            <Title order={2}>{t('nav.conversations')}</Title>
            <ActiveCallsLink />
          </Group>
          <Group ref={split} align="stretch" gap={0} wrap="nowrap" style={{ flex: 1, minHeight: LIST_MIN_HEIGHT }}>
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
                    <AnonymizeSearchButton filter={query.filter} searching={searching} />
                    <ColumnsMenu fieldColumns={fieldColumns} hidden={hidden} onChange={setHiddenColumns} />
                  </>
                }
                below={<FilterChips />}
              >
                <SearchBar />
              </ListToolbar>
              {checked.size > 0 && <SelectionBar ids={[...checked]} onClear={() => setTicked({ key: searchKey, ids: new Set() })} />}
              <ErrorAlert error={listError} />
              <Box ref={listBox.ref} style={{ flex: 1, overflow: 'auto' }} data-testid="conversation-list">
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
                    hidden={hidden}
                    availableWidth={listBox.width}
                    checked={checked}
                    onCheck={onCheck}
                    selectedId={selectedId}
                    onSelect={selectRow}
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
              <>
                <SplitHandle container={split} width={previewWidth} onResize={setPreviewWidth} />
                <Paper
                  withBorder
                  radius="md"
                  w={previewWidth}
                  miw={PREVIEW_MIN_WIDTH}
                  // A width remembered on a wider screen still leaves the list its room.
                  maw={`calc(100% - ${LIST_MIN_WIDTH}px)`}
                  style={{ flexShrink: 0, overflow: 'auto' }}
                  data-testid="preview-pane"
                >
                  <ConversationPreview
                    key={`${selectedId}-${expandId === selectedId}`}
                    id={selectedId}
                    q={q}
                    expandText={expandId === selectedId}
                    summary={rows.find((r) => r.id === selectedId)}
                    onClose={() => selectRow(null)}
                  />
                </Paper>
              </>
            )}
          </Group>
          {player.conversationId && <Player player={player} comments={selectedDetail.data?.comments ?? []} maxHeight="45%" />}
        </Box>
      </PlayerContext.Provider>
    </SearchContext.Provider>
  );
}

/**
 * The bar between the list and the preview: dragged with the mouse (or moved with the arrow keys) it sets the
 * preview's width, which the page remembers; the list never gets narrower than LIST_MIN_WIDTH.
 */
function SplitHandle({ container, width, onResize }: { container: RefObject<HTMLDivElement | null>; width: number; onResize: (w: number) => void }) {
  const { t } = useTranslation();
  const total = () => container.current?.getBoundingClientRect().width ?? window.innerWidth;
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const right = container.current?.getBoundingClientRect().right ?? window.innerWidth;
    const move = (ev: PointerEvent) => onResize(clampPreviewWidth(right - ev.clientX, total()));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      document.body.style.removeProperty('cursor');
    };
    document.body.style.cursor = 'col-resize';
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const step = e.shiftKey ? 80 : 20;
    if (e.key === 'ArrowLeft') onResize(clampPreviewWidth(width + step, total()));
    else if (e.key === 'ArrowRight') onResize(clampPreviewWidth(width - step, total()));
    else return;
    e.preventDefault();
  };
  return (
    <Box
      role="separator"
      aria-orientation="vertical"
      aria-label={t('conversations.preview.resize')}
      aria-valuenow={width}
      tabIndex={0}
      title={t('conversations.preview.resize')}
      data-testid="preview-resize"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      w={16}
      style={{ flexShrink: 0, cursor: 'col-resize', display: 'flex', justifyContent: 'center', touchAction: 'none' }}
    >
      <Box w={3} my="xl" bg="gray.3" style={{ borderRadius: 2 }} />
    </Box>
  );
}
