// An evaluation's response as a badge: what the agent did with it, or that it awaits them.
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../api/responses.ts';

const COLORS: Record<Result['responseStatus'], string> = {
  none: 'gray',
  acknowledged: 'green',
  disputed: 'orange',
  reaffirmed: 'blue',
  reevaluated: 'grape',
};

export function ResponseBadge({ status, auto }: { status: Result['responseStatus']; auto?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={COLORS[status]} data-testid="response-status">
      {auto && status === 'acknowledged' ? t('responses.autoAcknowledged') : t(`responses.status.${status}`)}
    </Badge>
  );
}
