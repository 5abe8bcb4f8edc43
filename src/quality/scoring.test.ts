// The scoring rules of issue 11, case by case: points and percentage modes, N/A and blank answers leaving the maximum,
// empty and all-N/A sections, automatic failures, pass marks and rounding, and the answer checks for drafts and submits.
import { describe, expect, it } from 'vitest';
import type { Answers, ChoiceQuestion, Question, ScaleQuestion, ScorecardDefinition, Section, YesNoQuestion } from './model.ts';
import { checkAnswers, definitionMaximum, isFailingAnswer, round2, scoreEvaluation } from './scoring.ts';

const base = { required: false, naAllowed: false, autoFail: false, commentAllowed: false };
const yesNo = (id: string, points: number, extra: Partial<YesNoQuestion> = {}): YesNoQuestion => ({
  ...base,
  id,
  text: `Q ${id}`,
  type: 'yes_no',
  points,
  ...extra,
});
const choice = (id: string, options: ChoiceQuestion['options'], extra: Partial<ChoiceQuestion> = {}): ChoiceQuestion => ({
  ...base,
  id,
  text: `Q ${id}`,
  type: 'choice',
  options,
  ...extra,
});
const scale = (id: string, min: number, max: number, points: number, extra: Partial<ScaleQuestion> = {}): ScaleQuestion => ({
  ...base,
  id,
  text: `Q ${id}`,
  type: 'scale',
  min,
  max,
  points,
  ...extra,
});
const section = (id: string, questions: Question[], weight = 1): Section => ({ id, title: `S ${id}`, weight, questions });
const points = (sections: Section[], passMark: number | null = null): ScorecardDefinition => ({ scoring: 'points', passMark, sections });
const percentage = (sections: Section[], passMark: number | null = null): ScorecardDefinition => ({ scoring: 'percentage', passMark, sections });
const yes = { value: 'yes' };
const no = { value: 'no' };
const na = { value: null, na: true };

describe('round2', () => {
  it('rounds half up on the decimal value, not its binary approximation', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2.675)).toBe(2.68);
    expect(round2(66.66666666)).toBe(66.67);
    expect(round2(33.333333)).toBe(33.33);
    expect(round2(0)).toBe(0);
    expect(round2(150)).toBe(150);
    expect(round2(79.995)).toBe(80);
  });
});

