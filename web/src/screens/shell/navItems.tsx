import type { ComponentType } from 'react';
import { IconAdmin, IconConversations, IconLive, IconQuality, IconReports } from '../../components/icons.tsx';
import type { Me } from '../../api/types.ts';
import { can } from './currentUser.tsx';
import { ADMIN_PERMISSIONS } from '../admin/sections.ts';

export interface NavItem {
  to: string;
  labelKey: string;
  Icon: ComponentType<{ size?: number }>;
}

const MAIN: NavItem[] = [
  { to: '/conversations', labelKey: 'nav.conversations', Icon: IconConversations },
  { to: '/quality', labelKey: 'nav.quality', Icon: IconQuality },
  { to: '/reports', labelKey: 'nav.reports', Icon: IconReports },
  { to: '/live', labelKey: 'nav.live', Icon: IconLive },
];

const ADMIN: NavItem = { to: '/admin', labelKey: 'nav.admin', Icon: IconAdmin };

export function navItemsFor(me: Me): NavItem[] {
  return can(me, ...ADMIN_PERMISSIONS) ? [...MAIN, ADMIN] : MAIN;
}
