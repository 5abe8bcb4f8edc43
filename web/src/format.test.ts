import { describe, expect, it } from 'vitest';
import { displayZone, formatDate, formatDateTime, formatDuration, formatShortDateTime, formatTime, parseDuration, zoneAbbreviation } from './format.ts';

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

// Issue 16: a conversation's times show in its site's zone (what the time filters read) unless the user asks for
// their own, and a date is never all digits (12/06/26 reads as June or December).
describe('times in a zone', () => {
  const iso = '2026-01-14T06:39:00.000Z'; // 07:39 in Paris, 01:39 in New York

  it("formats in the given zone, the browser's without one", () => {
    expect(formatTime(iso, 'fr', false, 'Europe/Paris')).toBe('07:39');
    expect(formatTime(iso, 'fr', false, 'America/New_York')).toBe('01:39');
    expect(formatTime(iso, 'fr')).toBe(new Intl.DateTimeFormat('fr', { hour: '2-digit', minute: '2-digit' }).format(new Date(iso)));
    expect(formatDateTime(iso, 'en', 'medium', 'Pacific/Auckland')).toMatch(/Jan 14, 2026.*7:39\sPM/);
    // A zone this browser does not know falls back to its own rather than breaking the screen.
    expect(formatTime(iso, 'fr', false, 'Mars/Olympus')).toBe(formatTime(iso, 'fr'));
  });

  it('writes the month as a word in every style and language', () => {
    const march4 = '2026-03-04T10:00:00.000Z';
    // German and Czech write medium dates in digits ("04.03.2026", "4. 3. 2026"): spelt out instead (issue 14).
    const march: Record<string, RegExp> = { en: /mar/i, fr: /mars/, es: /mar/, 'pt-BR': /mar/, de: /März|Mär/, ru: /мар/, cs: /března/ };
    for (const [lang, month] of Object.entries(march)) {
      for (const out of [
        formatDateTime(march4, lang, 'compact', 'UTC'),
        formatDateTime(march4, lang, 'medium', 'UTC'),
        formatDate(march4, lang, 'UTC'),
        formatShortDateTime(march4, lang, 'UTC'),
      ]) {
        expect(out, `${lang}: ${out}`).not.toMatch(/\d{1,2}[/.-]\s?\d{1,2}[/.-]\s?\d{2,4}/);
        expect(out, `${lang}: ${out}`).toMatch(month);
      }
    }
    expect(formatDateTime(march4, 'cs', 'medium', 'UTC')).toMatch(/^4\. března 2026/);
    expect(formatDate(march4, 'de', 'UTC')).toBe('4. März 2026');
    expect(formatDateTime(march4, 'fr', 'compact', 'UTC')).toMatch(/^4 mars 2026/);
    expect(formatDate(march4, 'en', 'UTC')).toBe('Mar 4, 2026');
  });

  it('names the zone for the hover text', () => {
    expect(zoneAbbreviation(iso, 'en', 'America/New_York')).toBe('EST');
    expect(zoneAbbreviation('2026-07-14T06:39:00.000Z', 'en', 'America/New_York')).toBe('EDT');
    expect(zoneAbbreviation(iso, 'en', 'UTC')).toBe('UTC');
    expect(zoneAbbreviation(iso, 'en', 'Europe/Paris')).toMatch(/^(CET|GMT\+1)$/);
  });

  it("uses the site's zone unless the user chose their own", () => {
    expect(displayZone('Europe/Paris', 'site')).toBe('Europe/Paris');
    expect(displayZone('Europe/Paris', 'mine')).toBeUndefined();
    expect(displayZone(null, 'site')).toBeUndefined();
  });
});
