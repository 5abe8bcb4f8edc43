// Administration → Indicators & topics: categories of indicators with their keywords and who must say them, topics
// with their guiding sentences, how many conversations each is found in, and the progress of re-analysing the stored
// conversations after a change. The server's rules (at most 250 indicators, a keyword at least, three guiding
// sentences, ten custom topics) are enforced there and its messages shown here as they come.
import { ActionIcon, Badge, Box, Button, Group, Paper, Progress, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  running,
  useDeleteCategory,
  useDeleteIndicator,
  useDeleteTopic,
  useIndicatorCategories,
  useReanalyze,
  useTopics,
  type AnalysisJob,
  type Indicator,
  type IndicatorCategory,
  type Topic,
} from '../../../api/insights.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconEdit, IconPlus, IconRefresh, IconTrash } from '../../../components/icons.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CategoryModal, IndicatorModal, TopicModal } from './InsightForms.tsx';

type Dialog =
  | { kind: 'category'; category: IndicatorCategory | null }
  | { kind: 'indicator'; indicator: Indicator | null; categoryId: string }
  | { kind: 'topic'; topic: Topic | null }
  | { kind: 'deleteCategory'; category: IndicatorCategory }
  | { kind: 'deleteIndicator'; indicator: Indicator }
  | { kind: 'deleteTopic'; topic: Topic }
  | null;

