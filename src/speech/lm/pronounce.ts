// Pronunciations for the decoder's dictionary: CMUdict (shipped with the pocketsphinx model) first; words it lacks
// (company and product names, agent names) from espeak-ng's phonemes mapped to the CMU phone set; and, when
// espeak-ng is not installed or gives something unusable, simple letter-to-sound rules so a word is never dropped.

import { readFile } from 'node:fs/promises';
import { spawnTied } from '../../platform/process/tied.ts';

/** The 39 CMU phones the en-us acoustic model knows. */
export const CMU_PHONES = new Set('AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' '));

export type Lexicon = Map<string, string[]>;

const lexicons = new Map<string, Promise<Lexicon>>();

/** CMUdict as word → pronunciations (variants "word(2)" folded into the word). Shared by concurrent builds. */
export function loadCmudict(file: string): Promise<Lexicon> {
  let p = lexicons.get(file);
  if (!p) {
    p = readFile(file, 'utf8').then((text) => {
      const lex: Lexicon = new Map();
      for (const line of text.split('\n')) {
        const sp = line.indexOf(' ');
        if (sp <= 0) continue;
        const word = line.slice(0, sp).replace(/\(\d+\)$/, '');
        const pron = line.slice(sp + 1).trim();
        if (!pron) continue;
        const list = lex.get(word);
        if (list) list.push(pron);
        else lex.set(word, [pron]);
      }
      return lex;
    });
    p.catch(() => lexicons.delete(file));
    lexicons.set(file, p);
  }
  return p;
}

// espeak-ng's ASCII phoneme names (`-x`) for American English → CMU phones. Longest names are matched first.
const ESPEAK_TO_CMU: Record<string, string> = {
  'aI@': 'AY ER',
  aI3: 'AY ER',
  'aU@': 'AW ER',
  'i@3': 'IH R',
  'e@': 'EH R',
  'A@': 'AA R',
  'O@': 'AO R',
  'o@': 'AO R',
  'U@': 'UH R',
  'i@': 'IY AH',
  '3:': 'ER',
  'A:': 'AA',
  'O:': 'AO',
  'i:': 'IY',
  'u:': 'UW',
  aI: 'AY',
  aU: 'AW',
  eI: 'EY',
  OI: 'OY',
  oU: 'OW',
  'a#': 'AH',
  I2: 'IH',
  'I#': 'IH',
  'e#': 'EH',
  '@L': 'AH L',
  '@2': 'AH',
  '@5': 'AH',
  tS: 'CH',
  dZ: 'JH',
  't#': 'T',
  'r-': 'R',
  'l/': 'L',
  'n-': 'N',
  'm-': 'M',
  '3': 'ER',
  '@': 'AH',
  a: 'AE',
  A: 'AA',
  E: 'EH',
  e: 'EH',
  i: 'IY',
  I: 'IH',
  O: 'AO',
  '0': 'AA',
  o: 'OW',
  U: 'UH',
  u: 'UW',
  V: 'AH',
  T: 'TH',
  D: 'DH',
  S: 'SH',
  Z: 'ZH',
  N: 'NG',
  j: 'Y',
  h: 'HH',
  x: 'K',
  b: 'B',
  d: 'D',
  f: 'F',
  g: 'G',
  k: 'K',
  l: 'L',
  m: 'M',
  n: 'N',
  p: 'P',
  r: 'R',
  s: 'S',
  t: 'T',
  v: 'V',
  w: 'W',
  z: 'Z',
};
const ESPEAK_KEYS = Object.keys(ESPEAK_TO_CMU).sort((a, b) => b.length - a.length);

/** Maps one word's espeak-ng `-x` output (phonemes separated by "_") to CMU phones, or null if something is unknown. */
export function espeakToCmu(phonemes: string): string | null {
  const out: string[] = [];
  const cleaned = phonemes.replace(/[',%=:]+(?=_|$)/g, (m) => (m.includes(':') ? ':' : '')).replace(/[',%=]/g, '');
  for (const part of cleaned.split(/[_\s]+/)) {
    let rest = part;
    while (rest.length) {
      const key = ESPEAK_KEYS.find((k) => rest.startsWith(k));
      if (!key) {
        // Length marks and secondary symbols that carry no phone of their own.
        if (/^[;!|#:-]/.test(rest)) {
          rest = rest.slice(1);
          continue;
        }
        return null;
      }
      out.push(ESPEAK_TO_CMU[key]!);
      rest = rest.slice(key.length);
    }
  }
  const phones = out.join(' ').split(' ').filter(Boolean);
  return phones.length && phones.every((p) => CMU_PHONES.has(p)) ? phones.join(' ') : null;
}

/** Runs espeak-ng once for many words (one per line) and returns word → CMU pronunciation for those it could map. */
export function espeakPronunciations(words: readonly string[], binary = 'espeak-ng', timeoutMs = 30_000): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    const result = new Map<string, string>();
    if (!words.length) return resolve(result);
    let out = '';
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
      // espeak prints one line per input line; if the counts disagree we cannot pair them safely.
      if (lines.length === words.length) {
        words.forEach((w, i) => {
          const pron = espeakToCmu(lines[i]!);
          if (pron) result.set(w, pron);
        });
      }
      resolve(result);
    };
    const child = spawnTied(binary, ['-q', '-x', '--sep=_', '-v', 'en-us'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', finish);
    child.on('close', finish);
    child.stdin.on('error', () => {});
    // A full stop after each word makes espeak end the clause there, so each word comes back on its own line.
    child.stdin.end(words.map((w) => `${w}.`).join('\n') + '\n');
  });
}

