// Profile → Notifications: the events the user can receive, each switch saved at once.
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { NotificationsPage } from './NotificationsPage.tsx';

describe('Notification preferences', () => {
  it('lists the relevant events and saves a switch when it is flipped', async () => {
    const api = fakeApi({
      'GET /api/me/notification-preferences': () => ({
        items: [
          { event: 'evaluation_submitted', email: true, relevant: true },
          { event: 'comment_mention', email: false, relevant: true },
          { event: 'calibration_assigned', email: true, relevant: false },
        ],
      }),
      'PUT /api/me/notification-preferences': () => ({
        items: [
          { event: 'evaluation_submitted', email: false, relevant: true },
          { event: 'comment_mention', email: false, relevant: true },
          { event: 'calibration_assigned', email: true, relevant: false },
        ],
      }),
    });
    renderWithApp(
      <MemoryRouter>
        <NotificationsPage />
      </MemoryRouter>,
      { me: testUser(['quality.respond']) },
    );
    expect(await screen.findByText(en.notificationPrefs.events.evaluation_submitted.label)).toBeTruthy();
    expect(screen.queryByText(en.notificationPrefs.events.calibration_assigned.label)).toBeNull();
    const mention = screen.getByTestId('pref-comment_mention') as HTMLInputElement;
    expect(mention.checked).toBe(false);
    const submitted = screen.getByTestId('pref-evaluation_submitted') as HTMLInputElement;
    expect(submitted.checked).toBe(true);
    await userEvent.click(submitted);
    await waitFor(() =>
      expect(api.requests('PUT', '/api/me/notification-preferences')[0]?.body).toEqual({ items: [{ event: 'evaluation_submitted', email: false }] }),
    );
    await waitFor(() => expect((screen.getByTestId('pref-evaluation_submitted') as HTMLInputElement).checked).toBe(false));
  });
});
