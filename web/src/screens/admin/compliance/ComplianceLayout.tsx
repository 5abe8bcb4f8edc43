import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { can, useCurrentUser } from '../../shell/currentUser.tsx';
import { NoAccessPage } from '../../shell/NoAccessPage.tsx';
import { COMPLIANCE_SECTIONS } from './sections.ts';

/** Administration → Compliance: one tab per part of the data life cycle this user may manage; the first opens by default. */
export function ComplianceLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = COMPLIANCE_SECTIONS.filter((s) => can(me, ...s.anyOf));
  const current = pathname.split('/')[3] ?? null;

  if (sections.length === 0) return <NoAccessPage />;
  if (!current) return <Navigate to={sections[0]!.path} replace />;

  return (
    <>
      <Tabs value={current} onChange={(v) => v && navigate(`/admin/compliance/${v}`)} mb="lg" keepMounted={false} variant="pills">
        <Tabs.List aria-label={t('admin.tabs.compliance')}>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path} data-testid={`compliance-tab-${s.path}`}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}

/** A tab whose screen has not landed yet (each owner swaps it in ./routes.tsx). */
export function ComplianceTabPending() {
  const { t } = useTranslation();
  return <p data-testid="compliance-tab-pending">{t('common.comingSoon')}</p>;
}
