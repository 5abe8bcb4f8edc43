// Links that carry the text query from the list into a conversation, so the detail view marks what matched.

export const SEARCH_PARAM = 'q';

/** The detail view of a conversation, with the text query when there is one (and #segments for "Play"). */
export function detailPath(id: string, q: string | null | undefined, hash = ''): string {
  const text = q?.trim();
  return `/conversations/${encodeURIComponent(id)}${text ? `?${SEARCH_PARAM}=${encodeURIComponent(text)}` : ''}${hash}`;
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
