import { describe, expect, it } from 'vitest';
import { tsvectorLiteral } from '../fulltext/postgres-tsvector.ts';
import { DOC_KEY_SLOTS, docKeyRange, FIELD_GAP, indexTerms, packFields, preferredDocKey, unpackFields, type SearchField } from './document.ts';

const field = (text: string, where: SearchField['where'] = 'chat_message'): SearchField => ({ where, segmentId: 's1', seq: 0, tagId: null, text });

describe('search documents', () => {
  it('puts primary terms in order and the variants after them, past a gap', () => {
    const { parts } = indexTerms([field('She helped José')], 'en');
    expect(parts.body).toEqual(['she', 'help', 'josé', FIELD_GAP, '=helped', 'jose']);
    expect(parts.agent).toEqual([]);
  });

  it('separates fields by a gap, and files what each side said in its own part', () => {
    const { parts } = indexTerms(
      [
        field('The payment is late', 'chat_message'),
        field('Fee waived?', 'chat_message'),
        { ...field('late', 'transcript'), speaker: 'customer' },
        { ...field('fee', 'transcript'), speaker: 'customer' },
        { ...field('no fee', 'chat_message'), speaker: 'agent' },
      ],
      'en',
    );
    expect(parts.body).toEqual(['the', 'payment', 'is', 'late', FIELD_GAP, 'fee', 'waiv', FIELD_GAP, '=waived']);
    expect(parts.customer).toEqual(['late', FIELD_GAP, 'fee']);
    expect(parts.agent).toEqual(['no', 'fee']);
  });

  it('gives PostgreSQL the same terms at the same positions, quotes escaped', () => {
    const { parts } = indexTerms([field("don't help, help")], 'en');
    expect(parts.body).toEqual(["don't", 'help', 'help']);
    expect(tsvectorLiteral(parts)).toBe("'don''t':1 'help':2,3");
    expect(tsvectorLiteral({ body: ['a\\b', "it's"] })).toBe("'a\\\\b':1 'it''s':2");
  });

  it('skips a position at each gap on PostgreSQL and weighs the speakers A (agent) and B (customer)', () => {
    expect(tsvectorLiteral({ body: ['late', FIELD_GAP, 'fee'], agent: ['fee'], customer: ['late', FIELD_GAP, 'fee'] })).toBe("'late':1,7B 'fee':3,5A,9B");
  });

  it('keeps PostgreSQL positions within its limits', () => {
    const many = Array.from({ length: 20_000 }, () => 'w');
    const lit = tsvectorLiteral({ body: many });
    const positions = lit.slice("'w':".length).split(',').map(Number);
    expect(positions).toHaveLength(256);
    expect(Math.max(...positions)).toBeLessThanOrEqual(16_383);
  });

  it('packs fields losslessly', () => {
    const fields: SearchField[] = [
      field('Hello'),
      { where: 'tag_comment' as const, segmentId: null, seq: null, tagId: 't1', text: 'Called back ✓' },
      { ...field('Thanks', 'chat_message'), speaker: 'agent' },
      {
        ...field('My card is [CARD]', 'transcript'),
        speaker: 'customer',
        speech: { utteranceId: 'u1', startMs: 1200, endMs: 4100, role: 'customer', words: 4 },
      },
      { ...field('hm', 'transcript'), speech: { utteranceId: 'u2', startMs: 5000, endMs: 5200, role: 'unknown', words: 1 } },
    ];
    expect(unpackFields(packFields(fields))).toEqual(fields);
  });

  it('orders keys by start second, and a period is a key range', () => {
    const a = preferredDocKey('2026-01-01T10:00:00.900Z', 'conv-a');
    const b = preferredDocKey('2026-01-01T10:00:01.000Z', 'conv-b');
    expect(a).toBeLessThan(b);
    expect(Math.floor(a / DOC_KEY_SLOTS)).toBe(Date.parse('2026-01-01T10:00:00Z') / 1000);
    expect(Number.isSafeInteger(preferredDocKey('3999-12-31T23:59:59.000Z', 'x'))).toBe(true);
    const { lo, hi } = docKeyRange(new Date('2026-01-01T10:00:00.500Z'), new Date('2026-01-01T10:00:01.000Z'));
    expect(a).toBeGreaterThanOrEqual(lo!);
    expect(a).toBeLessThanOrEqual(hi!);
    expect(b).toBeGreaterThan(hi!); // started at the exclusive end
    expect(docKeyRange(null, null)).toEqual({ lo: null, hi: null });
  });
});
