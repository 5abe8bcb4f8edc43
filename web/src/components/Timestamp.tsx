// A conversation's time as the user wants it (format.ts useTimes): the site's zone or theirs, the zone on hover.
import { useTimes, type DateTimeStyle } from '../format.ts';

interface Props {
  iso: string | null | undefined;
  /** The conversation's timeZone (its site's); without one, the browser's. */
  zone?: string | null;
  /** 'time' for the time of day alone, 'date' for the day alone. */
  style?: DateTimeStyle | 'time' | 'date';
}

export function Timestamp({ iso, zone, style = 'medium' }: Props) {
  const times = useTimes();
  const text = !iso ? '—' : style === 'time' ? times.time(iso, zone) : style === 'date' ? times.date(iso, zone) : times.dateTime(iso, zone, style);
  return (
    <time dateTime={iso ?? undefined} title={times.title(iso, zone)} style={{ whiteSpace: 'nowrap' }}>
      {text}
    </time>
  );
}
