import { Badge, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../api/types.ts';
import { IconLock } from '../../../components/icons.tsx';
import { formatDateTime, formatShortDateTime } from '../../../format.ts';
import { UnlockButton } from './UnlockButton.tsx';

export const isLocked = (u: User) => !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();

const NO_TRUNCATE = { label: { overflow: 'visible' } } as const;

/** Disabled / locked (with an Unlock button) / active. */
export function UserStatus({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  if (isLocked(user)) {
    return (
      <Stack gap={4} align="flex-start">
        <Badge color="orange" variant="light" leftSection={<IconLock size={12} />} styles={NO_TRUNCATE} title={formatDateTime(user.lockedUntil, i18n.language)}>
          {t('users.status.lockedUntil', { time: formatShortDateTime(user.lockedUntil, i18n.language) })}
        </Badge>
        <UnlockButton userId={user.id} />
      </Stack>
    );
  }
  return user.disabled ? (
    <Badge color="gray" variant="light" styles={NO_TRUNCATE}>
      {t('users.status.disabled')}
    </Badge>
  ) : (
    <Badge color="green" variant="light" styles={NO_TRUNCATE}>
      {t('users.status.active')}
    </Badge>
  );
}
