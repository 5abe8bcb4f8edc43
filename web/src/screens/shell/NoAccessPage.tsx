import { Button, EmptyState, Paper } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** A screen this user's roles do not open (typed or bookmarked: the navigation does not offer it). */
export function NoAccessPage() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" data-testid="no-access">
      <EmptyState title={t('shell.noAccessTitle')} description={t('shell.noAccessDescription')}>
        <EmptyState.Actions>
          <Button component={Link} to="/">
            {t('notFound.home')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
