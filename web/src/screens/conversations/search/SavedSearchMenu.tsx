// Saved searches: use one, save the current search under a name, rename, delete (with an immediate Undo), and —
// for data life cycle managers — protect. A protected search shows a lock.
import { ActionIcon, Affix, Badge, Box, Button, Group, Loader, Notification, Popover, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateSavedSearch,
  useDeleteSavedSearch,
  useProtectSavedSearch,
  useRenameSavedSearch,
  useRestoreSavedSearch,
  useSavedSearches,
} from '../../../api/search.ts';
import type { SavedSearch, SavedSearchDeleted } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { describeError } from '../../../components/errors.ts';
import { IconBookmark, IconCheck, IconEdit, IconLock, IconTrash } from '../../../components/icons.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { fromCanonical, requestFilter, stableJson } from './filterModel.ts';
import { SavedSearchNameModal } from './SavedSearchNameModal.tsx';
import { useSearch } from './SearchContext.tsx';
import { chipLabel } from '../../../i18n/chips.ts';

/** How long the Undo offer stays on screen (the server keeps a deleted search restorable for 10 minutes). */
const UNDO_SHOWN_MS = 20_000;

type NameDialog = { mode: 'save' } | { mode: 'rename'; search: SavedSearch } | null;

export function SavedSearchMenu() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { q, filter, page, setSearch } = useSearch();
  const list = useSavedSearches();
  const create = useCreateSavedSearch();
  const rename = useRenameSavedSearch();
  const remove = useDeleteSavedSearch();
  const protect = useProtectSavedSearch();
  const [opened, setOpened] = useState(false);
  const [dialog, setDialog] = useState<NameDialog>(null);
  const [deleted, setDeleted] = useState<SavedSearchDeleted | null>(null);
  const mayProtect = can(me, 'lifecycle.manage');

  const items = list.data?.items ?? [];
  const current = page ? stableJson(page.filter) : null;
  const active = current ? items.find((s) => stableJson(s.filter) === current) : undefined;

  const use = (s: SavedSearch) => {
    setSearch(fromCanonical(s.filter));
    setOpened(false);
  };

  const openDialog = (d: NameDialog) => {
    create.reset();
    rename.reset();
    setOpened(false);
    setDialog(d);
  };

  return (
    <>
      <Button size="xs" variant="default" onClick={() => openDialog({ mode: 'save' })}>
        {t('search.saved.save')}
      </Button>
      <Popover opened={opened} onChange={setOpened} onClose={() => setOpened(false)} position="bottom-end" shadow="md" width={380} trapFocus>
        <Popover.Target>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconBookmark size={14} />}
            rightSection={
              active ? (
                <Badge size="xs" variant="light" tt="none" maw={140}>
                  {active.name}
                </Badge>
              ) : undefined
            }
            onClick={() => setOpened((o) => !o)}
            aria-haspopup="dialog"
            data-testid="saved-searches-button"
          >
            {t('search.saved.title')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown p="xs">
          <Stack gap={4} data-testid="saved-searches" role="dialog" aria-label={t('search.saved.title')}>
            <ErrorAlert error={list.error ?? remove.error ?? protect.error} />
            {list.isPending && <Loader size="sm" m="sm" />}
            {!list.isPending && items.length === 0 && (
              <Text size="sm" c="dimmed" p="xs">
                {t('search.saved.none')}
              </Text>
            )}
            <Box mah={360} style={{ overflowY: 'auto' }}>
              <Stack gap={2}>
                {items.map((s) => (
                  <SavedSearchRow
                    key={s.id}
                    search={s}
                    active={s.id === active?.id}
                    mayProtect={mayProtect && s.canProtect}
                    busy={(remove.isPending && remove.variables === s.id) || (protect.isPending && protect.variables?.id === s.id)}
                    onUse={() => use(s)}
                    onRename={() => openDialog({ mode: 'rename', search: s })}
                    onDelete={() => remove.mutate(s.id, { onSuccess: (d) => setDeleted(d) })}
                    onProtect={() => protect.mutate({ id: s.id, protect: !s.protected })}
                  />
                ))}
              </Stack>
            </Box>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      {dialog && (
        <SavedSearchNameModal
          title={dialog.mode === 'save' ? t('search.saved.saveTitle') : t('search.saved.renameTitle')}
          submitLabel={dialog.mode === 'save' ? t('common.save') : t('search.saved.rename')}
          initialName={dialog.mode === 'rename' ? dialog.search.name : q}
          pending={create.isPending || rename.isPending}
          error={dialog.mode === 'save' ? create.error : rename.error}
          onSubmit={(name) =>
            dialog.mode === 'save'
              ? create.mutate({ name, filter: requestFilter(filter, q) }, { onSuccess: () => setDialog(null) })
              : rename.mutate({ id: dialog.search.id, name }, { onSuccess: () => setDialog(null) })
          }
          onClose={() => setDialog(null)}
        />
      )}
      {deleted && <UndoDelete key={deleted.undoToken} deleted={deleted} onDone={() => setDeleted(null)} />}
    </>
  );
}

