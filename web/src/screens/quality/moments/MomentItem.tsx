// One moment as the library and a conversation's Moments list show it: name, range, note, its clip (played in the
// browser), the internal link, and — by permission — rename, delete and external share links.
import { ActionIcon, Anchor, Badge, Button, CopyButton, Group, Menu, Paper, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDeleteMoment, useUpdateMoment, type Moment } from '../../../api/moments.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconCopy, IconDots, IconEdit, IconLink, IconPlay, IconTrash } from '../../../components/icons.tsx';
import { formatDuration, useTimes } from '../../../format.ts';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { ShareModal } from './ShareModal.tsx';

export const momentRange = (m: Pick<Moment, 'startMs' | 'endMs'>) => `${formatDuration(m.startMs)}–${formatDuration(m.endMs)}`;

export function MomentItem({ moment: m, showConversation, onSeek }: { moment: Moment; showConversation?: boolean; onSeek?: (ms: number) => void }) {
  const { t } = useTranslation();
  const times = useTimes();
  const me = useCurrentUser();
  const manage = can(me, 'moments.manage');
  const mayPlay = can(me, 'media.play_redacted', 'media.play_unredacted');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [name, setName] = useState(m.name);
  const [note, setNote] = useState(m.note ?? '');
  const update = useUpdateMoment();
  const del = useDeleteMoment();
  const activeShares = m.shares.filter((s) => s.state === 'active').length;
  const link = `${window.location.origin}${m.link}`;

  return (
    <Paper withBorder radius="md" p="sm" data-testid={`moment-${m.id}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text fw={600} size="sm" truncate="end">
                {m.name}
              </Text>
              <Badge size="xs" variant="light" color="gray">
                {momentRange(m)}
              </Badge>
              {m.status !== 'ready' && (
                <Badge size="xs" variant="light" color={m.status === 'failed' ? 'red' : 'yellow'}>
                  {t(`moments.status.${m.status}`)}
                </Badge>
              )}
              {activeShares > 0 && (
                <Badge size="xs" variant="light" color="grape">
                  {activeShares === 1 ? t('moments.sharedOne') : t('moments.sharedMany', { count: activeShares })}
                </Badge>
              )}
            </Group>
            {showConversation && (
              <Anchor component={Link} to={m.link} size="xs">
                {m.conversation.title || t('moments.untitled')} · {times.dateTime(m.conversation.startedAt, null, 'compact')}
              </Anchor>
            )}
            <Text size="xs" c="dimmed">
              {t('moments.by', { name: m.createdBy.name ?? '—', at: times.dateTime(m.createdAt, null, 'compact') })}
            </Text>
          </Stack>
          <Group gap={4} wrap="nowrap">
            {onSeek && (
              <Tooltip label={t('moments.seek')}>
                <ActionIcon variant="subtle" onClick={() => onSeek(m.startMs)} aria-label={t('moments.seek')}>
                  <IconPlay size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('common.copied') : t('moments.copyLink')}>
                  <ActionIcon variant="subtle" onClick={copy} aria-label={t('moments.copyLink')}>
                    {copied ? <IconCopy size={16} /> : <IconLink size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
            {(manage || can(me, 'moments.share_external')) && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="subtle" aria-label={t('moments.actions')} data-testid="moment-menu">
                    <IconDots size={16} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {can(me, 'moments.share_external') && (
                    <Menu.Item leftSection={<IconLink size={14} />} onClick={() => setSharing(true)} disabled={m.status === 'failed'}>
                      {t('moments.share.menu')}
                    </Menu.Item>
                  )}
                  {manage && (
                    <Menu.Item leftSection={<IconEdit size={14} />} onClick={() => setEditing(true)}>
                      {t('common.edit')}
                    </Menu.Item>
                  )}
                  {manage && (
                    <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(true)}>
                      {t('common.delete')}
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
        {m.note && !editing && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {m.note}
          </Text>
        )}
        {m.status === 'failed' && m.reason && (
          <Text size="xs" c="red">
            {m.reason}
          </Text>
        )}
        {m.clipUrl && mayPlay && <audio controls preload="none" src={m.clipUrl} style={{ width: '100%', height: 32 }} data-testid="moment-audio" />}
        {editing && (
          <Stack gap={6}>
            <TextInput label={t('moments.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} />
            <Textarea label={t('moments.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} rows={2} maxLength={2000} />
            <ErrorAlert error={update.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="xs" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                size="xs"
                disabled={!name.trim()}
                loading={update.isPending}
                onClick={() => update.mutate({ id: m.id, patch: { name: name.trim(), note: note.trim() || null } }, { onSuccess: () => setEditing(false) })}
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={deleting}
        title={t('moments.delete.title')}
        message={t('moments.delete.message', { name: m.name })}
        confirmLabel={t('common.delete')}
        loading={del.isPending}
        error={del.error}
        onConfirm={() => del.mutate(m.id, { onSuccess: () => setDeleting(false) })}
        onClose={() => setDeleting(false)}
      />
      {sharing && <ShareModal moment={m} onClose={() => setSharing(false)} />}
    </Paper>
  );
}
