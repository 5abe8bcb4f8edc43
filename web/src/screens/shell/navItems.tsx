// The main navigation: each screen shows only to a role that can use it (issue 16: no "Coming soon" for everyone).
// A screen not built yet shows only to administrators, marked as coming, so they know what to expect.
import type { ComponentType } from 'react';
import { IconAdmin, IconConversations, IconDashboard, IconLive, IconQuality, IconReports } from '../../components/icons.tsx';
import type { Me } from '../../api/types.ts';
import { can } from './currentUser.tsx';
import { adminSectionsFor } from '../admin/sections.ts';
import { QUALITY_PERMISSIONS } from '../quality/sections.ts';

export interface NavItem {
  to: string;
  labelKey: string;
  Icon: ComponentType<{ size?: number }>;
  /** Not built yet: shown to administrators only, with a "Soon" badge. */
  comingSoon?: boolean;
}

interface NavEntry extends NavItem {
  /** Any of these reveals the entry (cosmetic: the server enforces every permission). */
  anyOf: readonly string[];
  /** Instead of anyOf, when a permission is not enough (Administration: a section this user may open). */
  shows?: (me: Me) => boolean;
}

const ENTRIES: NavEntry[] = [
  // The landing page of those who may see reports (homePathFor takes the first entry a user may use).
  { to: '/dashboard', labelKey: 'nav.dashboard', Icon: IconDashboard, anyOf: ['reports.view'] },
  { to: '/conversations', labelKey: 'nav.conversations', Icon: IconConversations, anyOf: ['conversations.view', 'conversations.view_own'] },
  { to: '/quality', labelKey: 'nav.quality', Icon: IconQuality, anyOf: QUALITY_PERMISSIONS },
  { to: '/reports', labelKey: 'nav.reports', Icon: IconReports, anyOf: ['reports.view'] },
  { to: '/live', labelKey: 'nav.live', Icon: IconLive, anyOf: ['live.monitor'] },
  { to: '/admin', labelKey: 'nav.admin', Icon: IconAdmin, anyOf: [], shows: (me) => adminSectionsFor(me).length > 0 },
];

/** An administrator of the organisation: who may see what is coming. */
export const isAdministrator = (me: Me) => can(me, 'settings.manage', 'roles.manage');

export function navItemsFor(me: Me): NavItem[] {
  return ENTRIES.filter((e) => (e.comingSoon ? isAdministrator(me) : e.shows ? e.shows(me) : can(me, ...e.anyOf))).map(
    ({ anyOf: _, shows: __, ...item }) => item,
  );
}

/** Where "/" leads: the first screen this user may use (the dashboard with reports.view, else Conversations for most). */
export const homePathFor = (me: Me): string => navItemsFor(me).find((i) => !i.comingSoon)?.to ?? '/conversations';
