import { Anchor, Badge, Button, Center, Collapse, Group, Paper, PasswordInput, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useLogin, useMe, usePublicConfig } from '../../api/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isTenantRequired } from '../../components/errors.ts';
import { IconLogo } from '../../components/icons.tsx';
import { applyLanguage, LANGUAGES } from '../../i18n/index.ts';
import { SsoButtons, SsoError, useSsoOptions } from './SsoButtons.tsx';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const config = usePublicConfig();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const [showTenant, setShowTenant] = useState(false);
  // Single sign-on: the providers of the organisation typed below (or of the server's only one), and a refused
  // sign-in's reason, which the server's redirect puts in ?sso_error=.
  const sso = useSsoOptions(tenant.trim());
  const ssoError = new URLSearchParams(location.search).get('sso_error');
  // Until someone signs in, the page follows the browser (i18n/index.ts). A language picked here is sent with the
  // sign-in and becomes the profile's; untouched, the user's own language (or their group's or organisation's) wins.
  const [picked, setPicked] = useState<string | null>(null);
  const pickLanguage = (lang: string) => {
    setPicked(lang);
    applyLanguage(lang);
  };

  if (me.data) return <Navigate to={from} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email: email.trim(), password, ...(tenant.trim() ? { tenant: tenant.trim() } : {}), ...(picked ? { language: picked } : {}) },
      {
        onSuccess: ({ user }) => {
          applyLanguage(user.language);
          navigate(from, { replace: true });
        },
        onError: (err) => {
          if (isTenantRequired(err)) setShowTenant(true);
        },
      },
    );
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w="100%" maw={400} gap="lg">
        <Group justify="center" gap="sm">
          <ThemeIcon size={40} radius="md">
            <IconLogo size={26} stroke={2.2} />
          </ThemeIcon>
          <Title order={1} size="h2">
            Earshot
          </Title>
          {config.data?.demo && <Badge variant="light">{t('login.demo')}</Badge>}
        </Group>
        <Paper withBorder shadow="sm" radius="md" p="xl">
          <form onSubmit={submit} noValidate aria-label={t('login.title')}>
            <Stack>
              <Stack gap={4}>
                <Title order={2} size="h3">
                  {t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('login.subtitle')}
                </Text>
              </Stack>
              <SsoError reason={ssoError} />
              <SsoButtons options={sso.data} returnTo={from} />
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                required
                data-autofocus
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                required
              />
              <div>
                <Anchor component="button" type="button" size="sm" onClick={() => setShowTenant((v) => !v)}>
                  {showTenant ? t('login.hideOrganisation') : t('login.showOrganisation')}
                </Anchor>
                <Collapse expanded={showTenant}>
                  <TextInput
                    mt="xs"
                    label={t('login.organisation')}
                    description={t('login.organisationHint')}
                    value={tenant}
                    onChange={(e) => setTenant(e.currentTarget.value)}
                    autoComplete="organization"
                  />
                </Collapse>
              </div>
              <ErrorAlert error={login.error} />
              <Button type="submit" fullWidth loading={login.isPending} disabled={!email.trim() || !password}>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
        <Group justify="space-between">
          {/* Seven languages, each in its own words: a row of small buttons that wraps (a segmented control no longer fits). */}
          <Group gap={4} role="group" aria-label={t('shell.language')} maw={300}>
            {LANGUAGES.map((l) => (
              <Button
                key={l.value}
                size="compact-xs"
                variant={i18n.language === l.value ? 'light' : 'subtle'}
                aria-pressed={i18n.language === l.value}
                lang={l.value}
                onClick={() => pickLanguage(l.value)}
              >
                {l.label}
              </Button>
            ))}
          </Group>
          {config.data?.version && (
            <Text size="xs" c="dimmed">
              {t('login.version', { version: config.data.version })}
            </Text>
          )}
        </Group>
      </Stack>
    </Center>
  );
}
