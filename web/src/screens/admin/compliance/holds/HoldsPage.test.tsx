// The legal holds page: the cases with how many conversations each keeps; placing a hold by a pasted list (the ids
// sent as typed, duplicates once); releasing one only with a reason.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApp, testUser } from '../../../../test/render.tsx';
import { HoldsPage, parseIds } from './HoldsPage.tsx';

const hold = (more: object = {}) => ({
  id: 'h1',
  name: 'Acme v. Smith',
  reason: 'Litigation',
  owner: { id: 'u-test', name: 'Tess Tester' },
  kind: 'list',
  filter: null,
  chips: [],
  status: 'active',
  conversations: 1502,
  createdAt: '2026-12-01T10:00:00Z',
  createdBy: { id: 'u-test', name: 'Tess Tester' },
  releasedAt: null,
  releasedBy: null,
  releaseReason: null,
  ...more,
});

describe('parseIds', () => {
  it('takes ids one per line, or separated by commas, spaces or semicolons, each once', () => {
    expect(parseIds(' c1\nc2, c3;c1  c4\n\n')).toEqual(['c1', 'c2', 'c3', 'c4']);
  });
});

describe('HoldsPage', () => {
  it('lists the holds, places one by list, and releases one only with a reason', async () => {
    const api = fakeApi({
      'GET /api/compliance/holds': () => ({ items: [hold()] }),
      'GET /api/users': () => ({ items: [], total: 0 }),
      'GET /api/saved-searches': () => ({ items: [] }),
      'POST /api/compliance/holds': () => hold({ id: 'h2', name: 'New case', conversations: 2 }),
      'GET /api/compliance/holds/h1/conversations': () => ({
        items: [{ id: 'c1', title: 'Call with Acme', startedAt: '2026-11-01T09:00:00Z', addedAt: null }],
        next: null,
      }),
      'POST /api/compliance/holds/h1/release': () => hold({ status: 'released', releaseReason: 'Settled' }),
    });
    renderWithApp(
      <MemoryRouter>
        <HoldsPage />
      </MemoryRouter>,
      { me: testUser(['legal_holds.manage']) },
    );
    const row = await screen.findByTestId('hold-row');
    expect(row.textContent).toContain('Acme v. Smith');
    expect(row.textContent).toContain('1,502');

    await userEvent.click(screen.getByTestId('hold-create'));
    const modal = await screen.findByTestId('hold-create-modal');
    await userEvent.type(within(modal).getByTestId('hold-name'), 'New case');
    await userEvent.type(within(modal).getByTestId('hold-ids'), 'c7, c8\nc7');
    await userEvent.click(within(modal).getByTestId('hold-create-ok'));
    await waitFor(() => expect(api.requests('POST', '/api/compliance/holds')).toHaveLength(1));
    expect(api.requests('POST', '/api/compliance/holds')[0]!.body).toMatchObject({
      name: 'New case',
      kind: 'list',
      conversationIds: ['c7', 'c8'],
      ownerId: 'u-test',
    });

    await userEvent.click(screen.getByTestId('hold-row'));
    expect(await screen.findByText('Call with Acme')).toBeTruthy();
    await userEvent.click(screen.getByTestId('hold-release'));
    const ok = await screen.findByTestId('hold-release-ok');
    expect(ok.hasAttribute('disabled')).toBe(true);
    await userEvent.type(screen.getByTestId('hold-release-reason'), 'Settled');
    await userEvent.click(screen.getByTestId('hold-release-ok'));
    await waitFor(() => expect(api.requests('POST', '/api/compliance/holds/h1/release')).toHaveLength(1));
    expect(api.requests('POST', '/api/compliance/holds/h1/release')[0]!.body).toEqual({ reason: 'Settled' });
  });
});
