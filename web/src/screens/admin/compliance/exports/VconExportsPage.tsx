// Administration → Compliance → Exports (conversations.export): the vCon export packages (one's own; all of them with
// lifecycle.manage) with their progress, download and delete, and the organisation's signing key to pin when checking a
// package offline (`earshot verify-export FILE --public-key key.pem`). Exports are asked for from the Conversations
// screen ("Export as vCon" on a conversation or a search).
import { ActionIcon, Badge, Button, Code, CopyButton, Group, Paper, Progress, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { IconCopy, IconDownload, IconTrash } from '../../../../components/icons.tsx';
import { formatDateTime, formatNumber } from '../../../../format.ts';
import { downloadVconExport, useDeleteVconExport, useSigningKey, useVconExports, type VconExport } from './api.ts';

const STATUS_COLOR: Record<string, string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red' };

export function VconExportsPage() {
  const { t, i18n } = useTranslation();
  const exports = useVconExports();
  const key = useSigningKey();
  const [deleting, setDeleting] = useState<VconExport | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const items = exports.data?.items ?? [];
  const mb = (n: number | null) => (n === null ? '—' : `${formatNumber(Math.round((n / 1024 / 1024) * 10) / 10, i18n.language)} MB`);
  return (
    <Stack gap="md" data-testid="vcon-exports-page">
      <div>
        <Title order={3}>{t('vconExports.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('vconExports.description')}
        </Text>
      </div>
      <ErrorAlert error={exports.error ?? downloadError} />
      <Paper withBorder radius="md">
        <Table aria-label={t('vconExports.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('vconExports.fields.created')}</Table.Th>
              <Table.Th>{t('vconExports.fields.by')}</Table.Th>
              <Table.Th>{t('vconExports.fields.scope')}</Table.Th>
              <Table.Th>{t('vconExports.fields.media')}</Table.Th>
              <Table.Th>{t('vconExports.fields.status')}</Table.Th>
              <Table.Th>{t('vconExports.fields.size')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && <EmptyRow colSpan={7}>{t('vconExports.none')}</EmptyRow>}
            {items.map((x) => (
              <Table.Tr key={x.id} data-testid="vcon-export-row">
                <Table.Td>{formatDateTime(x.createdAt, i18n.language)}</Table.Td>
                <Table.Td>{x.createdBy.name ?? '—'}</Table.Td>
                <Table.Td>{t(`vconExports.scope.${x.scope}`, { count: x.total })}</Table.Td>
                <Table.Td>{t(`vconExports.media.${x.media}`)}</Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <Badge color={STATUS_COLOR[x.status]} variant="light">
                      {t(`vconExports.status.${x.status}`)}
                    </Badge>
                    {x.status === 'running' && (
                      <Progress
                        value={(100 * x.done) / Math.max(1, x.total)}
                        size="sm"
                        aria-label={t('vconExports.progress', { done: x.done, total: x.total })}
                      />
                    )}
                    {x.skipped > 0 && (
                      <Text size="xs" c="orange">
                        {t('vconExports.skipped', { count: x.skipped })}
                      </Text>
                    )}
                    {x.error && (
                      <Text size="xs" c="red">
                        {x.error}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {mb(x.bytes)}
                  {x.sha256 && (
                    <Tooltip label={t('vconExports.sha256', { hash: x.sha256 })}>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {x.sha256.slice(0, 12)}…
                      </Text>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      disabled={x.status !== 'done'}
                      onClick={() => {
                        setDownloadError(null);
                        downloadVconExport(x).catch(setDownloadError);
                      }}
                      aria-label={t('vconExports.download')}
                      data-testid="vcon-export-download"
                    >
                      <IconDownload size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      disabled={x.status === 'queued' || x.status === 'running'}
                      onClick={() => setDeleting(x)}
                      aria-label={t('common.delete')}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {key.data && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={5}>{t('vconExports.key.title')}</Title>
              <CopyButton value={key.data.publicKeyPem}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" leftSection={<IconCopy size={14} />} onClick={copy}>
                    {copied ? t('vconExports.key.copied') : t('vconExports.key.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="sm">{t('vconExports.key.description', { keyId: key.data.keyId })}</Text>
            <Code block>{t('vconExports.key.command')}</Code>
          </Stack>
        </Paper>
      )}
      {deleting && <DeleteExport x={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

function DeleteExport({ x, onClose }: { x: VconExport; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteVconExport();
  return (
    <ConfirmModal
      opened
      title={t('vconExports.deleteTitle')}
      message={t('vconExports.deleteMessage')}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(x.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
