import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './format.ts';

describe('formatDuration', () => {
  it('uses m:ss below an hour and h:mm:ss from an hour up', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(59_999)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });
  it('shows a dash for missing or invalid values', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('parseDuration', () => {
  it('reads seconds, m:ss and h:mm:ss', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('1:30')).toBe(90_000);
    expect(parseDuration(' 1:01:30 ')).toBe(3_690_000);
  });
  it('rejects what is not a duration', () => {
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('1:xx')).toBeNull();
    expect(parseDuration('1:2:3:4')).toBeNull();
    expect(parseDuration('-3')).toBeNull();
  });
});
