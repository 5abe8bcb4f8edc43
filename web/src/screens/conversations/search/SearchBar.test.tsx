// The search box against a fetch that answers only when told: it searches once the user stops typing (not on every
// key), cancels the request of a search typed over (its AbortSignal fires) and switches the list only to the latest;
// Enter searches at once; the ? help lists the stop words and the accent rule.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SearchPage } from '../../../api/types.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { SearchBar, TYPING_DEBOUNCE_MS } from './SearchBar.tsx';
import { renderInSearch } from '../../../test/search.tsx';

const page = { total: 0, totalExact: true, items: [], nextCursor: null, filter: {}, chips: [], ignored: [] } as unknown as SearchPage;

/** A fetch whose searches wait until released; an aborted one rejects as the browser's fetch does. */
function slowSearches() {
  const calls: { q: unknown; signal: AbortSignal; release: () => void }[] = [];
  const fetch = vi.fn(
    (_input: RequestInfo | URL, init: RequestInit = {}) =>
      new Promise<Response>((resolve, reject) => {
        const signal = init.signal!;
        const body = JSON.parse(String(init.body)) as { q?: string };
        signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        calls.push({ q: body.q, signal, release: () => resolve(Response.json(page)) });
      }),
  );
  vi.stubGlobal('fetch', fetch);
  return calls;
}

function renderBar(q = '') {
  const { setSearch } = renderInSearch(<SearchBar />, { q });
  return { setSearch, input: screen.getByTestId('search-input') };
}

describe('SearchBar', () => {
  it('searches when typing stops, cancels the search typed over and switches only to the latest', async () => {
    const calls = slowSearches();
    const { setSearch, input } = renderBar();
    await userEvent.type(input, 'refund');
    expect(calls).toHaveLength(0); // not on every key
    await waitFor(() => expect(calls).toHaveLength(1), { timeout: TYPING_DEBOUNCE_MS * 4 });
    expect(calls[0]!.q).toBe('refund');
    expect(screen.getByTestId('search-pending')).toBeTruthy(); // the box shows it is searching

    await userEvent.type(input, ' policy');
    await waitFor(() => expect(calls).toHaveLength(2), { timeout: TYPING_DEBOUNCE_MS * 4 });
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[1]!.q).toBe('refund policy');
    calls[0]!.release(); // too late: already cancelled
    calls[1]!.release();
    await waitFor(() => expect(setSearch).toHaveBeenCalledTimes(1));
    // The first search typed adds a history entry (Back returns to the search before the typing).
    expect(setSearch).toHaveBeenCalledWith({ q: 'refund policy', filter: {} });
    expect(screen.queryByTestId('search-error')).toBeNull();
    expect(input).toHaveProperty('value', 'refund policy');
    await waitFor(() => expect(screen.queryByTestId('search-pending')).toBeNull());
  });

  it('searches typed in a row replace one history entry: Back returns to the search before the typing', async () => {
    const calls = slowSearches();
    const { setSearch, input } = renderBar();
    await userEvent.type(input, 'refund');
    await waitFor(() => expect(calls).toHaveLength(1), { timeout: TYPING_DEBOUNCE_MS * 4 });
    calls[0]!.release();
    await waitFor(() => expect(setSearch).toHaveBeenCalledTimes(1));
    expect(setSearch).toHaveBeenLastCalledWith({ q: 'refund', filter: {} });
    await userEvent.type(input, 's');
    await waitFor(() => expect(calls).toHaveLength(2), { timeout: TYPING_DEBOUNCE_MS * 4 });
    calls[1]!.release();
    await waitFor(() => expect(setSearch).toHaveBeenCalledTimes(2));
    expect(setSearch).toHaveBeenLastCalledWith({ q: 'refunds', filter: {} }, { replace: true });
  });

  it('runs at once on Enter, cancelling a search still waiting for typing to stop', async () => {
    const calls = slowSearches();
    const { setSearch, input } = renderBar();
    fireEvent.change(input, { target: { value: 'billing' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(calls).toHaveLength(1), { timeout: TYPING_DEBOUNCE_MS / 2 });
    calls[0]!.release();
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: 'billing', filter: {} }));
    await new Promise((r) => setTimeout(r, TYPING_DEBOUNCE_MS * 2));
    expect(calls).toHaveLength(1); // the debounced search never ran
  });

  it('the ? help lists the stop words and the accent rule', async () => {
    slowSearches();
    renderBar();
    await userEvent.click(screen.getByTestId('search-help'));
    expect(screen.getByTestId('search-help-accents').textContent).toBe(en.search.syntax.accents);
    const words = screen.getByTestId('search-help-stopwords').textContent!.split(' · ');
    expect(words).toEqual(expect.arrayContaining(['the', 'and', 'not', 'i']));
    expect(screen.getByText(en.search.syntax.asYouType)).toBeTruthy();
  });
});
