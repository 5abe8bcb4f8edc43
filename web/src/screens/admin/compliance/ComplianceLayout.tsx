import { useTranslation } from 'react-i18next';
import { SectionTabs } from '../../../components/SectionTabs.tsx';
import { COMPLIANCE_SECTIONS } from './sections.ts';

/** Administration → Compliance: one tab per part of the data life cycle this user may manage; the first opens by default. */
export function ComplianceLayout() {
  const { t } = useTranslation();
  return <SectionTabs base="/admin/compliance" sections={COMPLIANCE_SECTIONS} label={t('admin.tabs.compliance')} testIdPrefix="compliance" pills />;
}
