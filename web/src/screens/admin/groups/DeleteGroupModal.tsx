import { useTranslation } from 'react-i18next';
import { useDeleteGroup } from '../../../api/directory.ts';
import type { Group } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';

export function DeleteGroupModal({ group, onClose }: { group: Group; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteGroup();
  return (
    <ConfirmModal
      opened
      title={t('groups.deleteTitle')}
      message={t('groups.deleteConfirm', { name: group.name })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(group.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
