// Quality → Reports against a fake API: who sees it, the summary figures, each table (agents, questions, evaluators,
// disputes, calibrations, overrides), the filters sent as the server reads them (agent as agentId, scorecard and
// evaluator from the address), the drill-down to the evaluations behind a count with a link to the conversation, and a
// CSV download of the table shown.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QualityDrill, QualityReport } from '../../../api/qualityReports.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { QualityReportsPage } from './QualityReportsPage.tsx';

const T = en.qualityReports;
const stats = (evaluations: number, avgPercent: number | null, passRate: number | null, autoFailed = 0) => ({ evaluations, avgPercent, passRate, autoFailed });

const REPORT: QualityReport = {
  from: '2026-11-02',
  to: '2026-11-15',
  bucket: 'week',
  buckets: ['2026-11-02', '2026-11-09'],
  overall: { ...stats(3, 80, 66.67, 1), trend: [stats(2, 90, 100), stats(1, 60, 0, 1)] },
  agents: [
    { id: 'a1', name: 'Alice Agent', ...stats(2, 70, 50, 1), trend: [80, 60], passTrend: [100, 0] },
    { id: 'a2', name: 'Bob Agent', ...stats(1, 100, 100), trend: [100, null], passTrend: [100, null] },
  ],
  groups: [{ id: null, name: 'No group', ...stats(3, 80, 66.67, 1), trend: [90, 60], passTrend: [100, 0] }],
  scorecards: [{ id: 'sc1', name: 'Phone basics', ...stats(3, 80, 66.67, 1), trend: [90, 60], passTrend: [100, 0], avgScore: 8, avgMaxScore: 10 }],
  questions: [
    {
      scorecardId: 'sc1',
      scorecardName: 'Phone basics',
      questionId: 'greet',
      section: 'Opening',
      text: 'Greeted the customer',
      answered: 3,
      na: 0,
      avgPercent: 66.67,
      failing: 1,
      trend: [100, 0],
    },
  ],
  evaluators: [{ id: 'e1', name: 'Eve Evaluator', submitted: 3, avgPercent: 80, passRate: 66.67, deviation: 0, open: 2, overdue: 1 }],
  disputes: {
    raised: 1,
    open: 0,
    reaffirmed: 0,
    reevaluated: 1,
    rate: 33.33,
    avgChange: 20,
    trend: [0, 1],
    agents: [{ id: 'a1', name: 'Alice Agent', raised: 1, open: 0, reaffirmed: 0, reevaluated: 1 }],
  },
  calibrations: [
    {
      id: 'k1',
      name: 'November session',
      scorecardId: 'sc1',
      scorecardName: 'Phone basics',
      status: 'closed',
      day: '2026-11-06',
      evaluators: 3,
      mean: 70,
      spread: 40,
      stdDev: 16.33,
    },
  ],
  calibrationTrend: [16.33, null],
  overrides: [
    {
      scorecardId: 'sc1',
      scorecardName: 'Phone basics',
      questionId: 'greet',
      text: 'Greeted the customer',
      rule: '"thank you for calling" said by the agent',
      kind: 'phrase',
      proposed: 2,
      overridden: 1,
      rate: 50,
    },
  ],
};

const DRILL: QualityDrill = {
  total: 1,
  items: [
    {
      id: 'ev2',
      conversation: { id: 'c1', title: 'Billing question', startedAt: '2026-11-10T10:00:00.000Z' },
      agent: { id: 'a1', name: 'Alice Agent' },
      evaluator: { id: 'e1', name: 'Eve Evaluator' },
      scorecard: { id: 'sc1', name: 'Phone basics', version: 2 },
      group: null,
      submittedAt: '2026-11-11T12:00:00.000Z',
      day: '2026-11-11',
      score: 6,
      maxScore: 10,
      percent: 60,
      passed: false,
      autoFailed: true,
      responseStatus: 'reevaluated',
    },
  ],
};

const manager = { me: testUser(['reports.view', 'conversations.view']) };

function render(url = '/quality/reports', me = manager) {
  const api = fakeApi({
    'GET /api/reports/quality': () => REPORT,
    'GET /api/reports/quality/evaluations': () => DRILL,
    'GET /api/groups': () => ({ items: [] }),
  });
  renderWithApp(
    <MemoryRouter initialEntries={[url]}>
      <QualityReportsPage />
    </MemoryRouter>,
    me,
  );
  return api;
}

const queries = (path: string) =>
  vi
    .mocked(fetch)
    .mock.calls.map(([input]) => new URL(String(input), 'http://earshot.test'))
    .filter((u) => u.pathname === path)
    .map((u) => Object.fromEntries(u.searchParams));

afterEach(() => vi.unstubAllGlobals());

