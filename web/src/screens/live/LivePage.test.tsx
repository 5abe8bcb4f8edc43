// The Live screen against a fake API: the calls with parties, state and quality; the control buttons each mode and
// state offer (and the POST they send); filters sent to the server; chats in progress; no access without the permission.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { LiveCall } from '../../api/live.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { LivePage, controlsFor } from './LivePage.tsx';

/** The machine running the suite may be busy: the first render and fetch can take seconds. */
const SLOW = { timeout: 15_000 };

const call = (over: Partial<LiveCall> = {}): LiveCall => ({
  id: 'c1',
  callRef: 'ref-1@sbc',
  state: 'recording',
  mode: 'always_pause',
  direction: 'inbound',
  startedAt: '2026-01-01T10:00:00.000Z',
  answeredAt: null,
  durationMs: 125_000,
  pausedMs: 0,
  sourcePaused: false,
  group: { id: 'g1', name: 'Sales' },
  agent: { id: 'u1', name: 'Alex Agent' },
  parties: [
    { id: 'p1', name: 'Pat Customer', number: '+15550100', role: 'customer', side: 'caller', labels: ['c'] },
    { id: 'p2', name: 'Alex Agent', number: '5101', role: 'agent', side: 'callee', labels: ['a'] },
  ],
  quality: [{ label: 'c', mos: 4.3, jitterMs: 2, lossPercent: 0, packetsReceived: 5000 }],
  policy: { record: true, ruleName: null, reason: null },
  listenable: true,
  ...over,
});

describe('controlsFor', () => {
  it('offers what the mode allows in each state', () => {
    expect(controlsFor(call({ mode: 'always' }))).toEqual([]);
    expect(controlsFor(call({ mode: 'always_pause', state: 'recording' }))).toEqual(['pause']);
    expect(controlsFor(call({ mode: 'always_pause', state: 'paused' }))).toEqual(['resume']);
    expect(controlsFor(call({ mode: 'on_demand', state: 'not_recording' }))).toEqual(['start']);
    expect(controlsFor(call({ mode: 'on_demand', state: 'recording' }))).toEqual(['pause', 'stop']);
    expect(controlsFor(call({ mode: 'on_demand', state: 'not_recording', policy: { record: false, ruleName: 'No', reason: null } }))).toEqual([]);
  });
});

describe('LivePage', () => {
  const render = (permissions: string[]) =>
    renderWithApp(
      <MemoryRouter>
        <LivePage />
      </MemoryRouter>,
      { me: testUser(permissions) },
    );

  it('lists the live calls and chats, pauses a call, and sends the filters to the server', async () => {
    const api = fakeApi({
      'GET /api/live': () => ({
        now: '2026-01-01T10:02:05.000Z',
        calls: [
          call(),
          call({ id: 'c2', callRef: 'ref-2', mode: 'on_demand', state: 'not_recording', listenable: false, quality: [] }),
          call({ id: 'c3', callRef: 'ref-3', state: 'paused', sourcePaused: true, pausedMs: 4000 }),
        ],
        chats: [
          {
            conversationId: 'conv1',
            title: 'Support chat with Kim',
            startedAt: '2026-01-01T09:58:00.000Z',
            lastMessageAt: '2026-01-01T10:01:00.000Z',
            agent: null,
            group: null,
          },
        ],
      }),
      'POST /api/recordings/ref-1%40sbc/pause': () => ({
        callRef: 'ref-1@sbc',
        callId: 'c1',
        action: 'pause',
        state: 'paused',
        changed: true,
        mode: 'always_pause',
        requestId: 'r1',
      }),
    });
    render(['live.monitor', 'recording.control', 'conversations.view']);
    const rows = await screen.findAllByTestId('live-call', undefined, SLOW);
    expect(rows).toHaveLength(3);
    // Only the call the SBC paused says so (its pause is lifted by the SBC, not by Resume).
    expect(screen.getAllByTestId('live-source-paused')).toHaveLength(1);
    expect(within(rows[2]!).getByText(en.live.pausedBySource)).toBeTruthy();
    expect(within(rows[0]!).getByText('Pat Customer → Alex Agent')).toBeTruthy();
    expect(within(rows[0]!).getByText('4.3')).toBeTruthy();
    expect(within(rows[0]!).getByText(en.live.state.recording)).toBeTruthy();
    expect(within(rows[1]!).getByRole('button', { name: en.live.actions.start })).toBeTruthy();
    expect((within(rows[1]!).getByTestId('live-listen') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Support chat with Kim')).toBeTruthy();
    fireEvent.click(within(rows[0]!).getByRole('button', { name: en.live.actions.pause }));
    await waitFor(() => expect(api.requests('POST', '/api/recordings/ref-1%40sbc/pause')).toHaveLength(1), SLOW);
    fireEvent.change(screen.getByLabelText(en.live.filters.search), { target: { value: 'Pat' } });
    await waitFor(() => expect(api.sent.some((r) => r.path === '/api/live')).toBe(true), SLOW);
  });

  it('shows no control buttons without "control recording", and no page without "monitor live"', async () => {
    fakeApi({ 'GET /api/live': () => ({ now: '2026-01-01T10:00:00.000Z', calls: [call()], chats: [] }) });
    const { unmount } = render(['live.monitor']);
    const row = await screen.findByTestId('live-call', undefined, SLOW);
    expect(within(row).queryByRole('button', { name: en.live.actions.pause })).toBeNull();
    unmount();
    render(['conversations.view']);
    expect(screen.getByTestId('no-access')).toBeTruthy();
  });
});
