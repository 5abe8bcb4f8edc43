// Pieces the tabs of Administration → Tags share: the colour swatch, the archived badge, row actions, form buttons.
import { ActionIcon, Badge, Box, Button, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconArchive, IconEdit, IconReset, IconTrash } from '../../../components/icons.tsx';

export const SWATCHES = ['#e03131', '#e8590c', '#f59f00', '#2f9e44', '#1098ad', '#1c7ed6', '#7048e8', '#d6336c', '#868e96'];
export const isColor = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c);

export function Swatch({ color }: { color: string }) {
  return <Box w={12} h={12} style={{ borderRadius: 3, background: color, flexShrink: 0 }} aria-hidden />;
}

export function ArchivedBadge() {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color="gray" data-testid="archived-badge">
      {t('tagsAdmin.archived')}
    </Badge>
  );
}

/** Edit, archive or restore, and delete (when given) for one row. */
export function RowActions({
  name,
  archived,
  onEdit,
  onArchive,
  onDelete,
  busy,
}: {
  name: string;
  archived?: boolean;
  onEdit: () => void;
  onArchive?: () => void;
  onDelete?: () => void;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <Tooltip label={t('common.edit')}>
        <ActionIcon variant="subtle" onClick={onEdit} aria-label={t('tagsAdmin.editNamed', { name })}>
          <IconEdit size={16} />
        </ActionIcon>
      </Tooltip>
      {onArchive && (
        <Tooltip label={archived ? t('tagsAdmin.restore') : t('tagsAdmin.archive')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onArchive}
            loading={busy}
            aria-label={archived ? t('tagsAdmin.restoreNamed', { name }) : t('tagsAdmin.archiveNamed', { name })}
          >
            {archived ? <IconReset size={16} /> : <IconArchive size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
      {onDelete && (
        <Tooltip label={t('common.delete')}>
          <ActionIcon variant="subtle" color="red" onClick={onDelete} aria-label={t('tagsAdmin.deleteNamed', { name })}>
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

/** Cancel and submit at the foot of a tab's create/edit form: Save for an existing item, Create for a new one. */
export function FormButtons({ editing, saving, onCancel }: { editing: boolean; saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={saving}>
        {editing ? t('common.save') : t('tagsAdmin.submitCreate')}
      </Button>
    </Group>
  );
}
