// Administration → Tags against a fake API: tags with their usage and archived state, archiving and restoring, data tags
// with their pair, categories created as typed, custom fields' list-column and filter switches, and tabs by permission.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json' with { type: 'json' };
import { fakeApi, renderWithApp, testUser } from '../../../test/render.tsx';
import { TagsAdminPage } from './TagsAdminPage.tsx';

const T = en.tagsAdmin;
const at = '2026-01-01T00:00:00.000Z';
const def = (over: Record<string, unknown>) => ({
  id: 'x',
  name: 'x',
  color: '#1c7ed6',
  kind: 'tag',
  dataKey: null,
  dataValue: null,
  commentRequired: false,
  preset: null,
  archived: false,
  archivedAt: null,
  conversations: 0,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const TAGS = [
  def({ id: 't1', name: 'Flag', preset: 'flag', conversations: 4 }),
  def({ id: 't2', name: 'Old campaign', archived: true, archivedAt: at, conversations: 7 }),
  def({ id: 't3', name: 'Priority', dataKey: 'priority', dataValue: 'high', conversations: 2 }),
];
const FIELD = {
  id: 'f1',
  key: 'case_no',
  label: 'Case number',
  type: 'text',
  options: [],
  showInList: true,
  showInFilters: true,
  position: 0,
  createdAt: at,
  updatedAt: at,
};

const renderPage = (permissions: string[], url = '/admin/tags') =>
  renderWithApp(
    <MemoryRouter initialEntries={[url]}>
      <TagsAdminPage />
    </MemoryRouter>,
    { me: testUser(permissions) },
  );

describe('TagsAdminPage', () => {
  it('lists plain tags with their usage, marks archived ones, and archives or restores one', async () => {
    const api = fakeApi({
      'GET /api/tags': () => ({ items: TAGS }),
      'PATCH /api/tags/t1': (r) => ({ ...TAGS[0], ...(r.body as object) }),
      'PATCH /api/tags/t2': (r) => ({ ...TAGS[1], ...(r.body as object) }),
    });
    renderPage(['tags.manage']);
    const rows = await screen.findAllByTestId('tag-row');
    // Data tags have their own tab.
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['FlagPreset', `Old campaign${T.archived}`]);
    expect(within(rows[1]!).getAllByRole('cell')[2]!.textContent).toBe('7');
    // A preset is never deleted.
    expect(within(rows[0]!).queryByRole('button', { name: 'Delete Flag' })).toBeNull();
    await userEvent.click(within(rows[0]!).getByRole('button', { name: 'Archive Flag' }));
    await userEvent.click(within(rows[1]!).getByRole('button', { name: 'Restore Old campaign' }));
    expect(api.requests('PATCH', '/api/tags/t1').map((r) => r.body)).toEqual([{ archived: true }]);
    expect(api.requests('PATCH', '/api/tags/t2').map((r) => r.body)).toEqual([{ archived: false }]);
  });

  it('shows data tags with their key and value, and creates one as typed', async () => {
    const api = fakeApi({ 'GET /api/tags': () => ({ items: TAGS }), 'POST /api/tags': (r) => def(r.body as Record<string, unknown>) });
    renderPage(['tags.manage'], '/admin/tags?tab=data');
    const row = await screen.findByTestId('tag-row');
    expect(within(row).getByText('priority = high')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: T.data.create }));
    await userEvent.type(screen.getByRole('textbox', { name: T.fields.name }), 'Escalated');
    await userEvent.type(screen.getByRole('textbox', { name: T.fields.key }), 'escalation');
    await userEvent.type(screen.getByRole('textbox', { name: T.fields.value }), 'tier 2');
    await userEvent.click(screen.getByRole('button', { name: T.submitCreate }));
    expect(api.requests('POST', '/api/tags').map((r) => r.body)).toEqual([
      { name: 'Escalated', color: '#1c7ed6', commentRequired: false, dataKey: 'escalation', dataValue: 'tier 2' },
    ]);
  });

  it('creates a category and links each to its conversations in the By category view', async () => {
    const api = fakeApi({
      'GET /api/categories': () => ({ items: [def({ id: 'c1', kind: 'category', name: 'Billing', conversations: 12 })] }),
      'POST /api/categories': (r) => def({ kind: 'category', ...(r.body as Record<string, unknown>) }),
    });
    renderPage(['tags.manage'], '/admin/tags?tab=categories');
    const row = await screen.findByTestId('category-row');
    const link = within(row).getByTestId('category-count');
    expect(link.textContent).toBe('12');
    expect(JSON.parse(new URL(link.getAttribute('href')!, 'http://x').searchParams.get('f')!)).toEqual({ view: { tagId: 'c1' }, period: null });
    await userEvent.click(screen.getByRole('button', { name: T.categories.create }));
    await userEvent.type(screen.getByRole('textbox', { name: T.fields.name }), '  Churn risk ');
    await userEvent.click(screen.getByRole('button', { name: T.submitCreate }));
    expect(api.requests('POST', '/api/categories').map((r) => r.body)).toEqual([{ name: 'Churn risk', color: '#7048e8' }]);
  });

  it('turns a custom field into a list column or out of the filters, and shows only the tabs one may manage', async () => {
    const api = fakeApi({ 'GET /api/custom-fields': () => ({ items: [FIELD] }), 'PATCH /api/custom-fields/f1': (r) => ({ ...FIELD, ...(r.body as object) }) });
    renderPage(['customfields.manage']);
    expect(screen.getAllByRole('tab').map((x) => x.textContent)).toEqual([T.tabs.fields]);
    const row = await screen.findByTestId('field-row');
    await userEvent.click(within(row).getByRole('switch', { name: 'Offer Case number in Add new filter' }));
    await userEvent.click(within(row).getByRole('switch', { name: 'Show Case number as a list column' }));
    expect(api.requests('PATCH', '/api/custom-fields/f1').map((r) => r.body)).toEqual([{ showInFilters: false }, { showInList: false }]);
  });
});
