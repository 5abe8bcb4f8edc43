// The data life cycle's states of a conversation, as the seed words them: "Anonymized", "Planned for deletion of media
// files" (still playable until the deletion job runs), "Deleted" (the media files are gone).
import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../api/types.ts';
import { useTimes } from '../../../format.ts';

type States = Pick<ConversationSummary, 'mediaState' | 'anonymizedAt' | 'timeZone'>;

export const hasComplianceState = (c: States) => !!c.anonymizedAt || !!c.mediaState;

/** The badges; `compact` for a list row (smaller, no wrapping). */
export function ComplianceStates({ conversation: c, compact }: { conversation: States; compact?: boolean }) {
  const { t } = useTranslation();
  const times = useTimes();
  if (!hasComplianceState(c)) return null;
  return (
    <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'} data-testid="compliance-states">
      {c.anonymizedAt && (
        <Tooltip label={t('compliance.states.anonymizedAt', { time: times.dateTime(c.anonymizedAt, c.timeZone) })} withinPortal>
          <Badge size={compact ? 'xs' : 'sm'} color="grape" variant="light" data-testid="state-anonymized">
            {t('compliance.states.anonymized')}
          </Badge>
        </Tooltip>
      )}
      {c.mediaState === 'planned_for_deletion' && (
        <Badge size={compact ? 'xs' : 'sm'} color="orange" variant="light" data-testid="state-planned">
          {t('compliance.states.plannedForDeletion')}
        </Badge>
      )}
      {c.mediaState === 'deleted' && (
        <Badge size={compact ? 'xs' : 'sm'} color="gray" variant="light" data-testid="state-deleted">
          {t('compliance.states.deleted')}
        </Badge>
      )}
    </Group>
  );
}
