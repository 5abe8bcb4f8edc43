// My results (acknowledge, dispute with a required reason, the answer to a dispute) and Disputes (re-affirm with a
// comment, re-evaluate in the form), against a fake API that records what is sent.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { Dispute, Result } from '../../../api/responses.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { DisputesPage } from './DisputesPage.tsx';
import { ResultsPage } from './ResultsPage.tsx';

const R = en.responses;

const result = (over: Partial<Result> = {}): Result => ({
  id: 'ev1',
  conversation: { id: 'c1', title: 'Call with Pat', startedAt: '2026-12-01T09:00:00.000Z' },
  scorecard: { id: 'sc1', name: 'Basics' },
  evaluator: { id: 'e1', name: 'Eva Evaluator' },
  submittedAt: '2026-12-02T09:00:00.000Z',
  revision: 1,
  score: 8,
  maxScore: 10,
  percent: 80,
  passed: true,
  autoFailed: false,
  autoFailReason: null,
  responseStatus: 'none',
  acknowledgedAt: null,
  autoAcknowledged: false,
  autoAcknowledgeAt: null,
  dispute: null,
  can: { acknowledge: true, dispute: true },
  ...over,
});

function renderResults(items: Result[], extra: Record<string, () => unknown> = {}, at = '/quality/results') {
  const api = fakeApi({
    'GET /api/quality/results': () => ({ items, nextOffset: null, requireAcknowledgement: true, autoAcknowledgeDays: 7 }),
    ...extra,
  });
  renderWithApp(
    <MemoryRouter initialEntries={[at]}>
      <ResultsPage />
    </MemoryRouter>,
    { me: testUser(['quality.respond']) },
  );
  return api;
}

describe('My results', () => {
  it('says acknowledgement is required, and acknowledges with an optional comment', async () => {
    const api = renderResults([result()], {
      'POST /api/evaluations/ev1/acknowledge': () => result({ responseStatus: 'acknowledged', can: { acknowledge: false, dispute: false } }),
    });
    expect(await screen.findByText('Call with Pat')).toBeTruthy();
    expect(screen.getByTestId('ack-required').textContent).toContain('after 7 days');
    expect(screen.getByText('8 / 10 (80 %)')).toBeTruthy();
    await userEvent.click(screen.getByTestId('acknowledge'));
    await userEvent.type(screen.getByTestId('acknowledge-modal-text'), 'Fair enough');
    await userEvent.click(screen.getByTestId('acknowledge-modal-submit'));
    await waitFor(() => expect(api.requests('POST', '/api/evaluations/ev1/acknowledge')).toHaveLength(1));
    expect(api.requests('POST', '/api/evaluations/ev1/acknowledge')[0]!.body).toEqual({ comment: 'Fair enough' });
  });

  it('refuses a dispute without a reason, then sends the reason and shows the server refusal', async () => {
    const api = renderResults([result()], {
      'POST /api/evaluations/ev1/dispute': () =>
        Response.json(
          { error: { code: 'CONFLICT', message: 'This evaluation is already disputed', details: { reason: 'ALREADY_DISPUTED' } } },
          { status: 409 },
        ),
    });
    await userEvent.click(await screen.findByTestId('dispute'));
    await userEvent.click(screen.getByTestId('dispute-modal-submit'));
    expect(await screen.findByText(en.validation.required)).toBeTruthy();
    expect(api.requests('POST', '/api/evaluations/ev1/dispute')).toEqual([]);
    await userEvent.type(screen.getByTestId('dispute-modal-text'), '  The customer hung up  ');
    await userEvent.click(screen.getByTestId('dispute-modal-submit'));
    await waitFor(() => expect(api.requests('POST', '/api/evaluations/ev1/dispute')[0]?.body).toEqual({ reason: 'The customer hung up' }));
    expect(await within(screen.getByTestId('dispute-modal')).findByTestId('error-alert')).toBeTruthy();
  });

  it('shows the answer to a dispute and when silence becomes acknowledgement; no buttons where nothing is allowed', async () => {
    renderResults([
      result({
        responseStatus: 'reaffirmed',
        autoAcknowledgeAt: '2026-12-10T09:00:00.000Z',
        dispute: {
          revision: 1,
          reason: 'I did greet',
          raisedAt: '2026-12-03T09:00:00.000Z',
          outcome: 'reaffirmed',
          resolvedAt: '2026-12-04T09:00:00.000Z',
          resolutionComment: 'Greeting must come first',
        },
        can: { acknowledge: true, dispute: false },
      }),
      result({ id: 'ev2', responseStatus: 'acknowledged', autoAcknowledged: true, can: { acknowledge: false, dispute: false } }),
    ]);
    const rows = await screen.findAllByTestId('result-row');
    expect(within(rows[0]!).getByTestId('response-status').textContent).toBe(R.status.reaffirmed);
    expect(within(rows[0]!).getByTestId('reaffirm-comment').textContent).toContain('Greeting must come first');
    expect(within(rows[0]!).getByTestId('auto-ack-at')).toBeTruthy();
    expect(within(rows[0]!).queryByTestId('dispute')).toBeNull();
    expect(within(rows[1]!).getByTestId('response-status').textContent).toBe(R.autoAcknowledged);
    expect(within(rows[1]!).queryByTestId('acknowledge')).toBeNull();
  });

  it('an e-mail link (?evaluation=) lists all results and marks its row', async () => {
    const api = renderResults([result(), result({ id: 'ev2' })], {}, '/quality/results?evaluation=ev2');
    await screen.findAllByTestId('result-row');
    expect(api.sent.find((r) => r.path === '/api/quality/results')).toBeTruthy();
    const marked = document.querySelector('[data-evaluation="ev2"]') as HTMLElement;
    expect(marked.getAttribute('style') ?? '').toContain('yellow');
  });
});

