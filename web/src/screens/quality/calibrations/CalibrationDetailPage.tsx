// /quality/calibrations/:id — one calibration session: who scores and how far they are, and, once the caller may see
// them (the creator and managers at once, an evaluator after submitting, everyone when closed), the results: per
// question and in total, each evaluator's answer and deviation from the reference (or the mean), the spread, the
// standard deviation and variance, and how many agreed.
import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useCalibration, useSetCalibrationStatus, type CalibrationDetail } from '../../../api/calibrations.ts';
import type { Answer, Question, ScorecardDefinition } from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconArrowLeft } from '../../../components/icons.tsx';
import { formatNumber, useTimes } from '../../../format.ts';
import { answerLabel } from '../evaluations/EvaluationForm.tsx';

type Results = NonNullable<CalibrationDetail['results']>;

export function CalibrationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useCalibration(id);
  const c = q.data;
  return (
    <Stack gap="md" data-testid="calibration-detail">
      <Anchor component={Link} to="/quality/calibrations" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('calibrations.back')}
        </Group>
      </Anchor>
      <ErrorAlert error={q.error} />
      {q.isPending && <Skeleton h={160} radius="md" />}
      {c && <Session c={c} />}
    </Stack>
  );
}

function Session({ c }: { c: CalibrationDetail }) {
  const { t, i18n } = useTranslation();
  const times = useTimes();
  const setStatus = useSetCalibrationStatus(c.id);
  const num = (n: number | null | undefined, suffix = '') => (n === null || n === undefined ? '—' : `${formatNumber(n, i18n.language)}${suffix}`);
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Stack gap="xs">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Group gap="xs">
                <Title order={2} size="h3">
                  {c.name}
                </Title>
                <Badge variant="light" color={c.status === 'open' ? 'blue' : 'gray'}>
                  {t(`calibrations.status.${c.status}`)}
                </Badge>
              </Group>
              <Text size="sm">
                {t('calibrations.detail.about', { agent: c.agent.name ?? '—', scorecard: c.scorecard.name, version: c.scorecard.version })}{' '}
                <Anchor component={Link} to={`/conversations/${encodeURIComponent(c.conversation.id)}`}>
                  {c.conversation.title || t('calibrations.untitled')}
                </Anchor>
              </Text>
              <Text size="xs" c="dimmed">
                {t('calibrations.detail.by', { name: c.createdBy.name ?? '—', at: times.dateTime(c.createdAt, null, 'compact') })}
                {c.dueAt ? ` · ${t('calibrations.detail.due', { at: times.dateTime(c.dueAt, null, 'compact') })}` : ''}
              </Text>
            </Stack>
            <Group gap="xs">
              {c.myEvaluationId && (
                <Button component={Link} to={`/quality/evaluations/${encodeURIComponent(c.myEvaluationId)}`} data-testid="open-my-evaluation">
                  {c.myStatus === 'submitted' ? t('calibrations.detail.viewMine') : t('calibrations.detail.scoreMine')}
                </Button>
              )}
              {c.canManage && (
                <Button
                  variant="default"
                  loading={setStatus.isPending}
                  onClick={() => setStatus.mutate(c.status === 'open' ? 'closed' : 'open')}
                  data-testid="calibration-close"
                >
                  {c.status === 'open' ? t('calibrations.detail.close') : t('calibrations.detail.reopen')}
                </Button>
              )}
            </Group>
          </Group>
          <ErrorAlert error={setStatus.error} />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={3} size="h5" mb="xs">
          {t('calibrations.detail.evaluators')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calibrations.detail.evaluator')}</Table.Th>
              <Table.Th>{t('calibrations.col.status')}</Table.Th>
              <Table.Th>{t('calibrations.detail.submittedAt')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.detail.score')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.participants.map((p) => (
              <Table.Tr key={p.userId} data-testid={`participant-${p.userId}`}>
                <Table.Td>
                  {p.name ?? p.userId}
                  {p.reference && (
                    <Badge ml={6} size="xs" variant="outline">
                      {t('calibrations.detail.reference')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`calibrations.myStatus.${p.status}`)}</Table.Td>
                <Table.Td>{p.submittedAt ? times.dateTime(p.submittedAt, null, 'compact') : '—'}</Table.Td>
                <Table.Td ta="right">{num(p.percent, ' %')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      {!c.resultsVisible && (
        <Alert color="blue" data-testid="results-hidden">
          {t('calibrations.detail.hidden')}
        </Alert>
      )}
      {c.results && <ResultsView c={c} r={c.results} />}
    </>
  );
}

function ResultsView({ c, r }: { c: CalibrationDetail; r: Results }) {
  const { t, i18n } = useTranslation();
  const num = (n: number | null | undefined, suffix = '') => (n === null || n === undefined ? '—' : `${formatNumber(n, i18n.language)}${suffix}`);
  const def = c.scorecard.definition as ScorecardDefinition;
  const questions = new Map(def.sections.flatMap((s) => s.questions.map((q) => [q.id, q] as [string, Question])));
  const names = new Map(r.evaluators.map((e) => [e.userId, e.name]));
  const order = r.total.evaluators.map((e) => e.userId);
  const baseline =
    r.baseline === 'reference'
      ? t('calibrations.results.fromReference', { name: names.get(r.referenceUserId ?? '') ?? '' })
      : t('calibrations.results.fromMean');
  if (r.total.n === 0)
    return (
      <Alert color="gray" data-testid="results-empty">
        {t('calibrations.results.none')}
      </Alert>
    );
  return (
    <Stack gap="md" data-testid="calibration-results">
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Figure label={t('calibrations.results.mean')} value={num(r.total.mean, ' %')} />
        <Figure label={t('calibrations.results.spread')} value={num(r.total.spread, ' pts')} />
        <Figure label={t('calibrations.results.stdDev')} value={num(r.total.stdDev)} testId="total-stddev" />
        <Figure label={t('calibrations.results.variance')} value={num(r.total.variance)} />
        <Figure label={t('calibrations.results.submitted')} value={`${r.total.n} / ${c.participants.length}`} />
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t('calibrations.results.explain', { baseline })}
      </Text>

      <Paper withBorder radius="md" p="md">
        <Title order={3} size="h5" mb="xs">
          {t('calibrations.results.byEvaluator')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calibrations.detail.evaluator')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.total')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.deviation')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.meanAbsDeviation')}</Table.Th>
              <Table.Th>{t('calibrations.results.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.total.evaluators.map((e) => {
              const ev = r.evaluators.find((x) => x.userId === e.userId);
              return (
                <Table.Tr key={e.userId}>
                  <Table.Td>
                    {names.get(e.userId)}
                    {e.userId === r.referenceUserId && (
                      <Badge ml={6} size="xs" variant="outline">
                        {t('calibrations.detail.reference')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{num(e.value, ' %')}</Table.Td>
                  <Table.Td ta="right">
                    <Deviation value={e.deviation} />
                  </Table.Td>
                  <Table.Td ta="right">{num(ev?.meanAbsDeviation)}</Table.Td>
                  <Table.Td>
                    {e.autoFailed ? (
                      <Badge color="red" variant="light">
                        {t('calibrations.results.autoFailed')}
                      </Badge>
                    ) : e.passed === null ? (
                      '—'
                    ) : (
                      <Badge color={e.passed ? 'teal' : 'red'} variant="light">
                        {e.passed ? t('calibrations.results.passed') : t('calibrations.results.failed')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder radius="md" p="md" style={{ overflowX: 'auto' }}>
        <Title order={3} size="h5" mb="xs">
          {t('calibrations.results.byQuestion')}
        </Title>
        <Table data-testid="question-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calibrations.results.question')}</Table.Th>
              {order.map((uid) => (
                <Table.Th key={uid}>{names.get(uid)}</Table.Th>
              ))}
              <Table.Th ta="right">{t('calibrations.results.mean')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.spread')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.stdDev')}</Table.Th>
              <Table.Th ta="right">{t('calibrations.results.agreement')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.questions.map((qr) => {
              const question = questions.get(qr.questionId);
              const wide = (qr.spread ?? 0) >= 50;
              return (
                <Table.Tr key={qr.questionId} data-testid={`question-${qr.questionId}`}>
                  <Table.Td>
                    <Text size="sm">{qr.text}</Text>
                  </Table.Td>
                  {order.map((uid) => {
                    const v = qr.evaluators.find((e) => e.userId === uid);
                    const a: Answer | undefined = !v || v.answer === null ? undefined : v.answer === 'na' ? { value: null, na: true } : { value: v.answer };
                    return (
                      <Table.Td key={uid}>
                        <Text size="sm">{question ? answerLabel(question, a, t) : String(v?.answer ?? '—')}</Text>
                        <Deviation value={v?.deviation ?? null} small />
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="right">{num(qr.mean, ' %')}</Table.Td>
                  <Table.Td ta="right" c={wide ? 'red' : undefined} fw={wide ? 600 : undefined}>
                    {num(qr.spread)}
                  </Table.Td>
                  <Table.Td ta="right">{num(qr.stdDev)}</Table.Td>
                  <Table.Td ta="right">{qr.agreement === null ? '—' : `${Math.round(qr.agreement * 100)} %`}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** A deviation in points, signed and coloured when it matters (10 points or more). */
function Deviation({ value, small }: { value: number | null; small?: boolean }) {
  const { t, i18n } = useTranslation();
  if (value === null) return small ? null : <>—</>;
  const text = `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatNumber(Math.abs(value), i18n.language)}`;
  const color = Math.abs(value) >= 25 ? 'red' : Math.abs(value) >= 10 ? 'orange' : 'dimmed';
  return (
    <Tooltip label={t('calibrations.results.deviationHelp')}>
      <Text component="span" size={small ? 'xs' : 'sm'} c={color}>
        {text}
      </Text>
    </Tooltip>
  );
}
