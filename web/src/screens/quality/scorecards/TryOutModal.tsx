// "Try it": the scorecard being built, answered as an evaluator would, scored by the very function the submit uses
// (src/quality/scoring.ts) — so a designer sees what weights, N/A and automatic failures do before anyone is scored.
import { Badge, Group, Modal, NumberInput, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answer, Answers, Question, ScorecardDefinition } from '../../../../../src/quality/model.ts';
import { scoreEvaluation } from '../../../../../src/quality/scoring.ts';

const NA = '__na';
const BLANK = '';

export function TryOutModal({ def, opened, onClose }: { def: ScorecardDefinition; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<Answers>({});
  const result = scoreEvaluation(def, answers);
  const set = (id: string, a: Answer | null) => {
    const next = { ...answers };
    if (a) next[id] = a;
    else delete next[id];
    setAnswers(next);
  };
  const texts = new Map(def.sections.flatMap((s) => s.questions.map((q) => [q.id, q.text] as const)));

  return (
    <Modal opened={opened} onClose={onClose} title={t('scorecards.tryOut.title')} size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('scorecards.tryOut.hint')}
        </Text>
        {def.sections.map((s, si) => (
          <Stack key={s.id} gap="xs">
            <Title order={6}>{s.title || t('scorecards.section.untitled', { number: si + 1 })}</Title>
            {s.questions.map((q, qi) => (
              <Group key={q.id} justify="space-between" wrap="nowrap" gap="sm">
                <Text size="sm">{q.text || t('scorecards.question.numbered', { number: `${si + 1}.${qi + 1}` })}</Text>
                <AnswerInput question={q} answer={answers[q.id]} onChange={(a) => set(q.id, a)} />
              </Group>
            ))}
          </Stack>
        ))}
        <Paper withBorder radius="md" p="sm" data-testid="try-result">
          <Group justify="space-between">
            <Text fw={600} data-testid="try-score">
              {def.scoring === 'percentage'
                ? t('scorecards.tryOut.scorePercent', { percent: result.percent })
                : t('scorecards.tryOut.scorePoints', { score: result.score, max: result.maxScore, percent: result.percent })}
            </Text>
            {result.passed !== null && (
              <Badge color={result.passed ? 'green' : 'red'} data-testid="try-passed">
                {result.passed ? t('scorecards.tryOut.passed') : t('scorecards.tryOut.failed')}
              </Badge>
            )}
          </Group>
          {result.autoFailed && (
            <Text size="sm" c="red" mt={4} data-testid="try-autofail">
              {t('scorecards.tryOut.autoFailed', { questions: result.autoFailQuestionIds.map((id) => texts.get(id) || id).join(', ') })}
            </Text>
          )}
        </Paper>
      </Stack>
    </Modal>
  );
}

function AnswerInput({ question: q, answer, onChange }: { question: Question; answer: Answer | undefined; onChange: (a: Answer | null) => void }) {
  const { t } = useTranslation();
  const current = answer?.na ? NA : answer?.value === undefined || answer.value === null ? BLANK : String(answer.value);
  const pick = (v: string | null) => onChange(!v ? null : v === NA ? { value: null, na: true } : { value: q.type === 'scale' ? Number(v) : v });
  const extra = [{ value: BLANK, label: t('scorecards.tryOut.blank') }, ...(q.naAllowed ? [{ value: NA, label: t('scorecards.tryOut.na') }] : [])];
  const label = q.text || q.id;
  if (q.type === 'yes_no')
    return (
      <SegmentedControl
        size="xs"
        aria-label={label}
        data={[{ value: 'yes', label: t('scorecards.tryOut.yes') }, { value: 'no', label: t('scorecards.tryOut.no') }, ...extra]}
        value={current}
        onChange={pick}
      />
    );
  if (q.type === 'choice')
    return (
      <Select
        w={200}
        size="xs"
        aria-label={label}
        data={[...q.options.map((o) => ({ value: o.id, label: o.label || o.id })), ...extra]}
        value={current}
        allowDeselect={false}
        onChange={pick}
      />
    );
  if (q.max - q.min <= 10)
    return (
      <SegmentedControl
        size="xs"
        aria-label={label}
        data={[...Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min + i)).map((v) => ({ value: v, label: v })), ...extra]}
        value={current}
        onChange={pick}
      />
    );
  return (
    <NumberInput
      w={110}
      size="xs"
      aria-label={label}
      min={q.min}
      max={q.max}
      allowDecimal={false}
      value={typeof answer?.value === 'number' ? answer.value : ''}
      onChange={(v) => onChange(v === '' ? null : { value: Number(v) })}
    />
  );
}
