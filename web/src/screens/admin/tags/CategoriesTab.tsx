// Categories: create, rename, recolour, archive and restore. An archived category stays on the conversations filed
// under it and in the "By category" view, but is not offered for new assignments.
import { Button, ColorInput, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCategories, useSaveCategory, type Category } from '../../../api/categories.ts';
import { EmptyRow } from '../../../components/TableStates.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus } from '../../../components/icons.tsx';
import { ArchivedBadge, FormButtons, isColor, RowActions, Swatch, SWATCHES } from './shared.tsx';

export function CategoriesTab() {
  const { t } = useTranslation();
  const categories = useCategories();
  const save = useSaveCategory();
  const [dialog, setDialog] = useState<{ category: Category | null } | null>(null);
  const items = categories.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t('tagsAdmin.categories.description')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ category: null })}>
          {t('tagsAdmin.categories.create')}
        </Button>
      </Group>
      <ErrorAlert error={categories.error ?? save.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('tagsAdmin.tabs.categories')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tagsAdmin.fields.name')}</Table.Th>
              <Table.Th>{t('tagsAdmin.fields.conversations')}</Table.Th>
              <Table.Th w={130} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id} data-testid="category-row" data-archived={c.archived || undefined} opacity={c.archived ? 0.65 : 1}>
                <Table.Td fw={500}>
                  <Group gap={8} wrap="nowrap">
                    <Swatch color={c.color} />
                    {c.name}
                    {c.archived && <ArchivedBadge />}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {/* The "By category" view of the list, over all time: the same conversations as the count. */}
                  <Link to={`/conversations?f=${encodeURIComponent(JSON.stringify({ view: { tagId: c.id }, period: null }))}`} data-testid="category-count">
                    {c.conversations}
                  </Link>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    name={c.name}
                    archived={c.archived}
                    busy={save.isPending && save.variables?.id === c.id}
                    onEdit={() => setDialog({ category: c })}
                    onArchive={() => save.mutate({ id: c.id, input: { archived: !c.archived } })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
            {!categories.isPending && items.length === 0 && <EmptyRow colSpan={3}>{t('tagsAdmin.categories.empty')}</EmptyRow>}
          </Table.Tbody>
        </Table>
      </Paper>
      {dialog && <CategoryFormModal category={dialog.category} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

function CategoryFormModal({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCategory();
  const [name, setName] = useState(category?.name ?? '');
  const [color, setColor] = useState(category?.color ?? '#7048e8');
  const [submitted, setSubmitted] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || !isColor(color)) return;
    const input = { name: name.trim(), color };
    save.mutate(category ? { id: category.id, input } : { input }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={category ? t('tagsAdmin.editTitle', { name: category.name }) : t('tagsAdmin.categories.create')}>
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
          <ErrorAlert error={save.error} />
          <FormButtons editing={!!category} saving={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
