import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../components/ComingSoon.tsx';
import { IconConversations } from '../../components/icons.tsx';

export function ConversationsPage() {
  const { t } = useTranslation();
  return <ComingSoon title={t('nav.conversations')} Icon={IconConversations} description={t('conversations.comingSoon')} />;
}
