import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../shell/currentUser.tsx';
import { adminSectionsFor } from './sections.ts';

export function AdminLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = adminSectionsFor(me);
  const current = pathname.split('/')[2] ?? null;

  if (!current) {
    const first = sections[0];
    return first ? <Navigate to={first.path} replace /> : <Navigate to="/" replace />;
  }

  return (
    <>
      <Tabs value={current} onChange={(v) => v && navigate(`/admin/${v}`)} mb="lg" keepMounted={false}>
        <Tabs.List aria-label={t('nav.admin')}>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
