// The Settings screen's e-mail section: the organisation's SMTP server (the password is write-only: the server says
// only whether one is stored), "Send a test e-mail" with the server's answer, and the latest e-mails sent.
import { Alert, Badge, Button, Group, NumberInput, Paper, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { useTranslation } from 'react-i18next';
import type * as Notify from '../../../../../src/notify/schemas.ts';
import { api } from '../../../api/client.ts';
import type { Settings } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../format.ts';

type TestResult = Static<typeof Notify.TestEmailResult>;
type OutboxItem = Static<typeof Notify.OutboxItem>;

export const EMAIL_KEYS = ['smtpHost', 'smtpPort', 'smtpSecurity', 'smtpUser', 'smtpPassword', 'smtpFrom', 'smtpPasswordSet'] as const;
const SECURITY = ['starttls', 'tls', 'none'] as const;

/** `dirty`: unsaved changes exist, so the test would not use what is on screen; save first. */
export function EmailSettings({
  form,
  set,
  dirty,
}: {
  form: Settings & { smtpPassword?: string };
  set: (key: string, value: unknown) => void;
  dirty: boolean;
}) {
  const { t, i18n } = useTranslation();
  const test = useMutation({ mutationFn: () => api.post<TestResult>('/api/settings/email/test', {}) });
  const outbox = useQuery({
    queryKey: ['settings', 'email', 'outbox'],
    queryFn: () => api.get<{ items: OutboxItem[] }>('/api/settings/email/outbox?limit=10'),
  });
  return (
    <Paper withBorder radius="md" p="lg" data-testid="email-settings">
      <Stack>
        <Title order={4}>{t('settings.sections.email')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.email.description')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('settings.email.host')}
            description={t('settings.email.hostHint')}
            value={form.smtpHost ?? ''}
            onChange={(e) => set('smtpHost', e.currentTarget.value)}
          />
          <NumberInput
            label={t('settings.email.port')}
            value={form.smtpPort}
            onChange={(v) => typeof v === 'number' && set('smtpPort', v)}
            min={1}
            max={65535}
            allowDecimal={false}
          />
          <Select
            label={t('settings.email.security')}
            data={SECURITY.map((s) => ({ value: s, label: t(`settings.email.securities.${s}`) }))}
            value={form.smtpSecurity}
            onChange={(v) => v && set('smtpSecurity', v)}
            allowDeselect={false}
          />
          <TextInput
            label={t('settings.email.from')}
            description={t('settings.email.fromHint')}
            value={form.smtpFrom ?? ''}
            onChange={(e) => set('smtpFrom', e.currentTarget.value)}
          />
          <TextInput label={t('settings.email.user')} value={form.smtpUser ?? ''} onChange={(e) => set('smtpUser', e.currentTarget.value)} autoComplete="off" />
          <PasswordInput
            label={t('settings.email.password')}
            description={form.smtpPasswordSet ? t('settings.email.passwordSet') : t('settings.email.passwordNotSet')}
            value={form.smtpPassword ?? ''}
            onChange={(e) => set('smtpPassword', e.currentTarget.value || undefined)}
            autoComplete="new-password"
            data-testid="smtp-password"
          />
        </SimpleGrid>
        <Group>
          <Button variant="default" onClick={() => test.mutate()} loading={test.isPending} disabled={dirty || !form.smtpHost} data-testid="send-test-email">
            {t('settings.email.test')}
          </Button>
          {dirty && (
            <Text size="sm" c="dimmed">
              {t('settings.email.saveFirst')}
            </Text>
          )}
        </Group>
        <ErrorAlert error={test.error} />
        {test.data && (
          <Alert color={test.data.delivered ? 'green' : 'red'} variant="light" data-testid="test-email-result">
            {test.data.delivered ? t('settings.email.delivered', { to: test.data.to }) : t('settings.email.failed', { to: test.data.to })} {test.data.message}
          </Alert>
        )}
        {(outbox.data?.items.length ?? 0) > 0 && (
          <>
            <Text size="sm" fw={500}>
              {t('settings.email.outbox')}
            </Text>
            <Table>
              <Table.Tbody>
                {outbox.data!.items.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{formatDateTime(m.createdAt, i18n.language, 'compact')}</Table.Td>
                    <Table.Td>{m.to}</Table.Td>
                    <Table.Td>{m.subject}</Table.Td>
                    <Table.Td>
                      <Badge color={m.status === 'sent' ? 'green' : m.status === 'failed' ? 'red' : 'gray'} variant="light" title={m.lastError ?? undefined}>
                        {t(`settings.email.status.${m.status}`, { defaultValue: m.status })}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Paper>
  );
}
