// The player writes recording times in the conversation's zone (its site's) when that is what the user shows.
import { describe, expect, it } from 'vitest';
import { wallClock } from './zone.ts';

describe('wallClock', () => {
  const at = Date.UTC(2026, 0, 15, 9, 0, 5);
  it('writes the time at the playhead in the zone given, to the second', () => {
    expect(wallClock(at, 'en', 'Europe/Paris')).toMatch(/10:00:05/);
    expect(wallClock(at, 'en', 'America/New_York')).toMatch(/0?4:00:05/);
    expect(wallClock(at, 'en', 'UTC')).toMatch(/0?9:00:05/);
  });

  it('falls back to the browser’s zone for a zone it does not know', () => {
    expect(wallClock(at, 'en', 'Mars/Olympus')).toBe(wallClock(at, 'en'));
  });
});
