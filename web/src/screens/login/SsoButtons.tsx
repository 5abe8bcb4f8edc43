// The sign-in page's single sign-on part: one button per identity provider of the organisation (the only one on the
// server, or the one named in the organisation field), and the reason when a sign-in came back refused.
import { Alert, Button, Divider, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { useTranslation } from 'react-i18next';
import type * as S from '../../../../src/auth/sso/schemas.ts';
import { api } from '../../api/client.ts';

type Options = Static<typeof S.SsoOptions>;

const KNOWN = ['SSO_STATE', 'SSO_NO_ACCOUNT', 'ACCOUNT_DISABLED', 'SSO_EMAIL_UNVERIFIED', 'SSO_UNREACHABLE'];

export function useSsoOptions(tenant: string) {
  return useQuery({
    queryKey: ['sso-options', tenant],
    queryFn: () => api.get<Options>('/api/auth/sso/options', { tenant }),
    staleTime: 60_000,
    retry: 0,
  });
}

export function SsoError({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return (
    <Alert color="red" title={t('login.ssoError.title')} data-testid="sso-error">
      {t(`login.ssoError.${KNOWN.includes(reason) ? reason : 'generic'}`)}
    </Alert>
  );
}

export function SsoButtons({ options, returnTo }: { options: Options | undefined; returnTo: string }) {
  const { t } = useTranslation();
  if (!options?.providers.length) return null;
  return (
    <Stack gap="xs">
      {options.providers.map((p) => (
        <Button
          key={p.id}
          component="a"
          variant="default"
          fullWidth
          href={`/api/auth/sso/${encodeURIComponent(p.id)}/start?returnTo=${encodeURIComponent(returnTo)}`}
          data-testid="sso-button"
        >
          {t('login.ssoWith', { name: p.name })}
        </Button>
      ))}
      {options.passwordLogin ? (
        <Divider label={t('login.ssoOr')} labelPosition="center" />
      ) : (
        <Text size="sm" c="dimmed">
          {t('login.passwordsOff')}
        </Text>
      )}
    </Stack>
  );
}
