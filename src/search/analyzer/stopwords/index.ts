import type { Language } from '../languages.ts';
import en from './en.ts';
import fr from './fr.ts';
import es from './es.ts';
import pt from './pt.ts';
import de from './de.ts';
import ru from './ru.ts';
import cs from './cs.ts';

const lists: Record<Language, string> = { en, fr, es, pt, de, ru, cs };
const sets = new Map<Language, ReadonlySet<string>>();

/** The stop word set of a language: lower-case, NFKC, apostrophes as U+0027. */
export function stopWords(lang: Language): ReadonlySet<string> {
  let set = sets.get(lang);
  if (!set) {
    set = new Set(
      lists[lang]
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => w.normalize('NFKC')),
    );
    sets.set(lang, set);
  }
  return set;
}
