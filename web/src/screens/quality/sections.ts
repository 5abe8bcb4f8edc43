// The Quality area's tabs and the permissions that reveal each (cosmetic: the server enforces every permission).
// Each tab's screen is plugged in by web/src/screens/quality/routes.tsx.
import type { Section } from '../../components/SectionTabs.tsx';

export type QualitySection = Section;

export const QUALITY_SECTIONS: QualitySection[] = [
  // Evaluations I perform: assigned to me (to do, overdue) and done.
  { path: 'my', labelKey: 'quality.tabs.mine', anyOf: ['quality.review', 'quality.review_self'] },
  // An agent's completed evaluations of their own interactions, to acknowledge or dispute.
  { path: 'results', labelKey: 'quality.tabs.results', anyOf: ['quality.respond'] },
  { path: 'team', labelKey: 'quality.tabs.team', anyOf: ['quality.view_others', 'quality.plan'] },
  { path: 'disputes', labelKey: 'quality.tabs.disputes', anyOf: ['quality.review', 'quality.view_others'] },
  // Managers run sessions; evaluators score in them.
  { path: 'calibrations', labelKey: 'quality.tabs.calibrations', anyOf: ['quality.calibrate', 'quality.review'] },
  { path: 'offline', labelKey: 'quality.tabs.offline', anyOf: ['quality.review', 'quality.plan'] },
  { path: 'moments', labelKey: 'quality.tabs.moments', anyOf: ['moments.manage'] },
  { path: 'scorecards', labelKey: 'quality.tabs.scorecards', anyOf: ['scorecards.manage'] },
  { path: 'reports', labelKey: 'quality.tabs.reports', anyOf: ['reports.view'] },
];

export const QUALITY_PERMISSIONS = [...new Set(QUALITY_SECTIONS.flatMap((s) => s.anyOf))];
