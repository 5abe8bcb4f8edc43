import { ActionIcon, Badge, Group, Menu, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../api/types.ts';
import { IconDots, IconEdit, IconKey, IconTrash } from '../../../components/icons.tsx';
import { formatDateTime } from '../../../format.ts';
import { useDirectoryNames } from './useDirectoryNames.ts';
import { UserStatus } from './UserStatus.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';
import { useCurrentUser } from '../../shell/currentUser.tsx';

interface Props {
  users: User[];
  loading: boolean;
  onEdit: (u: User) => void;
  onResetPassword: (u: User) => void;
  onDelete: (u: User) => void;
}

export function UsersTable({ users, loading, onEdit, onResetPassword, onDelete }: Props) {
  const { t, i18n } = useTranslation();
  const names = useDirectoryNames();
  const me = useCurrentUser();

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label={t('users.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.fields.name')}</Table.Th>
            <Table.Th>{t('users.fields.roles')}</Table.Th>
            <Table.Th>{t('users.fields.group')}</Table.Th>
            <Table.Th>{t('users.fields.site')}</Table.Th>
            <Table.Th>{t('users.fields.status')}</Table.Th>
            <Table.Th>{t('users.fields.lastLogin')}</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id} data-testid={`user-row-${u.email}`}>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm" fw={500}>
                    {u.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {u.email}
                    {u.extension ? ` · ${t('users.ext', { extension: u.extension })}` : ''}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {u.roles.map((r) => (
                    <Badge key={r.id} variant="outline" size="sm" tt="none" styles={{ label: { overflow: 'visible' } }}>
                      {r.name}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{u.groupId ? (names.group.get(u.groupId) ?? '—') : '—'}</Table.Td>
              <Table.Td>{u.siteId ? (names.site.get(u.siteId) ?? '—') : '—'}</Table.Td>
              <Table.Td>
                <UserStatus user={u} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : t('users.neverLoggedIn')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={t('users.actionsFor', { name: u.name })}>
                      <IconDots />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconEdit size={16} />} onClick={() => onEdit(u)}>
                      {t('common.edit')}
                    </Menu.Item>
                    {/* One's own password changes from the user menu, with the current one (the server refuses it here). */}
                    {u.id !== me.id && (
                      <Menu.Item leftSection={<IconKey size={16} />} onClick={() => onResetPassword(u)}>
                        {t('users.resetPassword')}
                      </Menu.Item>
                    )}
                    <Menu.Divider />
                    <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDelete(u)}>
                      {t('common.delete')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Table.Td>
            </Table.Tr>
          ))}
          {!loading && users.length === 0 && <EmptyRow colSpan={7}>{t('users.empty')}</EmptyRow>}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
