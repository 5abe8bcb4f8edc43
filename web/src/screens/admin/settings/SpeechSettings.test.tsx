// The speech section of the Settings screen: it shows what the server can run (and says so when nothing can), saves
// vocabulary and PII types as the server stores them, and starts the re-transcription job with a link to its progress.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp } from '../../../test/render.tsx';
import { settingsFixture } from './test-fixtures.ts';
import { SettingsPage } from './SettingsPage.tsx';

const SETTINGS = settingsFixture({ speechVocabulary: ['Brightline'], piiTypes: ['card_number', 'email'] });

const engines = (pocketsphinx: boolean) => ({
  selected: 'auto',
  anyAvailable: pocketsphinx,
  engines: [
    { id: 'pocketsphinx', label: 'pocketsphinx', available: pocketsphinx, reason: pocketsphinx ? null : 'pocketsphinx is not installed' },
    { id: 'openai', label: 'OpenAI-compatible', available: false, reason: 'EARSHOT_ASR_OPENAI_URL is not set' },
  ],
});

const renderPage = () =>
  renderWithApp(
    <MemoryRouter>
      <SettingsPage />
    </MemoryRouter>,
  );

describe('Settings: speech', () => {
  it('shows each engine with its availability, and "No speech engine configured" when none can run', async () => {
    fakeApi({ 'GET /api/settings': () => SETTINGS, 'GET /api/speech/engines': () => engines(false) });
    renderPage();
    const section = await screen.findByTestId('speech-settings');
    expect(await within(section).findByText(/EARSHOT_ASR_OPENAI_URL is not set/)).toBeTruthy();
    expect(within(section).getByText(/pocketsphinx is not installed/)).toBeTruthy();
    expect(within(section).getByTestId('no-engine').textContent).toContain('No speech engine configured');
  });

  it('saves the vocabulary (one entry per line, blanks dropped) and the PII types', async () => {
    const api = fakeApi({
      'GET /api/settings': () => SETTINGS,
      'GET /api/speech/engines': () => engines(true),
      'PATCH /api/settings': (req) => ({ ...SETTINGS, ...(req.body as object) }),
    });
    renderPage();
    const vocabulary = await screen.findByTestId('speech-vocabulary');
    await userEvent.clear(vocabulary);
    await userEvent.click(vocabulary);
    await userEvent.paste('Brightline Fiber\n\n  Acme   Pro \n');
    await userEvent.click(screen.getByLabelText(en.settings.speech.pii.phone_number));
    await userEvent.click(screen.getByLabelText(en.settings.speech.pii.email));
    await userEvent.click(screen.getByRole('button', { name: en.common.save }));
    expect(await screen.findByText(en.settings.saved)).toBeTruthy();
    expect(api.requests('PATCH', '/api/settings').map((r) => r.body)).toEqual([
      { speechVocabulary: ['Brightline Fiber', 'Acme Pro'], piiTypes: ['card_number', 'phone_number'] },
    ]);
    expect(screen.queryByTestId('no-engine')).toBeNull();
  });

  it('starts "Transcribe all calls again" and links to its progress on the Jobs page', async () => {
    const api = fakeApi({
      'GET /api/settings': () => SETTINGS,
      'GET /api/speech/engines': () => engines(true),
      'POST /api/speech/retranscribe': () => ({ jobId: 'j1' }),
    });
    renderPage();
    await userEvent.click(await screen.findByTestId('retranscribe-all'));
    const started = await screen.findByTestId('retranscribe-started');
    expect(api.requests('POST', '/api/speech/retranscribe')).toHaveLength(1);
    expect(within(started).getByRole('link', { name: en.settings.speech.retranscribeProgress }).getAttribute('href')).toBe(
      '/admin/jobs?type=speech.retranscribe',
    );
  });
});
