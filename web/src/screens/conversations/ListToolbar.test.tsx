// The list's total (issue 16 item 3): the first page's cheap "More than 1,000" at once, "Counting…" while the exact
// count runs, then the exact number; the count request of a search left behind is cancelled (its signal aborts) and
// the count of the new search is asked instead.
import { renderHook, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useExactCount } from '../../api/search.ts';
import type { SearchFilterInput } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { appWrapper, renderWithApp } from '../../test/render.tsx';
import { ListToolbar } from './ListToolbar.tsx';

const total = () => screen.getByTestId('conversation-total');

describe('ListToolbar total', () => {
  it('shows the lower bound with "Counting…", then the exact number', () => {
    const { rerender } = renderWithApp(<ListToolbar total={1000} totalExact={false} counting refreshing={false} onRefresh={() => {}} />);
    expect(total().textContent).toBe(en.conversations.totalMoreThan.replace('{{total}}', '1,000'));
    expect(total().dataset.exact).toBe('false');
    expect(screen.getByTestId('conversation-counting').textContent).toBe(en.conversations.counting);

    rerender(<ListToolbar total={1000} totalExact={false} exactTotal={12345} counting={false} refreshing={false} onRefresh={() => {}} />);
    expect(total().textContent).toBe(en.conversations.total.replace('{{total}}', '12,345'));
    expect(total().dataset.exact).toBe('true');
    expect(screen.queryByTestId('conversation-counting')).toBeNull();
  });

  it('an exact first page is shown as is, with no count asked', () => {
    renderWithApp(<ListToolbar total={42} totalExact refreshing={false} onRefresh={() => {}} />);
    expect(total().textContent).toBe('42 conversations');
    expect(screen.queryByTestId('conversation-counting')).toBeNull();
  });
});

describe('useExactCount', () => {
  it('counts in the background, cancels the count of a search left behind and counts the new one', async () => {
    const calls: { body: SearchFilterInput; signal: AbortSignal; release: (n: number) => void }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (input: RequestInfo | URL, init: RequestInit = {}) =>
          new Promise<Response>((resolve, reject) => {
            expect(new URL(String(input), 'http://earshot.test').pathname).toBe('/api/conversations/search/count');
            const signal = init.signal!;
            signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
            calls.push({ body: JSON.parse(String(init.body)), signal, release: (n) => resolve(Response.json({ total: n, totalExact: true })) });
          }),
      ),
    );
    const { wrapper } = appWrapper();
    const { result, rerender } = renderHook(({ filter, needed }) => useExactCount(filter, needed), {
      wrapper,
      initialProps: { filter: { q: 'refund' } as SearchFilterInput, needed: false },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(0); // the first page was exact: nothing to count

    rerender({ filter: { q: 'refund' }, needed: true });
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.body).toEqual({ q: 'refund' });

    rerender({ filter: { q: 'refund policy' }, needed: true });
    await waitFor(() => expect(calls).toHaveLength(2));
    await waitFor(() => expect(calls[0]!.signal.aborted).toBe(true));
    calls[1]!.release(1234);
    await waitFor(() => expect(result.current.data?.total).toBe(1234));
  });
});
