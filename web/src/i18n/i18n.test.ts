// The seven catalogues must stay in step with English: same keys, no blanks, same placeholders and $t() nesting; and
// every key the code uses exists. Plural keys are compared by their base: i18next picks `key_<category>` with
// Intl.PluralRules of the language (en/de: one, other; fr/es/pt-BR: one, many, other; ru/cs: one, few, many, other)
// and falls back to the bare `key` when that form is missing, so a language must give exactly the forms its rules
// ask for, the bare key standing for `other`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, LANGUAGES, browserLanguage, matchLanguage, type Language } from './index.ts';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const PLURAL = new RegExp(`^(.*)_(${CATEGORIES.join('|')})$`);

/** Keys with their plural suffix taken off, and per base the forms a catalogue gives (the bare key counts as "other"). */
function shape(keys: Map<string, string>) {
  const forms = new Map<string, Set<string>>();
  for (const key of keys.keys()) {
    const m = PLURAL.exec(key);
    if (m) forms.set(m[1]!, (forms.get(m[1]!) ?? new Set()).add(m[2]!));
  }
  for (const [base, set] of forms) if (keys.has(base)) set.add('other');
  const bases = new Set([...keys.keys()].map((k) => (PLURAL.exec(k) && forms.has(PLURAL.exec(k)![1]!) ? PLURAL.exec(k)![1]! : k)));
  return { bases, forms };
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const nesting = (s: string) => [...s.matchAll(/\$t\(([^),]+)/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<\/?(\w+)\s*\/?>/g)].map((m) => m[0]).sort();

const flat = Object.fromEntries(LANGUAGES.map((l) => [l.value, flatten(CATALOGUES[l.value] as Tree)])) as Record<Language, Map<string, string>>;
const en = flat.en;
const enShape = shape(en);
/** The English text a translated key is compared with: the same key, else the bare one, else the "other" form. */
const englishOf = (key: string) => {
  const base = PLURAL.exec(key)?.[1];
  return en.get(key) ?? (base !== undefined ? (en.get(base) ?? en.get(`${base}_other`)) : undefined);
};

describe('i18n catalogues', () => {
  it('bundles the seven languages of the UI', () => {
    expect(LANGUAGES.map((l) => l.value)).toEqual(['en', 'fr', 'es', 'pt-BR', 'de', 'ru', 'cs']);
  });

  describe.each(LANGUAGES.map((l) => l.value))('%s', (lang) => {
    const keys = flat[lang];
    const { bases, forms } = shape(keys);
    const wanted = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();

    it('has exactly the keys of English (plural forms aside)', () => {
      const missing = [...enShape.bases].filter((k) => !bases.has(k));
      const extra = [...bases].filter((k) => !enShape.bases.has(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`gives every plural key the forms ${lang} needs (${wanted.join(', ')})`, () => {
      const wrong = [...enShape.forms.keys()]
        .map((base) => ({ base, forms: [...(forms.get(base) ?? (keys.has(base) ? ['other'] : []))].sort() }))
        .filter((x) => x.forms.join() !== wanted.join())
        .map((x) => `${x.base}: ${x.forms.join(', ') || 'none'}`);
      expect(wrong).toEqual([]);
    });

    it('has no empty values', () => {
      expect([...keys].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    });

    it('uses the same {{placeholders}}, $t() references and <tags> as English', () => {
      const mismatched = [...keys]
        .filter(([k, v]) => {
          const source = englishOf(k);
          if (source === undefined) return false;
          // A singular form may say "one" in words instead of {{count}} ("Last day"); any other placeholder must match.
          const ph = (s: string) => placeholders(s).filter((p) => !(PLURAL.test(k) && p === 'count'));
          return ph(v).join() !== ph(source).join() || nesting(v).join() !== nesting(source).join() || tags(v).join() !== tags(source).join();
        })
        .map(([k]) => k);
      expect(mismatched).toEqual([]);
    });
  });

  it('asks for the plural forms each language has', () => {
    // What the catalogues above are held to, written out so a change of ICU data shows here first.
    const cats = (l: string) => new Intl.PluralRules(l).resolvedOptions().pluralCategories.slice().sort().join();
    expect(cats('cs')).toBe('few,many,one,other');
    expect(cats('ru')).toBe('few,many,one,other');
    expect(cats('de')).toBe('one,other');
    expect(new Intl.PluralRules('cs').select(3)).toBe('few');
    expect(new Intl.PluralRules('cs').select(5)).toBe('other');
  });

  it('defines every literal key the web code uses', () => {
    const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const files = fs.readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    const used = new Set<string>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(srcDir, f), 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\blabelKey:\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !en.has(k) && !enShape.forms.has(k))).toEqual([]);
  });
});

describe('language of the sign-in page', () => {
  it("follows the browser's preferences in order, matching a regional variant to the language we have", () => {
    expect(browserLanguage(['cs-CZ', 'en'])).toBe('cs');
    expect(browserLanguage(['sk', 'de-AT', 'en'])).toBe('de');
    expect(browserLanguage(['pt-PT'])).toBe('pt-BR');
    expect(browserLanguage(['pt-br'])).toBe('pt-BR');
    expect(browserLanguage(['ja', 'zh'])).toBe('en');
    expect(browserLanguage(undefined)).toBe('en');
    expect(matchLanguage('ru-RU')).toBe('ru');
    expect(matchLanguage('xx')).toBeNull();
  });
});
