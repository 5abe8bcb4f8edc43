// PII detection on a sequence of words (a transcript utterance, or the tokens of a chat or email message).
// Rules written from how people say and write these things (digit by digit, in pairs, "oh" for zero, "double five",
// "john dot smith at example dot com", "march fourth nineteen eighty two"), never from the test corpus' transcripts:
// it is scored on them and on unseen calls. Numbers are parsed into "atoms" (one spoken number's digits), atoms
// into runs, and a run is classified by its digits (Luhn, phone number rules) and the cue words said before it —
// in this utterance or the previous ones (`context`), e.g. "what's the security code on the back?" → "four two one".
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { PiiType } from '../model.ts';

export interface PiiMatch {
  type: PiiType;
  /** Word indexes, inclusive. */
  firstWord: number;
  lastWord: number;
}

/** How many of the previous utterances' words count as context (cues and numbers carried over). */
const CONTEXT_WORDS = 40;
/** A cue more than this many words before a number no longer applies to it. */
const CUE_REACH = 40;

const DIGITS: Record<string, string> = {
  zero: '0',
  oh: '0',
  o: '0',
  nought: '0',
  naught: '0',
  nil: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};
/** Homophones a recogniser writes for digits; taken as digits only between two numbers ("four for one one"). */
const WEAK_DIGITS: Record<string, string> = { for: '4', fore: '4', to: '2', too: '2', won: '1', ate: '8', owe: '0' };
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
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
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
const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
/** Words said inside a spoken number without being part of it. */
const FILLERS = new Set(['uh', 'um', 'er', 'erm', 'ah', 'hmm', 'mm', 'dash', 'hyphen', '-', '–', ',', 'space']);

const STREET_SUFFIXES = new Set(
  (
    'street st avenue ave av road rd boulevard blvd lane ln drive dr court ct way place pl terrace ter circle cir parkway pkwy ' +
    'highway hwy square sq trail trl crescent cres close row alley plaza loop pike grove mews walk gardens heights ridge ' +
    'expressway freeway turnpike causeway broadway'
  ).split(' '),
);
const DIRECTIONS = new Set('north south east west n s e w ne nw se sw northeast northwest southeast southwest'.split(' '));
const UNIT_WORDS = new Set('apartment apt suite ste unit flat floor fl room rm building bldg #'.split(' '));
const US_STATES = new Set(
  (
    'alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa ' +
    'kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ' +
    'hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode island tennessee texas utah vermont ' +
    'virginia washington wisconsin wyoming ' +
    'al ak az ar ca co ct de fl ga hi id il ia ks ky la md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc'
  ).split(' '),
);
/** Counted things: "five minutes drive" is not an address. */
const NOT_STREET_NAMES = new Set(
  (
    'minute minutes hour hours day days week weeks month months year years dollar dollars cent cents time times percent people ' +
    'kids children more less other the a an and or of to in on at is was my your our their this that it i you we they per extra ' +
    'miles mile blocks block pounds euros items things calls'
  ).split(' '),
);
const AMOUNT_WORDS = new Set('dollars dollar bucks cents cent pounds euros euro percent minutes hours days weeks months years times'.split(' '));
const EMAIL_PROVIDERS = new Set('gmail googlemail hotmail yahoo outlook aol icloud protonmail proton live msn comcast verizon gmx mail'.split(' '));
const TLDS = new Set(
  'com net org edu gov mil io co uk us ca de fr es it nl be ch at au nz ie in info biz me tv ai app dev email online site xyz eu jp br mx ru pl se no dk fi pt'.split(
    ' ',
  ),
);
/** Words that end a spoken e-mail's local part when going back from "at". */
const EMAIL_STOP = new Set(
  (
    "is its it’s it's email e-mail mail address me my to at the a was be use it that yes yeah sure okay ok and or on in of please " +
    "send try thats that's uh um so just actually you your our us from by with as reach contact write"
  ).split(' '),
);
const EMAIL_JOINERS: Record<string, string> = { dot: '.', period: '.', point: '.', underscore: '_', dash: '-', hyphen: '-' };

type Cue = 'card' | 'expiry' | 'cvv' | 'dob' | 'id' | 'phone' | 'address' | 'last4';