describe('points mode', () => {
  const def = points([
    section('s1', [yesNo('a', 10), yesNo('b', 5)]),
    section('s2', [
      choice('c', [
        { id: 'good', label: 'Good', points: 20 },
        { id: 'ok', label: 'OK', points: 8 },
        { id: 'bad', label: 'Bad', points: 0 },
      ]),
      scale('d', 1, 5, 12),
    ]),
  ]);

  it('sums the points earned over the sum of the maxima (yes/no, best option, scale at max)', () => {
    const r = scoreEvaluation(def, { a: yes, b: yes, c: { value: 'good' }, d: { value: 5 } });
    expect(r).toMatchObject({ score: 47, maxScore: 47, percent: 100, passed: null, autoFailed: false, autoFailQuestionIds: [] });
    expect(r.sections).toEqual([
      { sectionId: 's1', points: 15, maxPoints: 15, percent: 100 },
      { sectionId: 's2', points: 32, maxPoints: 32, percent: 100 },
    ]);
  });

  it('gives No 0, an option its own points, a rating its share of the points above the minimum', () => {
    // d = 3 on 1–5 worth 12: 12 × (3 − 1) / (5 − 1) = 6.
    const r = scoreEvaluation(def, { a: no, b: yes, c: { value: 'ok' }, d: { value: 3 } });
    expect(r.score).toBe(19);
    expect(r.maxScore).toBe(47);
    expect(r.percent).toBe(40.43);
    expect(r.sections.map((s) => s.points)).toEqual([5, 14]);
  });

  it('gives the lowest rating 0 points', () => {
    expect(scoreEvaluation(points([section('s', [scale('d', 1, 5, 12)])]), { d: { value: 1 } }).score).toBe(0);
  });

  it('takes N/A out of the maximum', () => {
    const d = points([section('s', [yesNo('a', 10, { naAllowed: true }), yesNo('b', 5)])]);
    const r = scoreEvaluation(d, { a: na, b: yes });
    expect(r).toMatchObject({ score: 5, maxScore: 5, percent: 100 });
  });

  it('takes blank questions out of the maximum (a draft, or an optional question skipped)', () => {
    const r = scoreEvaluation(def, { a: yes });
    expect(r).toMatchObject({ score: 10, maxScore: 10, percent: 100 });
    expect(r.sections[1]).toEqual({ sectionId: 's2', points: 0, maxPoints: 0, percent: null });
    expect(scoreEvaluation(def, { a: yes, b: { value: null } }).maxScore).toBe(10);
    expect(scoreEvaluation(def, { a: yes, c: { value: '' } }).maxScore).toBe(10);
  });

  it('compares the pass mark with the points', () => {
    const d = points([section('s', [yesNo('a', 10), yesNo('b', 5)])], 10);
    expect(scoreEvaluation(d, { a: yes, b: no }).passed).toBe(true);
    expect(scoreEvaluation(d, { a: no, b: yes }).passed).toBe(false);
  });

  it('rounds fractional points to 2 decimals', () => {
    // 10 × (2 − 1) / (4 − 1) = 3.333…
    const r = scoreEvaluation(points([section('s', [scale('a', 1, 4, 10), yesNo('b', 5)])]), { a: { value: 2 }, b: yes });
    expect(r.score).toBe(8.33);
    expect(r.maxScore).toBe(15);
    expect(r.percent).toBe(55.56);
    expect(r.sections[0]!.points).toBe(8.33);
  });

  it('scores 100 % and passes when every question is N/A (nothing was lost)', () => {
    const d = points([section('s', [yesNo('a', 10, { naAllowed: true })])], 5);
    expect(scoreEvaluation(d, { a: na })).toMatchObject({ score: 0, maxScore: 0, percent: 100, passed: true, autoFailed: false });
  });

  it('scores an empty scorecard without dividing by zero', () => {
    expect(scoreEvaluation(points([]), {})).toMatchObject({ score: 0, maxScore: 0, percent: 100, sections: [], passed: null });
  });

  it('gives a choice question whose options are all worth nothing a maximum of 0', () => {
    const d = points([
      section('s', [
        choice('c', [
          { id: 'x', label: 'X', points: 0 },
          { id: 'y', label: 'Y', points: 0 },
        ]),
        yesNo('a', 4),
      ]),
    ]);
    expect(scoreEvaluation(d, { c: { value: 'x' }, a: yes })).toMatchObject({ score: 4, maxScore: 4, percent: 100 });
  });

  it('ignores answers to questions not on the definition (checkAnswers refuses them)', () => {
    expect(scoreEvaluation(def, { a: yes, zzz: yes } as Answers)).toMatchObject({ score: 10, maxScore: 10 });
  });
});

describe('percentage mode', () => {
  // Greeting 1 of 2 → 50 %, weight 1; Resolution 3 of 4 → 75 %, weight 3: (50 + 225) / 4 = 68.75.
  const def = percentage(
    [section('greet', [yesNo('g1', 5), yesNo('g2', 5)], 1), section('res', [yesNo('r1', 3), yesNo('r2', 1)], 3), section('empty', [], 2)],
    70,
  );

  it('averages the sections’ percentages by their weights, leaving out empty sections', () => {
    const r = scoreEvaluation(def, { g1: yes, g2: no, r1: yes, r2: no });
    expect(r).toMatchObject({ score: 68.75, maxScore: 100, percent: 68.75, passed: false });
    expect(r.sections).toEqual([
      { sectionId: 'greet', points: 5, maxPoints: 10, percent: 50 },
      { sectionId: 'res', points: 3, maxPoints: 4, percent: 75 },
      { sectionId: 'empty', points: 0, maxPoints: 0, percent: null },
    ]);
  });

  it('passes at or above the mark', () => {
    expect(scoreEvaluation(def, { g1: yes, g2: yes, r1: yes, r2: no }).passed).toBe(true); // (100 + 225) / 4 = 81.25
    expect(scoreEvaluation(percentage(def.sections, 68.75), { g1: yes, g2: no, r1: yes, r2: no }).passed).toBe(true);
  });

  it('leaves an all-N/A section out of the weighted mean', () => {
    const d = percentage([section('a', [yesNo('a1', 5, { naAllowed: true })], 5), section('b', [yesNo('b1', 5), yesNo('b2', 5)], 1)]);
    const r = scoreEvaluation(d, { a1: na, b1: yes, b2: no });
    expect(r.score).toBe(50);
    expect(r.sections[0]!.percent).toBeNull();
  });

  it('is not the points ratio when weights differ', () => {
    const d = percentage([section('a', [yesNo('a1', 1)], 1), section('b', [yesNo('b1', 99)], 1)]);
    // Points would say 1/100; the sections say (100 + 0) / 2.
    expect(scoreEvaluation(d, { a1: yes, b1: no }).score).toBe(50);
  });

  it('rounds the weighted mean, computed from unrounded section percentages', () => {
    // 1/3 = 33.333…, 2/3 = 66.666…, weights 1 and 2: (33.333 + 133.333) / 3 = 55.555… → 55.56.
    const d = percentage([
      section('a', [yesNo('a1', 1), yesNo('a2', 1), yesNo('a3', 1)], 1),
      section('b', [yesNo('b1', 1), yesNo('b2', 1), yesNo('b3', 1)], 2),
    ]);
    const r = scoreEvaluation(d, { a1: yes, a2: no, a3: no, b1: yes, b2: yes, b3: no });
    expect(r.score).toBe(55.56);
    expect(r.sections.map((s) => s.percent)).toEqual([33.33, 66.67]);
  });

  it('scores 100 when every section is empty or N/A', () => {
    const d = percentage([section('a', [yesNo('a1', 5, { naAllowed: true })]), section('b', [])], 90);
    expect(scoreEvaluation(d, { a1: na })).toMatchObject({ score: 100, maxScore: 100, percent: 100, passed: true });
  });
});

