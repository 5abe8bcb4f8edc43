import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import {
  CONFIDENCE_THRESHOLDS,
  DURATION_BUCKETS,
  durationBucketOf,
  formatDuration,
  formatTimeOfDay,
  matchesDuration,
  matchesPhonePrefix,
  matchesTimeRange,
  meetsConfidence,
  parseDuration,
  parseDurationRange,
  parsePhonePrefix,
  parseTimeOfDay,
  parseTimeRange,
} from './loose-input.ts';

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    expect(err.code).toBe('VALIDATION_FAILED');
    return { message: err.message, ...(err.details as { reason: string; field: string }) };
  }
  throw new Error('expected a refusal');
}

const MIN = 60_000;
const SEC = 1000;

describe('time of day', () => {
  it.each([
    ['3', '03:00'],
    ['3.5', '03:30'],
    ['3:5', '03:05'],
    ['14:30', '14:30'],
    ['23:59', '23:59'],
    ['0', '00:00'],
    ['00:00', '00:00'],
    ['03:05', '03:05'],
    ['3,5', '03:30'],
    ['3.25', '03:15'],
    ['3.1', '03:06'],
    ['  9  ', '09:00'],
    ['23', '23:00'],
    ['12.75', '12:45'],
    ['0.0166', '00:01'],
    ['3.999', '04:00'],
  ])('%j → %s', (input, expected) => {
    expect(formatTimeOfDay(parseTimeOfDay(input))).toBe(expected);
  });

  it.each([
    ['24', 'INVALID_TIME', '"24" is not a time: hours go from 0 to 23'],
    ['25:30', 'INVALID_TIME', '"25:30" is not a time: hours go from 0 to 23'],
    ['123', 'INVALID_TIME', '"123" is not a time: hours go from 0 to 23'],
    ['3:60', 'INVALID_TIME', '"3:60" is not a time: minutes go from 0 to 59'],
    ['14:75', 'INVALID_TIME', '"14:75" is not a time: minutes go from 0 to 59'],
    ['25:75', 'INVALID_TIME', '"25:75" is not a time: hours go from 0 to 23'],
    ['23.999', 'INVALID_TIME', '"23.999" is not a time: the latest time is 23:59'],
    ['24:00', 'INVALID_TIME', '"24:00" is not a time: hours go from 0 to 23'],
    ['3:005', 'INVALID_TIME', '"3:005" is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    ['14:30:15', 'INVALID_TIME', '"14:30:15" is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    ['3pm', 'INVALID_TIME', '"3pm" is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    ['-3', 'INVALID_TIME', '"-3" is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    [':30', 'INVALID_TIME', '":30" is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    ['3.', 'INVALID_TIME', '"3." is not a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
    ['  ', 'EMPTY_VALUE', 'Enter a time: type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30'],
  ])('refuses %j', (input, reason, message) => {
    expect(refusal(() => parseTimeOfDay(input))).toEqual({ reason, message, field: 'time' });
  });

  it('ranges: the second time must be later than the first', () => {
    expect(parseTimeRange('3', '3.5')).toEqual({ fromMinute: 180, toMinute: 210 });
    expect(parseTimeRange('9', '17')).toEqual({ fromMinute: 540, toMinute: 1020 });
    expect(parseTimeRange('0', '23:59')).toEqual({ fromMinute: 0, toMinute: 1439 });
    expect(parseTimeRange('', '12')).toEqual({ fromMinute: 0, toMinute: 720 });
    expect(parseTimeRange('18', '')).toEqual({ fromMinute: 1080, toMinute: 1439 });
    expect(refusal(() => parseTimeRange('14:30', '14:30'))).toEqual({
      reason: 'TIME_RANGE_REVERSED',
      field: 'timeOfDay.to',
      message: 'The second time must be later than the first (14:30 is not after 14:30)',
    });
    expect(refusal(() => parseTimeRange('17', '9')).message).toBe('The second time must be later than the first (09:00 is not after 17:00)');
    expect(refusal(() => parseTimeRange('22', '3:5')).message).toBe('The second time must be later than the first (03:05 is not after 22:00)');
    expect(refusal(() => parseTimeRange('', ''))).toMatchObject({ reason: 'EMPTY_VALUE', field: 'timeOfDay.from' });
    expect(refusal(() => parseTimeRange('3', '24'))).toMatchObject({ reason: 'INVALID_TIME', field: 'timeOfDay.to' });
    expect(refusal(() => parseTimeRange('x', '4'))).toMatchObject({ reason: 'INVALID_TIME', field: 'timeOfDay.from' });
  });

  it('ranges include their last minute whole', () => {
    const r = parseTimeRange('9', '17');
    expect(matchesTimeRange(r, 539)).toBe(false);
    expect(matchesTimeRange(r, 540)).toBe(true);
    expect(matchesTimeRange(r, 1020)).toBe(true); // 17:00:xx
    expect(matchesTimeRange(r, 1021)).toBe(false);
    expect(matchesTimeRange(parseTimeRange('0', '23:59'), 1439)).toBe(true);
  });
});

describe('talk time', () => {
  it.each([
    ['3', 3 * MIN],
    ['3.5', 3 * MIN + 30 * SEC],
    ['3:5', 3 * MIN + 5 * SEC],
    ['75', 75 * MIN],
    ['1:3:5', 3600 * SEC + 3 * MIN + 5 * SEC],
    ['3,5', 3 * MIN + 30 * SEC],
    ['0.5', 30 * SEC],
    ['3:05', 3 * MIN + 5 * SEC],
    ['75:30', 75 * MIN + 30 * SEC],
    ['00:00:00', 0],
    ['0', 0],
    ['2.25', 2 * MIN + 15 * SEC],
    ['1.333', MIN + 20 * SEC],
    ['01:00:00', 3600 * SEC],
    ['6000', 100 * 3600 * SEC],
    [' 3 ', 3 * MIN],
  ])('%j → %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('reads 75 as 1 h 15 min and 1:3:5 as 1 h 3 min 5 s', () => {
    expect(formatDuration(parseDuration('75'))).toBe('1:15:00');
    expect(formatDuration(parseDuration('1:3:5'))).toBe('1:03:05');
    expect(formatDuration(parseDuration('3:5'))).toBe('3:05');
  });

  const HELP = 'type minutes, for example 3, 3.5 (3 min 30 s), 3:5 (3 min 5 s) or 1:3:5 (1 h 3 min 5 s)';
  it.each([
    ['3:60', 'INVALID_DURATION', '"3:60" is not a talk time: seconds go from 0 to 59'],
    ['1:60:00', 'INVALID_DURATION', '"1:60:00" is not a talk time: minutes go from 0 to 59'],
    ['1:00:60', 'INVALID_DURATION', '"1:00:60" is not a talk time: seconds go from 0 to 59'],
    ['6001', 'INVALID_DURATION', '"6001" is not a talk time: the longest talk time you can search for is 100 hours'],
    ['100:0:1', 'INVALID_DURATION', '"100:0:1" is not a talk time: the longest talk time you can search for is 100 hours'],
    ['1:2:3:4', 'INVALID_DURATION', `"1:2:3:4" is not a talk time: ${HELP}`],
    ['3 min', 'INVALID_DURATION', `"3 min" is not a talk time: ${HELP}`],
    ['-3', 'INVALID_DURATION', `"-3" is not a talk time: ${HELP}`],
    ['3:', 'INVALID_DURATION', `"3:" is not a talk time: ${HELP}`],
    ['', 'EMPTY_VALUE', `Enter a talk time: ${HELP}`],
  ])('refuses %j', (input, reason, message) => {
    expect(refusal(() => parseDuration(input))).toEqual({ reason, message, field: 'talkTime' });
  });

  it('ranges: empty or zero maximum is unlimited, both ends included to the whole second', () => {
    expect(parseDurationRange('3', '5')).toEqual({ minMs: 3 * MIN, maxMs: 5 * MIN + SEC });
    expect(parseDurationRange('3', '')).toEqual({ minMs: 3 * MIN, maxMs: null });
    expect(parseDurationRange('3', '00:00:00')).toEqual({ minMs: 3 * MIN, maxMs: null });
    expect(parseDurationRange('3', '0')).toEqual({ minMs: 3 * MIN, maxMs: null });
    expect(parseDurationRange('', '1:3:5')).toEqual({ minMs: 0, maxMs: 3785 * SEC + SEC });
    expect(parseDurationRange('', '')).toEqual({ minMs: 0, maxMs: null });
    expect(parseDurationRange('3', '3')).toEqual({ minMs: 3 * MIN, maxMs: 3 * MIN + SEC });
    const r = parseDurationRange('3', '5');
    expect(matchesDuration(r, 3 * MIN - 1)).toBe(false);
    expect(matchesDuration(r, 3 * MIN)).toBe(true);
    expect(matchesDuration(r, 5 * MIN + 400)).toBe(true); // shown as 5:00
    expect(matchesDuration(r, 5 * MIN + SEC)).toBe(false); // shown as 5:01
    expect(matchesDuration(parseDurationRange('3', ''), 99 * 3600 * SEC)).toBe(true);
  });

  it('ranges: the minimum must not be above the maximum', () => {
    expect(refusal(() => parseDurationRange('5', '3'))).toEqual({
      reason: 'DURATION_RANGE_REVERSED',
      field: 'talkTime.max',
      message: 'The minimum talk time (5:00) must not be longer than the maximum (3:00)',
    });
    expect(refusal(() => parseDurationRange('75', '1:0:0')).message).toBe('The minimum talk time (1:15:00) must not be longer than the maximum (1:00:00)');
    expect(refusal(() => parseDurationRange('x', '3'))).toMatchObject({ reason: 'INVALID_DURATION', field: 'talkTime.min' });
    expect(refusal(() => parseDurationRange('3', '3:99'))).toMatchObject({ reason: 'INVALID_DURATION', field: 'talkTime.max' });
  });

  it('buckets partition every duration; an edge belongs to the longer bucket', () => {
    expect(DURATION_BUCKETS).toEqual({
      very_short: { minMs: 0, maxMs: 30_000 },
      short: { minMs: 30_000, maxMs: 60_000 },
      normal: { minMs: 60_000, maxMs: 180_000 },
      long: { minMs: 180_000, maxMs: 600_000 },
      very_long: { minMs: 600_000, maxMs: null },
    });
    const cases: Array<[number, string]> = [
      [0, 'very_short'],
      [29_999, 'very_short'],
      [30_000, 'short'],
      [59_999, 'short'],
      [60_000, 'normal'],
      [179_999, 'normal'],
      [180_000, 'long'],
      [599_999, 'long'],
      [600_000, 'very_long'],
      [600_001, 'very_long'],
      [36_000_000, 'very_long'],
    ];
    for (const [ms, bucket] of cases) {
      expect(durationBucketOf(ms), `${ms} ms`).toBe(bucket);
      const inBuckets = Object.entries(DURATION_BUCKETS)
        .filter(([, r]) => matchesDuration(r, ms))
        .map(([b]) => b);
      expect(inBuckets, `${ms} ms is in exactly one bucket`).toEqual([bucket]);
    }
  });
});

describe('phone number prefix', () => {
  it('keeps digits and a leading +, removing spaces', () => {
    expect(parsePhonePrefix('+33 1 23')).toEqual({ prefix: '+33123', startsWith: ['+33123', '0033123'] });
    expect(parsePhonePrefix(' 0033 1 ')).toEqual({ prefix: '00331', startsWith: ['00331', '+331'] });
    expect(parsePhonePrefix('33')).toEqual({ prefix: '33', startsWith: ['33'] });
    expect(parsePhonePrefix('0612')).toEqual({ prefix: '0612', startsWith: ['0612'] });
    expect(parsePhonePrefix('+1\u00a0555')).toEqual({ prefix: '+1555', startsWith: ['+1555', '001555'] });
    expect(parsePhonePrefix('5')).toEqual({ prefix: '5', startsWith: ['5'] });
  });

  it('matches stored numbers that start with it; + and 00 are the same international prefix', () => {
    const plus = parsePhonePrefix('+33 1');
    expect(matchesPhonePrefix(plus, '+33123456789')).toBe(true);
    expect(matchesPhonePrefix(plus, '0033123456789')).toBe(true);
    expect(matchesPhonePrefix(plus, '33123456789')).toBe(false);
    expect(matchesPhonePrefix(plus, '+34123456789')).toBe(false);
    expect(matchesPhonePrefix(plus, null)).toBe(false);
    const zeros = parsePhonePrefix('0033');
    expect(matchesPhonePrefix(zeros, '+33612')).toBe(true);
    expect(matchesPhonePrefix(zeros, '0033612')).toBe(true);
    const bare = parsePhonePrefix('33');
    expect(matchesPhonePrefix(bare, '33612')).toBe(true);
    expect(matchesPhonePrefix(bare, '+33612')).toBe(false);
    const zero = parsePhonePrefix('0');
    expect(matchesPhonePrefix(zero, '0612')).toBe(true);
    expect(matchesPhonePrefix(zero, '0033612')).toBe(true);
    expect(matchesPhonePrefix(zero, '+33612')).toBe(false);
  });

  it.each([
    ['+33-1', 'A phone number can only contain digits, spaces and a leading +; "-" is not allowed', '-'],
    ['(555) 010', 'A phone number can only contain digits, spaces and a leading +; "(" is not allowed', '('],
    ['555.010', 'A phone number can only contain digits, spaces and a leading +; "." is not allowed', '.'],
    ['33a', 'A phone number can only contain digits, spaces and a leading +; "a" is not allowed', 'a'],
    ['33+1', 'A phone number can only contain digits, spaces and a leading +; "+" (only allowed at the start) is not allowed', '+'],
    ['++33', 'A phone number can only contain digits, spaces and a leading +; "+" (only allowed at the start) is not allowed', '+'],
    ['33*', 'A phone number can only contain digits, spaces and a leading +; "*" is not allowed', '*'],
    ['33%', 'A phone number can only contain digits, spaces and a leading +; "%" is not allowed', '%'],
    ['33\u200b1', 'A phone number can only contain digits, spaces and a leading +; the character U+200B is not allowed', '\u200b'],
    ['٣٣', 'A phone number can only contain digits, spaces and a leading +; "٣" is not allowed', '٣'],
  ])('refuses %j naming the character', (input, message, character) => {
    expect(refusal(() => parsePhonePrefix(input))).toEqual({ reason: 'INVALID_PHONE_PREFIX', field: 'phone', message, character });
  });

  it('refuses an empty input, a lone + and too many digits', () => {
    expect(refusal(() => parsePhonePrefix('   '))).toEqual({
      reason: 'EMPTY_VALUE',
      field: 'phone',
      message: 'Enter the start of a phone number: digits, with a + in front if you like',
    });
    expect(refusal(() => parsePhonePrefix(' + '))).toEqual({ reason: 'INVALID_PHONE_PREFIX', field: 'phone', message: 'Type at least one digit after the +' });
    expect(refusal(() => parsePhonePrefix('1'.repeat(21)))).toEqual({
      reason: 'INVALID_PHONE_PREFIX',
      field: 'phone',
      message: 'A phone number has at most 20 digits',
    });
    expect(parsePhonePrefix(`+${'1'.repeat(20)}`).prefix).toHaveLength(21);
  });
});

describe('speech tag confidence', () => {
  it('Certainly ≥ 0.65, Probably ≥ 0.50, Maybe ≥ 0.40, each threshold included', () => {
    expect(CONFIDENCE_THRESHOLDS).toEqual({ certainly: 0.65, probably: 0.5, maybe: 0.4 });
    expect(meetsConfidence('certainly', 0.65)).toBe(true);
    expect(meetsConfidence('certainly', 0.6499)).toBe(false);
    expect(meetsConfidence('probably', 0.5)).toBe(true);
    expect(meetsConfidence('probably', 0.4999)).toBe(false);
    expect(meetsConfidence('maybe', 0.4)).toBe(true);
    expect(meetsConfidence('maybe', 0.3999)).toBe(false);
    expect(meetsConfidence('maybe', 1)).toBe(true);
  });
});
