import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader.tsx';
import { can, useCurrentUser } from '../shell/currentUser.tsx';
import { NoAccessPage } from '../shell/NoAccessPage.tsx';
import { QUALITY_SECTIONS } from './sections.ts';

/** The Quality area: one tab per part of the QA programme this user may use; "/quality" opens the first of them. */
export function QualityPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = QUALITY_SECTIONS.filter((s) => can(me, ...s.anyOf));
  const current = pathname.split('/')[2] ?? null;

  if (sections.length === 0) return <NoAccessPage />;
  if (!current) return <Navigate to={sections[0]!.path} replace />;

  return (
    <>
      <PageHeader title={t('nav.quality')} />
      <Tabs value={current} onChange={(v) => v && navigate(`/quality/${v}`)} mb="lg" keepMounted={false}>
        <Tabs.List aria-label={t('nav.quality')}>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path} data-testid={`quality-tab-${s.path}`}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
