// The languages the search analyzer knows (src/search/analyzer/languages.ts), named in the UI language.

export const SEARCH_LANGUAGES = ['en', 'fr', 'es', 'pt', 'de', 'ru', 'cs'] as const;

/** The job the server starts when the search language changes (shown on the admin Jobs page). */
export const REINDEX_JOB = 'search.reindex';

/** "French" in English, "Français" in French; the code itself when the browser cannot name it. */
export function languageName(code: string, uiLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code);
    if (!name || name === code) return code;
    return name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1);
  } catch {
    return code;
  }
}
