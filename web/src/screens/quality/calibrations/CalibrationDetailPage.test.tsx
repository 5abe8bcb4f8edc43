// The calibration result page: an evaluator who has not submitted sees who scores but no one's score; once results
// are visible, the totals, each evaluator's deviation from the reference and the per-question answers and spread
// show; the creator closes the session.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { CalibrationDetailPage } from './CalibrationDetailPage.tsx';

const definition = {
  scoring: 'points',
  passMark: null,
  sections: [
    {
      id: 's1',
      title: 'Call',
      weight: 1,
      questions: [
        { id: 'greet', text: 'Greeted the customer', type: 'yes_no', points: 10, required: true, naAllowed: false, autoFail: false, commentAllowed: false },
        { id: 'empathy', text: 'Empathy', type: 'scale', min: 1, max: 5, points: 8, required: true, naAllowed: true, autoFail: false, commentAllowed: false },
      ],
    },
  ],
};

const base = {
  id: 'cal1',
  name: 'March calibration',
  status: 'open',
  conversation: { id: 'conv1', title: 'Billing call', startedAt: '2026-11-30T10:00:00.000Z' },
  agent: { id: 'ag', name: 'Alex Agent' },
  scorecard: { id: 'sc', name: 'Service', version: 2, versionId: 'v2', definition },
  createdBy: { id: 'mgr', name: 'Morgan Manager' },
  createdAt: '2026-12-01T09:00:00.000Z',
  dueAt: null,
  closedAt: null,
  evaluators: 2,
  submitted: 1,
  myEvaluationId: 'ev-me',
  myStatus: 'planned',
  reference: { id: 'eva', name: 'Eva One' },
  participants: [
    { userId: 'eva', name: 'Eva One', evaluationId: 'e1', status: 'submitted', submittedAt: '2026-12-02T09:00:00.000Z', reference: true, percent: null },
    { userId: 'u-test', name: 'Tess Tester', evaluationId: 'ev-me', status: 'planned', submittedAt: null, reference: false, percent: null },
  ],
  resultsVisible: false,
  resultsHiddenReason: 'Submit your own evaluation first',
  results: null,
  canManage: false,
};

const results = {
  baseline: 'reference',
  referenceUserId: 'eva',
  total: {
    n: 2,
    mean: 88.89,
    min: 77.78,
    max: 100,
    spread: 22.22,
    variance: 123.43,
    stdDev: 11.11,
    evaluators: [
      { userId: 'eva', answer: 100, value: 100, deviation: 0, score: 18, passed: null, autoFailed: false },
      { userId: 'u-test', answer: 77.78, value: 77.78, deviation: -22.22, score: 14, passed: null, autoFailed: false },
    ],
  },
  questions: [
    {
      questionId: 'greet',
      sectionId: 's1',
      text: 'Greeted the customer',
      n: 2,
      mean: 100,
      min: 100,
      max: 100,
      spread: 0,
      variance: 0,
      stdDev: 0,
      agreement: 1,
      evaluators: [
        { userId: 'eva', answer: 'yes', value: 100, deviation: 0 },
        { userId: 'u-test', answer: 'yes', value: 100, deviation: 0 },
      ],
    },
    {
      questionId: 'empathy',
      sectionId: 's1',
      text: 'Empathy',
      n: 2,
      mean: 75,
      min: 50,
      max: 100,
      spread: 50,
      variance: 625,
      stdDev: 25,
      agreement: 0.5,
      evaluators: [
        { userId: 'eva', answer: 5, value: 100, deviation: 0 },
        { userId: 'u-test', answer: 3, value: 50, deviation: -50 },
      ],
    },
  ],
  evaluators: [
    { userId: 'eva', name: 'Eva One', meanAbsDeviation: 0, totalDeviation: 0 },
    { userId: 'u-test', name: 'Tess Tester', meanAbsDeviation: 25, totalDeviation: -22.22 },
  ],
};

function renderPage(detail: object, permissions = ['quality.review']) {
  const api = fakeApi({
    'GET /api/calibrations/cal1': () => detail,
    'POST /api/calibrations/cal1/close': () => ({ ...detail, status: 'closed' }),
  });
  renderWithApp(
    <MemoryRouter initialEntries={['/quality/calibrations/cal1']}>
      <Routes>
        <Route path="/quality/calibrations/:id" element={<CalibrationDetailPage />} />
      </Routes>
    </MemoryRouter>,
    { me: testUser(permissions) },
  );
  return api;
}

describe('Calibration result page', () => {
  it('keeps an evaluator blind until they submit, and leads them to their evaluation', async () => {
    renderPage(base);
    expect((await screen.findByTestId('results-hidden')).textContent).toContain(en.calibrations.detail.hidden);
    expect(screen.queryByTestId('calibration-results')).toBeNull();
    expect(screen.getByTestId('open-my-evaluation').getAttribute('href')).toBe('/quality/evaluations/ev-me');
    expect(screen.getByTestId('participant-eva').textContent).toContain('Eva One');
    expect(screen.getByTestId('participant-eva').textContent).toContain(en.calibrations.detail.reference);
    // No close button for a participant.
    expect(screen.queryByTestId('calibration-close')).toBeNull();
  });

  it('shows totals, deviations from the reference and each answer per question', async () => {
    renderPage({ ...base, myStatus: 'submitted', resultsVisible: true, resultsHiddenReason: null, results });
    await screen.findByTestId('calibration-results');
    expect(screen.getByTestId('total-stddev').textContent).toContain('11.11');
    const empathy = screen.getByTestId('question-empathy');
    // Eva's 5, Tess's 3 with −50 points, the spread 50 and half agreeing.
    expect(within(empathy).getByText('5')).toBeTruthy();
    expect(within(empathy).getByText('3')).toBeTruthy();
    expect(within(empathy).getByText('−50')).toBeTruthy();
    expect(empathy.textContent).toContain('50 %');
    expect(within(screen.getByTestId('question-greet')).getAllByText(en.evaluations.form.yes)).toHaveLength(2);
    expect(screen.getByText(/from the reference evaluator \(Eva One\)/)).toBeTruthy();
  });

  it('lets the creator close the session', async () => {
    const api = renderPage({ ...base, myEvaluationId: null, myStatus: null, canManage: true, resultsVisible: true, results }, ['quality.calibrate']);
    fireEvent.click(await screen.findByTestId('calibration-close'));
    await waitFor(() => expect(api.requests('POST', '/api/calibrations/cal1/close')).toHaveLength(1));
    expect(await screen.findByText(en.calibrations.status.closed)).toBeTruthy();
  });
});
