// What a loosely typed time of day or talk time reads as, shown beside the box while typing ("3.5" → 03:30). The
// server's parser (src/search/filters/loose-input.ts) decides; this only echoes the common readings, and null
// means "not something this preview understands" (the server then says what is wrong).

/** "3" → "03:00", "3.5" → "03:30", "3:5" → "03:05"; null when it is not a time of day. */
export function previewTimeOfDay(input: string): string | null {
  const text = input.trim();
  let m: RegExpExecArray | null;
  let hours: number;
  let minutes: number;
  if ((m = /^(\d{1,2})$/.exec(text))) {
    hours = Number(m[1]);
    minutes = 0;
  } else if ((m = /^(\d{1,2})[.,](\d+)$/.exec(text))) {
    hours = Number(m[1]);
    minutes = Math.round(Number(`0.${m[2]}`) * 60);
  } else if ((m = /^(\d{1,2}):(\d{1,2})$/.exec(text))) {
    hours = Number(m[1]);
    minutes = Number(m[2]);
    if (minutes > 59) return null;
  } else {
    return null;
  }
  const minuteOfDay = hours * 60 + minutes;
  if (hours > 23 || minuteOfDay >= 24 * 60) return null;
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** "3" → "3:00", "3.5" → "3:30", "3:5" → "3:05", "1:3:5" → "1:03:05" (as talk times are shown); null otherwise. */
export function previewTalkTime(input: string): string | null {
  const text = input.trim();
  let m: RegExpExecArray | null;
  let seconds: number;
  if ((m = /^(\d{1,7})$/.exec(text))) seconds = Number(m[1]) * 60;
  else if ((m = /^(\d{1,7})[.,](\d+)$/.exec(text))) seconds = Number(m[1]) * 60 + Math.round(Number(`0.${m[2]}`) * 60);
  else if ((m = /^(\d{1,7}):(\d{1,2})$/.exec(text))) {
    if (Number(m[2]) > 59) return null;
    seconds = Number(m[1]) * 60 + Number(m[2]);
  } else if ((m = /^(\d{1,5}):(\d{1,2}):(\d{1,2})$/.exec(text))) {
    if (Number(m[2]) > 59 || Number(m[3]) > 59) return null;
    seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  } else return null;
  if (seconds > 100 * 3600) return null;
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(min).padStart(2, '0')}:${s}` : `${min}:${s}`;
}

/** A phone number prefix as the server stores it (spaces dropped), or null when it has other characters. */
export function previewPhone(input: string): string | null {
  const text = input.replace(/\s+/g, '');
  return /^\+?\d{1,20}$/.test(text) ? text : null;
}
