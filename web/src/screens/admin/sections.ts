import type { Me } from '../../api/types.ts';
import { can } from '../shell/currentUser.tsx';
import { COMPLIANCE_PERMISSIONS } from './compliance/sections.ts';
import { RECORDER_PERMISSIONS } from './recorder/sections.ts';

// The Administration sub-screens and the permission that reveals each (cosmetic: the server enforces).
export interface AdminSection {
  path: string;
  labelKey: string;
  anyOf: string[];
  /** Only for users who see the whole organisation (the server refuses a group-scoped caller these lists). */
  organisationWide?: true;
}

export const ADMIN_SECTIONS: AdminSection[] = [
  { path: 'users', labelKey: 'admin.tabs.users', anyOf: ['users.manage'] },
  { path: 'roles', labelKey: 'admin.tabs.roles', anyOf: ['roles.manage'] },
  { path: 'groups', labelKey: 'admin.tabs.groups', anyOf: ['groups.manage'] },
  { path: 'sites', labelKey: 'admin.tabs.sites', anyOf: ['groups.manage'] },
  { path: 'tags', labelKey: 'admin.tabs.tags', anyOf: ['tags.manage', 'customfields.manage'] },
  { path: 'speech-tags', labelKey: 'admin.tabs.speechTags', anyOf: ['tags.manage'] },
  { path: 'insights', labelKey: 'admin.tabs.insights', anyOf: ['insights.manage'] },
  { path: 'settings', labelKey: 'admin.tabs.settings', anyOf: ['settings.manage'] },
  // Events pushed to other systems (issue 14, src/notify/webhooks).
  { path: 'webhooks', labelKey: 'admin.tabs.webhooks', anyOf: ['settings.manage'] },
  // How people sign in: identity providers, sign-in policy, SCIM (issue 14, src/auth/sso).
  { path: 'sso', labelKey: 'admin.tabs.sso', anyOf: ['settings.manage'] },
  // Data life cycle (issue 12): its own tabs inside, see compliance/sections.ts.
  { path: 'compliance', labelKey: 'admin.tabs.compliance', anyOf: COMPLIANCE_PERMISSIONS },
  // The recorder (issue 13): sources, party rules, recording health; its own tabs inside, see recorder/sections.ts.
  { path: 'recorder', labelKey: 'admin.tabs.recorder', anyOf: RECORDER_PERMISSIONS },
  { path: 'audit', labelKey: 'admin.tabs.audit', anyOf: ['audit.view'], organisationWide: true },
  { path: 'jobs', labelKey: 'admin.tabs.jobs', anyOf: ['jobs.view'], organisationWide: true },
  { path: 'import', labelKey: 'admin.tabs.import', anyOf: ['ingest.write'] },
  // Scorecards live in Quality; this tab leads there (administrators look for them here too).
  { path: 'scorecards', labelKey: 'admin.tabs.scorecards', anyOf: ['scorecards.manage'] },
];

/** The sections this user may open: a permission of each, and the whole organisation for the organisation-wide lists. */
export const adminSectionsFor = (me: Me) => ADMIN_SECTIONS.filter((s) => can(me, ...s.anyOf) && (!s.organisationWide || me.organisationWide));
