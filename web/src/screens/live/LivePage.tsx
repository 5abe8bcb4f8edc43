import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon.tsx';
import { IconLive } from '../../components/icons.tsx';

export function LivePage() {
  const { t } = useTranslation();
  return <ComingSoon title={t('nav.live')} Icon={IconLive} description={t('live.comingSoon')} />;
}
