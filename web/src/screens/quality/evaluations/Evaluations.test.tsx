// The Review dialog (agent, scorecard, review now or plan for reviewers with a due date) and the evaluation form
// (answers by question type, the missing required answers named from the server's refusal, the automated proposal
// accepted, the result after submit), against a fake API that records what is sent.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import fr from '../../../i18n/fr.json' with { type: 'json' };
import { chipLabel } from '../../../i18n/chips.ts';
import i18n from '../../../i18n/index.ts';
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { EvaluationForm } from './EvaluationForm.tsx';
import { MyEvaluationsPage } from './EvaluationsQueue.tsx';
import { ReviewedCell, ReviewHistory } from './ReviewHistory.tsx';
import { ReviewDialog } from './ReviewDialog.tsx';

const D = en.evaluations.dialog;
const F = en.evaluations.form;

async function pick(input: HTMLElement, option: string) {
  await userEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  await userEvent.click(within(document.getElementById(input.getAttribute('aria-controls')!)!).getByRole('option', { name: option }));
}

function Where() {
  const l = useLocation();
  return <div data-testid="location">{`${l.pathname}${l.search}`}</div>;
}

const dialogApi = (extra = {}) =>
  fakeApi({
    'GET /api/conversations/c1/review-agents': () => ({ items: [{ id: 'a1', name: 'Alex Agent' }] }),
    'GET /api/scorecards': () => ({ items: [{ id: 'sc1', name: 'Support', version: 3 }] }),
    'GET /api/conversations/c1/reviewers': () => ({
      items: [
        { id: 'e1', name: 'Eve Evaluator' },
        { id: 'm1', name: 'Mia Manager' },
      ],
    }),
    ...extra,
  });

function renderDialog(permissions: string[]) {
  return renderWithApp(
    <MemoryRouter initialEntries={['/conversations']}>
      <Routes>
        <Route
          path="*"
          element={
            <>
              <ReviewDialog conversationId="c1" onClose={() => {}} />
              <Where />
            </>
          }
        />
      </Routes>
    </MemoryRouter>,
    { me: testUser(['conversations.view', ...permissions]) },
  );
}

describe('Review dialog', () => {
  it('reviews now: the only agent is chosen, the scorecard picked, and the draft opens beside the player', async () => {
    const api = dialogApi({ 'POST /api/evaluations': () => ({ id: 'ev1' }) });
    renderDialog(['quality.review']);
    await waitFor(() => expect((screen.getByTestId('review-agent') as HTMLInputElement).value).toBe('Alex Agent'));
    // No "Plan review" without quality.plan.
    expect(screen.queryByText(D.plan)).toBeNull();
    await userEvent.click(screen.getByTestId('review-submit'));
    expect(await screen.findByText(en.validation.required)).toBeTruthy();
    expect(api.requests('POST', '/api/evaluations')).toEqual([]);
    await pick(screen.getByTestId('review-scorecard'), 'Support (v3)');
    await userEvent.click(screen.getByTestId('review-submit'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/conversations/c1?evaluation=ev1'));
    expect(api.requests('POST', '/api/evaluations').map((r) => r.body)).toEqual([{ conversationId: 'c1', agentUserId: 'a1', scorecardId: 'sc1', mode: 'now' }]);
  });

  it('offers only oneself as the agent to a user who may review only themself', async () => {
    dialogApi({
      'GET /api/conversations/c1/review-agents': () => ({
        items: [
          { id: 'a1', name: 'Alex Agent' },
          { id: 'u-test', name: 'Tess Tester' },
        ],
      }),
    });
    renderDialog(['quality.review_self']);
    await waitFor(() => expect((screen.getByTestId('review-agent') as HTMLInputElement).value).toBe('Tess Tester'));
  });

  it('plans a review for reviewers with a due date', async () => {
    const api = dialogApi({ 'POST /api/evaluations': () => ({ evaluations: [{ id: 'p1' }, { id: 'p2' }] }) });
    renderDialog(['quality.review', 'quality.plan']);
    await pick(await screen.findByTestId('review-scorecard'), 'Support (v3)');
    await userEvent.click(screen.getByText(D.plan));
    await pick(await screen.findByTestId('review-reviewers'), 'Eve Evaluator');
    await pick(screen.getByTestId('review-reviewers'), 'Mia Manager');
    fireEvent.change(screen.getByTestId('review-due'), { target: { value: '2099-03-01T17:00' } });
    await userEvent.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('review-planned')).toBeTruthy();
    const [sent] = api.requests('POST', '/api/evaluations').map((r) => r.body as Record<string, unknown>);
    expect(sent).toMatchObject({ conversationId: 'c1', agentUserId: 'a1', scorecardId: 'sc1', mode: 'plan', reviewerIds: ['e1', 'm1'] });
    expect(new Date(sent!.dueAt as string).getTime()).toBe(new Date('2099-03-01T17:00').getTime());
  });
});

const definition = {
  scoring: 'points',
  passMark: 10,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        { id: 'q1', type: 'yes_no', text: 'Greeted the customer', required: true, naAllowed: false, autoFail: false, commentAllowed: true, points: 10 },
        { id: 'q2', type: 'scale', text: 'Showed empathy', required: true, naAllowed: true, autoFail: false, commentAllowed: false, min: 1, max: 3, points: 4 },
      ],
    },
  ],
};

