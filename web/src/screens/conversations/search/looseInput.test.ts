import { describe, expect, it } from 'vitest';
import { previewPhone, previewTalkTime, previewTimeOfDay } from './looseInput.ts';

describe('previewTimeOfDay', () => {
  it('reads whole hours, decimal hours and hours:minutes', () => {
    expect(previewTimeOfDay('3')).toBe('03:00');
    expect(previewTimeOfDay('3.5')).toBe('03:30');
    expect(previewTimeOfDay('3,25')).toBe('03:15');
    expect(previewTimeOfDay('3:5')).toBe('03:05');
    expect(previewTimeOfDay(' 14:30 ')).toBe('14:30');
    expect(previewTimeOfDay('23:59')).toBe('23:59');
  });

  it('refuses what is not a time of day', () => {
    for (const bad of ['', '24', '3:75', '23.999', 'noon', '3pm', '100']) expect(previewTimeOfDay(bad)).toBeNull();
  });
});

describe('previewTalkTime', () => {
  it('reads minutes, decimal minutes, m:s and h:m:s', () => {
    expect(previewTalkTime('3')).toBe('3:00');
    expect(previewTalkTime('3.5')).toBe('3:30');
    expect(previewTalkTime('3:5')).toBe('3:05');
    expect(previewTalkTime('1:3:5')).toBe('1:03:05');
    expect(previewTalkTime('75')).toBe('1:15:00');
  });

  it('refuses what is not a talk time', () => {
    for (const bad of ['', 'x', '3:60', '1:60:00', '101:00:00']) expect(previewTalkTime(bad)).toBeNull();
  });
});

describe('previewPhone', () => {
  it('drops spaces and keeps a leading +', () => {
    expect(previewPhone('+33 6 12')).toBe('+33612');
    expect(previewPhone('0612')).toBe('0612');
    expect(previewPhone('06-12')).toBeNull();
    expect(previewPhone('')).toBeNull();
  });
});
