// Administration → Compliance (issue 12): its tabs and the permission that reveals each (cosmetic: the server enforces).
// Each tab's screen is plugged in by ./routes.tsx.
import type { Section } from '../../../components/SectionTabs.tsx';

export type ComplianceSection = Section;

export const COMPLIANCE_SECTIONS: ComplianceSection[] = [
  // What anonymization removes (C1).
  { path: 'setup', labelKey: 'compliance.tabs.setup', anyOf: ['lifecycle.manage'] },
  // Retention policies and their purge preview (C2).
  { path: 'retention', labelKey: 'compliance.tabs.retention', anyOf: ['lifecycle.manage'] },
  { path: 'holds', labelKey: 'compliance.tabs.holds', anyOf: ['legal_holds.manage'] },
  // Archive targets and transfers (C3).
  { path: 'archiving', labelKey: 'compliance.tabs.archiving', anyOf: ['archive.manage'] },
  // Recording policies and vCon exports (C4).
  { path: 'policies', labelKey: 'compliance.tabs.policies', anyOf: ['lifecycle.manage'] },
  { path: 'exports', labelKey: 'compliance.tabs.exports', anyOf: ['conversations.export'] },
];

export const COMPLIANCE_PERMISSIONS = [...new Set(COMPLIANCE_SECTIONS.flatMap((s) => s.anyOf))];
