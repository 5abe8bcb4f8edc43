import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useLogout, useUpdateMe } from '../../api/session.ts';
import { IconBell, IconChevronDown, IconClock, IconKey, IconLanguage, IconLock, IconLogout } from '../../components/icons.tsx';
import { browserTimeZone, type TimeDisplay } from '../../format.ts';
import { applyLanguage, LANGUAGES, languageLabel } from '../../i18n/index.ts';
import { ApiTokensModal } from './ApiTokensModal.tsx';
import { ChangePasswordModal } from './ChangePasswordModal.tsx';
import { useCurrentUser } from './currentUser.tsx';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');

export function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const logout = useLogout();
  const updateMe = useUpdateMe();
  const [passwordOpen, password] = useDisclosure();
  const [tokensOpen, tokens] = useDisclosure();

  // "Default" gives up the user's own choice: they read their group's language, else the organisation's.
  const DEFAULT = 'default';
  const switchLanguage = (value: string) => {
    const previous = i18n.language;
    const own = value === DEFAULT ? null : value;
    applyLanguage(own ?? me.defaultLanguage);
    updateMe.mutate({ language: own }, { onError: () => applyLanguage(previous) });
  };
  const switchTimes = (value: string) => updateMe.mutate({ timeDisplay: value as TimeDisplay });

  const signOut = () => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });

  return (
    <>
      <Menu position="bottom-end" width={240} withArrow shadow="md">
        <Menu.Target>
          <UnstyledButton aria-label={t('shell.userMenu')} data-testid="user-menu">
            <Group gap={8} wrap="nowrap">
              <Avatar color="blue" radius="xl" size={32}>
                {initials(me.name)}
              </Avatar>
              <Text size="sm" fw={500} visibleFrom="xs">
                {me.name}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
              {me.name}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {me.email}
            </Text>
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item leftSection={<IconLock size={16} />} onClick={password.open}>
            {t('shell.changePassword')}
          </Menu.Item>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={tokens.open}>
            {t('shell.apiTokens')}
          </Menu.Item>
          <Menu.Item leftSection={<IconBell size={16} />} onClick={() => navigate('/profile/notifications')} data-testid="menu-notifications">
            {t('shell.notifications')}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Label>
            <Group gap={6}>
              <IconLanguage size={14} />
              {t('shell.language')}
            </Group>
          </Menu.Label>
          <Menu.RadioGroup value={me.ownLanguage ?? DEFAULT} onChange={switchLanguage}>
            <Menu.RadioItem value={DEFAULT} data-testid="language-default">
              {t('shell.languageDefault', { language: languageLabel(me.defaultLanguage) })}
            </Menu.RadioItem>
            {LANGUAGES.map((l) => (
              <Menu.RadioItem key={l.value} value={l.value} lang={l.value}>
                {l.label}
              </Menu.RadioItem>
            ))}
          </Menu.RadioGroup>
          <Menu.Divider />
          <Menu.Label>
            <Group gap={6}>
              <IconClock size={14} />
              {t('shell.times')}
            </Group>
          </Menu.Label>
          <Menu.RadioGroup value={me.timeDisplay} onChange={switchTimes}>
            <Menu.RadioItem value="site" data-testid="times-site">
              {t('shell.timesSite')}
            </Menu.RadioItem>
            <Menu.RadioItem value="mine" data-testid="times-mine">
              {t('shell.timesMine', { zone: browserTimeZone() })}
            </Menu.RadioItem>
          </Menu.RadioGroup>
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={signOut}>
            {t('shell.logout')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={passwordOpen} onClose={password.close} />
      <ApiTokensModal opened={tokensOpen} onClose={tokens.close} />
    </>
  );
}
