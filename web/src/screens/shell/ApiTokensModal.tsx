import { Button, Code, Group, Modal, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateToken, useRevokeToken, useTokens } from '../../api/session.ts';
import type { ApiToken } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { NewTokenAlert } from './NewTokenAlert.tsx';

export function ApiTokensModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const tokens = useTokens(opened);
  const [created, setCreated] = useState<string | null>(null);

  const close = () => {
    setCreated(null);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('tokens.title')} size="xl">
      <Stack>
        <Text size="sm" c="dimmed">
          {t('tokens.intro')}
        </Text>
        {created && <NewTokenAlert token={created} onDismiss={() => setCreated(null)} />}
        {tokens.data && <CreateTokenForm onCreated={setCreated} maxDays={tokens.data.maxDays} />}
        <Title order={5}>{t('tokens.existing')}</Title>
        <ErrorAlert error={tokens.error} />
        <TokenTable items={tokens.data?.items ?? []} loading={tokens.isPending} />
      </Stack>
    </Modal>
  );
}

function CreateTokenForm({ onCreated, maxDays }: { onCreated: (token: string) => void; maxDays: number | null }) {
  const { t } = useTranslation();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(maxDays ? Math.min(90, maxDays) : 90);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const expiresInDays = typeof days === 'number' && days > 0 ? days : undefined;
    create.mutate(
      { name: name.trim(), expiresInDays },
      {
        onSuccess: ({ token }) => {
          setName('');
          onCreated(token);
        },
      },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label={t('tokens.name')}
            placeholder={t('tokens.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: 1 }}
            required
          />
          <NumberInput
            label={t('tokens.expiresInDays')}
            value={days}
            onChange={setDays}
            min={1}
            max={maxDays ?? 3650}
            required={maxDays !== null}
            w={180}
            allowDecimal={false}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('tokens.create')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {maxDays ? t('tokens.expiresCapped', { days: maxDays }) : t('tokens.expiresHint')}
        </Text>
        <ErrorAlert error={create.error} />
      </Stack>
    </form>
  );
}

function TokenTable({ items, loading }: { items: ApiToken[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState<string | null>(null);

  if (!loading && items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('tokens.none')}
      </Text>
    );
  }
  return (
    <>
      <ErrorAlert error={revoke.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tokens.name')}</Table.Th>
            <Table.Th>{t('tokens.prefix')}</Table.Th>
            <Table.Th>{t('tokens.expires')}</Table.Th>
            <Table.Th>{t('tokens.lastUsed')}</Table.Th>
            <Table.Th>{t('common.created')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((tok) => (
            <Table.Tr key={tok.id}>
              <Table.Td>{tok.name}</Table.Td>
              <Table.Td>
                <Code>{tok.prefix}…</Code>
              </Table.Td>
              <Table.Td>{tok.expiresAt ? formatDateTime(tok.expiresAt, i18n.language) : t('tokens.never')}</Table.Td>
              <Table.Td>{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, i18n.language) : t('tokens.neverUsed')}</Table.Td>
              <Table.Td>{formatDateTime(tok.createdAt, i18n.language)}</Table.Td>
              <Table.Td>
                {confirming === tok.id ? (
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      color="red"
                      loading={revoke.isPending}
                      onClick={() => revoke.mutate(tok.id, { onSettled: () => setConfirming(null) })}
                    >
                      {t('tokens.confirmRevoke')}
                    </Button>
                    <Button size="compact-xs" variant="default" onClick={() => setConfirming(null)}>
                      {t('common.cancel')}
                    </Button>
                  </Group>
                ) : (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirming(tok.id)}>
                    {t('tokens.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
