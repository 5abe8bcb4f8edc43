// The speech tags screen against a fake API: the list with conversations per level and the spotting progress, a new
// tag sent as typed (a phrase over 200 characters refused before sending), and deletion after a confirmation.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { SpeechTagsPage } from './SpeechTagsPage.tsx';

const tag = (over: Record<string, unknown> = {}) => ({
  id: 'st1',
  name: 'Competitor',
  phrase: 'summit wireless',
  language: null,
  party: 'customer',
  color: '#e8590c',
  conversations: { certainly: 3, probably: 5, maybe: 8 },
  spotting: { jobId: 'j1', status: 'running', progress: 0.4, note: '2 of 5 conversations', error: null },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const me = { me: testUser(['tags.manage']) };

describe('SpeechTagsPage', () => {
  it('lists each tag with its phrase, side, conversations per level and spotting progress', async () => {
    fakeApi({ 'GET /api/speech-tags': () => ({ items: [tag()] }) });
    renderWithApp(<SpeechTagsPage />, me);
    const row = await screen.findByTestId('speech-tag-row');
    expect(within(row).getByText('Competitor')).toBeTruthy();
    expect(within(row).getByText('“summit wireless”')).toBeTruthy();
    expect(within(row).getByText(en.speechTags.party.customer)).toBeTruthy();
    expect(within(row).getByTestId('count-certainly').textContent).toBe('Certainly: 3');
    expect(within(row).getByTestId('count-maybe').textContent).toBe('Maybe: 8');
    expect(within(row).getByTestId('speech-tag-spotting').textContent).toContain('40 %');
  });

  it('creates a tag as typed, and refuses a phrase over 200 characters without sending it', async () => {
    const api = fakeApi({ 'GET /api/speech-tags': () => ({ items: [] }), 'POST /api/speech-tags': (r) => tag(r.body as Record<string, unknown>) });
    renderWithApp(<SpeechTagsPage />, me);
    expect(await screen.findByText(en.speechTags.empty)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: en.speechTags.create }));
    await userEvent.type(screen.getByLabelText(/^Name/), 'Cancel');
    const phrase = screen.getByLabelText(/^Phrase/);
    await userEvent.click(phrase);
    await userEvent.paste('x'.repeat(201));
    await userEvent.click(screen.getByRole('button', { name: en.speechTags.submitCreate }));
    expect(await screen.findByText('At most 200 characters (201 now)')).toBeTruthy();
    expect(api.requests('POST', '/api/speech-tags')).toHaveLength(0);
    await userEvent.clear(phrase);
    await userEvent.type(phrase, '  cancel my account ');
    await userEvent.click(screen.getByRole('button', { name: en.speechTags.submitCreate }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.requests('POST', '/api/speech-tags').map((r) => r.body)).toEqual([
      { name: 'Cancel', phrase: 'cancel my account', language: null, party: null, color: '#e8590c' },
    ]);
  });

  it('deletes after a confirmation', async () => {
    const api = fakeApi({
      'GET /api/speech-tags': () => ({ items: [tag({ spotting: null })] }),
      'DELETE /api/speech-tags/st1': () => new Response(null, { status: 204 }),
    });
    renderWithApp(<SpeechTagsPage />, me);
    await userEvent.click(await screen.findByRole('button', { name: en.speechTags.deleteNamed.replace('{{name}}', 'Competitor') }));
    expect(api.requests('DELETE', '/api/speech-tags/st1')).toHaveLength(0);
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: en.common.delete }));
    await waitFor(() => expect(api.requests('DELETE', '/api/speech-tags/st1')).toHaveLength(1));
  });
});
