// The zone the player writes recording times in: the conversation's (its site's) or the user's, as the user chose
// (format.ts useTimes). The conversation is already in the query cache on the pages that show a player.
import { useConversation } from '../../../api/conversations.ts';
import { resolveLocale, useTimes } from '../../../format.ts';

/** The user's time formatting and the zone of this conversation's times (undefined: the browser's). */
export function usePlayerTimes(conversationId: string | null) {
  const times = useTimes();
  const siteZone = useConversation(conversationId).data?.timeZone ?? null;
  return { times, siteZone, zone: times.zone(siteZone) };
}

/** The recording's date and time at a moment, to the second, in `timeZone` (undefined: the browser's). */
export function wallClock(ms: number, lang: string, timeZone?: string): string {
  const options = { dateStyle: 'medium', timeStyle: 'medium' } as const;
  try {
    return new Intl.DateTimeFormat(resolveLocale(lang), { ...options, timeZone }).format(new Date(ms));
  } catch {
    return new Intl.DateTimeFormat(resolveLocale(lang), options).format(new Date(ms));
  }
}
