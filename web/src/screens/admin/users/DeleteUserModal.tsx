import { useTranslation } from 'react-i18next';
import { useDeleteUser } from '../../../api/directory.ts';
import type { User } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';

export function DeleteUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteUser();
  return (
    <ConfirmModal
      opened
      title={t('users.deleteTitle')}
      message={t('users.deleteConfirm', { name: user.name, email: user.email })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(user.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
