// What a definition must be to be saved (validateDefinition), problem by problem, and the key-order-free comparison the
// versioning relies on (PostgreSQL's jsonb returns keys in its own order).
import { describe, expect, it } from 'vitest';
import type { Question, ScorecardDefinition } from '../model.ts';
import { canonicalJson, validateDefinition } from './definition.ts';

const q = (over: Partial<Question> & { id: string }): Question =>
  ({ text: `Question ${over.id}`, type: 'yes_no', points: 5, required: true, naAllowed: false, autoFail: false, commentAllowed: false, ...over }) as Question;
const def = (questions: Question[], over: Partial<ScorecardDefinition> = {}): ScorecardDefinition => ({
  scoring: 'points',
  passMark: null,
  sections: [{ id: 's1', title: 'Section', weight: 1, questions }],
  ...over,
});
const codes = (d: ScorecardDefinition) => validateDefinition(d).map((p) => [p.path, p.code]);

describe('validateDefinition', () => {
  it('accepts every question type in one scorecard, with auto rules', () => {
    const d = def([
      q({ id: 'a', autoRule: { kind: 'phrase', phrase: 'thank you for calling', expect: 'said', by: 'agent', within: { edge: 'first', seconds: 30 } } }),
      q({
        id: 'b',
        type: 'choice',
        autoFail: true,
        options: [
          { id: 'b1', label: 'Good', points: 3 },
          { id: 'b2', label: 'Bad', points: 0, fails: true },
        ],
        autoRule: { kind: 'hold_count', max: 2 },
      } as never),
      q({ id: 'c', type: 'scale', min: 1, max: 5, points: 10, failAtOrBelow: 2, autoFail: true, autoRule: { kind: 'sentiment_end', min: 60 } } as never),
    ]);
    expect(validateDefinition(d)).toEqual([]);
    expect(validateDefinition({ ...d, scoring: 'percentage', passMark: 80 })).toEqual([]);
  });

  it('needs at least one question', () => {
    expect(codes({ scoring: 'points', passMark: null, sections: [] })).toEqual([['sections', 'NO_QUESTIONS']]);
    expect(codes(def([]))).toEqual([['sections', 'NO_QUESTIONS']]);
  });

  it('accepts an empty section beside others (it scores nothing)', () => {
    const d = def([q({ id: 'a' })]);
    expect(validateDefinition({ ...d, sections: [...d.sections, { id: 's2', title: 'Later', weight: 1, questions: [] }] })).toEqual([]);
  });

  it('wants ids unique across sections, questions and options, and not empty', () => {
    const d: ScorecardDefinition = {
      scoring: 'points',
      passMark: null,
      sections: [
        { id: 'x', title: 'One', weight: 1, questions: [q({ id: 'x' })] },
        {
          id: 's2',
          title: 'Two',
          weight: 1,
          questions: [
            q({ id: ' ' }),
            q({
              id: 'c',
              type: 'choice',
              options: [
                { id: 'c', label: 'A', points: 1 },
                { id: 'o', label: 'B', points: 0 },
              ],
            } as never),
          ],
        },
      ],
    };
    expect(codes(d)).toEqual([
      ['sections[0].questions[0].id', 'DUPLICATE_ID'],
      ['sections[1].questions[0].id', 'EMPTY_ID'],
      ['sections[1].questions[1].options[0].id', 'DUPLICATE_ID'],
    ]);
  });

  it('wants titles, texts and option labels', () => {
    const d: ScorecardDefinition = {
      scoring: 'points',
      passMark: null,
      sections: [
        {
          id: 's',
          title: '  ',
          weight: 1,
          questions: [
            q({ id: 'a', text: '' }),
            q({
              id: 'b',
              type: 'choice',
              options: [
                { id: 'o1', label: '', points: 1 },
                { id: 'o2', label: 'B', points: 0 },
              ],
            } as never),
          ],
        },
      ],
    };
    expect(codes(d)).toEqual([
      ['sections[0].title', 'TITLE_REQUIRED'],
      ['sections[0].questions[0].text', 'TEXT_REQUIRED'],
      ['sections[0].questions[1].options[0].label', 'OPTION_LABEL_REQUIRED'],
    ]);
  });

  it('wants positive weights and points from 0', () => {
    const d = def([q({ id: 'a', points: -1 } as never), q({ id: 'b', points: Number.NaN } as never), q({ id: 'z', points: 0 } as never)]);
    d.sections[0]!.weight = 0;
    expect(codes(d)).toEqual([
      ['sections[0].weight', 'WEIGHT_INVALID'],
      ['sections[0].questions[0].points', 'POINTS_INVALID'],
      ['sections[0].questions[1].points', 'POINTS_INVALID'],
    ]);
  });

  it('wants choice questions with 2 options or more, and a failing option when they fail automatically', () => {
    const one = q({ id: 'a', type: 'choice', options: [{ id: 'o', label: 'Only', points: 1 }] } as never);
    const noFail = q({
      id: 'b',
      type: 'choice',
      autoFail: true,
      options: [
        { id: 'p', label: 'A', points: 1 },
        { id: 'r', label: 'B', points: 0 },
      ],
    } as never);
    expect(codes(def([one, noFail]))).toEqual([
      ['sections[0].questions[0].options', 'OPTIONS_TOO_FEW'],
      ['sections[0].questions[1].options', 'NO_FAILING_OPTION'],
    ]);
  });

  it('wants scales from a whole number to a greater one, and a failing threshold inside them', () => {
    const s = (over: object) => q({ id: `s${JSON.stringify(over).length}`, type: 'scale', min: 1, max: 5, points: 5, ...over } as never);
    expect(codes(def([s({ min: 5, max: 5 })]))[0]![1]).toBe('SCALE_INVALID');
    expect(codes(def([s({ min: 1.5 })]))[0]![1]).toBe('SCALE_INVALID');
    expect(codes(def([s({ min: 0, max: 1000 })]))[0]![1]).toBe('SCALE_INVALID');
    expect(codes(def([s({ failAtOrBelow: 5 })]))[0]![1]).toBe('FAIL_THRESHOLD_INVALID');
    expect(codes(def([s({ failAtOrBelow: 0 })]))[0]![1]).toBe('FAIL_THRESHOLD_INVALID');
    expect(codes(def([s({ failAtOrBelow: 4 })]))).toEqual([]);
  });

  it('wants a pass mark within the maximum: 0–100 in percentage mode, the maximum points in points mode', () => {
    const qs = [q({ id: 'a', points: 10 }), q({ id: 'b', points: 5 })];
    expect(codes(def(qs, { passMark: 15 }))).toEqual([]);
    expect(codes(def(qs, { passMark: 15.5 }))).toEqual([['passMark', 'PASS_MARK_INVALID']]);
    expect(validateDefinition(def(qs, { passMark: 16 }))[0]!.message).toBe("The pass mark must be from 0 to the scorecard's maximum, 15 points");
    expect(codes(def(qs, { scoring: 'percentage', passMark: 100 }))).toEqual([]);
    expect(codes(def(qs, { scoring: 'percentage', passMark: 101 }))).toEqual([['passMark', 'PASS_MARK_INVALID']]);
    expect(codes(def(qs, { passMark: -1 }))).toEqual([['passMark', 'PASS_MARK_INVALID']]);
  });

  it('wants auto rules with figures that make sense', () => {
    const rule = (autoRule: object) => codes(def([q({ id: 'a', autoRule } as never)]));
    expect(rule({ kind: 'phrase', expect: 'said', by: 'agent' })).toEqual([['sections[0].questions[0].autoRule', 'AUTO_RULE_INVALID']]);
    expect(rule({ kind: 'phrase', phrase: 'hi', indicatorId: 'i1', expect: 'said', by: 'agent' })).toHaveLength(1);
    expect(rule({ kind: 'phrase', indicatorId: 'i1', expect: 'not_said', by: 'customer', within: { edge: 'last', seconds: 0 } })).toHaveLength(1);
    expect(rule({ kind: 'phrase', indicatorId: 'i1', expect: 'not_said', by: 'anyone' })).toEqual([]);
    expect(rule({ kind: 'silence_count', max: 1.5 })).toHaveLength(1);
    expect(rule({ kind: 'silence_count', max: 0 })).toEqual([]);
    expect(rule({ kind: 'talk_listen', min: 2, max: 1 })).toHaveLength(1);
    expect(rule({ kind: 'talk_listen', min: 0.5, max: 1.5 })).toEqual([]);
    expect(rule({ kind: 'sentiment_end', min: 101 })).toHaveLength(1);
  });

  it('names the question in its messages', () => {
    const [p] = validateDefinition(def([q({ id: 'a', text: 'Used the name', points: -3 } as never)]));
    expect(p!.message).toBe('"Used the name" must be from 0 to 10000 points');
  });
});

describe('canonicalJson', () => {
  it('ignores key order, not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