const evaluation = (over: Record<string, unknown> = {}) => ({
  id: 'ev1',
  kind: 'review',
  calibrationId: null,
  conversation: { id: 'c1', title: 'Chat', startedAt: '2026-03-01T09:00:00Z' },
  agent: { id: 'a1', name: 'Alex Agent' },
  evaluator: { id: 'u-test', name: 'Tess Tester' },
  scorecard: { id: 'sc1', name: 'Support', version: 3, definition },
  status: 'draft',
  responseStatus: 'none',
  dueAt: null,
  overdue: false,
  plannedBy: null,
  submittedAt: null,
  revision: 0,
  score: null,
  maxScore: null,
  percent: null,
  passed: null,
  autoFailed: false,
  autoFailReason: null,
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
  answers: {},
  generalComment: null,
  result: null,
  prefill: {
    computedAt: '2026-03-01T10:00:00Z',
    proposals: [
      { questionId: 'q1', available: true, proposed: 'yes', evidence: [{ startMs: 12_000, endMs: 14_000, party: 'agent', text: 'Hello, thanks for calling' }] },
    ],
  },
  startedAt: '2026-03-01T10:00:00Z',
  revisions: [],
  comments: [],
  disputes: [],
  can: { edit: true, reevaluate: false, comment: true },
  ...over,
});

