import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteRole, useRoles } from '../../../api/directory.ts';
import type { Role } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconEdit, IconPlus, IconSearch, IconTrash } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { RoleEditorModal } from './RoleEditorModal.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; role: Role } | null;

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const del = useDeleteRole();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    del.reset();
    setDialog(null);
  };
  const items = [...(roles.data?.items ?? [])].sort((a, b) => Number(!!b.builtinKey) - Number(!!a.builtinKey) || a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
            {t('roles.create')}
          </Button>
        }
      />
      <ErrorAlert error={roles.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('roles.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('roles.fields.name')}</Table.Th>
              <Table.Th>{t('roles.fields.type')}</Table.Th>
              <Table.Th>{t('roles.fields.permissions')}</Table.Th>
              <Table.Th>{t('roles.fields.users')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id} data-testid={`role-row-${r.name}`}>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm" fw={500}>
                      {r.name}
                    </Text>
                    {r.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {r.description}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {r.builtinKey ? (
                    <Badge variant="light" color="gray">
                      {t('roles.builtin')}
                    </Badge>
                  ) : (
                    <Badge variant="light">{t('roles.custom')}</Badge>
                  )}
                </Table.Td>
                <Table.Td>{r.permissions.length}</Table.Td>
                <Table.Td>{r.userCount}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={r.builtinKey ? t('roles.view') : t('common.edit')}>
                      <ActionIcon variant="subtle" onClick={() => setDialog({ kind: 'edit', role: r })} aria-label={t('roles.openNamed', { name: r.name })}>
                        {r.builtinKey ? <IconSearch size={16} /> : <IconEdit size={16} />}
                      </ActionIcon>
                    </Tooltip>
                    {!r.builtinKey && (
                      <Tooltip label={t('common.delete')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => setDialog({ kind: 'delete', role: r })}
                          aria-label={t('roles.deleteNamed', { name: r.name })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <RoleEditorModal role={dialog.kind === 'edit' ? dialog.role : null} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          opened
          title={t('roles.deleteTitle')}
          message={t('roles.deleteConfirm', { name: dialog.role.name })}
          confirmLabel={t('common.delete')}
          loading={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(dialog.role.id, { onSuccess: close })}
          onClose={close}
        />
      )}
    </>
  );
}
