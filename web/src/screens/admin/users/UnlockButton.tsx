import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUnlockUser } from '../../../api/directory.ts';
import { describeError } from '../../../components/errors.ts';

export function UnlockButton({ userId, onUnlocked }: { userId: string; onUnlocked?: () => void }) {
  const { t, i18n } = useTranslation();
  const unlock = useUnlockUser();
  return (
    <Group gap={6} wrap="nowrap">
      <Button
        size="compact-xs"
        variant="light"
        color="orange"
        loading={unlock.isPending}
        disabled={unlock.isSuccess}
        onClick={() => unlock.mutate(userId, { onSuccess: onUnlocked })}
      >
        {unlock.isSuccess ? t('users.unlocked') : t('users.unlock')}
      </Button>
      {unlock.error ? (
        <Text size="xs" c="red" role="alert">
          {describeError(unlock.error, t, i18n.language)}
        </Text>
      ) : null}
    </Group>
  );
}
