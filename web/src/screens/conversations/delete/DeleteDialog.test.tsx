// The delete dialog: media only or the whole conversation, a reason required, permanent said plainly; a protected
// conversation is listed with why and cannot be deleted (the server would refuse the whole request).
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { DeleteDialog } from './DeleteDialog.tsx';
import { SelectionBar } from '../SelectionBar.tsx';

const render = (ui: React.ReactElement) => renderWithApp(<MemoryRouter>{ui}</MemoryRouter>, { me: testUser(['conversations.view', 'conversations.delete']) });

describe('DeleteDialog', () => {
  it('deletes the media with a reason, after saying it is permanent', async () => {
    const api = fakeApi({
      'POST /api/compliance/protection': () => ({ items: [] }),
      'POST /api/conversations/delete': () => Response.json({ deletions: [{ deletionId: 'd1', conversationId: 'c1' }] }, { status: 202 }),
    });
    let closed = false;
    render(<DeleteDialog conversationIds={['c1']} withMedia onClose={() => (closed = true)} />);
    expect(await screen.findByText(en.deletion.permanent)).toBeTruthy();
    const confirm = screen.getByTestId('delete-confirm');
    expect(confirm.hasAttribute('disabled')).toBe(true);
    await userEvent.type(screen.getByTestId('delete-reason'), 'Recorded by mistake');
    await userEvent.click(screen.getByTestId('delete-confirm'));
    await waitFor(() => expect(closed).toBe(true));
    expect(api.requests('POST', '/api/conversations/delete')[0]!.body).toEqual({ conversationIds: ['c1'], scope: 'media', reason: 'Recorded by mistake' });
  });

  it('lists a protected conversation with why and does not offer to delete it', async () => {
    const api = fakeApi({
      'POST /api/compliance/protection': () => ({
        items: [{ conversationId: 'c1', protections: [{ kind: 'legal_hold', holdId: 'h1', name: 'Acme v. Smith' }, { kind: 'reviewed' }] }],
      }),
    });
    render(<DeleteDialog conversationIds={['c1']} withMedia={false} onClose={() => {}} />);
    const box = await screen.findByTestId('delete-protected');
    expect(box.textContent).toContain('legal hold Acme v. Smith');
    expect(box.textContent).toContain('reviewed');
    expect(screen.getByTestId('delete-scope-media').hasAttribute('disabled')).toBe(true);
    await userEvent.type(screen.getByTestId('delete-reason'), 'x');
    expect(screen.getByTestId('delete-confirm').hasAttribute('disabled')).toBe(true);
    expect(api.requests('POST', '/api/conversations/delete')).toEqual([]);
  });

  it('deletes a selection from the selection bar and clears it', async () => {
    const api = fakeApi({
      'GET /api/categories': () => ({ items: [] }),
      'POST /api/compliance/protection': () => ({ items: [] }),
      'POST /api/conversations/delete': () => Response.json({ deletions: [{ deletionId: 'd1', conversationId: 'c1' }] }, { status: 202 }),
    });
    let cleared = false;
    render(<SelectionBar ids={['c1', 'c2']} onClear={() => (cleared = true)} />);
    await userEvent.click(await screen.findByTestId('selection-delete'));
    expect(await screen.findByText(en.deletion.titleMany.replace('{{count}}', '2'))).toBeTruthy();
    await userEvent.type(screen.getByTestId('delete-reason'), 'Test calls');
    await userEvent.click(screen.getByTestId('delete-confirm'));
    await waitFor(() => expect(cleared).toBe(true));
    expect(api.requests('POST', '/api/conversations/delete')[0]!.body).toEqual({ conversationIds: ['c1', 'c2'], scope: 'media', reason: 'Test calls' });
  });
});
