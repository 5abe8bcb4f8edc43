// The scorecard builder and list against a fake API: a new scorecard built with the three question types (options,
// scale, auto-fail, N/A, an auto rule), percentage scoring and a pass mark, sent as built; the live maximum; problems
// named before anything is sent; an edit of a version in use (the notice beforehand, "new version" after); an
// archived scorecard read-only until unarchived; the server's refusal shown; the list's filter, duplicate and archive.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser, type SentRequest } from '../../../test/render.tsx';
import type { ScorecardDefinition } from '../../../../../src/quality/model.ts';
import { ScorecardBuilderPage } from './ScorecardBuilderPage.tsx';
import { ScorecardsPage } from './ScorecardsPage.tsx';

const S = en.scorecards;
const at = '2026-11-01T10:00:00.000Z';
const me = { me: testUser(['scorecards.manage', 'conversations.view']) };
const fill = (s: string, vars: Record<string, string | number>) => Object.entries(vars).reduce((acc, [k, v]) => acc.replaceAll(`{{${k}}}`, String(v)), s);

const DEF: ScorecardDefinition = {
  scoring: 'points',
  passMark: 4,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        { id: 'q1', text: 'Greeted the customer', type: 'yes_no', points: 5, required: true, naAllowed: false, autoFail: false, commentAllowed: true },
      ],
    },
  ],
};
const card = (over: Record<string, unknown> = {}) => ({
  id: 'sc1',
  name: 'Sales QA',
  description: 'For the sales team',
  version: 1,
  versionId: 'v1',
  scoring: 'points',
  passMark: 4,
  maxScore: 5,
  sections: 1,
  questions: 1,
  archived: false,
  archivedAt: null,
  createdAt: at,
  updatedAt: at,
  definition: DEF,
  versions: [{ id: 'v1', version: 1, createdAt: at, createdBy: { id: 'u1', name: 'Mia Manager' }, evaluations: 0 }],
  ...over,
});

function Where() {
  const l = useLocation();
  return <div data-testid="where">{l.pathname}</div>;
}

function renderAt(path: string) {
  return renderWithApp(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/quality/scorecards" element={<ScorecardsPage />} />
        <Route path="/quality/scorecards/:id" element={<ScorecardBuilderPage />} />
      </Routes>
      <Where />
    </MemoryRouter>,
    me,
  );
}

async function pick(input: HTMLElement, option: string) {
  await userEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  await userEvent.click(within(document.getElementById(input.getAttribute('aria-controls')!)!).getByRole('option', { name: option }));
}

/** Pastes the text (typing it key by key takes seconds on a busy machine and proves nothing more here). */
async function typeIn(input: HTMLElement, text: string) {
  await userEvent.click(input);
  await userEvent.paste(text);
}

const setNumber = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });
const questions = () => screen.getAllByTestId('question-editor');
const inQ = (i: number) => within(questions()[i]!);