describe('automatic failure', () => {
  const critical = yesNo('verify', 5, { autoFail: true, naAllowed: true });
  const opts = [
    { id: 'ok', label: 'Compliant', points: 10 },
    { id: 'minor', label: 'Minor slip', points: 5 },
    { id: 'breach', label: 'Breach', points: 0, fails: true },
  ];

  it('fails the evaluation on a "No" to an auto-fail question whatever the score, and names it', () => {
    const d = points([section('s', [yesNo('a', 100), critical])], 50);
    const r = scoreEvaluation(d, { a: yes, verify: no });
    expect(r).toMatchObject({ score: 100, maxScore: 105, autoFailed: true, passed: false, autoFailQuestionIds: ['verify'] });
  });

  it('does not fail on N/A or a blank answer', () => {
    const d = points([section('s', [yesNo('a', 10), critical])], 5);
    expect(scoreEvaluation(d, { a: yes, verify: na })).toMatchObject({ autoFailed: false, passed: true });
    expect(scoreEvaluation(d, { a: yes })).toMatchObject({ autoFailed: false, passed: true });
  });

  it('fails on a choice option marked as failing, only when the question is auto-fail', () => {
    const on = points([section('s', [choice('c', opts, { autoFail: true })])]);
    const off = points([section('s', [choice('c', opts)])]);
    expect(scoreEvaluation(on, { c: { value: 'breach' } })).toMatchObject({ autoFailed: true, passed: null, autoFailQuestionIds: ['c'] });
    expect(scoreEvaluation(on, { c: { value: 'minor' } }).autoFailed).toBe(false);
    expect(scoreEvaluation(off, { c: { value: 'breach' } }).autoFailed).toBe(false);
  });

  it('fails a rating at or below its threshold, or at its lowest without one', () => {
    const withThreshold = scale('r', 1, 5, 10, { autoFail: true, failAtOrBelow: 2 });
    const lowest = scale('r', 1, 5, 10, { autoFail: true });
    expect(isFailingAnswer(withThreshold, { value: 2 })).toBe(true);
    expect(isFailingAnswer(withThreshold, { value: 3 })).toBe(false);
    expect(isFailingAnswer(lowest, { value: 1 })).toBe(true);
    expect(isFailingAnswer(lowest, { value: 2 })).toBe(false);
  });

  it('lists every failing question in scorecard order', () => {
    const d = percentage([section('s1', [yesNo('x', 1, { autoFail: true }), yesNo('y', 1)]), section('s2', [yesNo('z', 1, { autoFail: true })])], 0);
    const r = scoreEvaluation(d, { z: no, y: yes, x: no });
    expect(r.autoFailQuestionIds).toEqual(['x', 'z']);
    expect(r.passed).toBe(false);
  });
});

