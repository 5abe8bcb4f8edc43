// i18next with the two bundled catalogues. The signed-in user's language wins; before sign-in we use the last
// language chosen on this browser, then the browser's own preference.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'fr', label: 'Français' },
] as const;

export type Language = (typeof LANGUAGES)[number]['value'];

const STORAGE_KEY = 'earshot.language';

/** A permission id's key in the catalogue (permissionNames): i18next reads dots as nesting, so they become "__". */
export const permissionKey = (id: string) => id.replace(/\./g, '__');

export const isSupported = (lang: string | null | undefined): lang is Language => !!lang && LANGUAGES.some((l) => l.value === lang);

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isSupported(stored)) return stored;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  const nav = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
  return isSupported(nav) ? nav : 'en';
}

/** Switch the UI language now and remember it for the next visit's sign-in page. */
export function applyLanguage(lang: string | null | undefined): void {
  const base = lang?.slice(0, 2);
  if (!isSupported(base)) return;
  try {
    localStorage.setItem(STORAGE_KEY, base);
  } catch {
    // ignore
  }
  document.documentElement.lang = base;
  if (i18n.language !== base) void i18n.changeLanguage(base);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.value),
  interpolation: { escapeValue: false },
  returnNull: false,
});

if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
