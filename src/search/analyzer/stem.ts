import snowball from 'snowball-stemmers';
import { SNOWBALL_ALGORITHM, type Language } from './languages.ts';

type Stem = (word: string) => string;
const stemmers = new Map<Language, Stem>();

/**
 * The Snowball stemmer of a language (`snowball-stemmers`: English, French, Spanish, Portuguese,
 * German, Russian and Czech are all Snowball algorithms). Input must be lower-case. Stemmers are
 * stateful objects, created once per language; the analyzer memoises results per token.
 */
export function stemmerFor(lang: Language): Stem {
  let stem = stemmers.get(lang);
  if (!stem) {
    const s = snowball.newStemmer(SNOWBALL_ALGORITHM[lang]);
    stem = (word: string) => s.stem(word);
    stemmers.set(lang, stem);
  }
  return stem;
}
