import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tsvectorLiteral } from '../fulltext/postgres-tsvector.ts';
import { DOC_KEY_SLOTS, docKeyRange, FIELD_GAP, indexTerms, packFields, preferredDocKey, unpackFields, unpackTexts, type SearchField } from './document.ts';

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

  // Documents written before the current layout: one JSON array, deflated (what packFields wrote until then, byte for
  // byte: a stored document of the 1 M bench set reads the same way).
  const firstLayout = (fields: SearchField[]) =>
    deflateRawSync(
      Buffer.from(
        JSON.stringify(
          fields.map((f) => {
            const row: unknown[] = [f.where, f.segmentId, f.seq, f.tagId, f.text];
            if (f.speaker || f.speech) row.push(f.speaker ?? null);
            if (f.speech) row.push([f.speech.utteranceId, f.speech.startMs, f.speech.endMs, f.speech.role, f.speech.words]);
            return row;
          }),
        ),
      ),
    );

  const mixed: SearchField[] = [
    { where: 'conversation_id', segmentId: null, seq: null, tagId: null, text: '01a18dd8-07ba-7bd4-87ff-1a55ed6faa56' },
    { ...field('Line one\nline "two" \\ tab\there', 'email_body'), speaker: 'customer' },
    field('', 'chat_message'),
    {
      ...field('Ça coûte £25 😀 — 日本語 and a NUL \u0000 and a \u2028 separator', 'transcript'),
      speaker: 'agent',
      speech: { utteranceId: 'u1', startMs: 0, endMs: 1, role: 'agent', words: 12 },
    },
    { where: 'tag_comment', segmentId: null, seq: null, tagId: 't1', text: '\u0001[looks like a head]\n' },
    { ...field('hm', 'transcript'), speech: { utteranceId: 'u2', startMs: 5000, endMs: 5200, role: 'unknown', words: 1 } },
  ];

  it('reads documents of the first layout and of the current one to the same fields', () => {
    const current = packFields(mixed);
    expect(inflateRawSync(current).toString('utf8').startsWith('\u0001')).toBe(true);
    expect(unpackFields(current)).toEqual(mixed);
    expect(unpackFields(firstLayout(mixed))).toEqual(mixed);
    for (const buf of [current, firstLayout(mixed)]) {
      const texts = unpackTexts(buf);
      expect(texts.map((f) => [f.where, f.speaker ?? null, f.text])).toEqual(mixed.map((f) => [f.where, f.speaker ?? null, f.text]));
      expect(texts.map((f) => f.field())).toEqual(mixed);
    }
    // A null speaker is the body part: it reads back absent from both layouts.
    const body = { ...field('x'), speaker: null };
    expect(unpackFields(packFields([body]))[0]).not.toHaveProperty('speaker');
    expect(unpackFields(firstLayout([body]))[0]).not.toHaveProperty('speaker');
    // Far more compressible than a text (inflated in several chunks).
    const long = [field('a'.repeat(200_000)), field('b '.repeat(50_000))];
    expect(unpackFields(packFields(long))).toEqual(long);
    expect(unpackFields(firstLayout(long))).toEqual(long);
    expect(unpackFields(packFields([]))).toEqual([]);
    expect(unpackFields(firstLayout([]))).toEqual([]);
  });

  it('keeps a lone surrogate (written in the first layout, which escapes it)', () => {
    const broken = [field('half a pair \ud83d here'), field('\ude00 low first'), field('fine 😀')];
    const buf = packFields(broken);
    expect(inflateRawSync(buf).toString('utf8').startsWith('[')).toBe(true);
    expect(unpackFields(buf)).toEqual(broken);
  });

  it('packs random texts losslessly', () => {
    let seed = 5;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const units = ['a', 'Z', ' ', '\n', '"', '\\', '\u0001', 'é', '£', '😀', '日', '\u0000', '['];
    for (let n = 0; n < 200; n++) {
      const fields = Array.from({ length: Math.floor(rand() * 6) }, (_, i) => {
        let text = '';
        for (let k = Math.floor(rand() * 30); k > 0; k--) text += units[Math.floor(rand() * units.length)];
        return { ...field(text, i % 2 ? 'transcript' : 'chat_message'), ...(rand() < 0.5 ? { speaker: 'agent' as const } : {}) };
      });
      expect(unpackFields(packFields(fields))).toEqual(fields);
    }
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
