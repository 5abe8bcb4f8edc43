// The e-mail section of the Settings screen: the SMTP fields save as the server takes them (the password only when
// typed), the test e-mail shows the server's answer, and it waits for unsaved changes to be saved.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApp } from '../../../test/render.tsx';
import { settingsFixture } from './test-fixtures.ts';
import { SettingsPage } from './SettingsPage.tsx';

const SETTINGS = settingsFixture({ smtpHost: 'mail.example.com', smtpUser: 'earshot', smtpFrom: 'Earshot <earshot@example.com>', smtpPasswordSet: true });

const renderPage = () =>
  renderWithApp(
    <MemoryRouter>
      <SettingsPage />
    </MemoryRouter>,
  );

describe('Settings: e-mail', () => {
  it('says a password is stored, saves a new one with the changed fields, and lists no other settings', async () => {
    const api = fakeApi({
      'GET /api/settings': () => SETTINGS,
      'GET /api/speech/engines': () => ({ selected: 'auto', anyAvailable: true, engines: [] }),
      'GET /api/settings/email/outbox': () => ({ items: [] }),
      'PATCH /api/settings': (req) => ({ ...SETTINGS, ...(req.body as object), smtpPassword: undefined }),
    });
    renderPage();
    const section = await screen.findByTestId('email-settings');
    expect(within(section).getByText('A password is stored. Type a new one to replace it.')).toBeTruthy();
    // The SMTP fields have an editor: none of them shows up under "Other settings".
    expect(screen.queryByText('Other settings')).toBeNull();
    const user = userEvent.setup();
    await user.type(within(section).getByTestId('smtp-password'), 'n3w-secret');
    await user.clear(within(section).getByLabelText('SMTP server', { exact: false }));
    await user.type(within(section).getByLabelText('SMTP server', { exact: false }), 'smtp.example.org');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved.');
    expect(api.requests('PATCH', '/api/settings')[0]?.body).toEqual({ smtpPassword: 'n3w-secret', smtpHost: 'smtp.example.org' });
  });

  it("sends a test e-mail and shows the server's answer; not while changes are unsaved", async () => {
    fakeApi({
      'GET /api/settings': () => SETTINGS,
      'GET /api/speech/engines': () => ({ selected: 'auto', anyAvailable: true, engines: [] }),
      'GET /api/settings/email/outbox': () => ({
        items: [
          {
            id: 'm1',
            kind: 'subscription_digest',
            to: 'sam@example.com',
            subject: 'Digest',
            status: 'failed',
            attempts: 6,
            lastError: 'ECONNREFUSED',
            createdAt: '2026-12-01T10:00:00Z',
            sentAt: null,
          },
        ],
      }),
      'POST /api/settings/email/test': () => ({ delivered: false, to: 'admin@example.com', message: '535 Authentication failed' }),
    });
    renderPage();
    const section = await screen.findByTestId('email-settings');
    expect(await within(section).findByText('Digest')).toBeTruthy();
    expect(within(section).getByText('Failed')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(within(section).getByTestId('send-test-email'));
    const result = await within(section).findByTestId('test-email-result');
    expect(result.textContent).toContain('Could not send to admin@example.com: 535 Authentication failed');
    await user.type(within(section).getByLabelText('User name', { exact: false }), 'x');
    expect((within(section).getByTestId('send-test-email') as HTMLButtonElement).disabled).toBe(true);
    expect(within(section).getByText('Save your changes first: the test uses the saved settings.')).toBeTruthy();
  });
});
