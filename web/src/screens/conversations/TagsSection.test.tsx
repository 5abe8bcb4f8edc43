// The Tags section against a fake API: tags and categories apart, and the categories changed with a multi-select that
// offers archived ones only where they already are.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppliedTag } from '../../api/types.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../test/render.tsx';
import { TagsSection } from './TagsSection.tsx';

const K = en.conversations.categories;
const at = '2026-01-01T00:00:00.000Z';
const applied = (over: Partial<AppliedTag>): AppliedTag => ({
  tagId: 'x',
  name: 'x',
  color: '#1c7ed6',
  kind: 'tag',
  dataKey: null,
  dataValue: null,
  comment: null,
  createdBy: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const category = (id: string, name: string, archived = false) => ({
  id,
  name,
  color: '#7048e8',
  kind: 'category',
  dataKey: null,
  dataValue: null,
  commentRequired: false,
  preset: null,
  archived,
  archivedAt: archived ? at : null,
  conversations: 1,
  createdAt: at,
  updatedAt: at,
});

describe('TagsSection', () => {
  it('lists tags and categories apart, and files the conversation under the categories picked', async () => {
    const api = fakeApi({
      'GET /api/categories': () => ({
        items: [category('k1', 'Billing'), category('k2', 'Legacy', true), category('k3', 'Old', true), category('k4', 'Sales')],
      }),
      'PUT /api/conversations/conv/categories': () => ({ items: [] }),
    });
    renderWithApp(
      <TagsSection conversationId="conv" tags={[applied({ tagId: 't1', name: 'Flag' }), applied({ tagId: 'k2', name: 'Legacy', kind: 'category' })]} />,
      { me: testUser(['tags.apply', 'conversations.view']) },
    );
    expect(within(screen.getByTestId('conversation-tags')).getByText('Flag')).toBeTruthy();
    expect(within(screen.getByTestId('conversation-tags')).queryByText('Legacy')).toBeNull();
    const block = screen.getByTestId('conversation-categories');
    expect(within(block).getByText('Legacy')).toBeTruthy();

    await userEvent.click(within(block).getByRole('button', { name: K.edit }));
    await userEvent.click(await within(block).findByPlaceholderText(K.pick));
    // The archived category already applied stays offered (marked), the other archived one is not.
    expect(await screen.findByRole('option', { name: 'Billing' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /^Old/ })).toBeNull();
    await userEvent.click(screen.getByRole('option', { name: 'Sales' }));
    await userEvent.click(within(block).getByRole('button', { name: en.common.save }));
    await waitFor(() => expect(api.requests('PUT', '/api/conversations/conv/categories').map((r) => r.body)).toEqual([{ categoryIds: ['k2', 'k4'] }]));
  });

  it('shows no way to change categories without tags.apply', () => {
    fakeApi({});
    renderWithApp(<TagsSection conversationId="conv" tags={[]} />, { me: testUser(['conversations.view']) });
    const block = screen.getByTestId('conversation-categories');
    expect(within(block).getByText(K.none)).toBeTruthy();
    expect(within(block).queryByRole('button', { name: K.edit })).toBeNull();
  });
});