describe('Evaluation form', () => {
  it('mentions people in a comment from those who may read the evaluation, and shows the mention', async () => {
    const api = fakeApi({
      'GET /api/evaluations/ev1': () =>
        evaluation({
          comments: [
            {
              id: 'c1',
              author: { id: 'u-mia', name: 'Mia Manager' },
              positionMs: null,
              body: 'Ask @[Eve Evaluator](u-eve)',
              createdAt: '2026-03-01T10:05:00Z',
            },
          ],
        }),
      'GET /api/evaluations/ev1/mentionable': () => ({ items: [{ id: 'u-mia', name: 'Mia Manager', email: 'mia@example.test' }] }),
      'POST /api/evaluations/ev1/comments': (r) => ({
        id: 'c2',
        author: { id: 'u-test', name: 'Test' },
        positionMs: null,
        body: (r.body as { body: string }).body,
        createdAt: '2026-03-01T10:06:00Z',
      }),
    });
    renderWithApp(
      <MemoryRouter>
        <EvaluationForm evaluationId="ev1" />
      </MemoryRouter>,
      { me: testUser(['quality.review']) },
    );
    const comments = await screen.findByTestId('evaluation-comments');
    expect(within(comments).getByTestId('mention').textContent).toBe('@Eve Evaluator');
    const box = within(comments).getByRole('textbox', { name: en.evaluations.comments.placeholder });
    await userEvent.type(box, 'See @mi');
    await userEvent.click(within(await screen.findByTestId('mention-list')).getByRole('option', { name: /Mia Manager/ }));
    await userEvent.type(box, 'please');
    await userEvent.click(within(comments).getByTestId('evaluation-comment-post'));
    await waitFor(() =>
      expect(api.requests('POST', '/api/evaluations/ev1/comments').map((r) => r.body)).toEqual([
        { body: 'See @[Mia Manager](u-mia) please', positionMs: null },
      ]),
    );
  });

  it('says in the UI language why a question has no automatic proposal', async () => {
    const unavailable = {
      questionId: 'q2',
      available: false,
      reason: 'The transcript is not ready yet',
      reasonCode: 'transcript_pending',
      proposed: null,
      evidence: [],
    };
    const unknown = { questionId: 'q1', available: false, reason: 'A reason from a newer server', reasonCode: 'newer_code', proposed: null, evidence: [] };
    fakeApi({ 'GET /api/evaluations/ev1': () => evaluation({ prefill: { computedAt: '2026-03-01T10:00:00Z', proposals: [unknown, unavailable] } }) });
    await i18n.changeLanguage('fr');
    try {
      renderWithApp(
        <MemoryRouter>
          <EvaluationForm evaluationId="ev1" />
        </MemoryRouter>,
        { me: testUser(['quality.review']) },
      );
      expect((await screen.findByTestId('proposal-q2')).textContent).toBe(
        fr.evaluations.form.autoUnavailable.replace('{{reason}}', fr.evaluations.form.autoReasons.transcript_pending),
      );
      expect(screen.getByTestId('proposal-q1').textContent).toBe(fr.evaluations.form.autoUnavailable.replace('{{reason}}', 'A reason from a newer server'));
    } finally {
      await i18n.changeLanguage('en');
    }
  });

  it('names the missing required answers, takes the proposal, and shows the score after submit', async () => {
    let submits = 0;
    const api = fakeApi({
      'GET /api/evaluations/ev1': () => evaluation(),
      'POST /api/evaluations/ev1/submit': (req) => {
        submits++;
        const answers = (req.body as { answers: Record<string, unknown> }).answers;
        if (!answers.q2)
          return Response.json(
            {
              error: {
                code: 'VALIDATION_FAILED',
                message: 'Answer the required question before submitting: Showed empathy',
                details: {
                  reason: 'REQUIRED_ANSWERS_MISSING',
                  problems: [{ questionId: 'q2', code: 'REQUIRED', message: '"Showed empathy" must be answered' }],
                },
              },
            },
            { status: 400 },
          );
        return evaluation({
          status: 'submitted',
          revision: 1,
          answers,
          score: 12,
          maxScore: 14,
          percent: 85.71,
          passed: true,
          result: {
            score: 12,
            maxScore: 14,
            percent: 85.71,
            sections: [{ sectionId: 's1', points: 12, maxPoints: 14, percent: 85.71 }],
            passed: true,
            autoFailed: false,
            autoFailQuestionIds: [],
          },
          can: { edit: false, reevaluate: false, comment: true },
        });
      },
    });
    renderWithApp(
      <MemoryRouter>
        <EvaluationForm evaluationId="ev1" />
      </MemoryRouter>,
      { me: testUser(['quality.review']) },
    );
    const q1 = await screen.findByTestId('question-q1');
    expect(within(q1).getByTestId('proposal-q1').textContent).toContain('Hello, thanks for calling');
    await userEvent.click(within(q1).getByTestId('accept-q1'));
    // Scored as the server will: the blank rating is out of the maximum so far.
    expect(screen.getByTestId('evaluation-so-far').textContent).toContain('10 / 10 (100 %)');
    await userEvent.click(screen.getByTestId('evaluation-submit'));
    const missing = await screen.findByTestId('evaluation-missing');
    expect(missing.textContent).toContain('Showed empathy');
    expect(screen.getByTestId('question-q2').getAttribute('data-missing')).toBe('true');

    await userEvent.click(within(screen.getByTestId('question-q2')).getByText('2'));
    expect(screen.getByTestId('evaluation-so-far').textContent).toContain('12 / 14 (85.71 %)');
    await userEvent.click(screen.getByTestId('evaluation-submit'));
    expect(await screen.findByTestId('evaluation-result')).toBeTruthy();
    expect(screen.getByTestId('evaluation-score').textContent).toBe('12 / 14 (85.71 %)');
    expect(screen.getByTestId('evaluation-passed').textContent).toBe(en.evaluations.passed);
    expect(submits).toBe(2);
    expect(api.requests('POST', '/api/evaluations/ev1/submit')[1]!.body).toEqual({
      answers: { q1: { value: 'yes', na: false }, q2: { value: 2, na: false } },
      generalComment: null,
    });
    // Read-only now: the answers as text.
    expect(screen.getByTestId('answer-q1').textContent).toBe(F.yes);
  });

  it('marks an answer that differs from the proposal as overridden', async () => {
    fakeApi({ 'GET /api/evaluations/ev1': () => evaluation({ answers: { q1: { value: 'no' } } }) });
    renderWithApp(
      <MemoryRouter>
        <EvaluationForm evaluationId="ev1" />
      </MemoryRouter>,
      { me: testUser(['quality.review']) },
    );
    expect(await screen.findByTestId('overridden-q1')).toBeTruthy();
  });
});

