// Tenant settings: stored as JSON on the tenant, read through these defaults.
export interface TenantSettings {
  sessionTimeoutHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  /** The language the search analyses text in (stemming, stop words); a change reindexes in the background. */
  searchLanguage: string;
}

export const DEFAULT_SETTINGS: TenantSettings = {
  sessionTimeoutHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 90,
  passwordMinLength: 10,
  searchLanguage: 'en',
};

export function readSettings(stored: unknown): TenantSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<TenantSettings>;
  return { ...DEFAULT_SETTINGS, ...s };
}
