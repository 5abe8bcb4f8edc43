// The bar over the list while rows are ticked: how many, the bulk actions (file the selection under a category or
// take it out of one, all or nothing on the server) and Clear. Categories need tags.apply; archived ones are not
// offered for new assignments but can still be removed.
import { Button, Group, Menu, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BULK_CATEGORIES_MAX, useBulkCategories, useCategories } from '../../api/categories.ts';
import { describeError } from '../../components/errors.ts';
import { IconChevronDown, IconClose } from '../../components/icons.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { ColorDot } from './parts.tsx';
import { AnonymizeDialog, canAnonymize } from './anonymize/AnonymizeDialog.tsx';
import { VconExportDialog } from './vcon/VconExportDialog.tsx';
import { canDelete, DeleteDialog } from './delete/DeleteDialog.tsx';

/** What one delete request takes (src/compliance/deletion/schemas.ts MAX_DELETE_IDS). */
const DELETE_MAX = 1_000;

export function SelectionBar({ ids, onClear }: { ids: string[]; onClear: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const mayFile = can(me, 'tags.apply');
  const categories = useCategories(mayFile);
  const bulk = useBulkCategories();
  const [done, setDone] = useState<string | null>(null);
  const [anonymizing, setAnonymizing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const tooMany = ids.length > BULK_CATEGORIES_MAX;
  const items = categories.data?.items ?? [];
  const run = (change: { add?: string[]; remove?: string[] }, name: string) => {
    setDone(null);
    bulk.mutate(
      { conversationIds: ids, ...change },
      {
        onSuccess: (r) =>
          setDone(t(change.add ? 'conversations.selection.filed' : 'conversations.selection.unfiled', { n: r.changed, name, unchanged: r.unchanged })),
      },
    );
  };
  return (
    <Group
      px="md"
      py={6}
      gap="sm"
      wrap="wrap"
      bg="var(--mantine-color-blue-light)"
      style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      data-testid="selection-bar"
      role="region"
      aria-label={t('conversations.selection.title')}
    >
      <Text size="sm" fw={600} data-testid="selection-count">
        {t('conversations.selection.count', { n: ids.length })}
      </Text>
      {mayFile && (
        <Menu position="bottom-start" shadow="md" withinPortal>
          <Menu.Target>
            <Button
              size="compact-sm"
              variant="default"
              rightSection={<IconChevronDown size={14} />}
              loading={bulk.isPending}
              disabled={tooMany}
              data-testid="selection-categories"
            >
              {t('conversations.selection.categories')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown data-testid="selection-categories-menu">
            <Menu.Label>{t('conversations.selection.fileUnder')}</Menu.Label>
            {items.filter((c) => !c.archived).length === 0 && <Menu.Item disabled>{t('conversations.categories.noneDefined')}</Menu.Item>}
            {items
              .filter((c) => !c.archived)
              .map((c) => (
                <Menu.Item key={c.id} leftSection={<ColorDot color={c.color} />} onClick={() => run({ add: [c.id] }, c.name)} data-category={c.id}>
                  {c.name}
                </Menu.Item>
              ))}
            {items.length > 0 && (
              <>
                <Menu.Divider />
                <Menu.Label>{t('conversations.selection.takeOutOf')}</Menu.Label>
                {items.map((c) => (
                  <Menu.Item key={c.id} leftSection={<ColorDot color={c.color} />} onClick={() => run({ remove: [c.id] }, c.name)} data-remove-category={c.id}>
                    {c.archived ? t('conversations.categories.archivedName', { name: c.name }) : c.name}
                  </Menu.Item>
                ))}
              </>
            )}
          </Menu.Dropdown>
        </Menu>
      )}
      {can(me, 'conversations.export') && (
        <Button size="compact-sm" variant="default" onClick={() => setExporting(true)} disabled={ids.length > 1000} data-testid="selection-vcon">
          {t('vconExports.action')}
        </Button>
      )}
      {exporting && <VconExportDialog selection={{ conversationIds: ids }} onClose={() => setExporting(false)} />}
      {canAnonymize(me) && (
        <Button size="compact-sm" variant="default" color="red" onClick={() => setAnonymizing(true)} data-testid="selection-anonymize">
          {t('compliance.anonymize.action')}
        </Button>
      )}
      {anonymizing && <AnonymizeDialog selection={{ conversationIds: ids }} single={ids.length === 1} onClose={() => setAnonymizing(false)} />}
      {canDelete(me) && (
        <Button
          size="compact-sm"
          variant="default"
          color="red"
          onClick={() => setDeleting(true)}
          disabled={ids.length > DELETE_MAX}
          data-testid="selection-delete"
        >
          {t('deletion.action')}
        </Button>
      )}
      {/* Media only skips the chats and e-mails of a mixed selection (they have no media). */}
      {deleting && <DeleteDialog conversationIds={ids} withMedia onClose={() => setDeleting(false)} onDeleted={() => onClear()} />}
      <Button size="compact-sm" variant="subtle" leftSection={<IconClose size={14} />} onClick={onClear} data-testid="selection-clear">
        {t('conversations.selection.clear')}
      </Button>
      {tooMany && (
        <Text size="xs" c="red">
          {t('conversations.selection.tooMany', { max: BULK_CATEGORIES_MAX })}
        </Text>
      )}
      {bulk.error ? (
        <Text size="xs" c="red" role="alert">
          {describeError(bulk.error, t, i18n.language)}
        </Text>
      ) : done ? (
        <Text size="xs" c="dimmed" role="status" data-testid="selection-done">
          {done}
        </Text>
      ) : null}
    </Group>
  );
}