/** Cue words (single words, or two-word phrases matched on the word and the one before it). */
const CUE_WORDS: Record<string, Cue> = {
  card: 'card',
  cards: 'card',
  credit: 'card',
  debit: 'card',
  visa: 'card',
  mastercard: 'card',
  amex: 'card',
  discover: 'card',
  expiry: 'expiry',
  expiration: 'expiry',
  expires: 'expiry',
  expire: 'expiry',
  expiring: 'expiry',
  exp: 'expiry',
  cvv: 'cvv',
  cvv2: 'cvv',
  cvc: 'cvv',
  cvc2: 'cvv',
  csc: 'cvv',
  cid: 'cvv',
  born: 'dob',
  birth: 'dob',
  birthday: 'dob',
  birthdate: 'dob',
  dob: 'dob',
  ssn: 'id',
  passport: 'id',
  license: 'id',
  licence: 'id',
  identification: 'id',
  phone: 'phone',
  telephone: 'phone',
  mobile: 'phone',
  cell: 'phone',
  cellphone: 'phone',
  landline: 'phone',
  callback: 'phone',
  fax: 'phone',
  address: 'address',
};
const CUE_PHRASES: Record<string, Cue> = {
  'security code': 'cvv',
  'security number': 'cvv',
  'verification value': 'cvv',
  'three digit': 'cvv',
  'three digits': 'cvv',
  'the back': 'cvv',
  'valid through': 'expiry',
  'valid thru': 'expiry',
  'valid until': 'expiry',
  'good through': 'expiry',
  'good thru': 'expiry',
  'social security': 'id',
  'national insurance': 'id',
  'insurance number': 'id',
  'id number': 'id',
  'tax id': 'id',
  'national id': 'id',
  'social insurance': 'id',
  's n': 'id',
  'o b': 'dob',
  'call you': 'phone',
  'my number': 'phone',
  'your number': 'phone',
  'contact number': 'phone',
  'best number': 'phone',
  'callback number': 'phone',
  'call me': 'phone',
  'reach you': 'phone',
  'reach me': 'phone',
  'call back': 'phone',
  'area code': 'phone',
  'text me': 'phone',
  'last four': 'last4',
  'last 4': 'last4',
};

/** One spoken or written number: its digits and the words it covers. */
interface Atom {
  digits: string;
  first: number;
  last: number;
  /** A word number ("forty one" = 2 digits) or a written one; single digits are said one word each. */
  kind: 'digit' | 'group' | 'written';
  /** A written token with '+' before it ("+44…"), or "plus" said before it. */
  plus?: boolean;
  /** Said with "hundred" or "thousand": how amounts and years are said, never a card's digits or a code. */
  big?: boolean;
}

interface Run {
  atoms: Atom[];
  first: number;
  last: number;
}

