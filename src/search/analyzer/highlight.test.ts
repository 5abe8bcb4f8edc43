import { describe, expect, it } from 'vitest';
import { highlight, matchRanges, SNIPPET_MAX } from './index.ts';

const marked = (h: { text: string; ranges: Array<[number, number]> }) => h.ranges.map(([s, e]) => h.text.slice(s, e));

describe('matchRanges', () => {
  it('finds every inflection, sorted, with offsets into the text', () => {
    const text = 'I need help. They helped me, the helping hand helps.';
    const r = matchRanges(text, 'en', ['help']);
    expect(r.map(([s, e]) => text.slice(s, e))).toEqual(['help', 'helped', 'helping', 'helps']);
  });

  it('matches unaccented queries on accented text and ids exactly', () => {
    const text = 'Réclamation CX-1042 : la réclamation de jamie@example.com';
    expect(matchRanges(text, 'fr', ['reclamation', 'cx-1042', 'jamie@example.com']).map(([s, e]) => text.slice(s, e))).toEqual([
      'Réclamation',
      'CX-1042',
      'réclamation',
      'jamie@example.com',
    ]);
  });

  it('merges overlapping matches (a word that is also inside a matched phrase)', () => {
    const text = 'my internet bill is late';
    expect(matchRanges(text, 'en', ['bill', 'internet bill'])).toEqual([[3, 16]]);
  });

  it('returns nothing for no query, an empty text or no match', () => {
    expect(matchRanges('some text', 'en', [])).toEqual([]);
    expect(matchRanges('', 'en', ['text'])).toEqual([]);
    expect(matchRanges('some text', 'en', ['absent'])).toEqual([]);
    expect(matchRanges('some text', 'en', ['?!'])).toEqual([]);
  });
});

describe('highlight', () => {
  it('short text: the whole line, the ranges and the count', () => {
    const h = highlight('The agent helped me with the bill.', 'en', ['help', 'bill']);
    expect(h.text).toBe('The agent helped me with the bill.');
    expect(marked(h)).toEqual(['helped', 'bill']);
    expect(h.count).toBe(2);
  });

  it('shows the line with the first match, and counts matches in the whole text', () => {
    const text = 'Agent: Good morning, how can I help?\nCustomer: My refund never arrived.\nAgent: Let me check the refund.\nCustomer: The refunds take weeks.';
    const h = highlight(text, 'en', ['refund']);
    expect(h.text).toBe('Customer: My refund never arrived.');
    expect(marked(h)).toEqual(['refund']);
    expect(h.count).toBe(3);
  });

  it('cuts a long line on word boundaries around the first match, with ellipses', () => {
    const before = 'word '.repeat(60);
    const after = ' more'.repeat(60);
    const text = `${before}the customer asked for a refund of the invoice${after}`;
    const h = highlight(text, 'en', ['refund']);
    expect(h.text.length).toBeLessThanOrEqual(SNIPPET_MAX);
    expect(h.text.startsWith('…')).toBe(true);
    expect(h.text.endsWith('…')).toBe(true);
    expect(h.text.slice(1, -1)).toBe(h.text.slice(1, -1).trim());
    // No cut words: every word of the snippet is whole.
    for (const w of h.text.slice(1, -1).split(/\s+/)) expect(['word', 'more', 'the', 'customer', 'asked', 'for', 'a', 'refund', 'of', 'invoice']).toContain(w);
    expect(marked(h)).toEqual(['refund']);
    expect(h.count).toBe(1);
  });

  it('no ellipsis before a match at the start of a long line', () => {
    const text = `Refund requested ${'and more words '.repeat(30)}`;
    const h = highlight(text, 'en', ['refund']);
    expect(h.text.startsWith('Refund requested')).toBe(true);
    expect(h.text.endsWith('…')).toBe(true);
    expect(h.ranges[0]).toEqual([0, 6]);
  });

  it('ranges point into the snippet for every match inside it, including phrases', () => {
    const text = `${'x '.repeat(200)}I am not interested in the offer, really not interested.${' y'.repeat(200)}`;
    const h = highlight(text, 'en', ['not interested']);
    expect(marked(h)).toEqual(['not interested', 'not interested']);
    expect(h.count).toBe(2);
  });

  it('without a match: the start of the text, no ranges, count 0', () => {
    const h = highlight('  Hello there.\nSecond line', 'en', ['refund']);
    expect(h).toEqual({ text: 'Hello there.', ranges: [], count: 0 });
    expect(highlight('', 'en', ['x'])).toEqual({ text: '', ranges: [], count: 0 });
  });

  it('cuts text without spaces (Japanese) and never splits a surrogate pair', () => {
    const text = `${'東京に行きます'.repeat(40)}請求書${'😀'.repeat(100)}`;
    const h = highlight(text, 'en', ['請求書']);
    expect(h.text.length).toBeLessThanOrEqual(SNIPPET_MAX + 1);
    expect(marked(h)).toEqual(['請求書']);
    expect(h.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('highlights accented and unaccented spellings alike for an unaccented query (Czech)', () => {
    const h = highlight('Reklamace faktury: faktuře chybí číslo, fakturu pošlu znovu.', 'cs', ['faktura']);
    expect(marked(h)).toEqual(['faktury', 'faktuře', 'fakturu']);
  });
});
