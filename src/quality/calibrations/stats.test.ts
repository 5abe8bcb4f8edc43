// Calibration statistics on hand-computed cases: per-question values as a share of the question's maximum, population
// variance, deviations from the mean or from the reference, agreement, and N/A or blank answers left out.
import { describe, expect, it } from 'vitest';
import type { ScorecardDefinition } from '../model.ts';
import { answerPercent, calibrationResult, dispersion, type CalibrationEntry } from './stats.ts';

const base = { required: false, naAllowed: true, autoFail: false, commentAllowed: true };
const def: ScorecardDefinition = {
  scoring: 'points',
  passMark: null,
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 1,
      questions: [
        { ...base, id: 'greet', text: 'Greeted', type: 'yes_no', points: 10 },
        {
          ...base,
          id: 'tone',
          text: 'Tone',
          type: 'choice',
          options: [
            { id: 'good', label: 'Good', points: 4 },
            { id: 'ok', label: 'OK', points: 2 },
            { id: 'bad', label: 'Bad', points: 0 },
          ],
        },
        { ...base, id: 'empathy', text: 'Empathy', type: 'scale', min: 1, max: 5, points: 8 },
      ],
    },
  ],
};

const entry = (userId: string, answers: CalibrationEntry['answers'], percent: number): CalibrationEntry => ({
  userId,
  name: userId.toUpperCase(),
  answers,
  percent,
  score: percent,
  passed: null,
  autoFailed: false,
});

describe('answerPercent', () => {
  it('maps each question type onto 0–100 of its maximum', () => {
    const [greet, tone, empathy] = def.sections[0]!.questions;
    expect(answerPercent(greet!, { value: 'yes' })).toBe(100);
    expect(answerPercent(greet!, { value: 'no' })).toBe(0);
    expect(answerPercent(tone!, { value: 'ok' })).toBe(50);
    expect(answerPercent(tone!, { value: 'nope' })).toBeNull();
    expect(answerPercent(empathy!, { value: 1 })).toBe(0);
    expect(answerPercent(empathy!, { value: 4 })).toBe(75);
    expect(answerPercent(empathy!, { value: null, na: true })).toBeNull();
    expect(answerPercent(empathy!, undefined)).toBeNull();
  });
});

describe('dispersion', () => {
  it('computes the population variance and standard deviation', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, sd 2 (the textbook example).
    expect(dispersion([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ n: 8, mean: 5, min: 2, max: 9, spread: 7, variance: 4, stdDev: 2 });
  });
  it('leaves out missing values and reports nothing for none', () => {
    expect(dispersion([null, 10, null, 20])).toMatchObject({ n: 2, mean: 15, spread: 10, variance: 25, stdDev: 5 });
    expect(dispersion([null])).toEqual({ n: 0, mean: null, min: null, max: null, spread: null, variance: null, stdDev: null });
  });
});

describe('calibrationResult', () => {
  const entries = [
    entry('a', { greet: { value: 'yes' }, tone: { value: 'good' }, empathy: { value: 5 } }, 90),
    entry('b', { greet: { value: 'yes' }, tone: { value: 'ok' }, empathy: { value: 3 } }, 70),
    entry('c', { greet: { value: 'no' }, tone: { value: 'good' }, empathy: { value: null, na: true } }, 50),
  ];

  it('measures deviations from the mean without a reference', () => {
    const r = calibrationResult(def, entries, null);
    expect(r.baseline).toBe('mean');
    const greet = r.questions.find((q) => q.questionId === 'greet')!;
    expect(greet).toMatchObject({ n: 3, mean: 66.67, min: 0, max: 100, spread: 100, agreement: 0.67 });
    expect(greet.variance).toBeCloseTo(2222.22, 2);
    expect(greet.evaluators.map((e) => e.deviation)).toEqual([33.33, 33.33, -66.67]);
    const empathy = r.questions.find((q) => q.questionId === 'empathy')!;
    // C answered N/A: left out of the figures, no deviation.
    expect(empathy).toMatchObject({ n: 2, mean: 75, spread: 50, stdDev: 25 });
    expect(empathy.evaluators.map((e) => [e.answer, e.value, e.deviation])).toEqual([
      [5, 100, 25],
      [3, 50, -25],
      ['na', null, null],
    ]);
    expect(r.total).toMatchObject({ n: 3, mean: 70, spread: 40, min: 50, max: 90 });
    expect(r.total.stdDev).toBeCloseTo(16.33, 2);
    expect(r.total.evaluators.map((e) => e.deviation)).toEqual([20, 0, -20]);
  });

  it('measures deviations from the reference evaluator when there is one', () => {
    const r = calibrationResult(def, entries, 'a');
    expect(r.baseline).toBe('reference');
    expect(r.referenceUserId).toBe('a');
    expect(r.total.evaluators.map((e) => e.deviation)).toEqual([0, -20, -40]);
    const tone = r.questions.find((q) => q.questionId === 'tone')!;
    expect(tone.evaluators.map((e) => e.deviation)).toEqual([0, -50, 0]);
    // B: |0| greet, |−50| tone, |−50| empathy → 33.33; C: |−100| greet, 0 tone (empathy N/A) → 50.
    expect(r.evaluators.map((e) => [e.userId, e.meanAbsDeviation, e.totalDeviation])).toEqual([
      ['a', 0, 0],
      ['b', 33.33, -20],
      ['c', 50, -40],
    ]);
  });

  it('falls back to the mean when the reference has not submitted', () => {
    const r = calibrationResult(def, entries.slice(1), 'a');
    expect(r.baseline).toBe('mean');
    expect(r.referenceUserId).toBeNull();
    expect(r.total.evaluators.map((e) => e.deviation)).toEqual([10, -10]);
  });
});
