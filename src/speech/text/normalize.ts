// Display form of recognised words ("inverse text normalisation"): engines give lower-case spoken words ("four one one
// one", "twenty five dollars", "john dot smith at example dot com"); people read "4111", "$25", "john.smith@example.com".
// The display form is an alternative to the words, never a replacement: the stored words (and their times) stay as
// spoken, and every display token remembers the word range it came from, so redaction and highlighting work by word.
// Rules are generic English number and entity grammar, nothing learnt from any call.

/** One piece of display text and the (inclusive) range of spoken words it stands for. */
export interface DisplayToken {
  text: string;
  first: number;
  last: number;
}

const UNITS: Record<string, number> = { zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TEENS: Record<string, number> = {
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };
const ORDINAL_UNITS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const CURRENCIES: Record<string, string> = { dollar: '$', dollars: '$', bucks: '$', euro: '€', euros: '€', pound: '£', pounds: '£' };
const TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'uk', 'us', 'ca', 'fr', 'de', 'es', 'it', 'nl', 'be', 'ch', 'au', 'info', 'biz', 'me']);
const EMAIL_JOINERS: Record<string, string> = { dot: '.', underscore: '_', dash: '-', hyphen: '-' };

const isNumberWord = (w: string) => w in UNITS || w in TEENS || w in TENS || w === 'hundred' || w in SCALES || /^\d+$/.test(w);

interface NumberChunk {
  value: number;
  /** The digits as said: "oh four" keeps its leading zero in a digit string. */
  digits: string;
  first: number;
  last: number;
  /** A lone digit word ("one"), which stays a word unless it is part of a longer number. */
  single: boolean;
}

/**
 * Reads one spoken cardinal starting at `i` ("twenty five", "three hundred and twelve", "two thousand five") or a lone
 * digit word, greedily. Returns null when `words[i]` starts no number.
 */
function readChunk(words: readonly string[], i: number): NumberChunk | null {
  const w = words[i]!;
  if (/^\d+$/.test(w)) return { value: Number(w), digits: w, first: i, last: i, single: w.length === 1 };
  if (w in UNITS && !(words[i + 1] === 'hundred' || words[i + 1]! in SCALES))
    return { value: UNITS[w]!, digits: String(UNITS[w]), first: i, last: i, single: true };
  let total = 0;
  let current = 0;
  let j = i;
  let any = false;
  // Within one cardinal: units after tens ("twenty five"), hundreds, then a scale word; "and" after hundred/scale.
  let lastKind: 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'scale' = 'none';
  for (; j < words.length; j++) {
    const x = words[j]!;
    if (x in UNITS && UNITS[x]! > 0 && (lastKind === 'none' || lastKind === 'tens' || lastKind === 'hundred' || lastKind === 'scale')) {
      current += UNITS[x]!;
      lastKind = 'unit';
    } else if (x in TEENS && (lastKind === 'none' || lastKind === 'hundred' || lastKind === 'scale')) {
      current += TEENS[x]!;
      lastKind = 'teen';
    } else if (x in TENS && (lastKind === 'none' || lastKind === 'hundred' || lastKind === 'scale')) {
      current += TENS[x]!;
      lastKind = 'tens';
    } else if (x === 'hundred' && (lastKind === 'unit' || lastKind === 'teen' || lastKind === 'tens') && current < 100) {
      current *= 100;
      lastKind = 'hundred';
    } else if (x in SCALES && lastKind !== 'none' && lastKind !== 'scale') {
      total += current * SCALES[x]!;
      current = 0;
      lastKind = 'scale';
    } else if (x === 'and' && (lastKind === 'hundred' || lastKind === 'scale') && j + 1 < words.length && isNumberWord(words[j + 1]!)) {
      continue;
    } else break;
    any = true;
  }
  if (!any) return null;
  const value = total + current;
  return { value, digits: String(value), first: i, last: j - 1, single: false };
}

/** A run of number words: one cardinal ("two hundred") or several said one after another (digits, "nineteen eighty"). */
function readNumberRun(words: readonly string[], i: number) {
  const chunks: NumberChunk[] = [];
  let j = i;
  for (;;) {
    if (j >= words.length) break;
    // "double five" / "triple zero", as people read out numbers.
    const rep = words[j] === 'double' ? 2 : words[j] === 'triple' ? 3 : 0;
    if (rep && j + 1 < words.length && words[j + 1]! in UNITS) {
      const d = String(UNITS[words[j + 1]!]);
      chunks.push({ value: Number(d.repeat(rep)), digits: d.repeat(rep), first: j, last: j + 1, single: false });
      j += 2;
      continue;
    }
    const c = readChunk(words, j);
    if (!c) break;
    chunks.push(c);
    j = c.last + 1;
  }
  return chunks;
}

