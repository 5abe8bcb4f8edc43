import { AppShell, Badge, Burger, Group, NavLink, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { IconLogo } from '../../components/icons.tsx';
import { useCurrentUser } from './currentUser.tsx';
import { navItemsFor } from './navItems.tsx';
import { UserMenu } from './UserMenu.tsx';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg" bg="gray.0">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNav')} />
            <UnstyledButton component={Link} to="/" aria-label={t('shell.home')}>
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size={30} radius="md" variant="filled">
                  <IconLogo size={20} stroke={2.2} />
                </ThemeIcon>
                <Text fw={700} size="lg">
                  Earshot
                </Text>
              </Group>
            </UnstyledButton>
            <Text c="dimmed" size="sm" visibleFrom="sm" ml="xs">
              {me.tenantName}
            </Text>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('shell.mainNav')}>
        {navItemsFor(me).map(({ to, labelKey, Icon, comingSoon }) => (
          <NavLink
            key={to}
            component={Link}
            to={to}
            label={t(labelKey)}
            leftSection={<Icon size={18} />}
            rightSection={
              comingSoon ? (
                <Badge size="xs" variant="light" color="gray" title={t('shell.comingSoonHint')}>
                  {t('shell.comingSoonBadge')}
                </Badge>
              ) : undefined
            }
            active={pathname === to || pathname.startsWith(`${to}/`)}
            onClick={close}
            variant="light"
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
            mb={2}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