const dispute = (over: Partial<Dispute> = {}): Dispute => ({
  id: 'd1',
  evaluationId: 'ev1',
  conversation: { id: 'c1', title: 'Call with Pat', startedAt: '2026-12-01T09:00:00.000Z' },
  scorecard: { id: 'sc1', name: 'Basics' },
  agent: { id: 'a1', name: 'Alma Agent' },
  evaluator: { id: 'e1', name: 'Eva Evaluator' },
  revision: 1,
  currentRevision: 1,
  score: 8,
  maxScore: 10,
  percent: 80,
  passed: true,
  autoFailed: false,
  reason: 'I did greet',
  raisedAt: '2026-12-03T09:00:00.000Z',
  outcome: null,
  resolvedBy: null,
  resolvedAt: null,
  resolutionComment: null,
  can: { reaffirm: true, reevaluate: true },
  ...over,
});

describe('Disputes', () => {
  it('re-affirms with a required comment, and re-evaluates in the evaluation form', async () => {
    const api = fakeApi({
      'GET /api/quality/disputes': () => ({ items: [dispute()], nextOffset: null }),
      'POST /api/evaluations/ev1/reaffirm': () => dispute({ outcome: 'reaffirmed' }),
    });
    renderWithApp(
      <MemoryRouter initialEntries={['/quality/disputes']}>
        <DisputesPage />
      </MemoryRouter>,
      { me: testUser(['quality.review']) },
    );
    expect((await screen.findByTestId('dispute-reason')).textContent).toBe('I did greet');
    expect(screen.getByTestId('reevaluate').getAttribute('href')).toBe('/conversations/c1?evaluation=ev1');
    await userEvent.click(screen.getByTestId('reaffirm'));
    await userEvent.click(screen.getByTestId('reaffirm-modal-submit'));
    expect(api.requests('POST', '/api/evaluations/ev1/reaffirm')).toEqual([]);
    await userEvent.type(screen.getByTestId('reaffirm-modal-text'), 'Greeting must come first');
    await userEvent.click(screen.getByTestId('reaffirm-modal-submit'));
    await waitFor(() => expect(api.requests('POST', '/api/evaluations/ev1/reaffirm')[0]?.body).toEqual({ comment: 'Greeting must come first' }));
  });
});
