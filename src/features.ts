// What the features contribute to the platform, collected once: their jobs and pipelines (src/jobs.ts) and their
// hooks into platform events. createContext takes this from the composition roots (src/main.ts, test and bench
// harnesses), so neither the platform nor context.ts imports a feature.
import type { FeatureWiring } from './context.ts';
import { JOBS } from './jobs.ts';
import { ensureTagPresets } from './conversations/tags/service.ts';
import { speechHealth } from './speech/service.ts';
import { ensureInsightDefaults } from './analytics/indicators/service.ts';
import { backfillInsights } from './analytics/insights/service.ts';
import { ensureDailyCounts } from './reports/refresh.ts';

export const FEATURES: FeatureWiring = {
  jobs: JOBS,
  // Per-tenant defaults a feature owns: created with the tenant, refreshed for every tenant at start-up.
  tenantCreated: [ensureTagPresets, ensureInsightDefaults, backfillInsights, ensureDailyCounts],
  // Whether calls can be transcribed here ("No speech engine configured" otherwise).
  health: { speech: speechHealth },
};
