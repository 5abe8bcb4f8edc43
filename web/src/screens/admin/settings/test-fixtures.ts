// The tenant settings the Settings screen's tests start from: every field the server sends, as a fresh tenant has
// them, so a test names only what it is about (and a new setting is added here once, not in every test).
import type { Settings } from '../../../api/types.ts';

export function settingsFixture(over: Partial<Settings> = {}): Settings {
  const base = {
    name: 'Acme',
    language: 'en',
    searchLanguage: 'en',
    sessionTimeoutHours: 12,
    lockoutThreshold: 5,
    lockoutMinutes: 90,
    passwordMinLength: 10,
    apiTokenMaxDays: 0,
    silenceMinSeconds: 5,
    crosstalkMinSeconds: 1,
    speechEngine: 'auto',
    speechEngineByLanguage: {},
    speechVocabulary: [],
    piiTypes: ['card_number'],
    smtpHost: '',
    smtpPort: 587,
    smtpSecurity: 'starttls',
    smtpUser: '',
    smtpFrom: '',
    smtpPasswordSet: false,
    qualityRequireAcknowledgement: false,
    qualityAutoAcknowledgeDays: 0,
  };
  return { ...base, ...over } as Settings;
}
