// "Export as vCon" (conversations.export): one conversation, or every conversation of the current search, packaged as
// signed vCons by a job; the package is downloaded from Administration → Compliance → Exports once built.
import { Anchor, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useCreateVconExport, type VconExportCreate } from '../../admin/compliance/exports/api.ts';

export type VconSelection = { conversationIds: string[] } | { filter: unknown; count: number };

export function VconExportDialog({ selection, onClose }: { selection: VconSelection; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateVconExport();
  const [media, setMedia] = useState<string>('files');
  const body: VconExportCreate =
    'conversationIds' in selection ? { conversationIds: selection.conversationIds } : { filter: selection.filter as VconExportCreate['filter'] };
  return (
    <Modal opened onClose={onClose} title={t('vconExports.dialog.title')} data-testid="vcon-export-dialog">
      <Stack>
        <Text size="sm">
          {'conversationIds' in selection && selection.conversationIds.length === 1
            ? t('vconExports.dialog.one')
            : t('vconExports.dialog.search', { count: 'count' in selection ? selection.count : selection.conversationIds.length })}
        </Text>
        <Select
          label={t('vconExports.dialog.media')}
          value={media}
          onChange={(v) => setMedia(v ?? 'files')}
          data={(['files', 'inline', 'none'] as const).map((m) => ({ value: m, label: t(`vconExports.media.${m}`) }))}
          allowDeselect={false}
          disabled={create.isSuccess}
        />
        <ErrorAlert error={create.error} />
        {create.isSuccess && (
          <Text size="sm" role="status" data-testid="vcon-export-started">
            {t('vconExports.dialog.started')}{' '}
            <Anchor component={Link} to="/admin/compliance/exports">
              {t('vconExports.title')}
            </Anchor>
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {create.isSuccess ? t('common.close') : t('common.cancel')}
          </Button>
          {!create.isSuccess && (
            <Button
              onClick={() => create.mutate({ ...body, media: media as VconExportCreate['media'] })}
              loading={create.isPending}
              data-testid="vcon-export-start"
            >
              {t('vconExports.dialog.start')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
