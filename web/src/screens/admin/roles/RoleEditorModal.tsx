import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissionCatalogue, useSaveRole } from '../../../api/directory.ts';
import type { Role } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PermissionPicker } from './PermissionPicker.tsx';

/** Create a custom role (role = null), edit one, or view a built-in role read-only. */
export function RoleEditorModal({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t } = useTranslation();
  const catalogue = usePermissionCatalogue();
  const save = useSaveRole();
  const readOnly = !!role?.builtinKey;
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<string[]>(role?.permissions ?? []);
  const [submitted, setSubmitted] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (readOnly || !name.trim()) return;
    save.mutate({ id: role?.id, input: { name: name.trim(), description: description.trim(), permissions } }, { onSuccess: onClose });
  };

  const title = role ? (readOnly ? role.name : t('roles.editTitle', { name: role.name })) : t('roles.createTitle');

  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          {readOnly && (
            <Alert variant="light" color="gray">
              {t('roles.builtinReadOnly')}
            </Alert>
          )}
          <TextInput
            label={t('roles.fields.name')}
            required
            readOnly={readOnly}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={submitted && !name.trim() ? t('validation.required') : undefined}
            data-autofocus
          />
          <Textarea
            label={t('roles.fields.description')}
            readOnly={readOnly}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group justify="space-between">
            <Text fw={600} size="sm">
              {t('roles.fields.permissions')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('roles.selectedCount', { selected: permissions.length, total: catalogue.data?.items.length ?? 0 })}
            </Text>
          </Group>
          <ErrorAlert error={catalogue.error} />
          <PermissionPicker catalogue={catalogue.data?.items ?? []} value={permissions} onChange={setPermissions} readOnly={readOnly} />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {readOnly ? t('common.close') : t('common.cancel')}
            </Button>
            {!readOnly && (
              <Button type="submit" loading={save.isPending}>
                {role ? t('common.save') : t('roles.submitCreate')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
