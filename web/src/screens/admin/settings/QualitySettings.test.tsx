// The quality section of the Settings screen: requiring acknowledgement enables the delay, and both save as the
// server takes them.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApp } from '../../../test/render.tsx';
import { settingsFixture } from './test-fixtures.ts';
import { SettingsPage } from './SettingsPage.tsx';

const SETTINGS = settingsFixture();

describe('Settings: quality', () => {
  it('requires acknowledgement with an automatic delay, saving only those two fields', async () => {
    const api = fakeApi({
      'GET /api/settings': () => SETTINGS,
      'GET /api/speech/engines': () => ({ selected: 'auto', anyAvailable: true, engines: [] }),
      'GET /api/settings/email/outbox': () => ({ items: [] }),
      'PATCH /api/settings': (req) => ({ ...SETTINGS, ...(req.body as object) }),
    });
    renderWithApp(
      <MemoryRouter>
        <SettingsPage />
      </MemoryRouter>,
    );
    const section = await screen.findByTestId('quality-settings');
    // Not listed under "Other settings": the section edits them.
    expect(screen.queryByText('Other settings')).toBeNull();
    const days = within(section).getByTestId('quality-auto-ack-days') as HTMLInputElement;
    expect(days.disabled).toBe(true);
    const user = userEvent.setup();
    await user.click(within(section).getByTestId('quality-require-ack'));
    await waitFor(() => expect(days.disabled).toBe(false));
    await user.clear(days);
    await user.type(days, '7');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved.');
    expect(api.requests('PATCH', '/api/settings')[0]?.body).toEqual({ qualityRequireAcknowledgement: true, qualityAutoAcknowledgeDays: 7 });
  });
});
