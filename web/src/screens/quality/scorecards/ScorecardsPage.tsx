// Quality → Scorecards: the organisation's scorecards (active, archived or all) with their version, scoring and size;
// create one, open one in the builder, duplicate, archive or unarchive.
import { ActionIcon, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useArchiveScorecard, useDuplicateScorecard, useScorecards, type ArchivedFilter } from '../../../api/scorecards.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { EmptyRow, SkeletonRows } from '../../../components/TableStates.tsx';
import { Timestamp } from '../../../components/Timestamp.tsx';
import { IconArchive, IconCopy, IconEdit, IconPlus, IconReset } from '../../../components/icons.tsx';

export function ScorecardsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<ArchivedFilter>('active');
  const list = useScorecards(filter);
  const archive = useArchiveScorecard();
  const duplicate = useDuplicateScorecard();
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t('scorecards.intro')}
        </Text>
        <Group gap="sm" wrap="nowrap">
          <SegmentedControl
            size="xs"
            data={(['active', 'archived', 'all'] as const).map((v) => ({ value: v, label: t(`scorecards.filter.${v}`) }))}
            value={filter}
            onChange={(v) => setFilter(v as ArchivedFilter)}
            data-testid="archived-filter"
          />
          <Button component={Link} to="/quality/scorecards/new" leftSection={<IconPlus size={16} />} data-testid="new-scorecard">
            {t('scorecards.new')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={list.error ?? archive.error ?? duplicate.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('quality.tabs.scorecards')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scorecards.name')}</Table.Th>
              <Table.Th>{t('scorecards.scoring')}</Table.Th>
              <Table.Th>{t('scorecards.questionsColumn')}</Table.Th>
              <Table.Th>{t('scorecards.versionColumn')}</Table.Th>
              <Table.Th>{t('scorecards.updatedColumn')}</Table.Th>
              <Table.Th w={120} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.isPending && <SkeletonRows rows={3} columns={6} />}
            {list.isSuccess && items.length === 0 && (
              <EmptyRow colSpan={6}>{t(filter === 'archived' ? 'scorecards.noneArchived' : 'scorecards.none')}</EmptyRow>
            )}
            {items.map((s) => (
              <Table.Tr
                key={s.id}
                data-testid="scorecard-row"
                style={{ cursor: 'pointer' }}
                opacity={s.archived ? 0.65 : 1}
                onClick={() => navigate(`/quality/scorecards/${s.id}`)}
              >
                <Table.Td>
                  <Group gap={8} wrap="nowrap">
                    <Text fw={500} size="sm">
                      {s.name}
                    </Text>
                    {s.archived && (
                      <Badge size="sm" variant="light" color="gray">
                        {t('scorecards.archived')}
                      </Badge>
                    )}
                  </Group>
                  {s.description && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {s.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{s.scoring === 'percentage' ? t('scorecards.modes.percentage') : t('scorecards.maxPoints', { points: s.maxScore })}</Text>
                  <Text size="xs" c="dimmed">
                    {s.passMark === null
                      ? t('scorecards.noPassMark')
                      : s.scoring === 'percentage'
                        ? t('scorecards.passPercent', { mark: s.passMark })
                        : t('scorecards.passPoints', { mark: s.passMark })}
                  </Text>
                </Table.Td>
                <Table.Td>{`${t('scorecards.questionCount', { count: s.questions })} · ${t('scorecards.sectionCount', { count: s.sections })}`}</Table.Td>
                <Table.Td>{s.version}</Table.Td>
                <Table.Td>
                  <Timestamp iso={s.updatedAt} style="date" />
                </Table.Td>
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <Tooltip label={t('common.edit')}>
                      <ActionIcon variant="subtle" component={Link} to={`/quality/scorecards/${s.id}`} aria-label={t('scorecards.editNamed', { name: s.name })}>
                        <IconEdit size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('scorecards.duplicate')}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        loading={duplicate.isPending && duplicate.variables?.id === s.id}
                        onClick={() => duplicate.mutate({ id: s.id }, { onSuccess: (copy) => navigate(`/quality/scorecards/${copy.id}`) })}
                        aria-label={t('scorecards.duplicateNamed', { name: s.name })}
                      >
                        <IconCopy size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={s.archived ? t('scorecards.unarchive') : t('scorecards.archive')}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        loading={archive.isPending && archive.variables?.id === s.id}
                        onClick={() => archive.mutate({ id: s.id, archive: !s.archived })}
                        aria-label={s.archived ? t('scorecards.unarchiveNamed', { name: s.name }) : t('scorecards.archiveNamed', { name: s.name })}
                      >
                        {s.archived ? <IconReset size={16} /> : <IconArchive size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
