// Recording health against a fake API: the counts, the flags by kind, the latest flagged calls linked to their
// conversation, the SRCs' OPTIONS state, and the recording modes (listed, changed, added).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../../test/render.tsx';
import { RecordingHealthPage } from './RecordingHealthPage.tsx';

const HEALTH = {
  since: '2026-01-01T00:00:00.000Z',
  days: 7,
  calls: 120,
  recorded: 117,
  active: 3,
  poorQuality: 4,
  refusals: 9,
  flags: [
    { flag: 'not_recorded', count: 2 },
    { flag: 'one_sided', count: 1 },
    { flag: 'empty', count: 0 },
  ],
  recent: [
    {
      id: 'e1',
      flag: 'one_sided',
      detail: 'One-sided: nothing was received from Alex Agent',
      callRef: 'ref-1',
      conversationId: 'conv-1',
      callStartedAt: '2026-01-02T10:00:00.000Z',
      createdAt: '2026-01-02T10:05:00.000Z',
    },
  ],
  sources: [
    {
      target: 'sip:10.0.0.5:5060',
      name: 'CUBE Paris',
      lastProbeAt: '2026-01-02T10:00:00.000Z',
      lastOkAt: null,
      status: 'stopped',
      lastError: 'no answer within 2000 ms',
      failingSince: '2026-01-02T09:00:00.000Z',
    },
  ],
};

describe('RecordingHealthPage', () => {
  it('shows the counts, flags, flagged calls and sources, and edits the recording modes', async () => {
    const api = fakeApi({
      'GET /api/recorder/health': () => HEALTH,
      'GET /api/recorder/recording-modes': () => ({
        items: [
          {
            id: 'm1',
            kind: 'number',
            value: '+4420',
            label: null,
            mode: 'on_demand',
            note: 'UK desk',
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
        ],
      }),
      'PATCH /api/recorder/recording-modes/m1': (req) => ({
        id: 'm1',
        kind: 'number',
        value: '+4420',
        label: null,
        mode: (req.body as { mode: string }).mode,
        note: 'UK desk',
        createdAt: '',
        updatedAt: '',
      }),
      'POST /api/recorder/recording-modes': (req) => ({ id: 'm2', label: null, note: null, createdAt: '', updatedAt: '', ...(req.body as object) }),
    });
    renderWithApp(
      <MemoryRouter>
        <RecordingHealthPage />
      </MemoryRouter>,
      { me: testUser(['recorder.manage']) },
    );
    expect(await screen.findByText('117', undefined, { timeout: 15_000 })).toBeTruthy();
    const counts = screen.getByTestId('assurance-counts');
    expect(within(counts).getByText(`${en.recorderHealth.flag.not_recorded}: 2`)).toBeTruthy();
    expect(screen.getByText('One-sided: nothing was received from Alex Agent')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'ref-1' }).getAttribute('href')).toBe('/conversations/conv-1');
    expect(screen.getByText(en.recorderHealth.status.stopped)).toBeTruthy();
    expect(screen.getByText('no answer within 2000 ms')).toBeTruthy();

    const modes = screen.getByTestId('recording-modes');
    expect(await within(modes).findByText('Numbers starting +4420', undefined, { timeout: 15_000 })).toBeTruthy();
    fireEvent.change(within(modes).getByLabelText(en.recorderHealth.modes.prefix), { target: { value: '+3314' } });
    fireEvent.click(within(modes).getByRole('button', { name: en.recorderHealth.modes.add }));
    await waitFor(() => expect(api.requests('POST', '/api/recorder/recording-modes')).toHaveLength(1), { timeout: 15_000 });
    expect(api.requests('POST', '/api/recorder/recording-modes')[0]!.body).toEqual({ kind: 'number', value: '+3314', mode: 'always_pause', note: null });
  });
});