describe('definitionMaximum', () => {
  it('adds every question at its best, per section', () => {
    const d = points([
      section('s1', [
        yesNo('a', 10),
        choice('c', [
          { id: 'x', label: 'X', points: 3 },
          { id: 'y', label: 'Y', points: 7.5 },
        ]),
      ]),
      section('s2', [scale('r', 0, 10, 2.25)]),
      section('s3', []),
    ]);
    expect(definitionMaximum(d)).toEqual({
      total: 19.75,
      sections: [
        { sectionId: 's1', maxPoints: 17.5 },
        { sectionId: 's2', maxPoints: 2.25 },
        { sectionId: 's3', maxPoints: 0 },
      ],
    });
  });
});

describe('checkAnswers', () => {
  const def = points([
    section('s', [
      yesNo('req', 5, { required: true }),
      yesNo('opt', 5, { commentAllowed: true }),
      yesNo('naq', 5, { required: true, naAllowed: true }),
      choice('c', [
        { id: 'x', label: 'X', points: 1 },
        { id: 'y', label: 'Y', points: 2 },
      ]),
      scale('r', 1, 5, 10, { required: true }),
    ]),
  ]);
  const complete: Answers = { req: yes, naq: na, r: { value: 4 } };

  it('accepts a complete submission with N/A where allowed and optional questions blank', () => {
    expect(checkAnswers(def, complete, 'submit')).toEqual([]);
  });

  it('names every required question left blank on submit, and none for a draft', () => {
    const problems = checkAnswers(def, { opt: yes, r: { value: null } }, 'submit');
    expect(problems.map((p) => [p.questionId, p.code])).toEqual([
      ['req', 'REQUIRED'],
      ['naq', 'REQUIRED'],
      ['r', 'REQUIRED'],
    ]);
    expect(problems[0]!.message).toBe('"Q req" must be answered');
    expect(checkAnswers(def, { opt: yes }, 'draft')).toEqual([]);
  });

  it('refuses a question not on this version, in drafts too', () => {
    expect(checkAnswers(def, { ...complete, gone: yes }, 'draft')).toEqual([
      { questionId: 'gone', code: 'UNKNOWN_QUESTION', message: 'Question gone is not on this version of the scorecard' },
    ]);
  });

  it('refuses a value the question does not offer', () => {
    const problems = checkAnswers(def, { ...complete, req: { value: 'maybe' }, c: { value: 'z' }, opt: { value: 1 } }, 'draft');
    expect(problems.map((p) => [p.questionId, p.code])).toEqual([
      ['req', 'INVALID_VALUE'],
      ['opt', 'INVALID_VALUE'],
      ['c', 'INVALID_VALUE'],
    ]);
  });

  it('refuses a rating outside the scale, fractional, or not a number', () => {
    for (const value of [0, 6, 2.5, '3']) {
      expect(
        checkAnswers(def, { ...complete, r: { value } }, 'draft').map((p) => p.code),
        String(value),
      ).toEqual(['INVALID_VALUE']);
    }
    expect(checkAnswers(def, { ...complete, r: { value: 1 } }, 'draft')).toEqual([]);
    expect(checkAnswers(def, { ...complete, r: { value: 5 } }, 'draft')).toEqual([]);
  });

  it('refuses N/A where it is not allowed, and N/A carrying a value', () => {
    expect(checkAnswers(def, { ...complete, req: na }, 'submit').map((p) => [p.questionId, p.code])).toEqual([['req', 'NA_NOT_ALLOWED']]);
    expect(checkAnswers(def, { ...complete, naq: { value: 'yes', na: true } }, 'submit').map((p) => [p.questionId, p.code])).toEqual([
      ['naq', 'INVALID_VALUE'],
    ]);
  });

  it('refuses a comment where none is allowed, but not an empty one', () => {
    expect(checkAnswers(def, { ...complete, req: { value: 'yes', comment: 'Well done' } }, 'draft').map((p) => [p.questionId, p.code])).toEqual([
      ['req', 'COMMENT_NOT_ALLOWED'],
    ]);
    expect(checkAnswers(def, { ...complete, req: { value: 'yes', comment: '  ' }, opt: { value: 'no', comment: 'Missed it' } }, 'draft')).toEqual([]);
  });

  it('does not treat an inherited property name as an answer', () => {
    const d = points([section('s', [yesNo('toString', 1, { required: true })])]);
    expect(checkAnswers(d, {}, 'submit').map((p) => p.code)).toEqual(['REQUIRED']);
  });
});
