// The page's highlights skip a field with a cheap pre-check before analysing it. The check may let through a field
// without a match (the highlighter then finds none), but it must never drop a field the folded comparison keeps, or a
// highlight would be lost: compared here with that comparison on random text, plain ASCII and not.
import { describe, expect, it } from 'vitest';
import { foldDiacritics } from './analyzer/index.ts';
import { isJsSpace, mayContain, needleCheck, rowHighlights, speechHit } from './highlights.ts';
import { packFields, type SearchField } from './index/document.ts';
import { seededRandom as mulberry } from '../platform/random.ts';

const WORDS = [
  'CX-1042',
  'cx-10420',
  'A.B+C@D.E',
  'при',
  'ПРИЁМ',
  '(1',
  'billing',
  'Billed',
  'BILL',
  'ombudsman',
  'Ombudsmen',
  'réclamation',
  'Reclamation',
  'café',
  'CAFE',
  'straße',
  'Strasse',
  'ñandú',
];
const NOISE = [...'ab cZ19.,;:\'"!?-()/\n_’“”–—…\u00a0é£ßÉÑİı'];

/** The pre-check as it was: every needle of a group in the lower-cased, folded text. */
function reference(needles: string[][]) {
  return (text: string) => {
    const folded = foldDiacritics(text.toLowerCase());
    return needles.some((g) => g.every((n) => folded.includes(n)));
  };
}

describe('highlights: the pre-check of a field', () => {
  it('keeps every field the folded comparison keeps, and exactly those in ASCII text', () => {
    const rand = mulberry(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    // Needles as mayContain makes them: stem starts (folded), and whole special tokens (with regex characters).
    const cases: string[][][] = [[['bi']], [['omb']], [['rec'], ['caf']], [['str', 'bi']], [['ré']], [['при']], [['cx-1042', 'a.b+c@d.e']], [['s'], ['(1']]];
    let ascii = 0;
    let kept = 0;
    for (const needles of cases) {
      const check = needleCheck(needles);
      const ref = reference(needles);
      for (let n = 0; n < 3000; n++) {
        let text = '';
        const len = Math.floor(rand() * 8);
        for (let i = 0; i < len; i++) text += rand() < 0.4 ? pick(WORDS) : pick(NOISE);
        const want = ref(text);
        const got = check(text);
        // eslint-disable-next-line no-control-regex -- ASCII
        if (/^[\x00-\x7f]*$/.test(text)) {
          ascii++;
          expect(got, JSON.stringify(text)).toBe(want);
        } else if (want) expect(got, JSON.stringify(text)).toBe(true);
        if (want) kept++;
      }
    }
    // Enough of both kinds, or the comparison proves little.
    expect(ascii).toBeGreaterThan(1000);
    expect(kept).toBeGreaterThan(1000);
  });

  it('finds accented and capitalised spellings (folding still applies outside ASCII)', () => {
    const check = mayContain('fr', ['reclamation']);
    expect(check('Une RÉCLAMATION reçue')).toBe(true);
    expect(check('Une Reclamation')).toBe(true);
    expect(check('rien à voir')).toBe(false);
  });

  it('highlights the same from a page of packed documents', async () => {
    const fields: SearchField[] = [
      { where: 'conversation_id', segmentId: null, seq: null, tagId: null, text: '01a18dd8-07ba-7bd4-87ff-1a55ed6faa56' },
      { where: 'transcript', segmentId: 's1', seq: 0, tagId: null, text: 'Hello, how can I help?', speaker: 'agent' },
      {
        where: 'transcript',
        segmentId: 's1',
        seq: 1,
        tagId: null,
        text: 'My BILLING is wrong, £25 billed twice',
        speaker: 'customer',
        speech: { utteranceId: 'u1', startMs: 1000, endMs: 3000, role: 'customer', words: 7 },
      },
      { where: 'tag_comment', segmentId: null, seq: null, tagId: 't1', text: 'Billing déjà escaladé' },
    ];
    const docs = [{ conversation_id: 'c1', texts: packFields(fields), language: 'en' }];
    const out = await rowHighlights({} as never, ['c1'], ['billing'], null, docs);
    expect(out.get('c1')).toEqual({
      field: 'transcript',
      text: 'My BILLING is wrong, £25 billed twice',
      ranges: [
        [3, 10],
        [25, 31],
      ],
      count: 3,
      speech: { utteranceId: 'u1', startMs: 1000, endMs: 3000, role: 'customer', wordRange: [1, 2] },
    });
    const agent = await rowHighlights({} as never, ['c1'], ['billing'], 'agent', docs);
    expect(agent.size).toBe(0);
  });

  it('counts words as /\\S+/ does, and places a match on them', () => {
    for (let c = 0; c <= 0xffff; c++) expect(isJsSpace(c), c.toString(16)).toBe(/\s/.test(String.fromCharCode(c)));
    const rand = mulberry(3);
    const units = ['a', 'Bé', ' ', '\t', '\n', '\u00a0', '\u2009', '\u3000', '\ufeff', '😀', '-', '\u200b'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let k = Math.floor(rand() * 20); k > 0; k--) text += units[Math.floor(rand() * units.length)];
      const tokens = [...text.matchAll(/\S+/g)];
      const a = Math.floor(rand() * (text.length + 1));
      const range: [number, number] = [a, Math.min(text.length, a + 1 + Math.floor(rand() * 6))];
      const speech = { utteranceId: 'u', startMs: 0, endMs: 1, role: 'agent' as const, words: rand() < 0.8 ? tokens.length : tokens.length + 1 };
      const got = speechHit({ where: 'transcript', segmentId: null, seq: null, tagId: null, text, speech }, range);
      // As it was: the match objects of /\S+/g.
      let want: [number, number] | undefined;
      if (tokens.length === speech.words && speech.words > 0) {
        const first = tokens.findIndex((t) => t.index + t[0].length > range[0]);
        let last = first;
        while (last + 1 < tokens.length && tokens[last + 1]!.index < range[1]) last++;
        if (first >= 0) want = [first, last + 1];
      }
      expect(got?.wordRange, JSON.stringify([text, range])).toEqual(want);
    }
  });
});
