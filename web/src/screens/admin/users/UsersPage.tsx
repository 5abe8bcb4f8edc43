import { Button, Group, Pagination, Paper, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUsers } from '../../../api/directory.ts';
import type { User } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconPlus, IconSearch } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { DeleteUserModal } from './DeleteUserModal.tsx';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';
import { UserFormModal } from './UserFormModal.tsx';
import { UsersTable } from './UsersTable.tsx';

const PAGE_SIZE = 25;

type Dialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'delete'; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<Dialog>(null);
  const users = useUsers(q, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const total = users.data?.total ?? 0;
  const close = () => setDialog(null);

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
            {t('users.create')}
          </Button>
        }
      />
      <Paper withBorder radius="md">
        <Group p="md" justify="space-between">
          <TextInput
            placeholder={t('users.search')}
            aria-label={t('users.search')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={340}
          />
          <Text size="sm" c="dimmed">
            {t('users.total', { total })}
          </Text>
        </Group>
        <ErrorAlert error={users.error} />
        <UsersTable
          users={users.data?.items ?? []}
          loading={users.isPending}
          onEdit={(user) => setDialog({ kind: 'edit', user })}
          onResetPassword={(user) => setDialog({ kind: 'password', user })}
          onDelete={(user) => setDialog({ kind: 'delete', user })}
        />
        {total > PAGE_SIZE && (
          <Group justify="center" p="md">
            <Pagination total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={setPage} />
          </Group>
        )}
      </Paper>
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <UserFormModal user={dialog.kind === 'edit' ? dialog.user : null} onClose={close} />}
      {dialog?.kind === 'password' && <ResetPasswordModal user={dialog.user} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteUserModal user={dialog.user} onClose={close} />}
    </>
  );
}
