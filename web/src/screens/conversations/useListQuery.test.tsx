// The Conversations URL carries the group filter as its own `group` parameter (issue 14: the dashboard's and the group
// report's drill-down links), the other fields in `f`; reading and writing round-trip.
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { conversationsLink } from '../reports/calls/api.ts';
import { useListQuery } from './useListQuery.ts';

function setup(url: string) {
  const seen: { search: string } = { search: '' };
  const wrapper = ({ children }: { children: ReactNode }) => <MemoryRouter initialEntries={[url]}>{children}</MemoryRouter>;
  const hook = renderHook(
    () => {
      seen.search = useLocation().search;
      return useListQuery();
    },
    { wrapper },
  );
  return { hook, seen };
}

describe('the group in the Conversations URL', () => {
  it('a drill-down link opens the list filtered by the group and the period', () => {
    const { hook } = setup(conversationsLink('2026-11-01', '2026-11-30', { groupId: 'g1', channels: ['call'] }));
    expect(hook.result.current.filter).toEqual({ period: { kind: 'custom', from: '2026-11-01', to: '2026-11-30' }, channels: ['call'], groupId: 'g1' });
    expect(hook.result.current.query.filter.groupId).toBe('g1');
  });

  it('a changed search writes the group to `group`, not to `f`, and clearing it removes the parameter', () => {
    const { hook, seen } = setup('/conversations');
    act(() => hook.result.current.setSearch({ q: 'refund', filter: { groupId: 'g2', direction: 'inbound' } }));
    let params = new URLSearchParams(seen.search);
    expect(params.get('group')).toBe('g2');
    expect(JSON.parse(params.get('f')!)).toEqual({ direction: 'inbound' });
    expect(hook.result.current.filter).toEqual({ direction: 'inbound', groupId: 'g2' });
    act(() => hook.result.current.setSearch({ q: '', filter: { direction: 'inbound' } }));
    params = new URLSearchParams(seen.search);
    expect(params.has('group')).toBe(false);
    expect(hook.result.current.filter).toEqual({ direction: 'inbound' });
  });
});
