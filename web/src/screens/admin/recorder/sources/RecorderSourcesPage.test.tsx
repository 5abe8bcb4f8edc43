// Sources & parties against a fake API: the allow-list with its refused requests (one filled into the form and
// allowed), enabling/disabling a source, adding an extension-range rule, and trying a participant.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../../test/render.tsx';
import { RecorderSourcesPage } from './RecorderSourcesPage.tsx';

const SOURCE = {
  id: 's1',
  name: 'CUBE Paris',
  address: '10.1.2.0/24',
  tlsIdentity: null,
  vendor: 'cisco',
  pingUri: null,
  enabled: true,
  calls: 42,
  lastSeenAt: '2026-01-02T10:00:00.000Z',
  createdAt: '',
  updatedAt: '',
};
const RULE = {
  id: 'r1',
  position: 1,
  kind: 'domain',
  value: 'cc.example.com',
  valueTo: null,
  role: 'agent',
  userId: null,
  userName: null,
  createdAt: '',
  updatedAt: '',
};

describe('RecorderSourcesPage', () => {
  it('lists sources and refusals, allows a refused address, toggles a source, adds a rule and tries a participant', async () => {
    const api = fakeApi({
      'GET /api/recorder/sources': () => ({
        items: [SOURCE],
        refusals: [
          {
            address: '203.0.113.9',
            reason: 'not_allowed',
            transport: 'udp',
            count: 7,
            firstAt: '2026-01-01T00:00:00.000Z',
            lastAt: '2026-01-02T00:00:00.000Z',
          },
        ],
      }),
      'POST /api/recorder/sources': (req) => ({ ...SOURCE, id: 's2', ...(req.body as object) }),
      'PATCH /api/recorder/sources/s1': (req) => ({ ...SOURCE, ...(req.body as object) }),
      'GET /api/recorder/party-rules': () => ({ items: [RULE] }),
      'POST /api/recorder/party-rules': (req) => ({ ...RULE, id: 'r2', position: 2, ...(req.body as object) }),
      'POST /api/recorder/party-rules/test': () => ({ number: '2001', role: 'agent', userId: null, matchedBy: 'r1' }),
    });
    renderWithApp(
      <MemoryRouter>
        <RecorderSourcesPage />
      </MemoryRouter>,
      { me: testUser(['recorder.manage']) },
    );
    const sources = screen.getByTestId('recorder-sources');
    expect(await within(sources).findByText('CUBE Paris', undefined, { timeout: 15_000 })).toBeTruthy();
    expect(within(screen.getByTestId('recorder-source-row')).getByText('Cisco CUBE')).toBeTruthy();
    const refusals = screen.getByTestId('recorder-refusals');
    expect(within(refusals).getByText('203.0.113.9')).toBeTruthy();

    fireEvent.click(within(refusals).getByRole('button', { name: en.recorderSources.allow }));
    fireEvent.click(within(sources).getByRole('button', { name: en.recorderSources.add }));
    await waitFor(() => expect(api.requests('POST', '/api/recorder/sources')).toHaveLength(1), { timeout: 15_000 });
    expect(api.requests('POST', '/api/recorder/sources')[0]!.body).toMatchObject({
      name: '203.0.113.9',
      address: '203.0.113.9',
      tlsIdentity: null,
      vendor: 'generic',
      pingUri: null,
    });

    fireEvent.click(within(sources).getByRole('switch', { name: en.recorderSources.enabled }));
    await waitFor(() => expect(api.requests('PATCH', '/api/recorder/sources/s1')).toHaveLength(1), { timeout: 15_000 });
    expect(api.requests('PATCH', '/api/recorder/sources/s1')[0]!.body).toEqual({ enabled: false });

    const rules = screen.getByTestId('recorder-party-rules');
    expect(await within(rules).findByText('Addresses at cc.example.com', undefined, { timeout: 15_000 })).toBeTruthy();
    fireEvent.change(within(rules).getByLabelText(en.recorderSources.rules.from), { target: { value: '2000' } });
    fireEvent.change(within(rules).getByLabelText(en.recorderSources.rules.to), { target: { value: '2999' } });
    fireEvent.click(within(rules).getByRole('button', { name: en.recorderSources.rules.add }));
    await waitFor(() => expect(api.requests('POST', '/api/recorder/party-rules')).toHaveLength(1), { timeout: 15_000 });
    expect(api.requests('POST', '/api/recorder/party-rules')[0]!.body).toEqual({
      kind: 'extension_range',
      value: '2000',
      valueTo: '2999',
      role: 'agent',
      userId: null,
    });

    fireEvent.change(within(rules).getByLabelText(en.recorderSources.rules.try), { target: { value: 'sip:2001@pbx' } });
    fireEvent.click(within(rules).getByRole('button', { name: en.recorderSources.rules.tryButton }));
    expect(await within(rules).findByText('2001 is an agent (rule 1).', undefined, { timeout: 15_000 })).toBeTruthy();
  });
});
