import { ActionIcon, Button, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteSite, useSites } from '../../../api/directory.ts';
import type { Site } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconEdit, IconPlus, IconTrash } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { SiteFormModal } from './SiteFormModal.tsx';
import { utcOffset } from './timeZones.ts';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; site: Site } | null;

export function SitesPage() {
  const { t } = useTranslation();
  const sites = useSites();
  const del = useDeleteSite();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    del.reset();
    setDialog(null);
  };
  const items = sites.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('sites.title')}
        description={t('sites.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
            {t('sites.create')}
          </Button>
        }
      />
      <ErrorAlert error={sites.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('sites.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sites.fields.name')}</Table.Th>
              <Table.Th>{t('sites.fields.timeZone')}</Table.Th>
              <Table.Th>{t('sites.fields.offset')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td fw={500}>{s.name}</Table.Td>
                <Table.Td>{s.timeZone}</Table.Td>
                <Table.Td>{utcOffset(s.timeZone)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('common.edit')}>
                      <ActionIcon variant="subtle" onClick={() => setDialog({ kind: 'edit', site: s })} aria-label={t('sites.editNamed', { name: s.name })}>
                        <IconEdit size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('common.delete')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setDialog({ kind: 'delete', site: s })}
                        aria-label={t('sites.deleteNamed', { name: s.name })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            {!sites.isPending && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text c="dimmed" ta="center" py="lg" size="sm">
                    {t('sites.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <SiteFormModal site={dialog.kind === 'edit' ? dialog.site : null} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          opened
          title={t('sites.deleteTitle')}
          message={t('sites.deleteConfirm', { name: dialog.site.name })}
          confirmLabel={t('common.delete')}
          loading={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(dialog.site.id, { onSuccess: close })}
          onClose={close}
        />
      )}
    </>
  );
}
