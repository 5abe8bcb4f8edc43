// Quality management end to end (issue 11), in Debian Chromium against the built app (dist/web) and the demo server,
// with the organisation's e-mail going to an in-process SMTP server: Ada Admin plans a review of Alex Agent's chat for
// Eva Evaluator (Eva is e-mailed), Eva performs it from My evaluations (Alex is e-mailed his result); a second review
// is made through the API; Alex acknowledges the first and disputes the second from My results (Eva is e-mailed
// both, the managers the dispute); Eva re-affirms the dispute from Disputes (Alex is e-mailed the answer). Every
// e-mail is checked as received: recipient, subject, the direct link. Needs `npm run build:web` first and
// /usr/bin/chromium; never downloads a browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp.ts';
import * as e2e from './setup.ts';

const hasChromium = e2e.chromiumFor('quality');
const { WAIT, visible, hidden } = e2e.waits(30_000);
const D = en.evaluations.dialog;
const R = en.responses;

const EVA = { email: 'evaluator@demo.earshot.local', password: 'Evaluator-Demo-2026!' };
const ALEX = { email: 'agent@demo.earshot.local', password: 'Agent-Demo-2026!' };
const MARC = 'manager@demo.earshot.local';
const ADA = 'admin@demo.earshot.local';

describe.skipIf(!hasChromium)('Quality: plan, perform, acknowledge, dispute, e-mails', { timeout: 180_000 }, () => {
  let server: e2e.TestServer;
  let smtp: TestSmtp;
  let browser: Browser;
  let cookie = '';
  let evaCookie = '';
  const pageErrors: string[][] = [];
  const run = Date.now().toString(36);
  const scorecardName = `E2E scorecard ${run}`;
  let scorecardId = '';
  let firstConversation = '';
  let secondConversation = '';
  let firstEvaluation = '';
  let secondEvaluation = '';
  let alexId = '';
  const api = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => cookie)(method, url, body);
  const asEva = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => evaCookie)(method, url, body);
  const json = async <T>(res: Response | Promise<Response>): Promise<T> => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBeLessThan(300);
    return JSON.parse(text) as T;
  };

  /** Waits for an e-mail to `to` whose subject contains `subject`; fails after the wait. */
  async function mail(to: string, subject: string): Promise<ReceivedMail> {
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
      const found = smtp.received.find((m) => m.envelopeTo.includes(to) && (m.parsed.subject ?? '').includes(subject));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `No e-mail to ${to} about "${subject}"; received: ${smtp.received.map((m) => `${m.envelopeTo.join(',')}: ${m.parsed.subject}`).join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function pageAs(who: e2e.Login): Promise<Page> {
    const { page, errors } = await e2e.openPage(browser, WAIT.timeout, { viewport: { width: 1440, height: 900 } });
    pageErrors.push(errors);
    await e2e.signIn(page, server, who, WAIT.timeout);
    return page;
  }

  async function chat(n: number) {
    const at = (s: number) => new Date(Date.now() - 3_600_000 + n * 60_000 + s * 1000).toISOString();
    return e2e.ingestChat(api, {
      chatId: `e2e-quality-${run}-${n}`,
      roomName: `Quality e2e ${run} #${n}`,
      participants: [
        { key: 'c', role: 'customer', name: 'Quinn Customer' },
        { key: 'a', role: 'agent', name: 'Alex Agent', extension: '1001' },
      ],
      messages: [
        { sender: 'c', at: at(0), text: 'Hello, my invoice is wrong.' },
        { sender: 'a', at: at(15), text: 'Good morning, thank you for contacting us. Let me check that.' },
      ],
    });
  }

  beforeAll(async () => {
    smtp = await startTestSmtp();
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    evaCookie = await e2e.sessionCookie(server, EVA);
    await json(api('PATCH', '/api/settings', { smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'none', smtpFrom: 'Earshot <earshot@example.com>' }));
    const sc = await json<{ id: string }>(
      api('POST', '/api/scorecards', {
        name: scorecardName,
        description: 'Two questions',
        definition: {
          scoring: 'points',
          passMark: 6,
          sections: [
            {
              id: 's-open',
              title: 'Opening',
              weight: 1,
              questions: [
                {
                  id: 'greet',
                  type: 'yes_no',
                  text: 'Greeted the customer',
                  points: 5,
                  required: true,
                  naAllowed: false,
                  autoFail: false,
                  commentAllowed: true,
                },
                { id: 'own', type: 'yes_no', text: 'Took ownership', points: 5, required: true, naAllowed: false, autoFail: false, commentAllowed: false },
              ],
            },
          ],
        },
      }),
    );
    scorecardId = sc.id;
    firstConversation = await chat(1);
    secondConversation = await chat(2);
    const agentCookie = await e2e.sessionCookie(server, ALEX);
    alexId = (await json<{ id: string }>(e2e.apiClient(server, () => agentCookie)('GET', '/api/me'))).id;
    browser = await e2e.launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('Ada plans a review of Alex for Eva from the conversation; Eva is e-mailed with a direct link', async () => {
    const page = await pageAs(server.login.admin);
    await page.goto(`${server.url}/conversations/${firstConversation}`);
    await page.getByTestId('action-review').first().click();
    // The modal's root has no box of its own: wait for what is inside it.
    const dialog = page.getByTestId('review-dialog');
    await visible(dialog.getByTestId('review-submit'));
    // Alex is the only agent of the chat: chosen already.
    await expect.poll(() => dialog.getByTestId('review-agent').inputValue(), WAIT).toBe('Alex Agent');
    await dialog.getByTestId('review-scorecard').click();
    await dialog.getByRole('option', { name: `${scorecardName} (v1)` }).click();
    await dialog.getByText(D.plan, { exact: true }).click();
    await dialog.getByTestId('review-reviewers').click();
    await dialog.getByRole('option', { name: 'Eva Evaluator' }).click();
    const due = new Date(Date.now() + 3 * 86_400_000);
    const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await dialog.getByTestId('review-due').fill(local);
    await dialog.getByTestId('review-submit').click();
    await visible(dialog.getByTestId('review-planned'));

    const planned = await json<{ items: Array<{ id: string; conversation: { id: string } }> }>(asEva('GET', '/api/evaluations?queue=mine&state=todo'));
    firstEvaluation = planned.items.find((e) => e.conversation.id === firstConversation)!.id;
    expect(firstEvaluation).toBeTruthy();

    const m = await mail(EVA.email, 'Review assigned');
    expect(m.parsed.text).toContain('Ada Admin asked you to review Alex Agent');
    expect(m.parsed.text).toContain(scorecardName);
    expect(m.parsed.text).toMatch(/Due: /);
    const link = `/quality/evaluations/${firstEvaluation}`;
    expect(m.parsed.text).toContain(link);
    expect(m.parsed.html).toContain(link);
    await page.context().close();
  });

  it('Eva follows the e-mail link, answers and submits; Alex is e-mailed his result', async () => {
    const page = await pageAs(EVA);
    // The link of the e-mail opens the evaluation beside its conversation.
    await page.goto(`${server.url}/quality/evaluations/${firstEvaluation}`);
    await page.waitForURL(`**/conversations/${firstConversation}?evaluation=${firstEvaluation}`);
    const form = page.getByTestId('evaluation-form');
    await visible(form);
    await form.getByTestId('answer-greet').getByText(en.evaluations.form.yes, { exact: true }).click();
    await form.getByTestId('answer-own').getByText(en.evaluations.form.yes, { exact: true }).click();
    await form.getByTestId('evaluation-submit').click();
    await visible(form.getByTestId('evaluation-result'));
    await expect.poll(() => form.getByTestId('evaluation-score').textContent(), WAIT).toContain('10');

    const m = await mail(ALEX.email, 'Your interaction was evaluated');
    expect(m.parsed.text).toContain('Eva Evaluator evaluated your interaction');
    expect(m.parsed.text).toContain(`/quality/results?evaluation=${firstEvaluation}`);
    await page.context().close();
  });

  it('a second review is made and submitted through the API', async () => {
    const draft = await json<{ id: string }>(
      asEva('POST', '/api/evaluations', { conversationId: secondConversation, agentUserId: alexId, scorecardId, mode: 'now' }),
    );
    secondEvaluation = draft.id;
    await json(
      asEva('POST', `/api/evaluations/${secondEvaluation}/submit`, {
        answers: { greet: { value: 'no' }, own: { value: 'yes' } },
        generalComment: 'No greeting',
      }),
    );
    await mail(ALEX.email, `evaluated: Quality e2e ${run} #2`);
  });

  it('Alex acknowledges the first and disputes the second from My results; Eva and the managers are e-mailed', async () => {
    const page = await pageAs(ALEX);
    await page.goto(`${server.url}/quality/results`);
    const rows = page.getByTestId('result-row');
    const first = rows.filter({ hasText: `Quality e2e ${run} #1` });
    const second = rows.filter({ hasText: `Quality e2e ${run} #2` });
    await visible(first);
    await visible(second);

    await first.getByTestId('acknowledge').click();
    await page.getByTestId('acknowledge-modal-text').fill('Thanks, noted.');
    await page.getByTestId('acknowledge-modal-submit').click();
    await hidden(page.getByTestId('acknowledge-modal-text'));
    // Answered: it leaves "To respond to".
    await hidden(first);

    await second.getByTestId('dispute').click();
    // A dispute needs a reason.
    await page.getByTestId('dispute-modal-submit').click();
    await visible(page.getByText(en.validation.required));
    await page.getByTestId('dispute-modal-text').fill('I greeted the customer in my first message.');
    await page.getByTestId('dispute-modal-submit').click();
    await hidden(page.getByTestId('dispute-modal-text'));
    await expect.poll(() => second.getByTestId('response-status').textContent(), WAIT).toBe(R.status.disputed);
    // "All results" shows the acknowledged one, with nothing left to do.
    await page.getByTestId('results-state').getByText(R.all, { exact: true }).click();
    await visible(first);
    await expect.poll(() => first.getByTestId('response-status').textContent(), WAIT).toBe(R.status.acknowledged);
    expect(await first.getByTestId('dispute').count()).toBe(0);
    expect(await first.getByTestId('acknowledge').count()).toBe(0);

    const ack = await mail(EVA.email, `Evaluation acknowledged: Quality e2e ${run} #1`);
    expect(ack.parsed.text).toContain('Alex Agent acknowledged the evaluation');
    expect(ack.parsed.text).toContain('Thanks, noted.');
    const disputed = await mail(EVA.email, `Evaluation disputed: Quality e2e ${run} #2`);
    expect(disputed.parsed.text).toContain('I greeted the customer in my first message.');
    expect(disputed.parsed.text).toContain(`/quality/disputes?evaluation=${secondEvaluation}`);
    // Marc manages Customer Care (Billing is under it); Ada sees everything.
    await mail(MARC, `Evaluation disputed: Quality e2e ${run} #2`);
    await mail(ADA, `Evaluation disputed: Quality e2e ${run} #2`);
    await page.context().close();
  });

  it('Eva re-affirms the dispute with a comment from Disputes; Alex is e-mailed the answer and sees it', async () => {
    const page = await pageAs(EVA);
    await page.goto(`${server.url}/quality/disputes?evaluation=${secondEvaluation}`);
    const row = page.getByTestId('dispute-row').filter({ hasText: `Quality e2e ${run} #2` });
    await visible(row);
    await expect.poll(() => row.getByTestId('dispute-reason').textContent(), WAIT).toBe('I greeted the customer in my first message.');
    await row.getByTestId('reaffirm').click();
    await page.getByTestId('reaffirm-modal-text').fill('The greeting must name the company.');
    await page.getByTestId('reaffirm-modal-submit').click();
    await hidden(page.getByTestId('reaffirm-modal-text'));
    // Answered: it leaves the open disputes.
    await hidden(row);

    const answered = await mail(ALEX.email, `Dispute resolved: Quality e2e ${run} #2`);
    expect(answered.parsed.text).toContain('Eva Evaluator re-affirmed the evaluation');
    expect(answered.parsed.text).toContain('The greeting must name the company.');
    await page.context().close();

    const alex = await pageAs(ALEX);
    await alex.goto(`${server.url}/quality/results?evaluation=${secondEvaluation}`);
    const result = alex.getByTestId('result-row').filter({ hasText: `Quality e2e ${run} #2` });
    await visible(result);
    await expect.poll(() => result.getByTestId('reaffirm-comment').textContent(), WAIT).toContain('The greeting must name the company.');
    await alex.context().close();

    // The audit trail holds each response with its old and new values.
    const audit = await json<{ items: Array<{ action: string; changes: Array<{ field: string; old: unknown; new: unknown }> }> }>(
      api('GET', `/api/audit?resourceId=${secondEvaluation}`),
    );
    const actions = audit.items.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['EVALUATION_DISPUTE', 'EVALUATION_REAFFIRM']));
    expect(audit.items.find((a) => a.action === 'EVALUATION_REAFFIRM')!.changes).toEqual(
      expect.arrayContaining([{ field: 'responseStatus', old: 'disputed', new: 'reaffirmed' }]),
    );
    expect(pageErrors.flat()).toEqual([]);
  });

  it('Alex turns "One of my interactions is evaluated" off in user menu → Notifications; the next result sends him no e-mail', async () => {
    const page = await pageAs(ALEX);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-notifications').click();
    await page.waitForURL('**/profile/notifications');
    const toggle = page.getByTestId('pref-evaluation_submitted');
    await visible(page.getByText(en.notificationPrefs.events.evaluation_submitted.label));
    expect(await toggle.isChecked()).toBe(true);
    // Events an agent never receives are not offered.
    expect(await page.getByTestId('pref-calibration_assigned').count()).toBe(0);
    await toggle.click();
    await expect.poll(() => toggle.isChecked(), WAIT).toBe(false);
    await page.context().close();

    const third = await chat(3);
    const draft = await json<{ id: string }>(asEva('POST', '/api/evaluations', { conversationId: third, agentUserId: alexId, scorecardId, mode: 'now' }));
    await json(asEva('POST', `/api/evaluations/${draft.id}/submit`, { answers: { greet: { value: 'yes' }, own: { value: 'yes' } } }));
    // Queued in the submit's transaction or not at all: the outbox says at once.
    const outbox = await json<{ items: Array<{ kind: string; to: string; subject: string }> }>(api('GET', '/api/settings/email/outbox?limit=50'));
    expect(outbox.items.filter((m) => m.to === ALEX.email && m.subject.includes(`Quality e2e ${run} #3`))).toEqual([]);
    expect(outbox.items.filter((m) => m.to === ALEX.email && m.kind === 'evaluation_submitted').length).toBe(2);
  });
});
