// "Add new filter" offers the insights filters the server accepts (issue 10 item 9): indicators mentioned or not and
// by whom, topics, and the sentiment and engagement ranges. Each editor builds the filter src/search/filter.ts takes,
// runs the search with it first, and keeps the server's refusal beside the input it is about.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SearchFilterInput, SearchPage } from '../../../../api/types.ts';
import en from '../../../../i18n/en.json' with { type: 'json' };
import { fakeApi } from '../../../../test/render.tsx';
import { AddFilterPane } from '../AddFilterPane.tsx';
import { offeredFilterFields, renderInSearch } from '../../../../test/search.tsx';

const T = en.search;
const at = '2026-01-01T00:00:00.000Z';
const analysis = { status: 'done', done: 0, total: 0, jobId: null, error: null };
const indicator = (id: string, categoryId: string, name: string) => ({
  id,
  categoryId,
  name,
  speaker: 'both',
  builtinKey: null,
  keywords: [],
  conversations: 0,
  mentions: 0,
  analysis,
  createdAt: at,
  updatedAt: at,
});
const categories = {
  limit: 250,
  items: [
    { id: 'c1', name: 'Retention', position: 0, builtinKey: null, indicators: [indicator('i1', 'c1', 'Churn risk')], createdAt: at, updatedAt: at },
    { id: 'c2', name: 'Risk', position: 1, builtinKey: null, indicators: [indicator('i2', 'c2', 'Legal threat')], createdAt: at, updatedAt: at },
  ],
};
const topic = (id: string, name: string) => ({ id, name, builtinKey: null, sentences: [], conversations: 0, hits: 0, analysis, createdAt: at, updatedAt: at });
const topics = { customLimit: 10, items: [topic('p1', 'Pricing'), topic('p2', 'Licensing')] };

const page = (filter: SearchFilterInput): SearchPage =>
  ({ total: 0, totalExact: true, items: [], nextCursor: null, filter, chips: [], ignored: [] }) as unknown as SearchPage;

function renderPane(filter: SearchFilterInput = {}, searchAnswer: (body: unknown) => unknown = (b) => page(b as SearchFilterInput)) {
  const api = fakeApi({
    'POST /api/conversations/search': (req) => searchAnswer(req.body),
    'GET /api/insights/categories': () => categories,
    'GET /api/insights/topics': () => topics,
    'GET /api/conversations/search/options': () => ({ speechTags: [{ id: 's1', name: 'Cancellation' }] }),
  });
  const { setSearch } = renderInSearch(<AddFilterPane />, { filter });
  return { api, setSearch };
}

async function open(field: 'indicators' | 'topics' | 'sentiment' | 'engagement' | 'speechTags') {
  await userEvent.click(screen.getByRole('button', { name: T.addFilter }));
  const pane = await screen.findByTestId('add-filter-pane');
  await userEvent.click(pane.querySelector(`[data-field="${field}"]`)!);
  return screen.findByRole('form', { name: T.fields[field] });
}

/** The options of the list an input opens (closed lists stay in the page in tests). */
async function openList(input: HTMLElement) {
  await userEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  return within(document.getElementById(input.getAttribute('aria-controls')!)!);
}

async function pick(label: string, option: string, within_: HTMLElement) {
  const list = await openList(within(within_).getByLabelText(label, { selector: 'input' }));
  await userEvent.click(list.getByRole('option', { name: option }));
}

