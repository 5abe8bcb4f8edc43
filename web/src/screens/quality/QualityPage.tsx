import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon.tsx';
import { IconQuality } from '../../components/icons.tsx';

export function QualityPage() {
  const { t } = useTranslation();
  return <ComingSoon title={t('nav.quality')} Icon={IconQuality} description={t('quality.comingSoon')} />;
}
