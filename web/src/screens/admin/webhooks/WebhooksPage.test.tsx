// Administration → Webhooks against a fake API: the endpoint list with its state, adding one (the secret shown once),
// a refused URL explained in the UI's words, the delivery log with its attempts, and redelivery.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { WebhooksPage } from './WebhooksPage.tsx';

const ENDPOINT = {
  id: 'w1',
  name: 'CRM',
  url: 'https://crm.example.com/earshot',
  events: ['conversation.recorded', 'evaluation.completed'],
  enabled: false,
  disabledReason: 'Every delivery failed since yesterday',
  disabledAt: '2026-01-02T10:00:00.000Z',
  failureStreak: 12,
  failingSince: '2026-01-01T10:00:00.000Z',
  lastSuccessAt: null,
  lastFailureAt: '2026-01-02T10:00:00.000Z',
  previousSecretUntil: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
};
const DELIVERY = {
  id: 'd1',
  endpointId: 'w1',
  eventId: 'e1',
  eventType: 'conversation.recorded',
  status: 'failed',
  attempts: 2,
  nextAttemptAt: null,
  lastStatusCode: 500,
  lastError: 'HTTP 500',
  lastDurationMs: 12,
  lastResponse: 'broken',
  createdAt: '2026-01-02T09:00:00.000Z',
  completedAt: '2026-01-02T10:00:00.000Z',
};
const EVENTS = ['conversation.recorded', 'transcript.ready', 'evaluation.completed'].map((type) => ({ type, description: type }));

describe('WebhooksPage', () => {
  it('lists endpoints, adds one and shows its secret once, explains a refused URL, shows deliveries and redelivers', async () => {
    let refuse = true;
    const api = fakeApi({
      'GET /api/webhooks': () => ({ items: [ENDPOINT], events: EVENTS }),
      'POST /api/webhooks': (req) =>
        refuse
          ? Response.json(
              { error: { code: 'WEBHOOK_URL_REFUSED', message: 'The webhook URL points at a loopback address', details: { reason: 'LOOPBACK' } } },
              { status: 400 },
            )
          : { ...ENDPOINT, id: 'w2', enabled: true, ...(req.body as object), secret: 'whsec_shown_once' },
      'GET /api/webhooks/w1/deliveries': () => ({ items: [DELIVERY], next: null }),
      'GET /api/webhooks/w1/deliveries/d1': () => ({
        ...DELIVERY,
        body: '{"id":"e1","type":"conversation.recorded"}',
        attemptLog: [
          {
            attempt: 1,
            manual: false,
            ok: false,
            statusCode: 500,
            durationMs: 12,
            responseExcerpt: 'broken',
            error: 'HTTP 500',
            at: '2026-01-02T09:00:00.000Z',
          },
        ],
      }),
      'POST /api/webhooks/w1/deliveries/d1/redeliver': () => ({ deliveryId: 'd1' }),
    });
    renderWithApp(
      <MemoryRouter>
        <WebhooksPage />
      </MemoryRouter>,
      { me: testUser(['settings.manage']) },
    );
    const row = await screen.findByTestId('webhook-row', undefined, { timeout: 15_000 });
    expect(within(row).getByText('https://crm.example.com/earshot')).toBeTruthy();
    expect(within(row).getByText(en.webhooks.state.disabled)).toBeTruthy();
    expect(within(row).getByText('2 events')).toBeTruthy();

    fireEvent.click(screen.getByTestId('webhook-add'));
    fireEvent.change(await screen.findByTestId('webhook-name'), { target: { value: 'Ticketing' } });
    fireEvent.change(screen.getByTestId('webhook-url'), { target: { value: 'http://127.0.0.1/hook' } });
    fireEvent.click(screen.getByLabelText(en.webhooks.eventNames['transcript.ready']));
    fireEvent.click(screen.getByTestId('webhook-save'));
    expect(await screen.findByText(en.webhooks.urlRefused.LOOPBACK, undefined, { timeout: 15_000 })).toBeTruthy();

    refuse = false;
    fireEvent.change(screen.getByTestId('webhook-url'), { target: { value: 'https://tickets.example.com/hook' } });
    fireEvent.click(screen.getByTestId('webhook-save'));
    expect((await screen.findByTestId('webhook-secret', undefined, { timeout: 15_000 })).textContent).toBe('whsec_shown_once');
    expect(api.requests('POST', '/api/webhooks')[1]!.body).toEqual({
      name: 'Ticketing',
      url: 'https://tickets.example.com/hook',
      events: ['transcript.ready'],
    });
    fireEvent.click(screen.getByRole('button', { name: en.webhooks.secretStored }));
    await waitFor(() => expect(screen.queryByTestId('webhook-secret')).toBeNull());

    fireEvent.click(within(row).getByRole('button', { name: 'CRM' }));
    const log = await screen.findByTestId('webhook-deliveries', undefined, { timeout: 15_000 });
    const delivery = await within(log).findByTestId('webhook-delivery-row', undefined, { timeout: 15_000 });
    expect(within(delivery).getByText('500 · HTTP 500 · 12 ms')).toBeTruthy();
    fireEvent.click(within(delivery).getByTestId('webhook-redeliver'));
    await waitFor(() => expect(api.requests('POST', '/api/webhooks/w1/deliveries/d1/redeliver')).toHaveLength(1), { timeout: 15_000 });

    fireEvent.click(within(delivery).getByRole('button', { name: 'conversation.recorded' }));
    expect(await screen.findByText('broken', undefined, { timeout: 15_000 })).toBeTruthy();
  });
});
