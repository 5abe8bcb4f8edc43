import { describe, expect, it } from 'vitest';
import { languageName, SEARCH_LANGUAGES } from './searchLanguages.ts';

describe('languageName', () => {
  it('names every search language in the UI language, capitalised', () => {
    expect(SEARCH_LANGUAGES.map((l) => languageName(l, 'en'))).toEqual(['English', 'French', 'Spanish', 'Portuguese', 'German', 'Russian', 'Czech']);
    expect(languageName('fr', 'fr')).toBe('Français');
    expect(languageName('de', 'fr')).toBe('Allemand');
    expect(languageName('cs', 'fr')).toBe('Tchèque');
  });
});