export const normWord = (w: string) =>
  w
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/^[^\p{L}\p{N}@+#(]+|[^\p{L}\p{N})]+$/gu, '');

const isWrittenNumber = (t: string) => /^\+?\(?\d[\d().\-/ ]*$/.test(t) && /\d/.test(t);

/** Parses the number starting at word i (null when none). Hyphenated "forty-one" is split by the caller. */
function atomAt(t: readonly string[], i: number): Atom | null {
  const w = t[i];
  if (w === undefined || w === '') return null;
  if (isWrittenNumber(w) && !/^\d{1,4}[/.]\d{1,4}([/.]\d{2,4})?$/.test(w)) {
    return { digits: w.replace(/\D/g, ''), first: i, last: i, kind: 'written', plus: w.startsWith('+') || t[i - 1] === 'plus' };
  }
  if ((w === 'double' || w === 'triple') && DIGITS[t[i + 1] ?? ''] !== undefined) {
    return { digits: DIGITS[t[i + 1]!]!.repeat(w === 'double' ? 2 : 3), first: i, last: i + 1, kind: 'digit' };
  }
  let value: number;
  let last = i;
  if (DIGITS[w] !== undefined) {
    // "o" alone is a letter more often than a digit: a digit only next to another number.
    if (w === 'o' && !(isNumberWord(t[i - 1]) || isNumberWord(t[i + 1]))) return null;
    value = Number(DIGITS[w]);
  } else if (TEENS[w] !== undefined) value = TEENS[w]!;
  else if (TENS[w] !== undefined) {
    value = TENS[w]!;
    const u = t[i + 1];
    if (u !== undefined && DIGITS[u] !== undefined && u !== 'oh' && u !== 'o' && u !== 'zero') {
      value += Number(DIGITS[u]);
      last = i + 1;
    }
  } else if (WEAK_DIGITS[w] !== undefined) {
    if (isStrongNumber(t, i - 1) && isStrongNumber(t, i + 1)) return { digits: WEAK_DIGITS[w]!, first: i, last: i, kind: 'digit' };
    return null;
  } else return null;
  // "four hundred (and) twelve", "twelve hundred", "two thousand (and) five".
  if (t[last + 1] === 'hundred' && value < 100) {
    value *= 100;
    last++;
    const rest = smallAfter(t, last + 1);
    if (rest) {
      value += rest.value;
      last = rest.last;
    }
    return { digits: String(value), first: i, last, kind: 'group', big: true };
  }
  if (t[last + 1] === 'thousand' && value < 100) {
    value *= 1000;
    last++;
    const rest = smallAfter(t, last + 1, true);
    if (rest) {
      value += rest.value;
      last = rest.last;
    }
    return { digits: String(value), first: i, last, kind: 'group', big: true };
  }
  return { digits: String(value), first: i, last, kind: last > i || value >= 10 ? 'group' : 'digit' };
}

function isNumberWord(w: string | undefined) {
  return w !== undefined && w !== 'o' && (DIGITS[w] !== undefined || TEENS[w] !== undefined || TENS[w] !== undefined || /^\d+$/.test(w));
}
function isStrongNumber(t: readonly string[], i: number) {
  return isNumberWord(t[i]) || t[i] === 'double' || t[i] === 'triple';
}

/** A number below 100 (or below 1000 after "thousand") after "hundred"/"thousand", with an optional "and". */
function smallAfter(t: readonly string[], i: number, allowHundreds = false): { value: number; last: number } | null {
  let j = i;
  if (t[j] === 'and') j++;
  const w = t[j];
  if (w === undefined) return null;
  if (allowHundreds && DIGITS[w] !== undefined && t[j + 1] === 'hundred') {
    const inner = smallAfter(t, j + 2);
    return { value: Number(DIGITS[w]) * 100 + (inner?.value ?? 0), last: inner?.last ?? j + 1 };
  }
  if (TEENS[w] !== undefined) return { value: TEENS[w]!, last: j };
  if (TENS[w] !== undefined) {
    const u = t[j + 1];
    if (u !== undefined && DIGITS[u] !== undefined && Number(DIGITS[u]) > 0) return { value: TENS[w]! + Number(DIGITS[u]), last: j + 1 };
    return { value: TENS[w]!, last: j };
  }
  if (DIGITS[w] !== undefined && Number(DIGITS[w]) > 0 && w !== 'oh' && w !== 'o') return { value: Number(DIGITS[w]), last: j };
  return null;
}

/** Day of month said as an ordinal ("fourth", "twenty first", "4th") or a number 1–31. */
function dayAt(t: readonly string[], i: number): { day: number; last: number } | null {
  const w = t[i];
  if (w === undefined) return null;
  const written = /^(\d{1,2})(st|nd|rd|th)?$/.exec(w);
  if (written) {
    const d = Number(written[1]);
    return d >= 1 && d <= 31 ? { day: d, last: i } : null;
  }
  if (ORDINAL_UNITS[w] !== undefined) return { day: ORDINAL_UNITS[w]!, last: i };
  if (TENS[w] !== undefined && (w === 'twenty' || w === 'thirty')) {
    const u = t[i + 1];
    if (u !== undefined && ORDINAL_UNITS[u] !== undefined && ORDINAL_UNITS[u]! < 10) {
      const d = TENS[w]! + ORDINAL_UNITS[u]!;
      return d <= 31 ? { day: d, last: i + 1 } : null;
    }
  }
  const a = atomAt(t, i);
  if (a && a.kind !== 'written' && Number(a.digits) >= 1 && Number(a.digits) <= 31) return { day: Number(a.digits), last: a.last };
  return null;
}

/** A year: "nineteen eighty two", "two thousand (and) five", "twenty oh five", "twenty twenty seven", "1982", "'82", "eighty two". */
function yearAt(t: readonly string[], i: number, allowTwoDigits: boolean): { year: string; last: number } | null {
  const w = t[i];
  if (w === undefined) return null;
  if (/^(19|20)\d\d$/.test(w)) return { year: w, last: i };
  if (/^'\d\d$/.test(w)) return { year: w.slice(1), last: i };
  const a = atomAt(t, i);
  if (!a || a.kind === 'written') return null;
  if (a.digits.length === 4) return { year: a.digits, last: a.last };
  if (a.digits === '19' || a.digits === '20') {
    const b = atomAt(t, a.last + 1);
    if (b && b.kind !== 'written' && b.digits.length === 2) return { year: a.digits + b.digits, last: b.last };
    if (b && b.digits === '0') {
      const c = atomAt(t, b.last + 1);
      if (c && c.digits.length === 1) return { year: `${a.digits}0${c.digits}`, last: c.last };
    }
  }
  if (allowTwoDigits) {
    if (a.digits.length === 2 && a.digits !== '19' && a.digits !== '20') return { year: a.digits, last: a.last };
    if (a.digits === '0') {
      const b = atomAt(t, a.last + 1);
      if (b && b.digits.length === 1) return { year: `0${b.digits}`, last: b.last };
    }
  }
  return null;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isPhoneNumber(digits: string, plus: boolean): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  const tries: Array<[string, CountryCode | undefined]> = plus ? [[`+${digits}`, undefined]] : [[digits, 'US']];
  if (!plus && digits.length > 10) tries.push([`+${digits}`, undefined]);
  for (const [n, c] of tries) {
    const p = parsePhoneNumberFromString(n, c);
    if (p?.isPossible()) return true;
  }
  return false;
}

/**
 * Finds the PII spans of the given types in `words` (as spoken or written: "four one one one", "4111", "john dot
 * smith at example dot com"). `context` holds the words of the utterances just before, for cues such as "the card
 * number is" said in the previous turn.
 */
export function detectPii(words: readonly string[], types: readonly PiiType[], context: readonly string[] = []): PiiMatch[] {
  if (words.length === 0 || types.length === 0) return [];
  // Context and words as one token list; spans are clipped to the words at the end.
  const ctx = context.slice(-CONTEXT_WORDS);
  const raw = [...ctx, ...words];
  const offset = ctx.length;
  // Split "forty-one" and "4111-1111" stays whole (a written number); index map back to the given word.
  const t: string[] = [];
  const src: number[] = [];
  raw.forEach((w, i) => {
    const n = normWord(w);
    const parts = /^[a-z]+(-[a-z]+)+$/.test(n) && n.split('-').every((p) => isNumberWord(p) || p === 'double' || p === 'triple') ? n.split('-') : [n];
    for (const p of parts) {
      t.push(p);
      src.push(i);
    }
  });
  const want = new Set(types);
  const used = new Array<boolean>(t.length).fill(false);
  const found: Array<{ type: PiiType; first: number; last: number }> = [];
  const free = (a: number, b: number) => {
    for (let k = a; k <= b; k++) if (used[k]) return false;
    return true;
  };
  const add = (type: PiiType, first: number, last: number) => {
    if (!want.has(type)) return false;
    found.push({ type, first, last });
    for (let k = first; k <= last; k++) used[k] = true;
    return true;
  };

  // Cues: the position of each cue word, to ask "was the card mentioned in the last N words before i?".
  const cues: Array<{ cue: Cue; at: number }> = [];
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    const phrase = i > 0 ? `${t[i - 1]} ${w}` : '';
    const c = CUE_PHRASES[phrase] ?? CUE_WORDS[w];
    if (c) cues.push({ cue: c, at: i });
    if (w === 'social' && t[i + 1] !== 'security' && t[i + 1] !== 'insurance') cues.push({ cue: 'id', at: i });
    if ((w === 'number' || w === 'numbers') && (t[i - 1] === 'card' || t[i - 2] === 'card')) cues.push({ cue: 'card', at: i });
    if (w === 'long' && t[i + 1] === 'number') cues.push({ cue: 'card', at: i });
  }
  /** Distance back from i to the nearest cue (Infinity when none within reach); a cue right after counts as 1. */
  const near = (cue: Cue, i: number, after = 0) => {
    let best = Infinity;
    for (const c of cues) {
      if (c.cue !== cue) continue;
      if (c.at < i && i - c.at <= CUE_REACH) best = Math.min(best, i - c.at);
      else if (c.at >= i && c.at - i <= after) best = Math.min(best, 1);
    }
    return best;
  };
  const cardContext = (i: number) => near('card', i) < Infinity || near('cvv', i) < Infinity || near('expiry', i) < Infinity;

  detectEmails(t, free, add);

  // Written dates (04/27, 03/04/1982, 1982-03-04) and SSN-shaped numbers (123-45-6789).
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    if (used[i]) continue;
    if (/^\d{3}-\d{2}-\d{4}$/.test(w)) {
      add('national_id', i, i);
      continue;
    }
    const mmYY = /^(\d{1,2})[/-](\d{2}|\d{4})$/.exec(w);
    if (mmYY && Number(mmYY[1]) >= 1 && Number(mmYY[1]) <= 12 && (cardContext(i) || near('expiry', i) < Infinity)) {
      add('card_expiry', i, i);
      continue;
    }
    const full = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(w);
    if (full && near('dob', i, 3) < Infinity) add('date_of_birth', i, i);
  }

  detectAddresses(t, used, free, add, near);
  detectSpokenDates(t, free, add, near, cardContext);

  // Numbers: runs of atoms, classified by their digits and the cues before them.
  for (const run of runsOf(t, used)) classifyRun(run);

  function classifyRun(run: Run) {
    const atoms = run.atoms;
    if (atoms.length === 0) return;
    const digits = atoms.map((a) => a.digits).join('');
    const start = run.first;
    // A card number: the longest Luhn-valid stretch of 13–19 digits (a number said next to it stays out).
    let best: [number, number] | null = null;
    let bestLen = 0;
    for (let a = 0; a < atoms.length; a++) {
      let len = 0;
      for (let b = a; b < atoms.length; b++) {
        len += atoms[b]!.digits.length;
        if (len > 19) break;
        if (
          len >= 13 &&
          len > bestLen &&
          luhn(
            atoms
              .slice(a, b + 1)
              .map((x) => x.digits)
              .join(''),
          )
        ) {
          best = [a, b];
          bestLen = len;
        }
      }
    }
    if (best) {
      add('card_number', atoms[best[0]]!.first, atoms[best[1]]!.last);
      if (best[0] > 0) classifyRun(sub(atoms.slice(0, best[0])));
      if (best[1] < atoms.length - 1) classifyRun(sub(atoms.slice(best[1] + 1)));
      return;
    }
    // An amount ("twelve hundred fifty dollars", "$45") is not an account number.
    const next = t[run.last + 1] ?? '';
    if (AMOUNT_WORDS.has(next) || t[run.first]!.startsWith('$')) return;
    if ((next === 'a' || next === 'per' || next === 'each') && /^(month|year|week|day|minute|hour|line|person)s?$/.test(t[run.last + 2] ?? '')) return;
    // "two hundred and fifty": an amount, a count or a year, not a card, code or expiry (phone numbers may say "hundred").
    const big = atoms.some((a) => a.big);
    const dCard = near('card', start);
    const dCvv = near('cvv', start);
    const dExp = near('expiry', start);
    const dDob = near('dob', start);
    const dId = near('id', start);
    const dPhone = near('phone', start, 2);
    const inCard = dCard < Infinity || dCvv < Infinity || dExp < Infinity;
    const n = digits.length;
    const nearest = Math.min(dCard, dCvv, dExp, dDob, dId, dPhone);
    // Misheard or partly said card numbers: in card context, a long run is the card.
    if (inCard && n >= 12 && n <= 19 && nearest === dCard) return void add('card_number', run.first, run.last);
    // A national id: nine digits (SSN 3-2-4) after an id cue; "the last four of your social".
    if (dId < Infinity && dId === nearest && (n === 9 || (n === 4 && near('last4', start) < Infinity))) return void add('national_id', run.first, run.last);
    if (dDob < Infinity && dDob === nearest && (n === 6 || n === 8) && numericDate(digits)) return void add('date_of_birth', run.first, run.last);
    // A code is read digit by digit ("four two one"); an expiry as month and year ("four twenty seven").
    const digitByDigit = atoms.every((a) => a.digits.length === 1);
    if (!big && inCard && (n === 3 || n === 4) && dCvv < Infinity && (dCvv <= dExp || (n === 3 && digitByDigit)))
      return void add('card_security_code', run.first, run.last);
    if (!big && inCard && n >= 3 && n <= 6 && expiryDigits(digits) && (dExp < Infinity || dCard === nearest))
      return void add('card_expiry', run.first, run.last);
    if (!big && inCard && (n === 3 || n === 4) && dCvv < Infinity) return void add('card_security_code', run.first, run.last);
    // Card numbers read in chunks over several turns ("four one one one" … "one one one one").
    if (!big && dCard < Infinity && dCard === nearest && n >= 4 && n <= 19 && near('card', start) <= 25) return void add('card_number', run.first, run.last);
    const plus = atoms[0]!.plus ?? false;
    if (n >= 10 && isPhoneNumber(digits, plus)) return void add('phone_number', run.first, run.last);
    if (n >= 7 && n <= 15 && (dPhone < Infinity || plus) && (n < 10 || isPhoneNumber(digits, plus))) return void add('phone_number', run.first, run.last);
    // Asked for a phone number, a foreign one (not a US shape) is still one.
    if (n >= 7 && n <= 15 && dPhone < Infinity && dPhone === nearest) return void add('phone_number', run.first, run.last);
    if (n === 7 && dPhone < Infinity) return void add('phone_number', run.first, run.last);
    if (n === 9 && dId < Infinity) return void add('national_id', run.first, run.last);
  }

  const out: PiiMatch[] = [];
  for (const f of found) {
    const first = Math.max(src[f.first]!, offset) - offset;
    const last = src[f.last]! - offset;
    if (last < 0 || first > last) continue;
    out.push({ type: f.type, firstWord: first, lastWord: last });
  }
  out.sort((a, b) => a.firstWord - b.firstWord || a.lastWord - b.lastWord);
  // Merge duplicates of the same type that touch (one word may come from two split parts).
  const merged: PiiMatch[] = [];
  for (const m of out) {
    const prev = merged[merged.length - 1];
    if (prev && prev.type === m.type && m.firstWord <= prev.lastWord + 1) prev.lastWord = Math.max(prev.lastWord, m.lastWord);
    else merged.push({ ...m });
  }
  return merged;
}

const sub = (atoms: Atom[]): Run => ({ atoms, first: atoms[0]!.first, last: atoms[atoms.length - 1]!.last });

/** MMYY, MYY, MMYYYY, MYYYY with a month 1–12. */
function expiryDigits(d: string): boolean {
  const tryMonth = (m: string, y: string) => Number(m) >= 1 && Number(m) <= 12 && (y.length === 2 || /^20\d\d$/.test(y));
  if (d.length === 3) return tryMonth(d.slice(0, 1), d.slice(1));
  if (d.length === 4) return tryMonth(d.slice(0, 2), d.slice(2));
  if (d.length === 5) return tryMonth(d.slice(0, 1), d.slice(1));
  if (d.length === 6) return tryMonth(d.slice(0, 2), d.slice(2));
  return false;
}

/** MMDDYY(YY) or DDMMYY(YY). */
function numericDate(d: string): boolean {
  const a = Number(d.slice(0, 2));
  const b = Number(d.slice(2, 4));
  const ok = (m: number, day: number) => m >= 1 && m <= 12 && day >= 1 && day <= 31;
  return ok(a, b) || ok(b, a);
}

/** Maximal runs of numbers not yet claimed, allowing fillers ("uh", "dash") between them. */
function runsOf(t: readonly string[], used: readonly boolean[]): Run[] {
  const runs: Run[] = [];
  let cur: Atom[] = [];
  let pendingFiller = 0;
  const close = () => {
    if (cur.length) runs.push(sub(cur));
    cur = [];
    pendingFiller = 0;
  };
  for (let i = 0; i < t.length;) {
    if (used[i]) {
      close();
      i++;
      continue;
    }
    const a = atomAt(t, i);
    if (a && !used.slice(a.first, a.last + 1).some(Boolean)) {
      if (t[i - 1] === 'plus' && cur.length === 0) a.plus = true;
      cur.push(a);
      pendingFiller = 0;
      i = a.last + 1;
      continue;
    }
    if (cur.length && FILLERS.has(t[i]!) && pendingFiller < 2) {
      pendingFiller++;
      i++;
      continue;
    }
    close();
    i++;
  }
  close();
  return runs;
}

type Add = (type: PiiType, first: number, last: number) => boolean;
type Free = (a: number, b: number) => boolean;
type Near = (cue: Cue, i: number, after?: number) => number;

function detectEmails(t: readonly string[], free: Free, add: Add) {
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    if (/^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(w)) {
      add('email', i, i);
      continue;
    }
    // Spoken: "<local> at <domain> dot <tld>" or "<local> at gmail".
    const atWord = w === 'at' || w === '@' || w === 'at-sign' ? i : -1;
    if (atWord < 0 || atWord === 0) continue;
    let j = atWord + 1;
    if (t[j] === 'sign' || t[j] === 'symbol') j++;
    // Domain labels joined by "dot".
    let end = -1;
    let k = j;
    let labels = 0;
    while (k < t.length) {
      const label = t[k];
      if (!label || EMAIL_STOP.has(label) || !/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*$/u.test(label)) break;
      labels++;
      if (label.includes('.') && TLDS.has(label.split('.').pop()!)) end = k;
      if ((t[k + 1] === 'dot' || t[k + 1] === 'period' || t[k + 1] === 'point') && t[k + 2] !== undefined) {
        if (TLDS.has(t[k + 2]!)) end = k + 2;
        k += 2;
        continue;
      }
      break;
    }
    if (end < 0 && labels >= 1 && EMAIL_PROVIDERS.has(t[j]!)) end = j;
    if (end < 0) continue;
    // Local part back from "at": parts joined by dot/underscore/dash, spelled letters, numbers; up to three plain words.
    let s = atWord - 1;
    if (EMAIL_STOP.has(t[s]!)) continue;
    let plain = 0;
    while (s - 1 >= 0) {
      const prev = t[s - 1]!;
      if (EMAIL_JOINERS[prev] !== undefined && s - 2 >= 0 && !EMAIL_STOP.has(t[s - 2]!)) {
        s -= 2;
        continue;
      }
      if (EMAIL_STOP.has(prev) || CUE_WORDS[prev] !== undefined) break;
      // Spelled letters ("j o h n") count as one part; other words up to three.
      if (/^[a-z]$/.test(prev) && /^[a-z]$/.test(t[s]!)) {
        s--;
        continue;
      }
      if (plain >= 3) break;
      plain++;
      s--;
    }
    if (free(s, end)) add('email', s, end);
    i = end;
  }
}

