import { EmptyState, Paper } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from './PageHeader.tsx';

/** Placeholder for a screen that is not built yet, shown to administrators only: its title and a short empty state. */
interface Props {
  title: string;
  description: string;
  Icon: ComponentType<{ size?: number; stroke?: number }>;
}

export function ComingSoon({ title, description, Icon }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={title} />
      <Paper withBorder radius="md" p="xl">
        <EmptyState
          icon={<Icon size={28} stroke={1.6} />}
          variant="light"
          title={t('common.comingSoon')}
          description={
            <>
              {description}
              <br />
              {t('shell.comingSoonHint')}
            </>
          }
        />
      </Paper>
    </>
  );
}