describe('Evaluation queues', () => {
  it('lists my reviews to do, and asks for another state or scorecard when chosen', async () => {
    const item = evaluation({ status: 'planned', dueAt: '2026-03-02T17:00:00Z', overdue: true });
    const api = fakeApi({
      'GET /api/evaluations': () => ({ items: [item], nextCursor: null }),
      'GET /api/scorecards': () => ({ items: [{ id: 'sc1', name: 'Support', version: 3 }] }),
    });
    renderWithApp(
      <MemoryRouter initialEntries={['/quality/my']}>
        <MyEvaluationsPage />
      </MemoryRouter>,
      { me: testUser(['quality.review']) },
    );
    const row = await screen.findByTestId('evaluation-row');
    expect(within(row).getByRole('link', { name: 'Chat' }).getAttribute('href')).toBe('/conversations/c1?evaluation=ev1');
    expect(within(row).getByText(en.evaluations.status.overdue)).toBeTruthy();
    await userEvent.click(screen.getByText(en.evaluations.queue.done));
    await pick(screen.getByTestId('evaluations-scorecard'), 'Support');
    // The fake API records paths without their query: read the URLs fetch was given.
    const urls = () =>
      vi
        .mocked(fetch)
        .mock.calls.map((c) => String(c[0]))
        .filter((u) => u.startsWith('/api/evaluations?'));
    expect(urls()[0]).toMatch(/queue=mine.*state=todo/);
    await waitFor(() => expect(urls().some((u) => u.includes('state=done') && u.includes('scorecardId=sc1'))).toBe(true));
    expect(api.requests('GET', '/api/evaluations').length).toBeGreaterThanOrEqual(3);
  });
});

describe('Review history and the Reviewed cell', () => {
  it("lists a conversation's reviews with their score or state, and nothing when there are none", async () => {
    fakeApi({
      'GET /api/conversations/c1/evaluations': () => ({
        items: [
          evaluation({ id: 'e1', status: 'submitted', score: 25, maxScore: 30, percent: 83.33, passed: false, submittedAt: '2026-03-02T10:00:00Z' }),
          evaluation({ id: 'e2', status: 'planned', overdue: true, dueAt: '2026-03-01T10:00:00Z' }),
        ],
      }),
      'GET /api/conversations/c2/evaluations': () => ({ items: [] }),
    });
    const { unmount } = renderWithApp(
      <MemoryRouter>
        <ReviewHistory conversationId="c1" />
      </MemoryRouter>,
    );
    const history = await screen.findByTestId('review-history');
    expect(within(history).getByText('25 / 30 (83.33 %)')).toBeTruthy();
    expect(within(history).getByText(en.evaluations.failed)).toBeTruthy();
    expect(within(history).getByText(en.evaluations.status.overdue)).toBeTruthy();
    expect(within(history).getAllByRole('link')[0]!.getAttribute('href')).toBe('/conversations/c1?evaluation=e1');
    unmount();
    renderWithApp(
      <MemoryRouter>
        <ReviewHistory conversationId="c2" />
      </MemoryRouter>,
    );
    await waitFor(() => expect(screen.queryByText(en.conversations.reviews.title)).toBeNull());
  });

  it('shows the latest score and pass/fail to those who may read it, else only that it was reviewed', () => {
    const latest = { evaluationId: 'e1', score: 9, maxScore: 10, percent: 90, passed: true, autoFailed: false, submittedAt: '2026-03-02T10:00:00Z' };
    const { unmount } = renderWithApp(<ReviewedCell review={{ reviewedAt: '2026-03-02T10:00:00Z', latest, reviews: 1 }} />);
    expect(screen.getByTestId('reviewed-cell').textContent).toBe(`90 %${en.evaluations.passed}`);
    unmount();
    const { unmount: again } = renderWithApp(<ReviewedCell review={{ reviewedAt: '2026-03-02T10:00:00Z', latest: null, reviews: 0 }} />);
    expect(screen.getByTestId('reviewed-cell').textContent).toBe(en.evaluations.reviewed);
    again();
    renderWithApp(<ReviewedCell review={{ reviewedAt: null, latest: null, reviews: 0 }} />);
    expect(screen.queryByTestId('reviewed-cell')).toBeNull();
  });
});

describe('the Reviewed filter chip', () => {
  it('reads in the UI language, and as the server wrote it in English', () => {
    const chip = { field: 'reviewed' as const, label: 'Reviewed: No' };
    expect(chipLabel(chip, { reviewed: 'no' }, i18n.getFixedT('fr'), 'fr')).toBe('Évaluée : Non');
    expect(chipLabel(chip, { reviewed: 'no' }, i18n.getFixedT('en'), 'en')).toBe('Reviewed: No');
  });
});
