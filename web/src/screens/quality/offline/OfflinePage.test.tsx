// Offline interactions: the list, and adding one — the agent found by name, the metadata sent as the multipart
// "metadata" field with the file beside it, then the new conversation opened.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { renderWithApp, testUser } from '../../../test/render.tsx';
import { OfflinePage } from './OfflinePage.tsx';

const item = {
  conversationId: 'c9',
  title: 'In person with Dana',
  channel: 'in_person',
  notes: 'Refund at the counter',
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-12-01T10:12:00.000Z',
  agent: { id: 'a1', name: 'Alex Agent' },
  file: { name: 'letter.pdf', contentType: 'application/pdf', bytes: 2048, url: '/api/offline-interactions/c9/file' },
  createdBy: { id: 'u-test', name: 'Tess Tester' },
  createdAt: '2026-12-01T11:00:00.000Z',
};

describe('Offline interactions page', () => {
  it('lists interactions and adds one with a file, then opens it', async () => {
    const posted: FormData[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
        const url = new URL(String(input), 'http://earshot.test');
        if (url.pathname === '/api/offline-interactions' && (init.method ?? 'GET') === 'GET') return Response.json({ items: [item], nextCursor: null });
        if (url.pathname === '/api/conversations/search/agents')
          return Response.json({ items: [{ id: 'a1', name: 'Alex Agent', email: null, extension: '2001' }] });
        if (url.pathname === '/api/offline-interactions' && init.method === 'POST') {
          posted.push(init.body as FormData);
          return Response.json({ ...item, conversationId: 'c10' }, { status: 201 });
        }
        return Response.json({ error: { code: 'NOT_FOUND', message: url.pathname } }, { status: 404 });
      }),
    );
    renderWithApp(
      <MemoryRouter initialEntries={['/quality/offline']}>
        <Routes>
          <Route path="/quality/offline" element={<OfflinePage />} />
          <Route path="/conversations/:id" element={<div data-testid="opened">opened</div>} />
        </Routes>
      </MemoryRouter>,
      { me: testUser(['conversations.view', 'quality.review']) },
    );
    expect((await screen.findByText('In person with Dana')).closest('a')!.getAttribute('href')).toBe('/conversations/c9');
    expect(screen.getByText(en.offline.channels.in_person)).toBeTruthy();

    fireEvent.click(screen.getByTestId('add-offline'));
    const agent = screen.getByTestId('offline-agent');
    await userEvent.type(agent, 'Alex');
    await userEvent.click(await screen.findByRole('option', { name: 'Alex Agent' }, { timeout: 3000 }));
    fireEvent.change(screen.getByLabelText(en.offline.form.notes), { target: { value: 'Refund at the counter' } });
    const file = new File(['%PDF-1.4'], 'letter.pdf', { type: 'application/pdf' });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('save-offline'));

    await waitFor(() => expect(posted).toHaveLength(1));
    const meta = JSON.parse(String(posted[0]!.get('metadata')));
    expect(meta).toMatchObject({ agentUserId: 'a1', channel: 'phone', durationMinutes: 10, notes: 'Refund at the counter' });
    expect(Date.parse(meta.startedAt)).toBeLessThan(Date.now());
    expect((posted[0]!.get('file') as File).name).toBe('letter.pdf');
    expect(await screen.findByTestId('opened')).toBeTruthy();
  });
});
