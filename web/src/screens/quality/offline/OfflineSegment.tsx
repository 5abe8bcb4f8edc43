// The body of an offline interaction's segment on the conversation page: how the contact took place, the notes
// (editable by reviewers) and the attached file (played in the page when it is audio, else downloaded).
import { Badge, Button, Group, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../../api/client.ts';
import { useOffline, useUpdateOfflineNotes } from '../../../api/offline.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconDownload, IconEdit } from '../../../components/icons.tsx';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';

const kb = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export function OfflineSegment({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const q = useOffline(conversationId);
  const update = useUpdateOfflineNotes(conversationId);
  const [editing, setEditing] = useState<string | null>(null);
  const [dlError, setDlError] = useState<unknown>(null);
  const o = q.data;
  if (q.isPending) return <Skeleton h={48} />;
  if (!o) return <ErrorAlert error={q.error} />;
  const mayEdit = can(me, 'quality.review', 'quality.plan');
  const mayOpen = can(me, 'media.download', 'media.play_redacted', 'media.play_unredacted');
  return (
    <Stack gap="xs" data-testid="offline-segment">
      <Group gap="xs">
        <Badge variant="light" color="orange">
          {t(`offline.channels.${o.channel}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('offline.addedBy', { name: o.createdBy.name ?? '—' })}
        </Text>
      </Group>
      {editing === null ? (
        <Group align="flex-start" justify="space-between" wrap="nowrap">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={o.notes ? undefined : 'dimmed'}>
            {o.notes || t('offline.noNotes')}
          </Text>
          {mayEdit && (
            <Button size="compact-xs" variant="subtle" leftSection={<IconEdit size={12} />} onClick={() => setEditing(o.notes)}>
              {t('common.edit')}
            </Button>
          )}
        </Group>
      ) : (
        <Stack gap={6}>
          <Textarea value={editing} onChange={(e) => setEditing(e.currentTarget.value)} rows={4} maxLength={20000} aria-label={t('offline.form.notes')} />
          <ErrorAlert error={update.error} />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </Button>
            <Button size="xs" loading={update.isPending} onClick={() => update.mutate(editing, { onSuccess: () => setEditing(null) })}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      )}
      {o.file && mayOpen && (
        <Stack gap={4}>
          {o.file.contentType.startsWith('audio/') && <audio controls preload="none" src={o.file.url} style={{ width: '100%', height: 32 }} />}
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconDownload size={14} />}
              onClick={() => download(o.file!.url, o.file!.name).then(() => setDlError(null), setDlError)}
            >
              {o.file.name} · {kb(o.file.bytes)}
            </Button>
          </Group>
          <ErrorAlert error={dlError} />
        </Stack>
      )}
    </Stack>
  );
}
