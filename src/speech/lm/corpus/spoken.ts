// Things callers spell out: numbers digit by digit, amounts, dates, times, phone numbers, card numbers, emails,
// street addresses and names, generated from templates with a fixed seed (the same text every build). Written by the
// Earshot developers; see README.md in this folder.

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINALS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty first',
  'twenty second',
  'twenty third',
  'twenty fourth',
  'twenty fifth',
  'twenty sixth',
  'twenty seventh',
  'twenty eighth',
  'twenty ninth',
  'thirtieth',
  'thirty first',
];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const FIRST = [
  'james',
  'john',
  'robert',
  'michael',
  'william',
  'david',
  'richard',
  'joseph',
  'thomas',
  'charles',
  'daniel',
  'matthew',
  'anthony',
  'mark',
  'steven',
  'paul',
  'andrew',
  'kevin',
  'brian',
  'george',
  'edward',
  'ryan',
  'jason',
  'eric',
  'peter',
  'mary',
  'patricia',
  'jennifer',
  'linda',
  'elizabeth',
  'barbara',
  'susan',
  'jessica',
  'sarah',
  'karen',
  'lisa',
  'nancy',
  'betty',
  'sandra',
  'ashley',
  'emily',
  'michelle',
  'amanda',
  'melissa',
  'laura',
  'rachel',
  'anna',
  'maria',
  'olivia',
  'emma',
  'sophia',
  'grace',
  'hannah',
  'natalie',
  'julia',
  'kate',
  'helen',
  'diane',
  'carol',
  'amy',
  'chris',
  'alex',
  'sam',
  'jordan',
  'taylor',
  'morgan',
  'luis',
  'carlos',
  'jose',
  'ahmed',
  'priya',
  'wei',
  'omar',
  'fatima',
  'tom',
  'dan',
];
const LAST = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'wilson',
  'anderson',
  'taylor',
  'thomas',
  'moore',
  'jackson',
  'martin',
  'lee',
  'thompson',
  'white',
  'harris',
  'clark',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'hill',
  'green',
  'adams',
  'baker',
  'nelson',
  'carter',
  'mitchell',
  'roberts',
  'turner',
  'phillips',
  'campbell',
  'parker',
  'evans',
  'edwards',
  'collins',
  'stewart',
  'morris',
  'murphy',
  'cook',
  'rogers',
  'reed',
  'bailey',
  'bell',
  'cooper',
  'howard',
  'ward',
  'cox',
  'brooks',
  'kelly',
  'sanders',
  'price',
  'bennett',
  'wood',
  'barnes',
  'ross',
  'henderson',
  'coleman',
  'jenkins',
  'perry',
  'powell',
  'long',
  'patel',
  'nguyen',
  'chen',
  'kim',
  'singh',
  'lopez',
  'gonzalez',
  'hughes',
  'foster',
  'gray',
  'fisher',
  'hayes',
];
const STREETS = [
  'main',
  'oak',
  'maple',
  'pine',
  'cedar',
  'elm',
  'washington',
  'lake',
  'hill',
  'park',
  'river',
  'church',
  'spring',
  'north',
  'south',
  'meadow',
  'forest',
  'sunset',
  'highland',
  'willow',
  'cherry',
  'walnut',
  'lincoln',
  'jefferson',
  'madison',
  'franklin',
  'chestnut',
  'birch',
  'mill',
  'center',
  'valley',
  'ridge',
  'orchard',
  'harbor',
  'broad',
];
const STREET_TYPES = ['street', 'avenue', 'road', 'drive', 'lane', 'court', 'boulevard', 'way', 'place', 'circle'];
const CITIES = [
  'springfield',
  'riverside',
  'fairview',
  'franklin',
  'greenville',
  'bristol',
  'clinton',
  'madison',
  'georgetown',
  'salem',
  'chester',
  'oakland',
  'portland',
  'denver',
  'austin',
  'phoenix',
  'columbus',
  'boston',
  'chicago',
  'dallas',
];
const DOMAINS = [
  'example dot com',
  'gmail dot com',
  'yahoo dot com',
  'outlook dot com',
  'hotmail dot com',
  'icloud dot com',
  'aol dot com',
  'example dot org',
  'mail dot com',
];
const LETTERS = 'a b c d e f g h i j k l m n o p q r s t u v w x y z'.split(' ');

