// External share links of a moment: create one that expires (the link is shown once: only its hash is kept), see the
// existing ones with their plays, revoke any at once.
import { Alert, Button, CopyButton, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateShare, useRevokeShare, type Moment, type ShareCreated } from '../../../api/moments.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useTimes } from '../../../format.ts';

export function ShareModal({ moment: m, onClose }: { moment: Moment; onClose: () => void }) {
  const { t } = useTranslation();
  const times = useTimes();
  const [days, setDays] = useState<number>(7);
  const [made, setMade] = useState<ShareCreated | null>(null);
  const create = useCreateShare();
  const revoke = useRevokeShare();
  return (
    <Modal opened onClose={onClose} title={t('moments.share.title', { name: m.name })} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('moments.share.explain')}
        </Text>
        <Group align="flex-end">
          <NumberInput label={t('moments.share.days')} min={1} max={90} value={days} onChange={(v) => setDays(Number(v) || 1)} w={160} />
          <Button
            loading={create.isPending}
            onClick={() => create.mutate({ id: m.id, expiresInDays: days }, { onSuccess: setMade })}
            data-testid="create-share"
          >
            {t('moments.share.create')}
          </Button>
        </Group>
        <ErrorAlert error={create.error ?? revoke.error} />
        {made && (
          <Alert color="teal" title={t('moments.share.created')}>
            <Stack gap={6}>
              <Text size="sm">{t('moments.share.onlyOnce')}</Text>
              <Group gap="xs" wrap="nowrap">
                <TextInput value={made.url} readOnly style={{ flex: 1 }} data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
                <CopyButton value={made.url}>
                  {({ copied, copy }) => (
                    <Button variant="light" onClick={copy}>
                      {copied ? t('common.copied') : t('common.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          </Alert>
        )}
        {m.shares.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('moments.share.createdAt')}</Table.Th>
                <Table.Th>{t('moments.share.expires')}</Table.Th>
                <Table.Th>{t('moments.share.state')}</Table.Th>
                <Table.Th ta="right">{t('moments.share.plays')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.shares.map((s) => (
                <Table.Tr key={s.id} data-testid={`share-${s.id}`}>
                  <Table.Td>
                    {times.dateTime(s.createdAt, null, 'compact')}
                    <Text size="xs" c="dimmed">
                      {s.createdBy.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>{times.dateTime(s.expiresAt, null, 'compact')}</Table.Td>
                  <Table.Td>{t(`moments.share.states.${s.state}`)}</Table.Td>
                  <Table.Td ta="right">{s.plays}</Table.Td>
                  <Table.Td ta="right">
                    {s.state === 'active' && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={revoke.isPending && revoke.variables?.shareId === s.id}
                        onClick={() => revoke.mutate({ id: m.id, shareId: s.id })}
                      >
                        {t('moments.share.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Modal>
  );
}
