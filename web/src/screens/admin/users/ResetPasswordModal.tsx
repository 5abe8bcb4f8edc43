import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useResetPassword } from '../../../api/directory.ts';
import type { User } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useCurrentUser } from '../../shell/currentUser.tsx';

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  const minLength = useCurrentUser().passwordMinLength;
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const tooShort = password.length < minLength;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!tooShort) reset.mutate({ id: user.id, newPassword: password });
  };

  return (
    <Modal opened onClose={onClose} title={t('users.resetTitle', { name: user.name })}>
      {reset.isSuccess ? (
        <Stack>
          <Alert color="green" variant="light">
            {t('users.resetDone')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('users.resetHint')}
            </Text>
            <PasswordInput
              label={t('password.new')}
              description={t('password.rule', { min: minLength })}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={submitted && tooShort ? t('validation.minLength', { min: minLength }) : undefined}
              data-autofocus
            />
            <ErrorAlert error={reset.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={reset.isPending}>
                {t('users.resetPassword')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