describe('insights filters in Add new filter', () => {
  it('lists the four filters after the speech tags', async () => {
    renderPane();
    const names = await offeredFilterFields();
    const from = names.indexOf('speechTags');
    expect(names.slice(from, from + 5)).toEqual(['speechTags', 'indicators', 'topics', 'sentiment', 'engagement']);
  });

  it('indicators: one mentioned by the customer, one not mentioned by anyone, grouped by category', async () => {
    const { api, setSearch } = renderPane();
    const form = await open('indicators');
    const rows = () => within(form).getAllByTestId('indicator-condition');
    await pick(T.indicators.indicator, 'Churn risk', rows()[0]!);
    await pick(T.indicators.by, T.indicators.byOptions.customer, rows()[0]!);
    await userEvent.click(within(form).getByRole('button', { name: T.indicators.add }));
    await pick(T.indicators.mode, T.indicators.exclude, rows()[1]!);
    const list = await openList(within(rows()[1]!).getByLabelText(T.indicators.indicator, { selector: 'input' }));
    // The category names group the options.
    expect(list.getByText('Retention')).toBeTruthy();
    expect(list.getByText('Risk')).toBeTruthy();
    await userEvent.click(list.getByRole('option', { name: 'Legal threat' }));
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    const expected = { indicators: { include: [{ indicatorId: 'i1', by: 'customer' }], exclude: [{ indicatorId: 'i2', by: 'anyone' }] } };
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: expected }));
    expect(api.requests('POST', '/api/conversations/search').map((r) => r.body)).toEqual([expected]);
  });

  it('indicators: a set filter opens with its conditions; removing them all clears it', async () => {
    const { setSearch } = renderPane({ indicators: { include: [], exclude: [{ indicatorId: 'i1', by: 'agent' }] } });
    const form = await open('indicators');
    const row = within(form).getByTestId('indicator-condition');
    expect(within(row).getByLabelText(T.indicators.mode, { selector: 'input' })).toHaveProperty('value', T.indicators.exclude);
    await waitFor(() => expect(within(row).getByLabelText(T.indicators.indicator, { selector: 'input' })).toHaveProperty('value', 'Churn risk'));
    expect(within(row).getByLabelText(T.indicators.by, { selector: 'input' })).toHaveProperty('value', T.indicators.byOptions.agent);
    await userEvent.click(within(row).getByRole('button', { name: T.indicators.remove }));
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: {} }));
  });

  it("indicators: the server's refusal shows beside the condition it is about", async () => {
    const refusal = { code: 'VALIDATION_FAILED', message: 'There is no indicator i1', details: { field: 'filter.indicators.include.0.indicatorId' } };
    const { setSearch } = renderPane({}, () => Response.json({ error: refusal }, { status: 400 }));
    const form = await open('indicators');
    await pick(T.indicators.indicator, 'Churn risk', within(form).getByTestId('indicator-condition'));
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    const row = within(form).getByTestId('indicator-condition');
    expect(await within(row).findByText('There is no indicator i1')).toBeTruthy();
    expect(within(form).queryByTestId('filter-error')).toBeNull();
    expect(setSearch).not.toHaveBeenCalled();
  });

  it('speech tags: the same condition list, qualified by confidence', async () => {
    const { setSearch } = renderPane({ speechTags: { include: [], exclude: [{ tagId: 's1', confidence: 'maybe' }] } });
    const form = await open('speechTags');
    const row = within(form).getByTestId('speech-tag-condition');
    expect(within(row).getByLabelText(T.speechTags.mode, { selector: 'input' })).toHaveProperty('value', T.speechTags.exclude);
    await waitFor(() => expect(within(row).getByLabelText(T.speechTags.tag, { selector: 'input' })).toHaveProperty('value', 'Cancellation'));
    await pick(T.speechTags.mode, T.speechTags.include, row);
    await pick(T.speechTags.confidence, T.speechTags.certainly, row);
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    const expected = { speechTags: { include: [{ tagId: 's1', confidence: 'certainly' }], exclude: [] } };
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: expected }));
  });

  it('topics: any of the picked topics', async () => {
    const { setSearch } = renderPane();
    const form = await open('topics');
    await userEvent.click(within(form).getByLabelText(T.fields.topics, { selector: 'input' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Pricing' }));
    await userEvent.click(screen.getByRole('option', { name: 'Licensing' }));
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: { topics: ['p1', 'p2'] } }));
  });

  it('sentiment: a label is its range on the score; a custom range with an open end', async () => {
    const { setSearch } = renderPane();
    let form = await open('sentiment');
    await userEvent.click(within(form).getByRole('radio', { name: T.sentiment.negative.replace('{{min}}', '0').replace('{{max}}', '39') }));
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    await waitFor(() => expect(setSearch).toHaveBeenLastCalledWith({ q: '', filter: { sentiment: { min: 0, max: 39 } } }));

    form = await open('sentiment');
    await userEvent.click(within(form).getByRole('radio', { name: T.scoreRange.custom }));
    await userEvent.type(within(form).getByRole('textbox', { name: T.scoreRange.min }), '75');
    await userEvent.click(within(form).getByRole('button', { name: T.apply }));
    await waitFor(() => expect(setSearch).toHaveBeenLastCalledWith({ q: '', filter: { sentiment: { min: 75, max: 100 } } }));
  });

  it('sentiment: a set range opens on its label', async () => {
    renderPane({ sentiment: { min: 61, max: 100 } });
    const form = await open('sentiment');
    expect(within(form).getByRole('radio', { name: T.sentiment.positive.replace('{{min}}', '61').replace('{{max}}', '100') })).toHaveProperty('checked', true);
  });

  it('engagement: a range; Apply waits for one end', async () => {
    const { setSearch } = renderPane();
    const form = await open('engagement');
    const apply = within(form).getByRole('button', { name: T.apply });
    expect(apply).toHaveProperty('disabled', true);
    await userEvent.type(within(form).getByRole('textbox', { name: T.scoreRange.max }), '30');
    await userEvent.click(apply);
    await waitFor(() => expect(setSearch).toHaveBeenCalledWith({ q: '', filter: { engagement: { min: 0, max: 30 } } }));
  });
});