function ordinalSuffix(n: number) {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
}

/** "john dot smith at example dot com" at `at` (the index of "at") → the address and the word range, or null. */
function readEmail(words: readonly string[], at: number): { text: string; first: number; last: number } | null {
  // Domain: label ("dot" label)+, ending in a known top-level domain.
  let j = at + 1;
  if (j >= words.length || !/^[a-z0-9]+$/.test(words[j]!)) return null;
  const domain = [words[j]!];
  let end = -1;
  while (words[j + 1] === 'dot' && j + 2 < words.length && /^[a-z0-9]+$/.test(words[j + 2]!)) {
    domain.push(words[j + 2]!);
    j += 2;
    if (TLDS.has(words[j]!)) end = j;
  }
  if (end < 0) return null;
  const labels = domain.slice(0, (end - at - 1) / 2 + 1);
  // Local part: one word, extended back over "dot"/"underscore"/"dash" joiners.
  let k = at - 1;
  if (k < 0 || !/^[a-z0-9]+$/.test(words[k]!) || words[k]! in EMAIL_JOINERS) return null;
  let local = words[k]!;
  while (k - 2 >= 0 && words[k - 1]! in EMAIL_JOINERS && /^[a-z0-9]+$/.test(words[k - 2]!) && !(words[k - 2]! in EMAIL_JOINERS)) {
    local = `${words[k - 2]}${EMAIL_JOINERS[words[k - 1]!]}${local}`;
    k -= 2;
  }
  return { text: `${local}@${labels.join('.')}`, first: k, last: end };
}

/** The display tokens of a word sequence: numbers, amounts, percentages, ordinals and e-mail addresses written out. */
export function normalizeWords(words: readonly string[]): DisplayToken[] {
  const out: DisplayToken[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    // E-mail: find the "at" that closes a local part starting here.
    if (/^[a-z0-9]+$/.test(w) && !(w in EMAIL_JOINERS)) {
      let k = i + 1;
      while (k + 1 < words.length && words[k]! in EMAIL_JOINERS) k += 2;
      if (words[k] === 'at') {
        const email = readEmail(words, k);
        if (email && email.first === i) {
          out.push({ text: email.text, first: i, last: email.last });
          i = email.last + 1;
          continue;
        }
      }
    }
    // An ordinal after a month ("march third") or after tens ("twenty first").
    if (w in TENS && words[i + 1] !== undefined && words[i + 1]! in ORDINAL_UNITS && ORDINAL_UNITS[words[i + 1]!]! < 10) {
      const n = TENS[w]! + ORDINAL_UNITS[words[i + 1]!]!;
      out.push({ text: `${n}${ordinalSuffix(n)}`, first: i, last: i + 1 });
      i += 2;
      continue;
    }
    if (w in ORDINAL_UNITS && i > 0 && MONTHS.includes(words[i - 1]!)) {
      const n = ORDINAL_UNITS[w]!;
      out.push({ text: `${n}${ordinalSuffix(n)}`, first: i, last: i });
      i += 1;
      continue;
    }
    const chunks = readNumberRun(words, i);
    if (chunks.length > 0) {
      const last = chunks[chunks.length - 1]!.last;
      const lone = chunks.length === 1 && chunks[0]!.single;
      // Several chunks in a row are read out digit groups (card and phone numbers, "nineteen eighty five").
      let text = chunks.length > 1 ? chunks.map((c) => c.digits).join('') : String(chunks[0]!.value);
      let end = last;
      const next = words[end + 1];
      if (next !== undefined && next in CURRENCIES && chunks.length === 1) {
        text = `${CURRENCIES[next]}${text}`;
        end += 1;
        // "… dollars and fifty cents" / "… dollars fifty".
        let k = end + 1;
        if (words[k] === 'and') k += 1;
        const cents = k < words.length ? readChunk(words, k) : null;
        if (cents && cents.value < 100 && (words[cents.last + 1] === 'cents' || words[cents.last + 1] === 'cent')) {
          text += `.${String(cents.value).padStart(2, '0')}`;
          end = cents.last + 1;
        }
      } else if (next === 'percent' && chunks.length === 1) {
        text = `${text}%`;
        end += 1;
      } else if (lone) {
        // "one moment", "on the two lines": a lone digit word stays a word.
        out.push({ text: w, first: i, last: i });
        i += 1;
        continue;
      }
      out.push({ text, first: i, last: end });
      i = end + 1;
      continue;
    }
    out.push({ text: w, first: i, last: i });
    i += 1;
  }
  return out;
}

export const joinTokens = (tokens: readonly DisplayToken[]) => tokens.map((t) => t.text).join(' ');

/** The display text of a word sequence. */
export function displayText(words: readonly string[]): string {
  return joinTokens(normalizeWords(words));
}
