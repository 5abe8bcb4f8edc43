import { describe, expect, it } from 'vitest';
import { tsvectorLiteral } from '../fulltext/postgres-tsvector.ts';
import { DOC_KEY_SLOTS, docKeyRange, indexTerms, packFields, preferredDocKey, unpackFields, type SearchField } from './document.ts';

const field = (text: string, where: SearchField['where'] = 'chat_message'): SearchField => ({ where, segmentId: 's1', seq: 0, tagId: null, text });

describe('search documents', () => {
  it('puts primary terms in order and the variants after them', () => {
    const { terms } = indexTerms([field('She helped José')], 'en');
    expect(terms).toEqual(['she', 'help', 'josé', '=helped', 'jose']);
  });

  it('gives PostgreSQL the same terms at the same positions, quotes escaped', () => {
    const { terms } = indexTerms([field("don't help, help")], 'en');
    expect(terms).toEqual(["don't", 'help', 'help']);
    expect(tsvectorLiteral(terms)).toBe("'don''t':1 'help':2,3");
    expect(tsvectorLiteral(['a\\b', "it's"])).toBe("'a\\\\b':1 'it''s':2");
  });

  it('keeps PostgreSQL positions within its limits', () => {
    const many = Array.from({ length: 20_000 }, () => 'w');
    const lit = tsvectorLiteral(many);
    const positions = lit.slice("'w':".length).split(',').map(Number);
    expect(positions).toHaveLength(256);
    expect(Math.max(...positions)).toBeLessThanOrEqual(16_383);
  });

  it('packs fields losslessly', () => {
    const fields = [field('Hello'), { where: 'tag_comment' as const, segmentId: null, seq: null, tagId: 't1', text: 'Called back ✓' }];
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
