// Calibrations end to end in Debian Chromium: from a demo conversation's Calibrate action, a manager starts a session
// (agent, scorecard, two evaluators, a reference) in the form; the evaluators score through the evaluation API; the
// session's page then shows each evaluator's deviation and, per question, the answers, spread and standard deviation.
// Needs `npm run build:web` first and /usr/bin/chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { DEMO_USERS } from '../../src/demo/seed.ts';
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('calibrations');
const { WAIT, visible } = e2e.waits(60_000);
const C = en.calibrations;
const evaluatorLogin = DEMO_USERS.find((u) => u.email === 'evaluator@demo.earshot.local')!;

const q = (id: string, text: string, extra: object) => ({ id, text, required: true, naAllowed: false, autoFail: false, commentAllowed: false, ...extra });
const DEFINITION = {
  scoring: 'points',
  passMark: null,
  sections: [
    {
      id: 'e2e-s1',
      title: 'Call handling',
      weight: 1,
      questions: [
        q('e2e-greet', 'Greeted the customer', { type: 'yes_no', points: 10 }),
        q('e2e-empathy', 'Showed empathy', { type: 'scale', min: 1, max: 5, points: 8 }),
      ],
    },
  ],
};

describe.skipIf(!hasChromium)('calibrations', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let adminCookie = '';
  let evaluatorCookie = '';
  let conversationId = '';
  let agentName = '';

  const as = (cookie: () => string) => e2e.apiClient(server, cookie);

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    adminCookie = await e2e.sessionCookie(server);
    evaluatorCookie = await e2e.sessionCookie(server, { email: evaluatorLogin.email, password: evaluatorLogin.password });
    const admin = as(() => adminCookie);
    const evaluator = as(() => evaluatorCookie);
    const card = await admin('POST', '/api/scorecards', { name: 'E2E calibration card', definition: DEFINITION });
    expect(card.status, await card.clone().text()).toBe(201);
    // A conversation the evaluator sees, with an agent who is a user.
    const search = await evaluator('POST', '/api/conversations/search?limit=50', { period: null, sort: 'newest' });
    const { items } = (await search.json()) as { items: { id: string }[] };
    for (const { id } of items) {
      const agents = (await (await admin('GET', `/api/conversations/${id}/review-agents`)).json()) as { items: { id: string; name: string }[] };
      if (agents.items.length === 1) {
        conversationId = id;
        agentName = agents.items[0]!.name;
        break;
      }
    }
    expect(conversationId, 'a conversation the evaluator sees, with one agent').toBeTruthy();
    browser = await e2e.launchChromium();
    ({ page, errors: pageErrors } = await e2e.openPage(browser, 60_000));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const pick = async (label: string, option: string) => {
    await page.getByLabel(label).first().click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  it('starts a session from the conversation and shows how the evaluators compare', async () => {
    await page.goto(`${server.url}/conversations/${conversationId}`);
    await page.getByTestId('action-calibrate').click();
    await page.waitForURL(`**/quality/calibrations?conversation=${conversationId}`, WAIT);
    await page.getByLabel(C.create.name).fill('E2E calibration');
    await pick(C.create.agent, agentName);
    await pick(C.create.scorecard, 'E2E calibration card (v1)');
    await pick(C.create.evaluators, 'Ada Admin');
    await pick(C.create.evaluators, 'Eva Evaluator');
    await page.keyboard.press('Escape');
    await pick(C.create.reference, 'Ada Admin');
    await page.getByTestId('create-calibration').click();
    await page.waitForURL(/\/quality\/calibrations\/[A-Za-z0-9-]+$/, WAIT);
    const id = page.url().split('/').pop()!;
    await visible(page.getByTestId('calibration-detail'));
    await visible(page.getByTestId('open-my-evaluation'));

    // Both score through the evaluation API, as the form does.
    const detail = (await (await as(() => adminCookie)('GET', `/api/calibrations/${id}`)).json()) as {
      participants: { name: string; evaluationId: string }[];
    };
    const evalOf = (name: string) => detail.participants.find((p) => p.name === name)!.evaluationId;
    for (const [cookie, name, empathy] of [
      [adminCookie, 'Ada Admin', 5],
      [evaluatorCookie, 'Eva Evaluator', 2],
    ] as const) {
      const res = await as(() => cookie)('POST', `/api/evaluations/${evalOf(name)}/submit`, {
        answers: { 'e2e-greet': { value: 'yes' }, 'e2e-empathy': { value: empathy } },
        generalComment: null,
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }

    await page.reload();
    await visible(page.getByTestId('calibration-results'));
    // Empathy: 5 (100 %) against 2 (25 %): a spread of 75 points, standard deviation 37.5, Eva 75 below the reference.
    const empathy = page.getByTestId('question-e2e-empathy');
    await expect.poll(() => empathy.textContent(), WAIT).toContain('−75');
    expect(await empathy.textContent()).toContain('37.5');
    // Totals 100 % and 66.67 % (12 of 18 points): standard deviation 16.67.
    expect(await page.getByTestId('total-stddev').textContent()).toBe('16.67');
    await page.getByTestId('calibration-close').click();
    await visible(page.getByText(C.status.closed).first());
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
