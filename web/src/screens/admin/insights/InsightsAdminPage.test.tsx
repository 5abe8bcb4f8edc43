// Administration → Indicators & topics against a fake API: categories with their indicators (keywords, speaker,
// counts, the re-analysis progress), a new indicator sent as typed with the server's refusal shown in the dialog
// (409 INDICATOR_LIMIT), a topic's sentences one per line with the server's 400 shown, deletion after confirmation.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { InsightsAdminPage } from './InsightsAdminPage.tsx';

const I = en.insightsAdmin;
const at = '2026-01-01T00:00:00.000Z';

const indicator = (over: Record<string, unknown> = {}) => ({
  id: 'ind1',
  categoryId: 'cat1',
  name: 'Churn risk',
  speaker: 'customer',
  builtinKey: 'churn',
  keywords: [
    { id: 'k1', text: 'cancel my account' },
    { id: 'k2', text: 'switch provider' },
  ],
  conversations: 12,
  mentions: 17,
  analysis: { jobId: 'j1', status: 'running', progress: 0.25, note: null, error: null },
  createdAt: at,
  updatedAt: at,
  ...over,
});
const categories = () => ({
  items: [{ id: 'cat1', name: 'Retention', position: 0, builtinKey: null, indicators: [indicator()], createdAt: at, updatedAt: at }],
  limit: 250,
});
const topic = (over: Record<string, unknown> = {}) => ({
  id: 'tp1',
  name: 'Pricing',
  builtinKey: 'pricing',
  sentences: ['How much does it cost', 'Is there a discount', 'The price went up', 'What is the monthly fee'],
  conversations: 4,
  hits: 9,
  analysis: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const me = { me: testUser(['insights.manage']) };
const error = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

describe('InsightsAdminPage', () => {
  it('lists each category’s indicators with their keywords, speaker, counts and re-analysis progress', async () => {
    fakeApi({ 'GET /api/insights/categories': categories, 'GET /api/insights/topics': () => ({ items: [], customLimit: 10 }) });
    renderWithApp(<InsightsAdminPage />, me);
    const row = await screen.findByTestId('indicator-row');
    expect(within(row).getByText('Churn risk')).toBeTruthy();
    expect(within(row).getByText('cancel my account')).toBeTruthy();
    expect(within(row).getByText(I.speaker.customer)).toBeTruthy();
    expect(within(row).getByText('12 interactions · 17 mentions')).toBeTruthy();
    expect(within(row).getByTestId('insights-analysis').textContent).toContain('25 %');
    expect(screen.getByTestId('indicator-count').textContent).toBe('1 of at most 250 indicators');
  });

  it('creates an indicator as typed and shows the server’s refusal in the dialog', async () => {
    let refuse = true;
    const api = fakeApi({
      'GET /api/insights/categories': categories,
      'POST /api/insights/indicators': (r) =>
        refuse ? error(409, 'INDICATOR_LIMIT', 'A tenant may have at most 250 indicators') : indicator(r.body as Record<string, unknown>),
    });
    renderWithApp(<InsightsAdminPage />, me);
    await screen.findByTestId('indicator-row');
    await userEvent.click(screen.getByRole('button', { name: I.newIndicator }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Legal threat');
    await userEvent.click(within(dialog).getByText(I.speaker.customer));
    await userEvent.type(within(dialog).getByTestId('indicator-keywords'), 'lawyer,sue you{enter}');
    await userEvent.click(within(dialog).getByRole('button', { name: I.create }));
    expect(await within(dialog).findByText('A tenant may have at most 250 indicators')).toBeTruthy();
    expect(api.requests('POST', '/api/insights/indicators').map((r) => r.body)).toEqual([
      { categoryId: 'cat1', name: 'Legal threat', speaker: 'customer', keywords: ['lawyer', 'sue you'] },
    ]);
    refuse = false;
    await userEvent.click(within(dialog).getByRole('button', { name: I.create }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('sends a topic’s guiding sentences one per line and shows the server’s 400', async () => {
    const api = fakeApi({
      'GET /api/insights/categories': categories,
      'GET /api/insights/topics': () => ({ items: [topic()], customLimit: 10 }),
      'POST /api/insights/topics': () => error(400, 'VALIDATION', 'A topic needs at least 3 guiding sentences'),
    });
    renderWithApp(<InsightsAdminPage />, me);
    await userEvent.click(await screen.findByRole('tab', { name: I.topics }));
    const row = await screen.findByTestId('topic-row');
    expect(within(row).getByText(I.builtin)).toBeTruthy();
    expect(within(row).getByText('and 1 more')).toBeTruthy();
    expect(screen.getByTestId('topic-count').textContent).toBe('0 of at most 10 custom topics, besides the defaults');
    await userEvent.click(screen.getByRole('button', { name: I.newTopic }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Onboarding');
    await userEvent.type(within(dialog).getByLabelText(I.fields.sentences), 'How do I get started, please?{enter}{enter}  Where is the setup guide  ');
    await userEvent.click(within(dialog).getByRole('button', { name: I.create }));
    expect(await within(dialog).findByText('A topic needs at least 3 guiding sentences')).toBeTruthy();
    expect(api.requests('POST', '/api/insights/topics').map((r) => r.body)).toEqual([
      { name: 'Onboarding', sentences: ['How do I get started, please?', 'Where is the setup guide'] },
    ]);
  });

  it('deletes an indicator after a confirmation', async () => {
    const api = fakeApi({
      'GET /api/insights/categories': categories,
      'DELETE /api/insights/indicators/ind1': () => new Response(null, { status: 204 }),
    });
    renderWithApp(<InsightsAdminPage />, me);
    await userEvent.click(await screen.findByRole('button', { name: I.editNamed.replace('Edit', 'Delete').replace('{{name}}', 'Churn risk') }));
    expect(api.requests('DELETE', '/api/insights/indicators/ind1')).toHaveLength(0);
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: en.common.delete }));
    await waitFor(() => expect(api.requests('DELETE', '/api/insights/indicators/ind1')).toHaveLength(1));
  });

  it('re-analyses everything on request', async () => {
    const api = fakeApi({ 'GET /api/insights/categories': categories, 'POST /api/insights/reanalyze': () => ({ jobId: 'j9' }) });
    renderWithApp(<InsightsAdminPage />, me);
    await userEvent.click(await screen.findByRole('button', { name: I.reanalyze }));
    expect(await screen.findByTestId('reanalyze-queued')).toBeTruthy();
    expect(api.requests('POST', '/api/insights/reanalyze')).toHaveLength(1);
  });
});