describe('scorecard builder', () => {
  it('builds a new scorecard with every question type and sends it as built', async () => {
    const api = fakeApi({
      'POST /api/scorecards': (req) => card({ id: 'new1', ...(req.body as object) }),
      'GET /api/scorecards/new1': () => card({ id: 'new1' }),
    });
    renderAt('/quality/scorecards/new');
    await typeIn(screen.getByTestId('scorecard-name'), 'Support QA');
    await typeIn(screen.getByTestId('scorecard-description'), 'Calls and chats');
    await typeIn(screen.getByTestId('section-title'), 'Opening');
    // Question 1.1 (yes/no, 10 points by default): N/A allowed.
    await typeIn(inQ(0).getByTestId('question-text'), 'Used the greeting');
    await userEvent.click(inQ(0).getByTestId('switch-na'));
    // Question 1.2: single choice with a failing option.
    await userEvent.click(screen.getByTestId('add-question'));
    await typeIn(inQ(1).getByTestId('question-text'), 'Verified identity');
    await pick(inQ(1).getByTestId('question-type'), S.types.choice);
    await userEvent.click(inQ(1).getByTestId('switch-autofail'));
    const labels = inQ(1).getAllByTestId('option-label');
    await typeIn(labels[0]!, 'Fully');
    await typeIn(labels[1]!, 'Not at all');
    await userEvent.click(inQ(1).getAllByTestId('option-fails')[1]!);
    // Question 1.3: a 1–5 rating worth 20 points, with an auto rule.
    await userEvent.click(screen.getByTestId('add-question'));
    await typeIn(inQ(2).getByTestId('question-text'), 'Tone');
    await pick(inQ(2).getByTestId('question-type'), S.types.scale);
    setNumber(inQ(2).getByTestId('question-points'), '20');
    await pick(inQ(2).getByTestId('rule-kind'), S.rule.kinds.sentiment_end);
    // The live maximum: 10 + 10 + 20.
    expect(screen.getByTestId('preview-max').textContent).toBe(fill(S.previewPoints, { points: 40 }));
    // Percentage scoring with a pass mark of 75.
    await userEvent.click(within(screen.getByTestId('scoring-panel')).getByRole('radio', { name: S.modes.percentage }));
    await userEvent.click(screen.getByTestId('pass-mark-switch'));
    setNumber(screen.getByTestId('pass-mark'), '75');
    await userEvent.click(screen.getByTestId('save-scorecard'));

    await waitFor(() => expect(api.requests('POST', '/api/scorecards')).toHaveLength(1));
    const sent = api.requests('POST', '/api/scorecards')[0]!.body as { name: string; description: string; definition: ScorecardDefinition };
    expect(sent.name).toBe('Support QA');
    expect(sent.description).toBe('Calls and chats');
    const base = { id: expect.any(String), required: true, commentAllowed: true };
    expect(sent.definition).toEqual({
      scoring: 'percentage',
      passMark: 75,
      sections: [
        {
          id: expect.any(String),
          title: 'Opening',
          weight: 1,
          questions: [
            { ...base, text: 'Used the greeting', type: 'yes_no', points: 10, naAllowed: true, autoFail: false },
            {
              ...base,
              text: 'Verified identity',
              type: 'choice',
              naAllowed: false,
              autoFail: true,
              options: [
                { id: expect.any(String), label: 'Fully', points: 10 },
                { id: expect.any(String), label: 'Not at all', points: 0, fails: true },
              ],
            },
            {
              ...base,
              text: 'Tone',
              type: 'scale',
              min: 1,
              max: 5,
              points: 20,
              naAllowed: false,
              autoFail: false,
              autoRule: { kind: 'sentiment_end', min: 50 },
            },
          ],
        },
      ],
    });
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/quality/scorecards/new1'));
    // The editor now edits the scorecard made, and says it was saved.
    expect((await screen.findByTestId('saved-note')).textContent).toBe(fill(S.saved, { version: 1 }));
    expect(screen.getByTestId('save-scorecard').textContent).toBe(en.common.save);
  });

  it('names the problems and sends nothing while there are any', async () => {
    const api = fakeApi({});
    renderAt('/quality/scorecards/new');
    await typeIn(screen.getByTestId('scorecard-name'), 'Half done');
    await userEvent.click(screen.getByTestId('save-scorecard'));
    const problems = await screen.findByTestId('problems');
    expect(within(problems).getByText(`Section 1 · ${S.problems.TITLE_REQUIRED}`)).toBeTruthy();
    expect(within(problems).getByText(`Question 1.1 · ${S.problems.TEXT_REQUIRED}`)).toBeTruthy();
    expect(inQ(0).getByText(S.problems.TEXT_REQUIRED)).toBeTruthy();
    expect(api.sent.filter((r: SentRequest) => r.method !== 'GET')).toEqual([]);
    // An auto-fail choice question without a failing option is named too.
    await typeIn(screen.getByTestId('section-title'), 'Opening');
    await typeIn(inQ(0).getByTestId('question-text'), 'Verified');
    await pick(inQ(0).getByTestId('question-type'), S.types.choice);
    await userEvent.click(inQ(0).getByTestId('switch-autofail'));
    for (const [i, l] of inQ(0).getAllByTestId('option-label').entries()) await typeIn(l, `Option ${i}`);
    await userEvent.click(screen.getByTestId('save-scorecard'));
    await waitFor(() =>
      expect(
        within(screen.getByTestId('problems'))
          .getAllByText(/ · /)
          .map((x) => x.textContent),
      ).toEqual([`Question 1.1 · ${S.problems.NO_FAILING_OPTION}`]),
    );
    expect(api.sent.filter((r: SentRequest) => r.method !== 'GET')).toEqual([]);
  });

  it('says beforehand that saving a version in use makes a new one, sends the time it was opened, and says so after', async () => {
    let current = card({ versions: [{ id: 'v1', version: 1, createdAt: at, createdBy: null, evaluations: 3 }] });
    const api = fakeApi({
      'GET /api/scorecards/sc1': () => current,
      'PUT /api/scorecards/sc1': (req) => {
        current = card({ version: 2, updatedAt: '2026-11-02T10:00:00.000Z', definition: (req.body as { definition: ScorecardDefinition }).definition });
        return { ...current, newVersion: true };
      },
    });
    renderAt('/quality/scorecards/sc1');
    expect((await screen.findByTestId('version-note')).textContent).toBe(fill(S.inUseNote, { version: 1, count: 3, next: 2 }));
    setNumber(inQ(0).getByTestId('question-points'), '8');
    await userEvent.click(screen.getByTestId('save-scorecard'));
    await waitFor(() => expect(api.requests('PUT', '/api/scorecards/sc1')).toHaveLength(1));
    const body = api.requests('PUT', '/api/scorecards/sc1')[0]!.body as { expectedUpdatedAt: string; definition: ScorecardDefinition; name: string };
    expect(body.expectedUpdatedAt).toBe(at);
    expect(body.name).toBe('Sales QA');
    expect(body.definition.sections[0]!.questions[0]).toMatchObject({ id: 'q1', points: 8 });
    // The page starts again from the server's answer (version 2) and says what happened.
    expect((await screen.findByTestId('saved-note')).textContent).toBe(fill(S.savedNewVersion, { version: 2 }));
    // The editor starts again from the server's version 2; the note stays.
    await waitFor(() => expect(screen.getByText(fill(S.versionBadge, { version: 2 }))).toBeTruthy());
    expect(screen.getByTestId('saved-note')).toBeTruthy();
    expect(screen.queryByTestId('version-note')).toBeNull();
  });

  it('shows the server’s refusal and stays on the form', async () => {
    fakeApi({
      'GET /api/scorecards/sc1': () => card(),
      'PUT /api/scorecards/sc1': () =>
        Response.json({ error: { code: 'ALREADY_EXISTS', message: 'A scorecard named "Billing QA" already exists' } }, { status: 409 }),
    });
    renderAt('/quality/scorecards/sc1');
    const name = await screen.findByTestId('scorecard-name');
    await userEvent.clear(name);
    await typeIn(name, 'Billing QA');
    await userEvent.click(screen.getByTestId('save-scorecard'));
    expect((await screen.findByTestId('error-alert')).textContent).toBe('A scorecard named "Billing QA" already exists');
    expect((screen.getByTestId('scorecard-name') as HTMLInputElement).value).toBe('Billing QA');
  });

  it('shows an archived scorecard read-only until it is unarchived', async () => {
    const api = fakeApi({ 'GET /api/scorecards/sc1': () => card({ archived: true, archivedAt: at }), 'POST /api/scorecards/sc1/unarchive': () => card() });
    renderAt('/quality/scorecards/sc1');
    await screen.findByTestId('archived-note');
    expect(screen.queryByTestId('save-scorecard')).toBeNull();
    // A disabled fieldset disables every control in it (jsdom does not apply that to the controls themselves).
    expect(screen.getByTestId('scorecard-name').closest('fieldset')!.disabled).toBe(true);
    expect(inQ(0).getByTestId('question-text').closest('fieldset')!.disabled).toBe(true);
    await userEvent.click(within(screen.getByTestId('archived-note')).getByRole('button', { name: S.unarchive }));
    await waitFor(() => expect(api.requests('POST', '/api/scorecards/sc1/unarchive')).toHaveLength(1));
  });

  it('tries the scorecard out: weighted sections, N/A and an automatic failure, scored as the submit will', async () => {
    const def: ScorecardDefinition = {
      scoring: 'percentage',
      passMark: 70,
      sections: [
        {
          id: 's1',
          title: 'Compliance',
          weight: 1,
          questions: [
            { id: 'qa', text: 'Read the disclosure', type: 'yes_no', points: 10, required: true, naAllowed: false, autoFail: true, commentAllowed: false },
          ],
        },
        {
          id: 's2',
          title: 'Manner',
          weight: 3,
          questions: [
            { id: 'qb', text: 'Courtesy', type: 'scale', min: 1, max: 5, points: 4, required: true, naAllowed: true, autoFail: false, commentAllowed: false },
          ],
        },
      ],
    };
    fakeApi({ 'GET /api/scorecards/sc1': () => card({ scoring: 'percentage', passMark: 70, maxScore: 100, definition: def }) });
    renderAt('/quality/scorecards/sc1');
    await userEvent.click(await screen.findByTestId('try-out'));
    const group = (name: string) => within(screen.getByRole('radiogroup', { name }));
    const T = S.tryOut;
    await userEvent.click(group('Read the disclosure').getByRole('radio', { name: T.yes }));
    await userEvent.click(group('Courtesy').getByRole('radio', { name: '4' }));
    // Compliance 100 %, Manner 3 of 4 = 75 %, weights 1 and 3: (100 + 225) / 4.
    expect(screen.getByTestId('try-score').textContent).toBe(fill(T.scorePercent, { percent: 81.25 }));
    expect(screen.getByTestId('try-passed').textContent).toBe(T.passed);
    await userEvent.click(group('Read the disclosure').getByRole('radio', { name: T.no }));
    expect(screen.getByTestId('try-score').textContent).toBe(fill(T.scorePercent, { percent: 56.25 }));
    expect(screen.getByTestId('try-passed').textContent).toBe(T.failed);
    expect(screen.getByTestId('try-autofail').textContent).toBe(fill(T.autoFailed, { questions: 'Read the disclosure' }));
    await userEvent.click(group('Courtesy').getByRole('radio', { name: T.na }));
    expect(screen.getByTestId('try-score').textContent).toBe(fill(T.scorePercent, { percent: 0 }));
  });

  it('asks before the tab is closed with unsaved changes, not before', async () => {
    fakeApi({ 'GET /api/scorecards/sc1': () => card() });
    renderAt('/quality/scorecards/sc1');
    const name = await screen.findByTestId('scorecard-name');
    const leave = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(leave()).toBe(false);
    await typeIn(name, ' 2');
    expect(leave()).toBe(true);
  });

  it('moves, copies and removes questions, and updates the maximum', async () => {
    fakeApi({});
    renderAt('/quality/scorecards/new');
    await typeIn(inQ(0).getByTestId('question-text'), 'First');
    await userEvent.click(screen.getByTestId('add-question'));
    await typeIn(inQ(1).getByTestId('question-text'), 'Second');
    await userEvent.click(screen.getByRole('button', { name: fill(S.question.moveUp, { number: '1.2' }) }));
    const texts = () => screen.getAllByTestId('question-text').map((i) => (i as HTMLInputElement).value);
    expect(texts()).toEqual(['Second', 'First']);
    await userEvent.click(screen.getByRole('button', { name: fill(S.question.copyNamed, { number: '1.1' }) }));
    expect(texts()).toEqual(['Second', 'Second', 'First']);
    expect(screen.getByTestId('preview-max').textContent).toBe(fill(S.previewPoints, { points: 30 }));
    await userEvent.click(screen.getByRole('button', { name: fill(S.question.remove, { number: '1.3' }) }));
    expect(texts()).toEqual(['Second', 'Second']);
    expect(screen.getByTestId('preview-max').textContent).toBe(fill(S.previewPoints, { points: 20 }));
  });
});

