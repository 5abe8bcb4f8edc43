import { EmptyState, Paper } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconQuality } from '../../components/icons.tsx';

/** Stands in for a Quality tab whose screen is still being built (issue 11); each owner replaces it in routes.tsx. */
export function QualityPending() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="xl">
      <EmptyState icon={<IconQuality size={28} stroke={1.6} />} variant="light" title={t('common.comingSoon')} description={t('quality.comingSoon')} />
    </Paper>
  );
}