function detectAddresses(t: readonly string[], used: readonly boolean[], free: Free, add: Add, near: Near) {
  for (let k = 1; k < t.length; k++) {
    if (!STREET_SUFFIXES.has(t[k]!) || used[k]) continue;
    for (let nameLen = 1; nameLen <= 3; nameLen++) {
      const s = k - nameLen;
      if (s < 1) break;
      const name = t.slice(s, k);
      if (name.some((w) => NOT_STREET_NAMES.has(w) || w === '' || (isNumberWord(w) && !DIRECTIONS.has(w)))) break;
      // The house number ends right before the street name: find the run of numbers ending at s-1.
      let first = -1;
      for (let b = Math.max(0, s - 8); b < s; b++) {
        const runs = runsOf(t.slice(b, s), used.slice(b, s));
        const r = runs[0];
        if (runs.length === 1 && r && r.first === 0 && r.last === s - 1 - b) {
          const digits = r.atoms.map((a) => a.digits).join('');
          if (digits.length >= 1 && digits.length <= 6) {
            first = b;
            break;
          }
        }
      }
      // "unit 4, 12 main street" — a written house number with a letter ("12b") counts too.
      if (first < 0 && /^\d{1,6}[a-z]?$/.test(t[s - 1]!)) first = s - 1;
      if (first < 0) continue;
      // Counts said before a suffix-like word ("two way street") need an address cue.
      if (nameLen === 1 && !(near('address', first) < Infinity) && /^(way|row|close|walk|loop|square|place|court|drive|grove)$/.test(t[k]!)) continue;
      let last = k;
      // After the suffix: a direction, an apartment or suite, then a city and state or ZIP code within a few words.
      if (DIRECTIONS.has(t[last + 1] ?? '')) last++;
      if (UNIT_WORDS.has(t[last + 1] ?? '') || (t[last + 1] === 'number' && isNumberWord(t[last + 2]))) {
        let u = last + 2;
        const a = atomAt(t, u);
        if (a) u = a.last;
        else if (!/^[\p{L}\p{N}]{1,4}$/u.test(t[u] ?? '')) u = last + 1;
        if (/^[a-z]$/.test(t[u + 1] ?? '')) u++;
        last = u;
      }
      for (let j = last + 1; j <= Math.min(t.length - 1, last + 5); j++) {
        const w = t[j]!;
        if (EMAIL_STOP.has(w) && w !== 'in' && w !== 'and') break;
        if (US_STATES.has(w) && w.length > 2) {
          last = j;
          const zip = runsOf(t.slice(j + 1, j + 12), used.slice(j + 1, j + 12))[0];
          if (zip && zip.first === 0 && [5, 9].includes(zip.atoms.map((a) => a.digits).join('').length)) last = j + 1 + zip.last;
          break;
        }
        const zip = runsOf(t.slice(j, j + 12), used.slice(j, j + 12))[0];
        if (zip && zip.first === 0 && [5, 9].includes(zip.atoms.map((a) => a.digits).join('').length)) {
          last = j + zip.last;
          break;
        }
      }
      if (free(first, last)) add('street_address', first, last);
      break;
    }
  }
}