// Letter-to-sound fallback: a handful of English spelling rules, longest match first. Rough, but close enough for
// the decoder to have a path through a name it has never seen.
const LTS: [string, string][] = [
  ['tion', 'SH AH N'],
  ['sion', 'ZH AH N'],
  ['ight', 'AY T'],
  ['augh', 'AO'],
  ['ough', 'AO'],
  ['eigh', 'EY'],
  ['ph', 'F'],
  ['th', 'TH'],
  ['sh', 'SH'],
  ['ch', 'CH'],
  ['ck', 'K'],
  ['ng', 'NG'],
  ['qu', 'K W'],
  ['wh', 'W'],
  ['wr', 'R'],
  ['kn', 'N'],
  ['ee', 'IY'],
  ['ea', 'IY'],
  ['oo', 'UW'],
  ['ou', 'AW'],
  ['ow', 'OW'],
  ['oa', 'OW'],
  ['ai', 'EY'],
  ['ay', 'EY'],
  ['oi', 'OY'],
  ['oy', 'OY'],
  ['au', 'AO'],
  ['aw', 'AO'],
  ['ie', 'IY'],
  ['ey', 'IY'],
  ['er', 'ER'],
  ['ir', 'ER'],
  ['ur', 'ER'],
  ['ar', 'AA R'],
  ['or', 'AO R'],
  ['a', 'AE'],
  ['b', 'B'],
  ['c', 'K'],
  ['d', 'D'],
  ['e', 'EH'],
  ['f', 'F'],
  ['g', 'G'],
  ['h', 'HH'],
  ['i', 'IH'],
  ['j', 'JH'],
  ['k', 'K'],
  ['l', 'L'],
  ['m', 'M'],
  ['n', 'N'],
  ['o', 'AA'],
  ['p', 'P'],
  ['q', 'K'],
  ['r', 'R'],
  ['s', 'S'],
  ['t', 'T'],
  ['u', 'AH'],
  ['v', 'V'],
  ['w', 'W'],
  ['x', 'K S'],
  ['y', 'IY'],
  ['z', 'Z'],
];

export function letterToSound(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  // A final silent e ("stone") is not pronounced.
  if (w.length > 3 && w.endsWith('e') && !/[aeiou]e$/.test(w)) w = w.slice(0, -1);
  const out: string[] = [];
  let i = 0;
  while (i < w.length) {
    const rule = LTS.find(([g]) => w.startsWith(g, i));
    if (!rule) {
      i++;
      continue;
    }
    const last = out[out.length - 1];
    // Doubled consonants ("ll", "ss") are one sound.
    if (!(rule[0].length === 1 && w[i - 1] === w[i] && last === rule[1])) out.push(rule[1]);
    i += rule[0].length;
  }
  return out.join(' ') || 'AH';
}

/** Lets the parsed CMUdict (~30 MB in memory) go once no build needs it; models are cached, so builds are rare. */
export function releaseCmudict(file: string): void {
  lexicons.delete(file);
}

/** Pronunciations for every word: CMUdict, else espeak-ng, else letter-to-sound rules. */
export async function pronounce(
  words: Iterable<string>,
  cmudict: Lexicon,
  espeak = 'espeak-ng',
): Promise<{ lexicon: Lexicon; derived: Map<string, 'espeak' | 'rules'> }> {
  const lexicon: Lexicon = new Map();
  const missing: string[] = [];
  for (const w of words) {
    const prons = cmudict.get(w);
    if (prons) lexicon.set(w, prons);
    else missing.push(w);
  }
  const derived = new Map<string, 'espeak' | 'rules'>();
  const fromEspeak = await espeakPronunciations(
    missing.filter((w) => /^[a-z']+$/.test(w)),
    espeak,
  );
  for (const w of missing) {
    const e = fromEspeak.get(w);
    if (e) {
      lexicon.set(w, [e]);
      derived.set(w, 'espeak');
    } else {
      lexicon.set(w, [letterToSound(w)]);
      derived.set(w, 'rules');
    }
  }
  return { lexicon, derived };
}

/** The dictionary file text pocketsphinx reads: "word PH ON ES", variants as "word(2)". */
export function formatDict(lexicon: Lexicon): string {
  const lines: string[] = [];
  for (const w of [...lexicon.keys()].sort()) {
    lexicon.get(w)!.forEach((p, i) => lines.push(i === 0 ? `${w} ${p}` : `${w}(${i + 1}) ${p}`));
  }
  return lines.join('\n') + '\n';
}
