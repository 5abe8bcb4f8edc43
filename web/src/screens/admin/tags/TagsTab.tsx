// Custom tags (data = false) or data tags (data = true): the list with how many conversations carry each, and create,
// edit, archive/restore and delete. Flag and Comment are presets: renamed and recoloured, never deleted.
import { Badge, Button, ColorInput, Group, Modal, Paper, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteTag, useSaveTag, useTags, type TagWithUsage } from '../../../api/tags.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { ArchivedBadge, FormButtons, isColor, RowActions, Swatch, SWATCHES } from './shared.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; tag: TagWithUsage } | null;

export function TagsTab({ data }: { data: boolean }) {
  const { t } = useTranslation();
  const tags = useTags();
  const save = useSaveTag();
  const del = useDeleteTag();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    del.reset();
    setDialog(null);
  };
  const items = (tags.data?.items ?? []).filter((x) => (x.dataKey !== null) === data);
  const label = data ? 'tagsAdmin.data' : 'tagsAdmin.tags';

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t(`${label}.description`)}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
          {t(`${label}.create`)}
        </Button>
      </Group>
      <ErrorAlert error={tags.error ?? save.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t(`tagsAdmin.tabs.${data ? 'data' : 'tags'}`)}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tagsAdmin.fields.name')}</Table.Th>
              {data && <Table.Th>{t('tagsAdmin.fields.pair')}</Table.Th>}
              <Table.Th>{t('tagsAdmin.fields.commentRequired')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fields.conversations')}</Table.Th>
              <Table.Th w={130} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((tag) => (
              <Table.Tr key={tag.id} data-testid="tag-row" data-archived={tag.archived || undefined} opacity={tag.archived ? 0.65 : 1}>
                <Table.Td fw={500}>
                  <Group gap={8} wrap="nowrap">
                    <Swatch color={tag.color} />
                    {tag.name}
                    {tag.preset && (
                      <Badge size="sm" variant="outline" color="gray">
                        {t('tagsAdmin.preset')}
                      </Badge>
                    )}
                    {tag.protects && (
                      <Badge size="sm" variant="light" color="red" data-testid="tag-protects">
                        {t('deletion.tagProtects')}
                      </Badge>
                    )}
                    {tag.archived && <ArchivedBadge />}
                  </Group>
                </Table.Td>
                {data && (
                  <Table.Td ff="monospace" fz="sm">
                    {tag.dataKey} = {tag.dataValue}
                  </Table.Td>
                )}
                <Table.Td>{tag.commentRequired ? t('tagsAdmin.yes') : '—'}</Table.Td>
                <Table.Td>{tag.conversations}</Table.Td>
                <Table.Td>
                  <RowActions
                    name={tag.name}
                    archived={tag.archived}
                    busy={save.isPending && save.variables?.id === tag.id}
                    onEdit={() => setDialog({ kind: 'edit', tag })}
                    onArchive={() => save.mutate({ id: tag.id, input: { archived: !tag.archived } })}
                    onDelete={tag.preset ? undefined : () => setDialog({ kind: 'delete', tag })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
            {!tags.isPending && items.length === 0 && <EmptyRow colSpan={data ? 5 : 4}>{t(`${label}.empty`)}</EmptyRow>}
          </Table.Tbody>
        </Table>
      </Paper>
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <TagFormModal data={data} tag={dialog.kind === 'edit' ? dialog.tag : null} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          opened
          title={t('tagsAdmin.deleteTitle')}
          message={t('tagsAdmin.deleteConfirm', { name: dialog.tag.name, n: dialog.tag.conversations })}
          confirmLabel={t('common.delete')}
          loading={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(dialog.tag.id, { onSuccess: close })}
          onClose={close}
        />
      )}
    </Stack>
  );
}

function TagFormModal({ data, tag, onClose }: { data: boolean; tag: TagWithUsage | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveTag();
  const [name, setName] = useState(tag?.name ?? '');
  const [color, setColor] = useState(tag?.color ?? '#1c7ed6');
  const [commentRequired, setCommentRequired] = useState(tag?.commentRequired ?? false);
  // Protection keeps conversations from deletion (issue 12): a data life cycle decision, offered to those who make it.
  const mayProtect = can(useCurrentUser(), 'lifecycle.manage', 'legal_holds.manage');
  const [protects, setProtects] = useState(tag?.protects ?? false);
  const [dataKey, setDataKey] = useState(tag?.dataKey ?? '');
  const [dataValue, setDataValue] = useState(tag?.dataValue ?? '');
  const [submitted, setSubmitted] = useState(false);
  const keyOk = /^[A-Za-z0-9_.:-]{1,100}$/.test(dataKey.trim());
  const pairLocked = !!tag && tag.conversations > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || !isColor(color) || (data && (!keyOk || !dataValue.trim()))) return;
    const pair = data && !pairLocked ? { dataKey: dataKey.trim(), dataValue: dataValue.trim() } : {};
    const protection = mayProtect && protects !== (tag?.protects ?? false) ? { protects } : {};
    const input = { name: name.trim(), color, ...(tag?.preset ? {} : { commentRequired }), ...pair, ...protection };
    save.mutate(tag ? { id: tag.id, input } : { input }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={tag ? t('tagsAdmin.editTitle', { name: tag.name }) : t(`tagsAdmin.${data ? 'data' : 'tags'}.create`)}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('tagsAdmin.fields.name')}
            required
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.currentTarget.value)}
            error={submitted && !name.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <ColorInput label={t('tagsAdmin.fields.color')} value={color} onChange={setColor} format="hex" swatches={SWATCHES} required />
          {data && (
            <Group grow align="flex-start">
              <TextInput
                label={t('tagsAdmin.fields.key')}
                description={t('tagsAdmin.fields.keyHint')}
                required
                value={dataKey}
                maxLength={100}
                onChange={(e) => setDataKey(e.currentTarget.value)}
                disabled={pairLocked}
                error={submitted && !keyOk ? t('tagsAdmin.fields.keyInvalid') : undefined}
                ff="monospace"
              />
              <TextInput
                label={t('tagsAdmin.fields.value')}
                required
                value={dataValue}
                maxLength={2000}
                onChange={(e) => setDataValue(e.currentTarget.value)}
                disabled={pairLocked}
                error={submitted && !dataValue.trim() ? t('validation.required') : undefined}
              />
            </Group>
          )}
          {pairLocked && data && (
            <Text size="xs" c="dimmed">
              {t('tagsAdmin.fields.pairLocked', { n: tag!.conversations })}
            </Text>
          )}
          <Switch
            label={t('tagsAdmin.fields.commentRequired')}
            description={t('tagsAdmin.fields.commentRequiredHint')}
            checked={commentRequired}
            onChange={(e) => setCommentRequired(e.currentTarget.checked)}
            disabled={!!tag?.preset}
          />
          {mayProtect && (
            <Switch
              label={t('deletion.tagProtects')}
              description={t('deletion.tagProtectsHint')}
              checked={protects}
              onChange={(e) => setProtects(e.currentTarget.checked)}
              data-testid="tag-protects-switch"
            />
          )}
          <ErrorAlert error={save.error} />
          <FormButtons editing={!!tag} saving={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
