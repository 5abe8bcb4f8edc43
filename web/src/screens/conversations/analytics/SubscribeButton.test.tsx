// Subscribing to an indicator against a fake API: hidden without reports.view, a new subscription sent with the
// frequency and the keywords chosen (none chosen: all, sent as null), and a change that sends only what may change
// (the server refuses an indicatorId in a PATCH), then unsubscribing.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { SubscribeButton } from './SubscribeButton.tsx';

const S = en.subscriptions;
const at = '2026-01-01T00:00:00.000Z';
const indicators = () => ({
  items: [
    {
      id: 'ind1',
      categoryId: 'cat1',
      name: 'Churn risk',
      speaker: 'customer',
      builtinKey: null,
      keywords: [
        { id: 'k1', text: 'cancel my account' },
        { id: 'k2', text: 'switch provider' },
      ],
      conversations: 0,
      mentions: 0,
      analysis: null,
      createdAt: at,
      updatedAt: at,
    },
  ],
  limit: 250,
});
const subscription = {
  id: 's1',
  indicatorId: 'ind1',
  indicatorName: 'Churn risk',
  categoryName: 'Risk',
  keywordIds: ['k2'],
  keywords: [{ id: 'k2', text: 'switch provider' }],
  frequency: 'weekly',
  nextDueAt: at,
  createdAt: at,
  updatedAt: at,
};
const supervisor = { me: testUser(['reports.view']) };
const label = (key: string) => key.replace('{{name}}', 'Churn risk');

describe('SubscribeButton', () => {
  it('is not offered without reports.view', () => {
    fakeApi({});
    renderWithApp(<SubscribeButton indicatorId="ind1" name="Churn risk" />, { me: testUser(['conversations.view']) });
    expect(screen.queryByTestId('subscribe-button')).toBeNull();
  });

  it('subscribes with the frequency chosen, to all keywords when none is picked', async () => {
    const api = fakeApi({
      'GET /api/insights/subscriptions': () => ({ items: [] }),
      'GET /api/insights/indicators': indicators,
      'POST /api/insights/subscriptions': () => subscription,
    });
    renderWithApp(<SubscribeButton indicatorId="ind1" name="Churn risk" />, supervisor);
    await userEvent.click(await screen.findByRole('button', { name: label(S.subscribe) }));
    const form = await screen.findByTestId('subscribe-form');
    await userEvent.click(within(form).getByText(S.frequency.continuous));
    await userEvent.click(within(form).getByTestId('subscribe-save'));
    await waitFor(() => expect(api.requests('POST', '/api/insights/subscriptions')).toHaveLength(1));
    expect(api.requests('POST', '/api/insights/subscriptions')[0]!.body).toEqual({ indicatorId: 'ind1', frequency: 'continuous', keywordIds: null });
  });

  it('changes a subscription with only its frequency and keywords, and unsubscribes', async () => {
    const api = fakeApi({
      'GET /api/insights/subscriptions': () => ({ items: [subscription] }),
      'GET /api/insights/indicators': indicators,
      'PATCH /api/insights/subscriptions/s1': () => subscription,
      'DELETE /api/insights/subscriptions/s1': () => new Response(null, { status: 204 }),
    });
    renderWithApp(<SubscribeButton indicatorId="ind1" name="Churn risk" />, supervisor);
    await userEvent.click(await screen.findByRole('button', { name: label(S.edit) }));
    let form = await screen.findByTestId('subscribe-form');
    await userEvent.click(within(form).getByText(S.frequency.daily));
    await userEvent.click(within(form).getByTestId('subscribe-save'));
    await waitFor(() => expect(api.requests('PATCH', '/api/insights/subscriptions/s1')).toHaveLength(1));
    expect(api.requests('PATCH', '/api/insights/subscriptions/s1')[0]!.body).toEqual({ frequency: 'daily', keywordIds: ['k2'] });

    await userEvent.click(await screen.findByRole('button', { name: label(S.edit) }));
    form = await screen.findByTestId('subscribe-form');
    await userEvent.click(within(form).getByRole('button', { name: S.unsubscribe }));
    await waitFor(() => expect(api.requests('DELETE', '/api/insights/subscriptions/s1')).toHaveLength(1));
  });
});
