// An area with one tab per section the user may open (Quality, Administration → Compliance, → Recorder): the tabs
// are routes under `base`, the bare `base` opens the first allowed one, and a user with none sees No access. Which
// sections show is cosmetic; the server checks every request.
import { Tabs } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { can, useCurrentUser } from '../screens/shell/currentUser.tsx';
import { NoAccessPage } from '../screens/shell/NoAccessPage.tsx';

export interface Section {
  path: string;
  labelKey: string;
  /** Any one of these permissions shows the tab. */
  anyOf: string[];
}

export function SectionTabs(props: { base: string; sections: readonly Section[]; label: string; testIdPrefix: string; pills?: boolean; header?: ReactNode }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = props.sections.filter((s) => can(me, ...s.anyOf));
  const rest = pathname.startsWith(`${props.base}/`) ? pathname.slice(props.base.length + 1) : '';
  const current = rest.split('/')[0] || null;

  if (sections.length === 0) return <NoAccessPage />;
  if (!current) return <Navigate to={sections[0]!.path} replace />;

  return (
    <>
      {props.header}
      <Tabs value={current} onChange={(v) => v && navigate(`${props.base}/${v}`)} mb="lg" keepMounted={false} variant={props.pills ? 'pills' : undefined}>
        <Tabs.List aria-label={props.label}>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path} data-testid={`${props.testIdPrefix}-tab-${s.path}`}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
