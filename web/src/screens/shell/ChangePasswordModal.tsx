import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../../api/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCurrentUser } from './currentUser.tsx';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  // The organisation's policy (Administration → Settings); the server checks it again.
  const minLength = useCurrentUser().passwordMinLength;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const tooShort = next.length < minLength;
  const mismatch = next !== confirm;

  const close = () => {
    setCurrent('');
    setNext('');
    setConfirm('');
    setSubmitted(false);
    change.reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!current || tooShort || mismatch) return;
    change.mutate({ currentPassword: current, newPassword: next });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('password.title')}>
      {change.isSuccess ? (
        <Stack>
          <Alert color="green" variant="light">
            {t('password.changed')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('password.revokesTokens')}
            </Text>
            <PasswordInput
              label={t('password.current')}
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              autoComplete="current-password"
              error={submitted && !current ? t('validation.required') : undefined}
              data-autofocus
            />
            <PasswordInput
              label={t('password.new')}
              description={t('password.rule', { min: minLength })}
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
              autoComplete="new-password"
              error={submitted && tooShort ? t('validation.minLength', { min: minLength }) : undefined}
            />
            <PasswordInput
              label={t('password.confirm')}
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              autoComplete="new-password"
              error={submitted && mismatch ? t('password.mismatch') : undefined}
            />
            <ErrorAlert error={change.error} overrides={{ INVALID_CREDENTIALS: t('password.wrongCurrent') }} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={change.isPending}>
                {t('password.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
