// "Add new filter" → Group (issue 14): the picker offers the groups the user may see (GET /api/groups answers the
// caller's scope), Apply runs the search with groupId first, and the server's refusal of a group outside the scope
// stays in the editor.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SearchFilterInput, SearchPage } from '../../../../api/types.ts';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { fakeApi } from '../../../../test/render.tsx';
import { AddFilterPane } from '../AddFilterPane.tsx';
import { offeredFilterFields, renderInSearch } from '../../../../test/search.tsx';

const T = en.search;
const group = (id: string, name: string, parentId: string | null = null) => ({
  id,
  name,
  parentId,
  siteId: null,
  language: null,
  createdAt: '',
  updatedAt: '',
});
const page = (filter: SearchFilterInput): SearchPage =>
  ({ total: 0, totalExact: true, items: [], nextCursor: null, filter, chips: [], ignored: [] }) as unknown as SearchPage;

function renderPane(filter: SearchFilterInput = {}, searchAnswer: (body: unknown) => unknown = (b) => page(b as SearchFilterInput)) {
  const api = fakeApi({
    'POST /api/conversations/search': (req) => searchAnswer(req.body),
    'GET /api/groups': () => ({ items: [group('g1', 'East'), group('g2', 'East night', 'g1')] }),
  });
  const { setSearch } = renderInSearch(<AddFilterPane />, { filter });
  return { api, setSearch };
}

async function openGroup() {
  await userEvent.click(screen.getByRole('button', { name: T.addFilter }));
  const pane = await screen.findByTestId('add-filter-pane');
  await userEvent.click(pane.querySelector('[data-field="groupId"]')!);
  return screen.findByRole('form', { name: T.fields.groupId });
}

async function pickGroup(form: HTMLElement, name: string) {
  const input = within(form).getByLabelText(T.group.label, { selector: 'input' });
  await userEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  const list = within(document.getElementById(input.getAttribute('aria-controls')!)!);
  await waitFor(() => expect(list.getAllByRole('option').map((o) => o.textContent)).toEqual(['East', 'East night']));
  await userEvent.click(list.getByRole('option', { name }));
}

describe('group filter in Add new filter', () => {
  it('is offered after the agent', async () => {
    renderPane();
    const names = await offeredFilterFields();
    expect(names[names.indexOf('agentId') + 1]).toBe('groupId');
  });

  it('picks one of the groups the user may see and runs the search with it', async () => {
    const { api, setSearch } = renderPane({ channels: ['call'] });
    const form = await openGroup();
    await pickGroup(form, 'East night');
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    const expected = { channels: ['call'], groupId: 'g2' };
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: expected }));
    expect(api.requests('POST', '/api/conversations/search').map((r) => r.body)).toEqual([expected]);
  });

  it("keeps the server's refusal in the editor", async () => {
    const refusal = { code: 'FORBIDDEN', message: 'This group is outside your scope' };
    const { setSearch } = renderPane({}, () => Response.json({ error: refusal }, { status: 403 }));
    const form = await openGroup();
    await pickGroup(form, 'East');
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    expect(await within(form).findByText(en.errors.FORBIDDEN)).toBeTruthy();
    expect(setSearch).not.toHaveBeenCalled();
  });
});
