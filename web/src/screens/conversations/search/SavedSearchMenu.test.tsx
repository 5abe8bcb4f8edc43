// The saved-search menu against a fake API: using a search switches to its filter (defaults left out), deleting
// offers an Undo that restores with the server's token, protecting is offered only to lifecycle managers, and
// saving sends the current search.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SavedSearch, SearchFilterInput } from '../../../api/types.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, testUser } from '../../../test/render.tsx';
import { SavedSearchMenu } from './SavedSearchMenu.tsx';
import { renderInSearch } from '../../../test/search.tsx';

const S = en.search.saved;
const fill = (template: string, name: string) => template.replace('{{name}}', name);

function saved(id: string, name: string, filter: Partial<SearchFilterInput>, extra: Partial<SavedSearch> = {}): SavedSearch {
  return {
    id,
    name,
    filter: { version: 1, period: { kind: 'last_days', days: 90 }, reviewable: 'reviewable', view: 'all', sort: 'newest', ...filter } as SavedSearch['filter'],
    chips: [{ field: 'channels', label: 'Channel: Chats' }],
    protected: false,
    protectedAt: null,
    owner: { id: 'u-test', name: 'Tess Tester' },
    mine: true,
    canEdit: true,
    canProtect: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function renderMenu(items: SavedSearch[], { permissions = [] as string[], q = '', filter = {} as SearchFilterInput } = {}) {
  const api = fakeApi({
    'GET /api/saved-searches': () => ({ items }),
    'DELETE /api/saved-searches/s1': () => ({ id: 's1', name: items[0]!.name, undoToken: 'undo-1', undoExpiresAt: '2026-01-01T00:10:00.000Z' }),
    'POST /api/saved-searches/s1/restore': () => items[0],
    'PUT /api/saved-searches/s1/protected': () => ({ ...items[0], protected: true }),
    'POST /api/saved-searches': (req) => saved('s9', (req.body as { name: string }).name, {}),
  });
  const { setSearch } = renderInSearch(<SavedSearchMenu />, { q, filter }, { me: testUser(permissions) });
  return { api, setSearch };
}

async function openMenu() {
  await userEvent.click(screen.getByTestId('saved-searches-button'));
  return screen.findByTestId('saved-searches');
}

describe('SavedSearchMenu', () => {
  it('lists the saved searches and switches to one, leaving out what only repeats a default', async () => {
    const { setSearch } = renderMenu([saved('s1', 'Chats about refunds', { q: 'refund', channels: ['chat'], sort: 'relevance' })]);
    const menu = await openMenu();
    await userEvent.click(await within(menu).findByRole('button', { name: fill(S.use, 'Chats about refunds') }));
    expect(setSearch).toHaveBeenCalledWith({ q: 'refund', filter: { channels: ['chat'] } });
  });

  it('says so when there is none', async () => {
    renderMenu([]);
    const menu = await openMenu();
    expect(await within(menu).findByText(S.none)).toBeTruthy();
  });

  it('deletes with an Undo that restores the search with the token the server gave', async () => {
    const { api } = renderMenu([saved('s1', 'Old chats', { channels: ['chat'] })]);
    const menu = await openMenu();
    await userEvent.click(await within(menu).findByRole('button', { name: fill(S.deleteNamed, 'Old chats') }));
    const undo = await screen.findByTestId('undo-notification');
    expect(within(undo).getByText(fill(S.deleted, 'Old chats'))).toBeTruthy();
    // Not clipped (issue 16 item 9): the text breaks anywhere, the body does not cut what overflows.
    expect(within(undo).getByTestId('undo-text').style.overflowWrap).toBe('anywhere');
    await userEvent.click(within(undo).getByRole('button', { name: S.undo }));
    await waitFor(() =>
      expect(api.requests('POST', '/api/saved-searches/s1/restore')).toEqual([
        { method: 'POST', path: '/api/saved-searches/s1/restore', body: { undoToken: 'undo-1' } },
      ]),
    );
    await waitFor(() => expect(screen.queryByTestId('undo-notification')).toBeNull());
    expect(api.requests('DELETE', '/api/saved-searches/s1')).toHaveLength(1);
  });

  it('offers protection only to lifecycle managers, and shows a protected search locked', async () => {
    const items = [saved('s1', 'Legal case', {}, { canProtect: true }), saved('s2', 'Kept', {}, { protected: true, canProtect: true, canEdit: false })];
    const first = renderMenu(items);
    let menu = await openMenu();
    await within(menu).findByRole('button', { name: fill(S.use, 'Legal case') });
    expect(within(menu).queryByRole('button', { name: S.protect })).toBeNull();
    expect(within(menu).getAllByTestId('saved-search-lock')).toHaveLength(1);
    expect(within(menu).queryByRole('button', { name: fill(S.deleteNamed, 'Kept') })).toBeNull();
    expect(first.api.requests('PUT', '/api/saved-searches/s1/protected')).toHaveLength(0);

    document.body.innerHTML = '';
    const manager = renderMenu(items, { permissions: ['lifecycle.manage'] });
    menu = await openMenu();
    await userEvent.click(await within(menu).findByRole('button', { name: S.protect }));
    await waitFor(() => expect(manager.api.requests('PUT', '/api/saved-searches/s1/protected')[0]?.body).toEqual({ protected: true }));
    expect(within(menu).getByRole('button', { name: S.unprotect }).getAttribute('aria-pressed')).toBe('true');
  });

  it('saves the current search under the name typed', async () => {
    const { api } = renderMenu([], { q: 'invoice', filter: { channels: ['email'] } });
    await userEvent.click(screen.getByRole('button', { name: S.save }));
    const dialog = await screen.findByRole('dialog', { name: S.saveTitle });
    const name = within(dialog).getByRole('textbox', { name: S.name });
    expect((name as HTMLInputElement).value).toBe('invoice');
    await userEvent.clear(name);
    await userEvent.type(name, 'Invoice emails');
    await userEvent.click(within(dialog).getByRole('button', { name: en.common.save }));
    await waitFor(() =>
      expect(api.requests('POST', '/api/saved-searches')[0]?.body).toEqual({ name: 'Invoice emails', filter: { channels: ['email'], q: 'invoice' } }),
    );
  });
});
