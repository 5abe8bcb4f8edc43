// Administration → Compliance → Setup: which data anonymization overwrites (basic data, media files, transcripts, each
// filterable custom field, other metadata), saved as one audited change; below, the latest anonymization runs.
import { Badge, Button, Checkbox, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnonymizationRuns, useComplianceSetup, useSaveComplianceSetup } from '../../../../api/anonymization.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { Timestamp } from '../../../../components/Timestamp.tsx';

const BASIC = ['phone_numbers', 'email_addresses', 'email_content', 'chat_content'] as const;
type Part = (typeof BASIC)[number] | 'media' | 'transcripts' | 'other_metadata';

export function ComplianceSetupPage() {
  const { t } = useTranslation();
  const setup = useComplianceSetup();
  const save = useSaveComplianceSetup();
  const [parts, setParts] = useState<string[]>([]);
  const [fields, setFields] = useState<string[]>([]);
  useEffect(() => {
    if (setup.data) {
      setParts(setup.data.parts);
      setFields(setup.data.customFieldIds);
    }
  }, [setup.data]);
  const toggle = (list: string[], v: string, on: boolean) => (on ? [...new Set([...list, v])] : list.filter((x) => x !== v));
  const dirty =
    setup.data &&
    (JSON.stringify([...parts].sort()) !== JSON.stringify([...setup.data.parts].sort()) ||
      JSON.stringify([...fields].sort()) !== JSON.stringify([...setup.data.customFieldIds].sort()));
  const part = (p: Part, hint?: string) => (
    <Checkbox
      key={p}
      label={t(`compliance.parts.${p}`)}
      description={hint}
      checked={parts.includes(p)}
      onChange={(e) => setParts(toggle(parts, p, e.currentTarget.checked))}
      data-testid={`setup-part-${p}`}
    />
  );

  return (
    <Stack gap="lg" maw={760}>
      <div>
        <Title order={3}>{t('compliance.setup.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('compliance.setup.description')}
        </Text>
      </div>
      <ErrorAlert error={setup.error} />
      {setup.data && (
        <Paper withBorder p="md">
          <Stack gap="md">
            <Stack gap={6}>
              <Text fw={600} size="sm">
                {t('compliance.setup.basic')}
              </Text>
              {BASIC.map((p) => part(p))}
            </Stack>
            <Stack gap={6}>
              <Text fw={600} size="sm">
                {t('compliance.setup.moreData')}
              </Text>
              {part('media', t('compliance.setup.mediaHint'))}
              {part('transcripts', t('compliance.setup.transcriptsHint'))}
              {part('other_metadata', t('compliance.setup.otherHint'))}
            </Stack>
            <Stack gap={6}>
              <Text fw={600} size="sm">
                {t('compliance.setup.customFields')}
              </Text>
              {setup.data.customFields.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('compliance.setup.noCustomFields')}
                </Text>
              )}
              {setup.data.customFields.map((f) => (
                <Checkbox
                  key={f.id}
                  label={f.label}
                  description={f.filterable ? f.key : t('compliance.setup.notFilterable', { key: f.key })}
                  checked={fields.includes(f.id)}
                  onChange={(e) => setFields(toggle(fields, f.id, e.currentTarget.checked))}
                  data-testid={`setup-field-${f.key}`}
                />
              ))}
            </Stack>
            <Text size="xs" c="dimmed">
              {t('compliance.setup.placeholders')}
            </Text>
            <ErrorAlert error={save.error} />
            <Group>
              <Button
                onClick={() => save.mutate({ parts: parts as Part[], customFieldIds: fields })}
                disabled={!dirty}
                loading={save.isPending}
                data-testid="setup-save"
              >
                {t('common.save')}
              </Button>
              {save.isSuccess && !dirty && (
                <Text size="sm" c="dimmed" role="status" data-testid="setup-saved">
                  {t('compliance.setup.saved')}
                </Text>
              )}
            </Group>
          </Stack>
        </Paper>
      )}
      <Runs />
    </Stack>
  );
}

function Runs() {
  const { t } = useTranslation();
  const runs = useAnonymizationRuns();
  const items = runs.data?.items ?? [];
  return (
    <Stack gap="xs">
      <Title order={4}>{t('compliance.setup.runs')}</Title>
      <ErrorAlert error={runs.error} />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('compliance.setup.noRuns')}
        </Text>
      ) : (
        <Table data-testid="anonymization-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.setup.runWhen')}</Table.Th>
              <Table.Th>{t('compliance.setup.runBy')}</Table.Th>
              <Table.Th>{t('compliance.setup.runStatus')}</Table.Th>
              <Table.Th>{t('compliance.setup.runResult')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Timestamp iso={r.createdAt} />
                </Table.Td>
                <Table.Td>{r.requestedBy}</Table.Td>
                <Table.Td>
                  {r.status === 'running' || r.status === 'queued' ? (
                    <Progress value={r.total ? (100 * r.done) / r.total : 0} w={120} animated />
                  ) : (
                    <Badge color={r.status === 'done' ? 'green' : 'red'} variant="light">
                      {t(`compliance.setup.status.${r.status}`)}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('compliance.setup.runCounts', { anonymized: r.anonymized, skipped: r.skipped, total: r.total })}</Text>
                  {r.skippedItems.slice(0, 5).map((s) => (
                    <Text key={s.conversationId} size="xs" c="dimmed">
                      {(s.title || s.conversationId) + ': ' + (s.reason ?? '')}
                    </Text>
                  ))}
                  {r.error && (
                    <Text size="xs" c="red">
                      {r.error}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
