import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { NoAccessPage } from '../../shell/NoAccessPage.tsx';
import { RECORDER_SECTIONS } from './sections.ts';

/** Administration → Recorder: one tab per part this user may manage; the first opens by default. */
export function RecorderLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = RECORDER_SECTIONS.filter((s) => can(me, ...s.anyOf));
  const current = pathname.split('/')[3] ?? null;

  if (sections.length === 0) return <NoAccessPage />;
  if (!current) return <Navigate to={sections[0]!.path} replace />;

  return (
    <>
      <Tabs value={current} onChange={(v) => v && navigate(`/admin/recorder/${v}`)} mb="lg" keepMounted={false} variant="pills">
        <Tabs.List aria-label={t('admin.tabs.recorder')}>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path} data-testid={`recorder-tab-${s.path}`}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}

/** A tab whose screen has not landed yet (its owner swaps it in ./routes.tsx). */
export function RecorderTabPending() {
  const { t } = useTranslation();
  return <p data-testid="recorder-tab-pending">{t('common.comingSoon')}</p>;
}