interface RowProps {
  search: SavedSearch;
  active: boolean;
  mayProtect: boolean;
  busy: boolean;
  onUse: () => void;
  onRename: () => void;
  onDelete: () => void;
  onProtect: () => void;
}

function SavedSearchRow({ search: s, active, mayProtect, busy, onUse, onRename, onDelete, onProtect }: RowProps) {
  const { t, i18n } = useTranslation();
  const chips = s.chips.map((c) => chipLabel(c, s.filter, t, i18n.language)).join(' · ');
  return (
    <Group
      gap={4}
      wrap="nowrap"
      px={6}
      py={4}
      data-testid="saved-search"
      data-name={s.name}
      bg={active ? 'var(--mantine-color-blue-light)' : undefined}
      style={{ borderRadius: 6 }}
    >
      <UnstyledButton onClick={onUse} style={{ flex: 1, minWidth: 0 }} aria-label={t('search.saved.use', { name: s.name })}>
        <Group gap={6} wrap="nowrap">
          {s.protected && (
            <Tooltip label={t('search.saved.protected')}>
              <span
                role="img"
                aria-label={t('search.saved.protected')}
                data-testid="saved-search-lock"
                style={{ display: 'inline-flex', color: 'var(--mantine-color-orange-7)' }}
              >
                <IconLock size={14} />
              </span>
            </Tooltip>
          )}
          <Text size="sm" fw={500} truncate="end">
            {s.name}
          </Text>
          {active && <IconCheck size={14} />}
        </Group>
        <Text size="xs" c="dimmed" truncate="end" title={chips}>
          {[s.filter.q ? `“${s.filter.q}”` : null, chips].filter(Boolean).join(' · ')}
          {!s.mine && s.owner ? ` — ${s.owner.name}` : ''}
        </Text>
      </UnstyledButton>
      {mayProtect && (
        <Tooltip label={s.protected ? t('search.saved.unprotect') : t('search.saved.protect')}>
          <ActionIcon
            variant={s.protected ? 'light' : 'subtle'}
            color={s.protected ? 'orange' : 'gray'}
            size="sm"
            aria-label={s.protected ? t('search.saved.unprotect') : t('search.saved.protect')}
            aria-pressed={s.protected}
            onClick={onProtect}
            disabled={busy}
          >
            <IconLock size={14} />
          </ActionIcon>
        </Tooltip>
      )}
      {s.canEdit && (
        <>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('search.saved.renameNamed', { name: s.name })} onClick={onRename} disabled={busy}>
            <IconEdit size={14} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('search.saved.deleteNamed', { name: s.name })} onClick={onDelete} loading={busy}>
            <IconTrash size={14} />
          </ActionIcon>
        </>
      )}
    </Group>
  );
}

/** "Deleted …" with Undo, in the corner for a while after a delete. */
function UndoDelete({ deleted, onDone }: { deleted: SavedSearchDeleted; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const restore = useRestoreSavedSearch();
  useEffect(() => {
    if (restore.isPending || restore.error) return;
    const timer = setTimeout(onDone, UNDO_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [onDone, restore.isPending, restore.error]);

  return (
    <Affix position={{ bottom: 20, right: 20 }} zIndex={400}>
      {/* Mantine cuts the notification's body and text at their edges (overflow: hidden): a long name without spaces
          ran out of sight and the Undo button's focus ring was cut, so the text breaks anywhere and nothing is clipped. */}
      <Notification
        withBorder
        onClose={onDone}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        w={380}
        maw="calc(100vw - 40px)"
        styles={{ body: { overflow: 'visible' }, description: { overflow: 'visible' } }}
        data-testid="undo-notification"
        role="status"
      >
        <Group justify="space-between" wrap="nowrap" gap="sm" align="center">
          <Text size="sm" style={{ minWidth: 0, flex: 1, overflowWrap: 'anywhere' }} data-testid="undo-text">
            {t('search.saved.deleted', { name: deleted.name })}
          </Text>
          <Button
            size="compact-sm"
            variant="light"
            style={{ flexShrink: 0 }}
            loading={restore.isPending}
            onClick={() => restore.mutate({ id: deleted.id, undoToken: deleted.undoToken }, { onSuccess: onDone })}
          >
            {t('search.saved.undo')}
          </Button>
        </Group>
        {restore.error ? (
          <Text size="xs" c="red" mt={4} role="alert">
            {describeError(restore.error, t, i18n.language)}
          </Text>
        ) : null}
      </Notification>
    </Affix>
  );
}
