// Links that carry the text query from the list into a conversation, so the detail view marks what matched.

export const SEARCH_PARAM = 'q';
/** Where the player starts, in ms from the conversation's start: a search hit in what was said (highlight.speech). */
export const TIME_PARAM = 't';

/**
 * The detail view of a conversation, with the text query when there is one (and #segments for "Play"), and the time
 * of a speech hit so the player opens at that utterance.
 */
export function detailPath(id: string, q: string | null | undefined, hash = '', atMs?: number | null): string {
  const params: string[] = [];
  const text = q?.trim();
  if (text) params.push(`${SEARCH_PARAM}=${encodeURIComponent(text)}`);
  if (atMs !== undefined && atMs !== null && Number.isFinite(atMs) && atMs >= 0) params.push(`${TIME_PARAM}=${Math.floor(atMs)}`);
  return `/conversations/${encodeURIComponent(id)}${params.length ? `?${params.join('&')}` : ''}${hash}`;
}

/** Where the detail view's "back" link goes: the list as it was (search and selection), else the list with this one selected. */
export function listPath(id: string, state: unknown): string {
  const saved = typeof state === 'object' && state !== null && 'list' in state ? (state as { list: unknown }).list : null;
  if (typeof saved === 'string' && saved.startsWith('?')) {
    const params = new URLSearchParams(saved);
    params.set('c', id);
    return `/conversations?${params.toString()}`;
  }
  return `/conversations?c=${encodeURIComponent(id)}`;
}
