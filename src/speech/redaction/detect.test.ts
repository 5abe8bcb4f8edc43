// PII detection on spoken and written words, with examples written for these tests (how people say card numbers,
// phone numbers, e-mails, dates and addresses) — never taken from the test corpus, which is kept for scoring.
import { describe, expect, it } from 'vitest';
import { PII_TYPES, type PiiType } from '../model.ts';
import { detectPii, luhn } from './detect.ts';

/** The spans as "type:[words]" strings, for readable expectations. */
function spans(text: string, context = '', types: readonly PiiType[] = PII_TYPES) {
  const words = text.split(/\s+/).filter(Boolean);
  return detectPii(words, types, context.split(/\s+/).filter(Boolean)).map((m) => `${m.type}:[${words.slice(m.firstWord, m.lastWord + 1).join(' ')}]`);
}

describe('detectPii', () => {
  it('checks card numbers with Luhn', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(luhn('5500005555555559')).toBe(true);
  });

  it('finds a card number said digit by digit, in pairs, with "oh" and "double"', () => {
    expect(spans('sure it is four one one one one one one one one one one one one one one one thanks')).toEqual([
      'card_number:[four one one one one one one one one one one one one one one one]',
    ]);
    expect(spans('forty one eleven eleven eleven eleven eleven eleven eleven')).toEqual([
      'card_number:[forty one eleven eleven eleven eleven eleven eleven eleven]',
    ]);
    // 5500 0055 5555 5559 with "double", "oh" and pairs.
    expect(spans('it is fifty five double oh oh oh fifty five double five fifty five fifty five five nine')).toEqual([
      'card_number:[fifty five double oh oh oh fifty five double five fifty five fifty five five nine]',
    ]);
    // An American Express number (15 digits) written in groups.
    expect(spans('amex 3782 822463 10005 please')).toEqual(['card_number:[3782 822463 10005]']);
  });

  it('does not take sixteen random digits for a card outside card context, nor an amount', () => {
    expect(spans('the reference is one two three four one two three four one two three four one two three four')).not.toContainEqual(
      expect.stringContaining('card_number'),
    );
    expect(spans('your card was charged twelve hundred fifty dollars yesterday')).toEqual([]);
    expect(spans('it takes about five minutes to process')).toEqual([]);
    // Prices and totals in card context are not card digits, codes or expiry dates.
    expect(spans('your plan is forty nine ninety nine a month', 'so the card will be charged')).toEqual([]);
    expect(spans('the order total is two hundred and fifty', 'pay by card')).toEqual([]);
  });

  it('finds a card number read over two turns', () => {
    // The first half alone is not Luhn-valid; the card number cue and the digits before carry over.
    expect(spans('four one one one one one one one', 'can you read me the long card number')).toEqual(['card_number:[four one one one one one one one]']);
    expect(spans('one one one one one one one one', 'okay the card number four one one one one one one one')).toEqual([
      'card_number:[one one one one one one one one]',
    ]);
  });

  it('finds expiry dates and security codes only in card context', () => {
    expect(spans('oh four twenty seven', 'and the expiry date on the card')).toEqual(['card_expiry:[oh four twenty seven]']);
    expect(spans('it expires april twenty twenty seven')).toEqual(['card_expiry:[april twenty twenty seven]']);
    expect(spans('twelve twenty six', 'when does the card expire')).toEqual(['card_expiry:[twelve twenty six]']);
    expect(spans('seven three one', 'what is the three digit security code on the back of the card')).toEqual(['card_security_code:[seven three one]']);
    expect(spans('the cvv is 123 and it expires 04/27')).toEqual(['card_security_code:[123]', 'card_expiry:[04/27]']);
    // Asked together: the code said digit by digit is the code, the month and year the expiry.
    expect(spans('five eight two', 'thanks and the expiry is done now the security code and check the expiry again')).toEqual([
      'card_security_code:[five eight two]',
    ]);
    expect(spans('four twenty seven', 'what is the security code and the expiry date')).toEqual(['card_expiry:[four twenty seven]']);
    // The same numbers without card context are left alone.
    expect(spans('i have seven three one')).toEqual([]);
    expect(spans('see you in april twenty twenty seven')).toEqual([]);
  });

  it('finds phone numbers spoken and written, local and international', () => {
    expect(spans('you can call me back on five five five two three four nine eight seven six')).toEqual([
      'phone_number:[five five five two three four nine eight seven six]',
    ]);
    expect(spans('my phone is five five five oh one hundred')).toEqual(['phone_number:[five five five oh one hundred]']);
    expect(spans('call me at double five five one two three four five six seven')).toEqual([
      'phone_number:[double five five one two three four five six seven]',
    ]);
    expect(spans('office (212) 555-0147 ext')).toEqual(['phone_number:[(212) 555-0147]']);
    expect(spans('reach me on +44 20 7946 0958 anytime')).toEqual(['phone_number:[+44 20 7946 0958]']);
    expect(spans('area code two one two five five five oh one four seven')).toEqual(['phone_number:[two one two five five five oh one four seven]']);
    // A UK mobile (not a US shape) when a phone number was asked for.
    expect(spans('oh seven seven double oh nine hundred one two three', 'what is the best number to reach you on')).toEqual([
      'phone_number:[oh seven seven double oh nine hundred one two three]',
    ]);
  });

  it('finds e-mail addresses written and spoken', () => {
    expect(spans('mail me at Jane.Doe+calls@example.co.uk.')).toEqual(['email:[Jane.Doe+calls@example.co.uk.]']);
    expect(spans('sure it is john dot smith at example dot com', 'what is your email address')).toEqual(['email:[john dot smith at example dot com]']);
    expect(spans('send it to maria underscore lopez eighty one at gmail dot com please')).toEqual([
      'email:[maria underscore lopez eighty one at gmail dot com]',
    ]);
    expect(spans('it is tom at outlook')).toEqual(['email:[tom at outlook]']);
    expect(spans('my email is j o h n at gmail dot com')).toEqual(['email:[j o h n at gmail dot com]']);
    expect(spans('i am at home right now')).toEqual([]);
  });

  it('finds dates of birth in birth context, spoken and written', () => {
    expect(spans('march fourth nineteen eighty two', 'and can you confirm your date of birth please')).toEqual([
      'date_of_birth:[march fourth nineteen eighty two]',
    ]);
    expect(spans('i was born on the twenty first of july two thousand and one')).toEqual(['date_of_birth:[twenty first of july two thousand and one]']);
    expect(spans('dob 03/04/1982')).toEqual(['date_of_birth:[03/04/1982]']);
    expect(spans('oh three oh four eighty two', 'what is your birthday')).toEqual(['date_of_birth:[oh three oh four eighty two]']);
    expect(spans('the payment is due march fourth')).toEqual([]);
  });

  it('finds national-id-like numbers in id context and the SSN shape anywhere', () => {
    expect(spans('one two three four five six seven eight nine', 'and your social security number')).toEqual([
      'national_id:[one two three four five six seven eight nine]',
    ]);
    expect(spans('the last four of my social are six seven eight nine')).toEqual(['national_id:[six seven eight nine]']);
    expect(spans('ssn 123-45-6789')).toEqual(['national_id:[123-45-6789]']);
  });

  it('finds street addresses with spoken or written house numbers, unit, city, state and ZIP', () => {
    expect(spans('i live at twelve thirty four maple avenue')).toEqual(['street_address:[twelve thirty four maple avenue]']);
    expect(spans('it is one two three oak tree lane apartment four b springfield illinois six two seven oh four')).toEqual([
      'street_address:[one two three oak tree lane apartment four b springfield illinois six two seven oh four]',
    ]);
    expect(spans('ship it to 42 West 5th Street, Suite 300, Austin, TX 78701 thanks')).toEqual([
      'street_address:[42 West 5th Street, Suite 300, Austin, TX 78701]',
    ]);
    expect(spans('it is about a five minute drive')).toEqual([]);
  });

  it('returns only the types the tenant selected', () => {
    const text = 'call five five five two three four nine eight seven six or email bob at example dot com';
    expect(spans(text, '', ['email'])).toEqual(['email:[bob at example dot com]']);
    expect(spans(text, '', [])).toEqual([]);
  });

  it('returns no span inside the context words, only in the utterance', () => {
    expect(spans('thank you', 'my number is five five five two three four nine eight seven six')).toEqual([]);
  });
});
