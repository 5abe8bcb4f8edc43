// Tenant settings: stored as JSON on the tenant, read through these defaults.
export interface TenantSettings {
  sessionTimeoutHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  /** The language the search analyses text in (stemming, stop words); a change reindexes in the background. */
  searchLanguage: string;
  /** Speech events: a silence longer than this (no party speaking) is an event. */
  silenceMinSeconds: number;
  /** Speech events: two parties speaking at once for longer than this is crosstalk. */
  crosstalkMinSeconds: number;
  /** Longest life of an API token in days (0: no cap); a token without expiry or longer is refused, older ones stop working. */
  apiTokenMaxDays: number;
  /**
   * Speech (src/speech): the engine that transcribes calls — "auto" picks the best one available on the server
   * (local model, then an OpenAI-compatible server, then pocketsphinx), "none" turns transcription off — and
   * per-language overrides (primary language code → engine id).
   */
  speechEngine: string;
  speechEngineByLanguage: Record<string, string>;
  /** Words and phrases the engines should expect: product and company names, jargon (agent names are added by themselves). */
  speechVocabulary: string[];
  /** The PII types redaction detects and hides from users without "media.play_unredacted" (src/speech/model.ts PII_TYPES). */
  piiTypes: string[];
  /**
   * Outgoing e-mail (src/notify): the tenant's SMTP server (no host: e-mail is off), connection security (starttls,
   * tls or none), login and sender. The password is stored sealed (src/notify/secrets.ts) and never read back out.
   */
  smtpHost: string;
  smtpPort: number;
  smtpSecurity: string;
  smtpUser: string;
  smtpPassword: string;
  smtpFrom: string;
  /**
   * Quality (src/quality/responses): agents must acknowledge (or dispute) their evaluations, and an evaluation left
   * without a response is acknowledged automatically this many days after it was submitted or answered (0: never).
   */
  qualityRequireAcknowledgement: boolean;
  qualityAutoAcknowledgeDays: number;
  /**
   * Compliance setup (src/compliance/setup, permission lifecycle.manage): the data classes anonymization overwrites
   * (src/compliance/setup/model.ts ANONYMIZATION_PARTS) and the filterable custom fields it overwrites too (by id).
   */
  anonymizationParts: string[];
  anonymizationCustomFieldIds: string[];
}

export const DEFAULT_SETTINGS: TenantSettings = {
  sessionTimeoutHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 90,
  passwordMinLength: 10,
  searchLanguage: 'en',
  silenceMinSeconds: 5,
  crosstalkMinSeconds: 1,
  apiTokenMaxDays: 0,
  speechEngine: 'auto',
  speechEngineByLanguage: {},
  speechVocabulary: [],
  piiTypes: ['card_number', 'card_expiry', 'card_security_code', 'phone_number', 'email', 'date_of_birth', 'national_id', 'street_address'],
  smtpHost: '',
  smtpPort: 587,
  smtpSecurity: 'starttls',
  smtpUser: '',
  smtpPassword: '',
  smtpFrom: '',
  qualityRequireAcknowledgement: false,
  qualityAutoAcknowledgeDays: 0,
  anonymizationParts: ['phone_numbers', 'email_addresses', 'email_content', 'chat_content', 'transcripts', 'other_metadata'],
  anonymizationCustomFieldIds: [],
};

export function readSettings(stored: unknown): TenantSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<TenantSettings>;
  return { ...DEFAULT_SETTINGS, ...s };
}
