// Administration → Recorder → Recording health (issue 13): how many calls were recorded, the assurance flags by kind
// (not recorded, one-sided, empty, clipped, long gaps…) with the latest flagged calls, poor network quality, SRCs
// that stopped answering OPTIONS, and the recording modes (always / with pause-resume / on demand).
import { Badge, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRecordingHealth } from '../../../../api/live.ts';
import { ErrorAlert } from '../../../../components/ErrorAlert.tsx';
import { EmptyRow } from '../../../../components/TableStates.tsx';
import { useTimes } from '../../../../format.ts';
import { RecordingModesCard } from './RecordingModesCard.tsx';

const PERIODS = ['1', '7', '30', '90'];

function Stat({ label, value, color }: { label: string; value: number | string; color?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {value}
      </Text>
    </Card>
  );
}

export function RecordingHealthPage() {
  const { t } = useTranslation();
  const times = useTimes();
  const [days, setDays] = useState('7');
  const health = useRecordingHealth(Number(days));
  const h = health.data;
  return (
    <Stack gap="md" data-testid="recording-health">
      <Group justify="space-between">
        <Title order={3}>{t('recorderHealth.title')}</Title>
        <SegmentedControl value={days} onChange={setDays} data={PERIODS.map((d) => ({ value: d, label: t(`recorderHealth.period.${d}`) }))} />
      </Group>
      <ErrorAlert error={health.error} />
      {h && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            <Stat label={t('recorderHealth.calls')} value={h.calls} />
            <Stat label={t('recorderHealth.recorded')} value={h.recorded} />
            <Stat label={t('recorderHealth.active')} value={h.active} />
            <Stat label={t('recorderHealth.poorQuality')} value={h.poorQuality} color={h.poorQuality ? 'orange' : undefined} />
            {h.refusals !== null && <Stat label={t('recorderHealth.refusals')} value={h.refusals} color={h.refusals ? 'red' : undefined} />}
          </SimpleGrid>
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('recorderHealth.flagsTitle')}
            </Text>
            <Group gap="xs" data-testid="assurance-counts">
              {h.flags.map((f) => (
                <Badge key={f.flag} color={f.count ? 'red' : 'gray'} variant={f.count ? 'filled' : 'light'} data-flag={f.flag}>
                  {t(`recorderHealth.flag.${f.flag}`)}: {f.count}
                </Badge>
              ))}
            </Group>
          </Card>
          <Card withBorder padding={0}>
            <Text fw={600} p="sm">
              {t('recorderHealth.recent')}
            </Text>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recorderHealth.columns.when')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.flag')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.detail')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.call')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.recent.length === 0 ? (
                  <EmptyRow colSpan={4}>{t('recorderHealth.noFlags')}</EmptyRow>
                ) : (
                  h.recent.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>{times.shortDateTime(e.callStartedAt)}</Table.Td>
                      <Table.Td>
                        <Badge color="red" variant="light">
                          {t(`recorderHealth.flag.${e.flag}`, { defaultValue: e.flag })}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{e.detail}</Table.Td>
                      <Table.Td>{e.conversationId ? <Link to={`/conversations/${e.conversationId}`}>{e.callRef}</Link> : e.callRef}</Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder padding={0}>
            <Text fw={600} p="sm">
              {t('recorderHealth.sources')}
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recorderHealth.columns.source')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.status')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.lastOk')}</Table.Th>
                  <Table.Th>{t('recorderHealth.columns.error')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.sources.length === 0 ? (
                  <EmptyRow colSpan={4}>{t('recorderHealth.noSources')}</EmptyRow>
                ) : (
                  h.sources.map((s) => (
                    <Table.Tr key={s.target}>
                      <Table.Td>
                        {s.name ?? s.target}
                        <Text size="xs" c="dimmed">
                          {s.target}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={s.status === 'ok' ? 'green' : s.status === 'stopped' ? 'red' : 'gray'}>{t(`recorderHealth.status.${s.status}`)}</Badge>
                        {s.failingSince && (
                          <Text size="xs" c="dimmed">
                            {t('recorderHealth.since', { time: times.shortDateTime(s.failingSince) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{s.lastOkAt ? times.shortDateTime(s.lastOkAt) : '—'}</Table.Td>
                      <Table.Td>{s.lastError ?? ''}</Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Card>
        </>
      )}
      <RecordingModesCard />
    </Stack>
  );
}
