// Administration → Recorder (issue 13): its tabs and the permission that reveals each (cosmetic: the server enforces).
// Each tab's screen is plugged in by ./routes.tsx.
import type { Section } from '../../../components/SectionTabs.tsx';

export type RecorderSection = Section;

export const RECORDER_SECTIONS: RecorderSection[] = [
  // Counts, assurance flags, SRC probes and the recording modes (R3).
  { path: 'health', labelKey: 'recorderHealth.tab', anyOf: ['recorder.manage'] },
  // Sources (allow-list) and party rules (R1).
  { path: 'sources', labelKey: 'recorderHealth.tabSources', anyOf: ['recorder.manage'] },
];

export const RECORDER_PERMISSIONS = [...new Set(RECORDER_SECTIONS.flatMap((s) => s.anyOf))];