export function InsightsAdminPage() {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const reanalyze = useReanalyze();
  const close = () => setDialog(null);
  return (
    <>
      <PageHeader
        title={t('insightsAdmin.title')}
        description={t('insightsAdmin.description')}
        actions={
          <Tooltip label={t('insightsAdmin.reanalyzeHint')} withinPortal multiline w={280}>
            <Button variant="default" leftSection={<IconRefresh size={16} />} loading={reanalyze.isPending} onClick={() => reanalyze.mutate()}>
              {t('insightsAdmin.reanalyze')}
            </Button>
          </Tooltip>
        }
      />
      <ErrorAlert error={reanalyze.error} />
      {reanalyze.isSuccess && (
        <Text size="sm" c="teal.8" mb="sm" data-testid="reanalyze-queued">
          {t('insightsAdmin.reanalyzeQueued')}
        </Text>
      )}
      <Tabs defaultValue="indicators" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="indicators">{t('insightsAdmin.indicators')}</Tabs.Tab>
          <Tabs.Tab value="topics">{t('insightsAdmin.topics')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="indicators">
          <IndicatorsPanel onDialog={setDialog} />
        </Tabs.Panel>
        <Tabs.Panel value="topics">
          <TopicsPanel onDialog={setDialog} />
        </Tabs.Panel>
      </Tabs>
      {dialog?.kind === 'category' && <CategoryModal category={dialog.category} onClose={close} />}
      {dialog?.kind === 'indicator' && <IndicatorModal indicator={dialog.indicator} categoryId={dialog.categoryId} onClose={close} />}
      {dialog?.kind === 'topic' && <TopicModal topic={dialog.topic} onClose={close} />}
      {dialog?.kind === 'deleteCategory' && <DeleteCategory category={dialog.category} onClose={close} />}
      {dialog?.kind === 'deleteIndicator' && <DeleteIndicator indicator={dialog.indicator} onClose={close} />}
      {dialog?.kind === 'deleteTopic' && <DeleteTopic topic={dialog.topic} onClose={close} />}
    </>
  );
}

/** The re-analysis after a change, while it runs, or why it failed. */
function Analysis({ job }: { job: AnalysisJob }) {
  const { t } = useTranslation();
  if (!job || job.status === 'succeeded') return null;
  if (job.status === 'dead' || job.status === 'failed')
    return (
      <Text size="xs" c="red" mt={4}>
        {t('insightsAdmin.analysisFailed', { error: job.error ?? '' })}
      </Text>
    );
  if (!running(job)) return null;
  const percent = Math.round(job.progress * 100);
  return (
    <Box mt={6} maw={200} data-testid="insights-analysis">
      <Text size="xs" c="dimmed">
        {job.status === 'queued' ? t('insightsAdmin.analysisQueued') : t('insightsAdmin.analysisRunning', { percent })}
      </Text>
      <Progress value={percent} size="xs" animated />
    </Box>
  );
}

function IndicatorsPanel({ onDialog }: { onDialog: (d: Dialog) => void }) {
  const { t } = useTranslation();
  const categories = useIndicatorCategories();
  const items = categories.data?.items ?? [];
  const count = items.reduce((n, c) => n + c.indicators.length, 0);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="indicator-count">
          {t('insightsAdmin.indicatorCount', { n: count, max: categories.data?.limit ?? 250 })}
        </Text>
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => onDialog({ kind: 'category', category: null })}>
          {t('insightsAdmin.newCategory')}
        </Button>
      </Group>
      <ErrorAlert error={categories.error} />
      {!categories.isPending && items.length === 0 && (
        <Text c="dimmed" ta="center" py="lg" size="sm">
          {t('insightsAdmin.noCategories')}
        </Text>
      )}
      {items.map((c) => (
        <Paper key={c.id} withBorder radius="md" p="md" data-testid="indicator-category">
          <Group justify="space-between" mb="xs">
            <Group gap={6}>
              <Title order={4} size="h5">
                {c.name}
              </Title>
              <Tooltip label={t('common.edit')}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={() => onDialog({ kind: 'category', category: c })}
                  aria-label={t('insightsAdmin.renameCategory', { name: c.name })}
                >
                  <IconEdit size={14} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('common.delete')}>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  onClick={() => onDialog({ kind: 'deleteCategory', category: c })}
                  aria-label={t('insightsAdmin.deleteCategoryNamed', { name: c.name })}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Tooltip>
            </Group>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              onClick={() => onDialog({ kind: 'indicator', indicator: null, categoryId: c.id })}
            >
              {t('insightsAdmin.newIndicator')}
            </Button>
          </Group>
          {c.indicators.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('insightsAdmin.noIndicators')}
            </Text>
          ) : (
            <Table aria-label={c.name}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('insightsAdmin.fields.name')}</Table.Th>
                  <Table.Th>{t('insightsAdmin.fields.speaker')}</Table.Th>
                  <Table.Th>{t('insightsAdmin.fields.keywords')}</Table.Th>
                  <Table.Th>{t('insightsAdmin.fields.found')}</Table.Th>
                  <Table.Th w={80} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.indicators.map((i) => (
                  <Table.Tr key={i.id} data-testid="indicator-row">
                    <Table.Td fw={500}>{i.name}</Table.Td>
                    <Table.Td>{t(`insightsAdmin.speaker.${i.speaker}`)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {i.keywords.map((k) => (
                          <Badge key={k.id} variant="light" color="grape" tt="none">
                            {k.text}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t('insightsAdmin.found', { conversations: i.conversations, mentions: i.mentions })}
                      </Text>
                      <Analysis job={i.analysis} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          onClick={() => onDialog({ kind: 'indicator', indicator: i, categoryId: c.id })}
                          aria-label={t('insightsAdmin.editNamed', { name: i.name })}
                        >
                          <IconEdit size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => onDialog({ kind: 'deleteIndicator', indicator: i })}
                          aria-label={t('insightsAdmin.deleteNamed', { name: i.name })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      ))}
    </Stack>
  );
}

function TopicsPanel({ onDialog }: { onDialog: (d: Dialog) => void }) {
  const { t } = useTranslation();
  const topics = useTopics();
  const items = topics.data?.items ?? [];
  const custom = items.filter((x) => !x.builtinKey).length;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="topic-count">
          {t('insightsAdmin.topicCount', { n: custom, max: topics.data?.customLimit ?? 10 })}
        </Text>
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => onDialog({ kind: 'topic', topic: null })}>
          {t('insightsAdmin.newTopic')}
        </Button>
      </Group>
      <ErrorAlert error={topics.error} />
      <Paper withBorder radius="md">
        <Table aria-label={t('insightsAdmin.topics')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('insightsAdmin.fields.name')}</Table.Th>
              <Table.Th>{t('insightsAdmin.fields.sentences')}</Table.Th>
              <Table.Th>{t('insightsAdmin.fields.found')}</Table.Th>
              <Table.Th w={80} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((x) => (
              <Table.Tr key={x.id} data-testid="topic-row">
                <Table.Td fw={500}>
                  <Group gap={6} wrap="nowrap">
                    {x.name}
                    {x.builtinKey && (
                      <Badge size="xs" variant="light" color="gray">
                        {t('insightsAdmin.builtin')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {x.sentences.slice(0, 3).map((s, k) => (
                      <Text key={k} size="xs" lineClamp={1}>
                        “{s}”
                      </Text>
                    ))}
                    {x.sentences.length > 3 && (
                      <Text size="xs" c="dimmed">
                        {t('insightsAdmin.moreSentences', { n: x.sentences.length - 3 })}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {t('insightsAdmin.foundTopic', { conversations: x.conversations, hits: x.hits })}
                  </Text>
                  <Analysis job={x.analysis} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      onClick={() => onDialog({ kind: 'topic', topic: x })}
                      aria-label={t('insightsAdmin.editNamed', { name: x.name })}
                    >
                      <IconEdit size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => onDialog({ kind: 'deleteTopic', topic: x })}
                      aria-label={t('insightsAdmin.deleteNamed', { name: x.name })}
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
    </Stack>
  );
}

function DeleteCategory({ category, onClose }: { category: IndicatorCategory; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteCategory();
  return (
    <ConfirmModal
      opened
      title={t('insightsAdmin.deleteCategoryTitle')}
      message={t('insightsAdmin.deleteCategoryConfirm', { name: category.name, n: category.indicators.length })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(category.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

function DeleteIndicator({ indicator, onClose }: { indicator: Indicator; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteIndicator();
  return (
    <ConfirmModal
      opened
      title={t('insightsAdmin.deleteIndicatorTitle')}
      message={t('insightsAdmin.deleteIndicatorConfirm', { name: indicator.name })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(indicator.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

function DeleteTopic({ topic, onClose }: { topic: Topic; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useDeleteTopic();
  return (
    <ConfirmModal
      opened
      title={t('insightsAdmin.deleteTopicTitle')}
      message={t('insightsAdmin.deleteTopicConfirm', { name: topic.name })}
      confirmLabel={t('common.delete')}
      loading={del.isPending}
      error={del.error}
      onConfirm={() => del.mutate(topic.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
