// Administration → Import: drop files, folders or zips (audio + sidecar JSON, .eml, .chat.json, an Amazon Connect
// export), see the upload's progress, then the import job's, then the same summary as `earshot import`. Limits are
// checked here before sending (the server checks them again). Recent imports are listed below with their outcome.
import { Anchor, Button, Checkbox, Group, Paper, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { keys } from '../../../api/keys.ts';
import { isFinished, uploadImport, useImportRun, useImports, type ImportFormat, type ImportRun, type UploadFile } from '../../../api/imports.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconUpload } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { EmptyRow } from '../../../components/TableStates.tsx';
import { formatDateTime, formatNumber } from '../../../format.ts';
import { formatBytes, fromDrop, fromFileList, mergeFiles, totalBytes } from './files.ts';
import { ImportProgress, ImportStatusBadge, ImportSummaryView } from './ImportSummaryView.tsx';

const FORMATS: ImportFormat[] = ['auto', 'files', 'connect'];
const SHOWN_FILES = 8;

export function ImportPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const qc = useQueryClient();
  const runs = useImports();
  const limits = runs.data?.limits;
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [format, setFormat] = useState<ImportFormat>('auto');
  const [dryRun, setDryRun] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const run = useImportRun(runId);
  const abort = useRef<AbortController | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  // The folder chooser is not a standard attribute of <input>: set it on the element.
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), []);
  // A finished run refreshes the list of recent imports.
  const finished = run.data && isFinished(run.data);
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: keys.imports });
  }, [finished, qc]);
  useEffect(() => () => abort.current?.abort(), []);

  const bytes = totalBytes(files);
  const tooMany = !!limits && files.length > limits.maxFiles;
  const tooLarge = !!limits && bytes > limits.maxBytes;
  // Files the import would not read (a zip is unpacked and its entries checked then).
  const oversized = limits ? files.filter((f) => !f.path.toLowerCase().endsWith('.zip') && f.file.size > limits.maxFileBytes) : [];
  const uploading = sent !== null;

  const add = (more: UploadFile[]) => {
    setError(null);
    setFiles((current) => mergeFiles(current, more));
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!uploading) add(await fromDrop(e.dataTransfer));
  };

  const start = async () => {
    setError(null);
    setRunId(null);
    const controller = new AbortController();
    abort.current = controller;
    setSent({ sent: 0, total: bytes });
    try {
      const created: ImportRun = await uploadImport(files, {
        format,
        dryRun,
        signal: controller.signal,
        onProgress: (s, total) => setSent({ sent: s, total: total || bytes }),
      });
      qc.setQueryData(keys.importRun(created.id), created);
      setRunId(created.id);
      setFiles([]);
      void qc.invalidateQueries({ queryKey: keys.imports });
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      setSent(null);
      abort.current = null;
    }
  };

  const pct = sent && sent.total ? Math.round((sent.sent * 100) / sent.total) : 0;
  return (
    <>
      <PageHeader title={t('import.title')} description={t('import.description')} />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Paper
              radius="md"
              p="xl"
              data-testid="import-dropzone"
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => void onDrop(e)}
              style={{
                border: `2px dashed var(--mantine-color-${dragging ? 'blue-6' : 'gray-4'})`,
                background: dragging ? 'var(--mantine-color-blue-0)' : undefined,
                textAlign: 'center',
              }}
            >
              <Stack gap={6} align="center">
                <IconUpload size={32} />
                <Text fw={500}>{t('import.drop.title')}</Text>
                <Text size="sm" c="dimmed" maw={640}>
                  {t('import.drop.kinds')}
                </Text>
                <Group gap="xs">
                  <Button variant="default" size="xs" onClick={() => filesInput.current?.click()} disabled={uploading}>
                    {t('import.drop.chooseFiles')}
                  </Button>
                  <Button variant="default" size="xs" onClick={() => folderInput.current?.click()} disabled={uploading}>
                    {t('import.drop.chooseFolder')}
                  </Button>
                </Group>
                {limits && (
                  <Text size="xs" c="dimmed">
                    {t('import.drop.limits', { files: formatNumber(limits.maxFiles, lang), size: formatBytes(limits.maxBytes, lang) })}
                  </Text>
                )}
              </Stack>
              <input
                ref={filesInput}
                type="file"
                multiple
                hidden
                data-testid="import-files-input"
                onChange={(e) => {
                  if (e.currentTarget.files) add(fromFileList(e.currentTarget.files));
                  e.currentTarget.value = '';
                }}
              />
              <input
                ref={folderInput}
                type="file"
                multiple
                hidden
                data-testid="import-folder-input"
                onChange={(e) => {
                  if (e.currentTarget.files) add(fromFileList(e.currentTarget.files));
                  e.currentTarget.value = '';
                }}
              />
            </Paper>

            {files.length > 0 && (
              <Stack gap={4} data-testid="import-selection">
                <Group justify="space-between">
                  <Text size="sm" fw={500}>
                    {t('import.selection.count', { count: files.length, size: formatBytes(bytes, lang) })}
                  </Text>
                  <Anchor component="button" size="sm" onClick={() => setFiles([])} disabled={uploading}>
                    {t('import.selection.clear')}
                  </Anchor>
                </Group>
                <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {files
                    .slice(0, SHOWN_FILES)
                    .map((f) => f.path)
                    .join(', ')}
                  {files.length > SHOWN_FILES ? ` ${t('import.selection.more', { count: files.length - SHOWN_FILES })}` : ''}
                </Text>
                {tooMany && limits && (
                  <Text size="sm" c="red.7" role="alert">
                    {t('import.selection.tooMany', { max: limits.maxFiles })}
                  </Text>
                )}
                {oversized.length > 0 && limits && (
                  <Text size="sm" c="red.7" role="alert">
                    {t('import.selection.fileTooLarge', { name: oversized[0]!.path, max: formatBytes(limits.maxFileBytes, lang) })}
                  </Text>
                )}
                {tooLarge && limits && (
                  <Text size="sm" c="red.7" role="alert">
                    {t('import.selection.tooLarge', { max: formatBytes(limits.maxBytes, lang) })}
                  </Text>
                )}
              </Stack>
            )}

            <Group align="flex-end">
              <Select
                label={t('import.format.label')}
                data={FORMATS.map((f) => ({ value: f, label: t(`import.format.${f}`) }))}
                value={format}
                onChange={(v) => setFormat((v as ImportFormat) ?? 'auto')}
                allowDeselect={false}
                w={260}
                disabled={uploading}
              />
              <Checkbox
                label={t('import.dryRun')}
                description={t('import.dryRunHint')}
                checked={dryRun}
                onChange={(e) => setDryRun(e.currentTarget.checked)}
                disabled={uploading}
              />
              <Group gap="xs" ml="auto">
                {uploading && (
                  <Button variant="default" onClick={() => abort.current?.abort()}>
                    {t('import.cancel')}
                  </Button>
                )}
                <Button
                  leftSection={<IconUpload size={16} />}
                  onClick={() => void start()}
                  disabled={files.length === 0 || tooMany || tooLarge || oversized.length > 0}
                  loading={uploading}
                  data-testid="import-start"
                >
                  {dryRun ? t('import.startDry') : t('import.start')}
                </Button>
              </Group>
            </Group>

            {uploading && (
              <Stack gap={4} data-testid="import-upload-progress">
                <Progress value={pct} aria-label={t('import.progress.upload')} />
                <Text size="sm" c="dimmed">
                  {t('import.progress.uploading', { pct, sent: formatBytes(sent.sent, lang), total: formatBytes(sent.total, lang) })}
                </Text>
              </Stack>
            )}
            <ErrorAlert error={error} />
          </Stack>
        </Paper>

        {runId && (
          <Paper withBorder radius="md" p="md" data-testid="import-run">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={4}>{t('import.run.title')}</Title>
                {run.data && <ImportStatusBadge run={run.data} />}
              </Group>
              <ErrorAlert error={run.error} />
              {run.data && !isFinished(run.data) && <ImportProgress run={run.data} />}
              {run.data && isFinished(run.data) && <ImportSummaryView run={run.data} />}
            </Stack>
          </Paper>
        )}

        <Paper withBorder radius="md">
          <Title order={4} p="md" pb={0}>
            {t('import.recent.title')}
          </Title>
          <ErrorAlert error={runs.error} />
          <Table.ScrollContainer minWidth={800}>
            <Table aria-label={t('import.recent.title')} highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.recent.when')}</Table.Th>
                  <Table.Th>{t('import.recent.by')}</Table.Th>
                  <Table.Th>{t('import.recent.files')}</Table.Th>
                  <Table.Th>{t('import.recent.status')}</Table.Th>
                  <Table.Th>{t('import.recent.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.data?.items.length === 0 && <EmptyRow colSpan={5}>{t('import.recent.none')}</EmptyRow>}
                {runs.data?.items.map((r) => (
                  <Table.Tr key={r.id} onClick={() => setRunId(r.id)} style={{ cursor: 'pointer' }} data-testid="import-recent-row">
                    <Table.Td>{formatDateTime(r.createdAt, lang)}</Table.Td>
                    <Table.Td>{r.createdBy.name}</Table.Td>
                    <Table.Td>{t('import.selection.count', { count: r.fileCount, size: formatBytes(r.totalBytes, lang) })}</Table.Td>
                    <Table.Td>
                      <ImportStatusBadge run={r} />
                    </Table.Td>
                    <Table.Td fz="sm">
                      {r.summary
                        ? t(r.summary.dryRun ? 'import.recent.dryCounts' : 'import.recent.counts', {
                            imported: r.summary.imported,
                            skipped: r.summary.skipped,
                            failed: r.summary.failed,
                          })
                        : (r.error ?? '')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      </Stack>
    </>
  );
}
