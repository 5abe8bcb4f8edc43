// Keyword matching with the search analyzer: stems for words, phrases in order at consecutive positions, the speaker
// rule, the longest of overlapping keywords of one indicator, and character ranges that point at the words.
import { describe, expect, it } from 'vitest';
import type { InsightLine } from '../insights/model.ts';
import { IndicatorMatcher, type IndicatorDefinition } from './matching.ts';

const line = (id: string, role: InsightLine['role'], text: string): InsightLine => ({
  id,
  kind: 'utterance',
  segmentId: null,
  role,
  startMs: 1000,
  endMs: 2000,
  text,
});

function found(defs: IndicatorDefinition[], lines: InsightLine[]) {
  const m = new IndicatorMatcher(defs, 'en');
  return m.match(lines).map((x) => {
    const l = lines.find((y) => y.id === x.lineId)!;
    return `${x.indicatorId}/${x.keywordId}@${x.lineId}:${l.text.slice(x.range[0], x.range[1])}`;
  });
}

describe('indicator matching', () => {
  it('matches a word by its stem and a phrase only in order at consecutive positions', () => {
    const defs: IndicatorDefinition[] = [
      { id: 'churn', speaker: 'both', keywords: [{ id: 'cancel', text: 'cancel' }] },
      { id: 'legal', speaker: 'both', keywords: [{ id: 'file', text: 'File a complaint' }] },
    ];
    const lines = [
      line('a', 'customer', 'I cancelled it. Then I wanted to file a formal complaint.'),
      line('b', 'customer', 'Complaint a file? No: I will file a complaint, and Cancelling is next.'),
    ];
    expect(found(defs, lines)).toEqual(['churn/cancel@a:cancelled', 'legal/file@b:file a complaint', 'churn/cancel@b:Cancelling']);
  });

  it('keeps stop words exact inside a phrase and finds the accented spelling from an unaccented keyword', () => {
    const defs: IndicatorDefinition[] = [
      { id: 'x', speaker: 'both', keywords: [{ id: 'k', text: 'not interested' }] },
      { id: 'y', speaker: 'both', keywords: [{ id: 'r', text: 'reclamation' }] },
    ];
    const lines = [line('a', 'customer', "I'm interested. I am not interested anymore."), line('b', 'customer', 'Je fais une réclamation.')];
    expect(found(defs, lines)).toEqual(['x/k@a:not interested', 'y/r@b:réclamation']);
  });

  it('looks only at the lines of the chosen speaker', () => {
    const defs: IndicatorDefinition[] = [
      { id: 'agentOnly', speaker: 'agent', keywords: [{ id: 'k1', text: 'supervisor' }] },
      { id: 'customerOnly', speaker: 'customer', keywords: [{ id: 'k2', text: 'supervisor' }] },
      { id: 'anyone', speaker: 'both', keywords: [{ id: 'k3', text: 'supervisor' }] },
    ];
    const lines = [line('a', 'agent', 'Let me get my supervisor.'), line('b', 'customer', 'Your supervisor, now.'), line('c', 'unknown', 'supervisor')];
    expect(found(defs, lines).sort()).toEqual(
      ['agentOnly/k1@a:supervisor', 'anyone/k3@a:supervisor', 'customerOnly/k2@b:supervisor', 'anyone/k3@b:supervisor', 'anyone/k3@c:supervisor'].sort(),
    );
  });

  it('counts overlapping keywords of one indicator once, the longest; other indicators keep theirs', () => {
    const defs: IndicatorDefinition[] = [
      {
        id: 'rival',
        speaker: 'both',
        keywords: [
          { id: 'short', text: 'Acme' },
          { id: 'long', text: 'acme mobile' },
        ],
      },
      { id: 'brand', speaker: 'both', keywords: [{ id: 'acme', text: 'acme' }] },
      {
        id: 'fee',
        speaker: 'both',
        keywords: [
          { id: 'one', text: 'late fee' },
          { id: 'many', text: 'late fees' },
        ],
      },
    ];
    const lines = [line('a', 'customer', 'Acme Mobile charges no late fees; acme is cheaper.')];
    expect(found(defs, lines)).toEqual(['brand/acme@a:Acme', 'rival/long@a:Acme Mobile', 'fee/one@a:late fees', 'brand/acme@a:acme', 'rival/short@a:acme']);
  });

  it('gives ranges into the text as stored (UTF-16), and ignores keywords with no word', () => {
    const defs: IndicatorDefinition[] = [
      {
        id: 'p',
        speaker: 'both',
        keywords: [
          { id: 'k', text: 'thank you' },
          { id: 'empty', text: ' ?! ' },
        ],
      },
    ];
    const l = line('a', 'agent', '👋 Thank   you!');
    const m = new IndicatorMatcher(defs, 'en');
    expect(m.size).toBe(1);
    expect(m.match([l])).toEqual([{ indicatorId: 'p', keywordId: 'k', lineId: 'a', role: 'agent', startMs: 1000, range: [3, 14] }]);
    expect(l.text.slice(3, 14)).toBe('Thank   you');
  });
});
