import { useTranslation } from 'react-i18next';
import { SectionTabs } from '../../../components/SectionTabs.tsx';
import { RECORDER_SECTIONS } from './sections.ts';

/** Administration → Recorder: one tab per part this user may manage; the first opens by default. */
export function RecorderLayout() {
  const { t } = useTranslation();
  return <SectionTabs base="/admin/recorder" sections={RECORDER_SECTIONS} label={t('admin.tabs.recorder')} testIdPrefix="recorder" pills />;
}
