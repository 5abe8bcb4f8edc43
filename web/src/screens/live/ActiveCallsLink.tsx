// "Active calls" on the Conversations screen: how many calls are being recorded now (the same state as Live), a link
// to Live; shown to whoever may monitor live calls.
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useActiveCallCount } from '../../api/live.ts';
import { can, useCurrentUser } from '../shell/currentUser.tsx';

export function ActiveCallsLink() {
  const { t } = useTranslation();
  const allowed = can(useCurrentUser(), 'live.monitor');
  const count = useActiveCallCount(allowed);
  if (!allowed || !count.data) return null;
  return (
    <Badge
      component={Link}
      to="/live"
      variant={count.data.calls ? 'filled' : 'light'}
      color={count.data.calls ? 'red' : 'gray'}
      style={{ cursor: 'pointer' }}
      data-testid="active-calls"
    >
      {t('live.activeCalls', { count: count.data.calls })}
    </Badge>
  );
}
