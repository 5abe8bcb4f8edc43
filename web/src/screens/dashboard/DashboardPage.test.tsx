// The dashboard and Reports → Calls against a fake API: who sees them, the tiles with durations as m:ss and "—" with a
// hint when no recorder records, the drill-down links into Conversations (the `f` filter of the figure), the period
// sent to the server, and the calls table sorted by a column with the streamed all-calls link.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import type { CallReport, Dashboard } from '../reports/calls/api.ts';
import { ReportsPage } from '../reports/ReportsPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';

const DASH: Dashboard = {
  from: '2026-11-01',
  to: '2026-11-03',
  days: ['2026-11-01', '2026-11-02', '2026-11-03'],
  activeCalls: null,
  conversations: 5,
  calls: 4,
  averageCallMs: 95_000,
  longestCallMs: 300_000,
  talkMs: 3_600_000,
  averageTalkMs: 900_000,
  perDay: { call: [1, 3, 0], chat: [1, 0, 0], email: [0, 0, 0], other: [0, 0, 0] },
  averageCallMsPerDay: [60_000, 100_000, null],
  byDirection: [
    { direction: 'inbound', conversations: 3 },
    { direction: 'outbound', conversations: 2 },
  ],
  byGroup: [
    { groupId: 'g1', name: 'Billing', conversations: 4 },
    { groupId: null, name: null, conversations: 1 },
  ],
  topTags: [{ tagId: 't1', name: 'Escalated', color: '#ff0000', conversations: 2 }],
  sentiment: { average: 61.5, analysed: 3 },
  evaluations: null,
};

const row = (key: string, name: string, conversations: number, averageMs: number) => ({
  key,
  name,
  conversations,
  durationMs: conversations * averageMs,
  averageMs,
  longestMs: averageMs * 2,
  talkMs: 0,
  inbound: conversations,
  outbound: 0,
  internal: 0,
});
const CALLS: CallReport = {
  from: '2026-11-01',
  to: '2026-11-03',
  by: 'group',
  channel: 'call',
  rows: [row('g1', 'Billing', 3, 60_000), row('g2', 'Sales', 1, 120_000)],
  total: row('total', 'Total', 4, 75_000),
};

afterEach(() => vi.unstubAllGlobals());

const queries = (path: string) =>
  vi
    .mocked(fetch)
    .mock.calls.map(([input]) => new URL(String(input), 'http://earshot.test'))
    .filter((u) => u.pathname === path)
    .map((u) => Object.fromEntries(u.searchParams));

describe('dashboard', () => {
  it('shows the tiles, the breakdowns with links into Conversations, and asks for the period chosen', async () => {
    fakeApi({ 'GET /api/dashboard': () => DASH });
    renderWithApp(
      <MemoryRouter initialEntries={['/dashboard']}>
        <DashboardPage />
      </MemoryRouter>,
      { me: testUser(['reports.view', 'conversations.view']) },
    );
    const calls = await screen.findByTestId('tile-calls');
    expect(calls.textContent).toContain('4');
    expect(screen.getByTestId('tile-average').textContent).toContain('1:35');
    expect(screen.getByTestId('tile-talk').textContent).toContain('1:00:00');
    expect(screen.getByTestId('tile-active').textContent).toContain('—');
    expect(screen.getByTestId('tile-active').textContent).toContain(en.dashboard.noRecorder);
    expect(screen.getByTestId('tile-sentiment').textContent).toContain('61.5');
    const link = calls.closest('a')!.getAttribute('href')!;
    expect(JSON.parse(new URLSearchParams(link.split('?')[1]).get('f')!)).toEqual({
      period: { kind: 'custom', from: '2026-11-01', to: '2026-11-03' },
      channels: ['call'],
    });
    const tag = within(screen.getByTestId('dashboard-tags')).getByText('Escalated').closest('a')!.getAttribute('href')!;
    expect(JSON.parse(new URLSearchParams(tag.split('?')[1]).get('f')!).tags).toEqual(['t1']);
    expect(within(screen.getByTestId('dashboard-groups')).getByText(en.dashboard.noGroup)).toBeTruthy();
    // A group's row opens Conversations filtered by that group (issue 14), over the dashboard's period.
    const group = new URLSearchParams(within(screen.getByTestId('dashboard-groups')).getByText('Billing').closest('a')!.getAttribute('href')!.split('?')[1]);
    expect(group.get('group')).toBe('g1');
    expect(JSON.parse(group.get('f')!)).toEqual({ period: { kind: 'custom', from: '2026-11-01', to: '2026-11-03' } });
    // Talk time says what it sums.
    expect(screen.getByTestId('tile-talk').getAttribute('title')).toBe(en.dashboard.talkTimeHint);
    expect(queries('/api/dashboard')).toEqual([{ days: '30' }]);
    await userEvent.click(screen.getByText('Last 90 days'));
    await waitFor(() => expect(queries('/api/dashboard').at(-1)).toEqual({ days: '90' }));
  });

  it('is not available without reports.view', () => {
    fakeApi({ 'GET /api/dashboard': () => DASH });
    renderWithApp(
      <MemoryRouter>
        <DashboardPage />
      </MemoryRouter>,
      { me: testUser(['conversations.view']) },
    );
    expect(screen.getByTestId('no-access')).toBeTruthy();
  });
});

describe('Reports → Calls', () => {
  it('lists calls per group, sorts by a column, and offers every call as a streamed CSV link', async () => {
    fakeApi({ 'GET /api/reports/calls': () => CALLS, 'GET /api/groups': () => ({ items: [] }) });
    renderWithApp(
      <MemoryRouter initialEntries={['/reports?tab=calls&by=group&period=custom&from=2026-11-01&to=2026-11-03']}>
        <ReportsPage />
      </MemoryRouter>,
      { me: testUser(['reports.view', 'conversations.view']) },
    );
    await waitFor(() => expect(screen.getAllByTestId('calls-row')).toHaveLength(2));
    const names = () => screen.getAllByTestId('calls-row').map((r) => r.querySelector('td')!.textContent);
    expect(names()).toEqual(['Billing', 'Sales']);
    expect(screen.getByTestId('calls-total').textContent).toContain('1:15');
    await userEvent.click(screen.getByRole('button', { name: en.reports.calls.columns.averageMs }));
    expect(names()).toEqual(['Sales', 'Billing']);
    expect(queries('/api/reports/calls')[0]).toMatchObject({ from: '2026-11-01', to: '2026-11-03', by: 'group', channel: 'call' });
    expect(screen.getByTestId('all-calls-csv').getAttribute('href')).toBe('/api/reports/calls/all.csv?from=2026-11-01&to=2026-11-03&channel=call');
    // A group's row opens Conversations filtered by that group, with the report's period and channel (issue 14).
    const sales = screen.getAllByTestId('calls-row').find((r) => r.textContent!.includes('Sales'))!;
    const drill = new URLSearchParams(sales.querySelector('a')!.getAttribute('href')!.split('?')[1]);
    expect(drill.get('group')).toBe('g2');
    expect(JSON.parse(drill.get('f')!)).toEqual({ period: { kind: 'custom', from: '2026-11-01', to: '2026-11-03' }, channels: ['call'] });
  });
});
