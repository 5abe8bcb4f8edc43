import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SectionTabs } from '../../components/SectionTabs.tsx';
import { QUALITY_SECTIONS } from './sections.ts';

/** The Quality area: one tab per part of the QA programme this user may use; "/quality" opens the first of them. */
export function QualityPage() {
  const { t } = useTranslation();
  return (
    <SectionTabs base="/quality" sections={QUALITY_SECTIONS} label={t('nav.quality')} testIdPrefix="quality" header={<PageHeader title={t('nav.quality')} />} />
  );
}
