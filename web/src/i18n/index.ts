// i18next with the bundled catalogues. Signed in, the user's effective language wins (their own choice, else their
// group's, else the organisation's — the server works it out, /api/me `language`); before sign-in we use the language
// last chosen on this browser, then the browser's own preferences (navigator.languages, in order).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import cs from './cs.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import ptBR from './pt-BR.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };

/** The UI languages, each named in its own language (the same list as src/auth/languages.ts). */
export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
  { value: 'pt-BR', label: 'Português (Brasil)' },
  { value: 'de', label: 'Deutsch' },
  { value: 'ru', label: 'Русский' },
  { value: 'cs', label: 'Čeština' },
] as const;

export type Language = (typeof LANGUAGES)[number]['value'];

/** A language's name in its own words ("Čeština"); the code itself for one we do not have. */
export const languageLabel = (code: string | null | undefined) => LANGUAGES.find((l) => l.value === code)?.label ?? code ?? '';

export const CATALOGUES: Record<Language, object> = { en, fr, es, 'pt-BR': ptBR, de, ru, cs };

const STORAGE_KEY = 'earshot.language';

/** A permission id's key in the catalogue (permissionNames): i18next reads dots as nesting, so they become "__". */
export const permissionKey = (id: string) => id.replace(/\./g, '__');

export const isSupported = (lang: string | null | undefined): lang is Language => !!lang && LANGUAGES.some((l) => l.value === lang);

/**
 * The UI language for a BCP 47 tag: an exact match ("pt-BR"), else the same primary language ("de-AT" → de,
 * "pt-PT" → pt-BR, "cs" → cs); null when we have no such language.
 */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const exact = LANGUAGES.find((l) => l.value.toLowerCase() === tag.toLowerCase());
  if (exact) return exact.value;
  const primary = tag.split(/[-_]/)[0]!.toLowerCase();
  return LANGUAGES.find((l) => l.value.split('-')[0] === primary)?.value ?? null;
}

/** The first of the browser's preferred languages that we have; English when none. */
export function browserLanguage(preferred: readonly string[] | undefined): Language {
  for (const tag of preferred ?? []) {
    const lang = matchLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

function initialLanguage(): Language {
  try {
    const stored = matchLanguage(localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  if (typeof navigator === 'undefined') return 'en';
  return browserLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** Switch the UI language now and remember it for the next visit's sign-in page. */
export function applyLanguage(tag: string | null | undefined): void {
  const lang = matchLanguage(tag);
  if (!lang) return;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  document.documentElement.lang = lang;
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(Object.entries(CATALOGUES).map(([lang, translation]) => [lang, { translation }])),
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.value),
  // "pt-BR" is a language of its own here, not "pt" with a fallback.
  load: 'currentOnly',
  interpolation: { escapeValue: false },
  returnNull: false,
});

if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