/** A small deterministic PRNG (mulberry32), so the corpus is identical on every build. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0 … 999 999 in words ("one hundred and twelve" when `and` is set, as many speakers say). */
export function numberWords(n: number, and = false): string {
  if (n < 10) return ONES[n]!;
  if (n < 20) return TEENS[n - 10]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 ? ` ${ONES[n % 10]}` : '');
  if (n < 1000) {
    const rest = n % 100;
    return `${ONES[Math.floor(n / 100)]} hundred${rest ? `${and ? ' and' : ''} ${numberWords(rest)}` : ''}`;
  }
  const rest = n % 1000;
  return `${numberWords(Math.floor(n / 1000))} thousand${rest ? ` ${rest < 100 && and ? 'and ' : ''}${numberWords(rest, and)}` : ''}`;
}

export function digitWords(digits: string, zero: 'zero' | 'oh' = 'zero'): string {
  return [...digits].map((d) => (d === '0' ? zero : ONES[Number(d)]!)).join(' ');
}

export function spokenSentences(): string[] {
  const r = rng(20261206);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  const out: string[] = [];
  const year = () =>
    pick(['nineteen', 'nineteen', 'two thousand']) === 'two thousand'
      ? `two thousand ${numberWords(Math.floor(r() * 10))}`
      : `nineteen ${numberWords(40 + Math.floor(r() * 60))}`;
  const amount = () => {
    const d = Math.floor(r() * 400) + 1;
    const c = Math.floor(r() * 100);
    return pick([
      `${numberWords(d, r() < 0.5)} dollars`,
      `${numberWords(d, r() < 0.5)} dollars and ${numberWords(c)} cents`,
      `${numberWords(d)} ${c < 10 ? `oh ${ONES[c]}` : numberWords(c)}`,
    ]);
  };
  const date = () =>
    pick([
      `${pick(MONTHS)} ${ORDINALS[1 + Math.floor(r() * 31)]}`,
      `the ${ORDINALS[1 + Math.floor(r() * 31)]} of ${pick(MONTHS)}`,
      `the ${ORDINALS[1 + Math.floor(r() * 31)]}`,
      `${pick(DAYS)} the ${ORDINALS[1 + Math.floor(r() * 31)]}`,
    ]);
  const name = () => `${pick(FIRST)} ${pick(LAST)}`;
  const phone = () =>
    pick([
      `five five five ${digitWords(digits(3))} ${digitWords(digits(4))}`,
      `${digitWords(digits(3))} five five five ${digitWords(digits(4))}`,
      `${digitWords(digits(3), 'oh')} ${digitWords(digits(3))} ${digitWords(digits(4))}`,
    ]);
  const card = () => [0, 1, 2, 3].map(() => digitWords(digits(4))).join(' ');
  const email = () => {
    const f = pick(FIRST);
    const l = pick(LAST);
    return pick([
      `${f} dot ${l} at ${pick(DOMAINS)}`,
      `${f} ${l} at ${pick(DOMAINS)}`,
      `${f[0]} ${l} at ${pick(DOMAINS)}`,
      `${f} underscore ${l} at ${pick(DOMAINS)}`,
      `${f} ${numberWords(Math.floor(r() * 99) + 1)} at ${pick(DOMAINS)}`,
    ]);
  };
  const address = () =>
    `${pick([digitWords(digits(3)), numberWords(Math.floor(r() * 9000) + 10), `${numberWords(Math.floor(r() * 90) + 10)} ${numberWords(Math.floor(r() * 90) + 10)}`])} ${pick(STREETS)} ${pick(STREET_TYPES)}`;
  const spell = (w: string) => [...w].join(' ');

  for (let i = 0; i < 60; i++) {
    out.push(`my phone number is ${phone()}.`);
    out.push(`the best number to reach me is ${phone()}.`);
    out.push(`is your number still ${phone()}?`);
    out.push(`my card number is ${card()}.`);
    out.push(`the number is ${card()}.`);
    out.push(`${card()}.`);
    out.push(`it expires ${pick(['oh', 'zero'])} ${ONES[1 + Math.floor(r() * 9)]} ${numberWords(24 + Math.floor(r() * 8))}.`);
    out.push(`the expiration date is ${numberWords(1 + Math.floor(r() * 12))} ${numberWords(24 + Math.floor(r() * 8))}.`);
    out.push(`the security code is ${digitWords(digits(3))}.`);
    out.push(`my email is ${email()}.`);
    out.push(`it's ${email()}.`);
    out.push(`can you send it to ${email()}?`);
    out.push(`i live at ${address()}.`);
    out.push(`my address is ${address()}, ${pick(CITIES)}.`);
    out.push(`the service address is ${address()}.`);
    out.push(`${address()}, apartment ${numberWords(Math.floor(r() * 40) + 1)}.`);
    out.push(`the zip code is ${digitWords(digits(5))}.`);
    out.push(`my name is ${name()}.`);
    out.push(`this is ${name()}.`);
    out.push(`it's ${pick(LAST)}, ${spell(pick(LAST))}.`);
    out.push(`the account is under ${name()}.`);
    out.push(`my date of birth is ${pick(MONTHS)} ${ORDINALS[1 + Math.floor(r() * 31)]}, ${year()}.`);
    out.push(`i was born on the ${ORDINALS[1 + Math.floor(r() * 31)]} of ${pick(MONTHS)}, ${year()}.`);
    out.push(`my account number is ${digitWords(digits(8))}.`);
    out.push(`the last four digits are ${digitWords(digits(4))}.`);
    out.push(`it ends in ${digitWords(digits(4))}.`);
    out.push(`my policy number is ${spell(pick(LETTERS) + pick(LETTERS))} ${digitWords(digits(6))}.`);
    out.push(`the order number is ${digitWords(digits(6))}.`);
    out.push(`the confirmation number is ${spell(pick(LETTERS))} ${digitWords(digits(5))}.`);
    out.push(`your balance is ${amount()}.`);
    out.push(`i was charged ${amount()}.`);
    out.push(`the total comes to ${amount()}.`);
    out.push(`that's ${amount()} a month.`);
    out.push(`i've applied a credit of ${amount()}.`);
    out.push(`the payment of ${amount()} was received on ${date()}.`);
    out.push(`it's due on ${date()}.`);
    out.push(
      `i can schedule that for ${pick(DAYS)} at ${numberWords(1 + Math.floor(r() * 12))} ${pick(['am', 'pm', "o'clock", 'thirty', 'fifteen', 'forty five'])}.`,
    );
    out.push(`the appointment is on ${date()} between ${numberWords(8 + Math.floor(r() * 4))} and ${numberWords(1 + Math.floor(r() * 5))}.`);
    out.push(`i've been a customer since ${year()}.`);
    out.push(`that was ${numberWords(2 + Math.floor(r() * 28))} days ago.`);
    out.push(`it's been ${numberWords(2 + Math.floor(r() * 10))} weeks.`);
    out.push(`it takes ${numberWords(2 + Math.floor(r() * 9))} to ${numberWords(3 + Math.floor(r() * 9))} business days.`);
    out.push(`${pick(FIRST)} ${pick(['helped me last time', 'said he would call me back', 'said she would call me back', 'told me it was fixed'])}.`);
  }
  return out;
}
