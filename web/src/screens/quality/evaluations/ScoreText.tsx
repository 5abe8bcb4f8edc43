// A score as lists and the form show it: "25 / 30 (83.33 %)" in points mode, "83.33 %" in percentage mode.
import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ScoreText({ score, maxScore, percent }: { score: number; maxScore: number; percent: number }) {
  return maxScore === 100 && score === percent ? <>{`${percent} %`}</> : <>{`${score} / ${maxScore} (${percent} %)`}</>;
}

/** A list's score cell: the score with a pass/fail badge, "—" while there is none. */
export function ScoreCell({
  score,
  maxScore,
  percent,
  passed,
}: {
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  passed: boolean | null;
}) {
  const { t } = useTranslation();
  if (score === null || maxScore === null || percent === null) return <>—</>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">
        <ScoreText score={score} maxScore={maxScore} percent={percent} />
      </Text>
      {passed !== null && (
        <Badge size="xs" color={passed ? 'green' : 'red'}>
          {passed ? t('evaluations.passed') : t('evaluations.failed')}
        </Badge>
      )}
    </Group>
  );
}
