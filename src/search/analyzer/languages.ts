/** The tenant languages the analyzer supports (one Snowball stemmer and one stop word list each). */
export const LANGUAGES = ['en', 'fr', 'es', 'pt', 'de', 'ru', 'cs'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Snowball algorithm names in `snowball-stemmers`. */
export const SNOWBALL_ALGORITHM: Record<Language, string> = {
  en: 'english',
  fr: 'french',
  es: 'spanish',
  pt: 'portuguese',
  de: 'german',
  ru: 'russian',
  cs: 'czech',
};