function detectSpokenDates(t: readonly string[], free: Free, add: Add, near: Near, cardContext: (i: number) => boolean) {
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    // "the fourth of march nineteen eighty two" / "4th march 1982": day first.
    const dayFirst = MONTHS[w] === undefined ? dayAt(t, i) : null;
    if (dayFirst) {
      const m = dayFirst.last + (t[dayFirst.last + 1] === 'of' ? 2 : 1);
      const month = t[m] ?? '';
      if (MONTHS[month] !== undefined && (month.length > 3 || month === 'may')) {
        const y = yearAt(t, m + 1, true);
        const last = y ? y.last : m;
        if (near('dob', i, 4) < Infinity && free(i, last)) {
          add('date_of_birth', i, last);
          i = last;
          continue;
        }
      }
    }
    if (!isMonth(t, i)) continue;
    // Month first: "march fourth nineteen eighty two", "march 4, 1982", "april twenty twenty seven", "april of '27".
    let j = i + 1;
    if (t[j] === 'the') j++;
    const day = dayAt(t, j);
    if (day) {
      const y = yearAt(t, day.last + 1, true);
      // "april twenty twenty seven" is a month and a year, not the twentieth.
      const asYear = yearAt(t, j, false);
      if (asYear && (!y || asYear.last >= y.last)) {
        if (markMonthYear(i, asYear.last)) i = asYear.last;
        continue;
      }
      const last = y ? y.last : day.last;
      if (near('dob', i, 4) < Infinity && free(i, last)) {
        add('date_of_birth', i, last);
        i = last;
        continue;
      }
      if (!y && (cardContext(i) || near('expiry', i) < Infinity) && day.day <= 99) {
        // "april twenty seven" on a card is an expiry month and year.
        const two = yearAt(t, j, true);
        if (two && markMonthYear(i, two.last)) i = two.last;
      }
      continue;
    }
    const y = yearAt(t, t[i + 1] === 'of' ? i + 2 : i + 1, true);
    if (y && markMonthYear(i, y.last)) i = y.last;
  }

  function markMonthYear(first: number, last: number) {
    if (!free(first, last)) return false;
    if (near('dob', first, 4) < Infinity && (near('dob', first) <= near('expiry', first) || !cardContext(first))) return add('date_of_birth', first, last);
    if (cardContext(first) || near('expiry', first) < Infinity) return add('card_expiry', first, last);
    return false;
  }
}

/** A month name; "may" and "march" only where a day or year follows (they are common words). */
function isMonth(t: readonly string[], i: number): boolean {
  const w = t[i];
  if (w === undefined || MONTHS[w] === undefined) return false;
  if (w.length <= 3 && w !== 'may') return /^[a-z]{3}$/.test(w) && (dayAt(t, i + 1) !== null || yearAt(t, i + 1, false) !== null);
  if (w === 'may' || w === 'march') {
    const next = t[i + 1] === 'the' || t[i + 1] === 'of' ? i + 2 : i + 1;
    return dayAt(t, next) !== null || yearAt(t, next, true) !== null;
  }
  return true;
}