describe('QualityReportsPage', () => {
  it('is not shown without reports.view', () => {
    render('/quality/reports', { me: testUser(['quality.review']) });
    expect(screen.getByTestId('no-access')).toBeTruthy();
  });

  it('shows the summary and the agents, and sends the filters from the address as the server reads them', async () => {
    render('/quality/reports?agent=a1&scorecard=sc1&evaluator=e1&period=custom&from=2026-11-02&to=2026-11-15&bucket=week');
    expect((await screen.findByTestId('stat-evaluations')).textContent).toContain('3');
    expect(screen.getByTestId('stat-pass').textContent).toContain('66.67 %');
    expect(screen.getByTestId('stat-disputes').textContent).toContain('1');
    const rows = screen.getAllByTestId('quality-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Alice Agent', 'Bob Agent']);
    expect(rows[0]!.textContent).toContain('70 %');
    expect(queries('/api/reports/quality')[0]).toEqual({
      from: '2026-11-02',
      to: '2026-11-15',
      bucket: 'week',
      agentId: 'a1',
      scorecardId: 'sc1',
      evaluatorId: 'e1',
    });
    expect(screen.getByTestId('quality-trend-chart')).toBeTruthy();
  });

  it('shows questions, evaluators, disputes, calibrations and auto-rule overrides', async () => {
    render();
    await screen.findByTestId('stat-evaluations');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.questions }));
    expect(screen.getByTestId('quality-row').textContent).toContain('Greeted the customer');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.evaluators }));
    expect(screen.getByTestId('quality-row').textContent).toContain('Eve Evaluator');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.disputes }));
    expect(screen.getByTestId('disputes-summary').textContent).toContain('+20');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.calibrations }));
    const cal = screen.getByTestId('quality-row');
    expect(within(cal).getByText('November session').closest('a')!.getAttribute('href')).toBe('/quality/calibrations/k1');
    expect(cal.textContent).toContain('16.33');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.overrides }));
    expect(screen.getByTestId('quality-row').textContent).toContain('"thank you for calling" said by the agent');
    expect(screen.getByTestId('quality-row').textContent).toContain('50 %');
  });

  it('drills down from a count to the evaluations behind it, each opening beside its conversation', async () => {
    render();
    await screen.findByTestId('stat-evaluations');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.overrides }));
    await userEvent.click(within(screen.getByTestId('quality-row')).getByTestId('drill-count'));
    const item = await screen.findByTestId('quality-drill-item');
    expect(within(item).getByText('Billing question').closest('a')!.getAttribute('href')).toBe('/quality/evaluations/ev2');
    expect(item.textContent).toContain(T.drill.autoFailed);
    expect(queries('/api/reports/quality/evaluations')[0]).toMatchObject({
      scorecardId: 'sc1',
      questionId: 'greet',
      overridden: 'true',
      limit: '20',
      offset: '0',
    });
  });

  it('downloads the table shown as CSV', async () => {
    render();
    await screen.findByTestId('stat-evaluations');
    await userEvent.click(screen.getByRole('tab', { name: T.tabs.evaluators }));
    await userEvent.click(screen.getByTestId('csv-evaluators'));
    await waitFor(() => expect(queries('/api/reports/quality').some((q) => q.format === 'csv' && q.table === 'evaluators')).toBe(true));
  });
});

describe('PrefillRunButton', () => {
  it('starts the pre-fill of a saved search for a planner, and is not offered to others', async () => {
    const api = fakeApi({
      'GET /api/reports/quality': () => REPORT,
      'GET /api/groups': () => ({ items: [] }),
      'GET /api/saved-searches': () => ({ items: [{ id: 'ss1', name: 'Angry customers' }] }),
      'GET /api/scorecards': () => ({ items: [{ id: 'sc1', name: 'Phone basics' }] }),
      'POST /api/quality/prefill-runs': () => ({ jobId: 'j1' }),
    });
    renderWithApp(
      <MemoryRouter initialEntries={['/quality/reports']}>
        <QualityReportsPage />
      </MemoryRouter>,
      { me: testUser(['reports.view', 'quality.plan', 'conversations.view']) },
    );
    await userEvent.click(await screen.findByTestId('prefill-run-open'));
    await userEvent.click(await screen.findByLabelText(T.prefill.search, { selector: 'input' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Angry customers' }));
    await userEvent.click(screen.getByTestId('prefill-start'));
    expect(await screen.findByTestId('prefill-started')).toBeTruthy();
    expect(api.sent.find((r) => r.path === '/api/quality/prefill-runs')?.body).toEqual({ savedSearchId: 'ss1', scorecardId: null });
  });

  it('is not offered without quality.plan', async () => {
    render();
    await screen.findByTestId('stat-evaluations');
    expect(screen.queryByTestId('prefill-run-open')).toBeNull();
  });
});
