import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon.tsx';
import { IconReports } from '../../components/icons.tsx';

export function ReportsPage() {
  const { t } = useTranslation();
  return <ComingSoon title={t('nav.reports')} Icon={IconReports} description={t('reports.comingSoon')} />;
}