describe('scorecard list', () => {
  const list = [card(), card({ id: 'sc2', name: 'Retention', scoring: 'percentage', passMark: 80, maxScore: 100, questions: 12, sections: 3 })];

  it('lists scorecards with their scoring and size, filters archived ones, duplicates and archives', async () => {
    const api = fakeApi({
      'GET /api/scorecards': () => ({ items: list }),
      'POST /api/scorecards/sc2/duplicate': () => card({ id: 'copy1', name: 'Copy of Retention' }),
      'POST /api/scorecards/sc1/archive': () => card({ archived: true }),
      'GET /api/scorecards/copy1': () => card({ id: 'copy1', name: 'Copy of Retention' }),
    });
    renderAt('/quality/scorecards');
    const rows = await screen.findAllByTestId('scorecard-row');
    expect(within(rows[0]!).getByText('Sales QA')).toBeTruthy();
    expect(within(rows[0]!).getByText(fill(S.maxPoints, { points: 5 }))).toBeTruthy();
    expect(within(rows[0]!).getByText(fill(S.passPoints, { mark: 4 }))).toBeTruthy();
    expect(within(rows[1]!).getByText(fill(S.passPercent, { mark: 80 }))).toBeTruthy();
    expect(within(rows[1]!).getByText(`${fill(S.questionCount, { count: 12 })} · ${fill(S.sectionCount, { count: 3 })}`)).toBeTruthy();
    expect(within(rows[0]!).getByText(`${fill(S.questionCount_one, { count: 1 })} · ${fill(S.sectionCount_one, { count: 1 })}`)).toBeTruthy();

    const fetched = () =>
      vi
        .mocked(fetch)
        .mock.calls.map(([u]) => String(u))
        .filter((u) => u.startsWith('/api/scorecards?'));
    expect(fetched()).toEqual(['/api/scorecards?archived=active']);
    await userEvent.click(within(screen.getByTestId('archived-filter')).getByRole('radio', { name: S.filter.archived }));
    await waitFor(() => expect(fetched()).toContain('/api/scorecards?archived=archived'));

    await userEvent.click(screen.getByRole('button', { name: fill(S.archiveNamed, { name: 'Sales QA' }) }));
    await waitFor(() => expect(api.requests('POST', '/api/scorecards/sc1/archive')).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: fill(S.duplicateNamed, { name: 'Retention' }) }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/quality/scorecards/copy1'));
  });

  it('opens the builder for a new scorecard', async () => {
    fakeApi({ 'GET /api/scorecards': () => ({ items: [] }) });
    renderAt('/quality/scorecards');
    expect(await screen.findByText(S.none)).toBeTruthy();
    await userEvent.click(screen.getByTestId('new-scorecard'));
    expect(screen.getByTestId('where').textContent).toBe('/quality/scorecards/new');
    expect(screen.getByTestId('scorecard-builder')).toBeTruthy();
  });
});
