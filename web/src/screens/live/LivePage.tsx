import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon.tsx';
import { IconLive } from '../../components/icons.tsx';
import { useCurrentUser } from '../shell/currentUser.tsx';
import { isAdministrator } from '../shell/navItems.tsx';
import { NoAccessPage } from '../shell/NoAccessPage.tsx';

/** Not built yet: what is coming shows to administrators only (issue 16); everyone else is not offered it. */
export function LivePage() {
  const { t } = useTranslation();
  if (!isAdministrator(useCurrentUser())) return <NoAccessPage />;
  return <ComingSoon title={t('nav.live')} Icon={IconLive} description={t('live.comingSoon')} />;
}
