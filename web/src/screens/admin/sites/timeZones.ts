// IANA time zones from the browser's own tz database.

let cached: string[] | null = null;

export function timeZones(): string[] {
  if (cached) return cached;
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  // Some engines list only canonical zones; UTC is always valid and often wanted.
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  cached = zones;
  return zones;
}

/** "UTC+02:00" for the zone right now, or '' when the engine does not know it. */
export function utcOffset(timeZone: string, at = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    const v = part?.value ?? '';
    return v === 'GMT' ? 'UTC+00:00' : v.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}
