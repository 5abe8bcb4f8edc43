// Administration → Speech tags: the phrases spotted in every transcript, how many conversations have hits at each
// confidence level, and the progress of spotting a new or changed tag over the stored transcripts.
import { ActionIcon, Badge, Box, Button, Group, Paper, Progress, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteSpeechTag, useSpeechTags, type SpeechTag } from '../../../api/speechTags.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconEdit, IconPlus, IconTrash } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { SpeechTagFormModal, languageName } from './SpeechTagFormModal.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; tag: SpeechTag } | null;

export const LEVELS = ['certainly', 'probably', 'maybe'] as const;
export const LEVEL_COLORS = { certainly: 'green', probably: 'yellow', maybe: 'gray' } as const;

export function SpeechTagsPage() {
  const { t, i18n } = useTranslation();
  const tags = useSpeechTags();
  const del = useDeleteSpeechTag();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    del.reset();
    setDialog(null);
  };
  const items = tags.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('speechTags.title')}
        description={t('speechTags.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
            {t('speechTags.create')}
          </Button>
        }
      />
      <ErrorAlert error={tags.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('speechTags.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('speechTags.fields.name')}</Table.Th>
              <Table.Th>{t('speechTags.fields.phrase')}</Table.Th>
              <Table.Th>{t('speechTags.fields.party')}</Table.Th>
              <Table.Th>{t('speechTags.fields.language')}</Table.Th>
              <Table.Th>{t('speechTags.fields.conversations')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.id} data-testid="speech-tag-row">
                <Table.Td fw={500}>
                  <Group gap={8} wrap="nowrap">
                    <Box w={12} h={12} style={{ borderRadius: 3, background: s.color, flexShrink: 0 }} aria-hidden />
                    {s.name}
                  </Group>
                </Table.Td>
                <Table.Td>“{s.phrase}”</Table.Td>
                <Table.Td>{t(`speechTags.party.${s.party ?? 'any'}`)}</Table.Td>
                <Table.Td>{s.language ? languageName(s.language, i18n.language) : t('speechTags.anyLanguage')}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {LEVELS.map((level) => (
                      <Tooltip key={level} label={t(`search.speechTags.${level}`)}>
                        <Badge variant="light" color={LEVEL_COLORS[level]} data-testid={`count-${level}`}>
                          {t('speechTags.levelCount', { level: t(`speechTags.levels.${level}`), n: s.conversations[level] })}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                  <Spotting tag={s} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('common.edit')}>
                      <ActionIcon variant="subtle" onClick={() => setDialog({ kind: 'edit', tag: s })} aria-label={t('speechTags.editNamed', { name: s.name })}>
                        <IconEdit size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('common.delete')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setDialog({ kind: 'delete', tag: s })}
                        aria-label={t('speechTags.deleteNamed', { name: s.name })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            {!tags.isPending && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" ta="center" py="lg" size="sm">
                    {t('speechTags.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <SpeechTagFormModal tag={dialog.kind === 'edit' ? dialog.tag : null} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          opened
          title={t('speechTags.deleteTitle')}
          message={t('speechTags.deleteConfirm', { name: dialog.tag.name })}
          confirmLabel={t('common.delete')}
          loading={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(dialog.tag.id, { onSuccess: close })}
          onClose={close}
        />
      )}
    </>
  );
}

/** The re-spotting job of a tag while it runs, or why it failed. */
function Spotting({ tag }: { tag: SpeechTag }) {
  const { t } = useTranslation();
  const s = tag.spotting;
  if (!s || s.status === 'succeeded') return null;
  if (s.status === 'dead')
    return (
      <Text size="xs" c="red" mt={4}>
        {t('speechTags.spotting.dead', { error: s.error ?? '' })}
      </Text>
    );
  const percent = Math.round(s.progress * 100);
  return (
    <Box mt={6} maw={220} data-testid="speech-tag-spotting">
      <Text size="xs" c="dimmed">
        {s.status === 'queued' ? t('speechTags.spotting.queued') : t('speechTags.spotting.running', { percent })}
      </Text>
      <Progress value={percent} size="xs" animated />
    </Box>
  );
}
