// Calibration results: how far apart several evaluators scored the same conversation with the same scorecard version.
// Pure (no I/O) so it is unit-tested on its own. Per question and for the total: the values given, their mean, the
// spread (max − min), the population variance and standard deviation (the evaluators of a session are the whole
// population compared, not a sample of one), and each evaluator's deviation from the reference evaluator when the
// session has one who submitted, else from the mean.
import { questionsOf, type Answer, type Answers, type Question, type ScorecardDefinition } from '../model.ts';

export interface CalibrationEntry {
  userId: string;
  name: string;
  answers: Answers;
  /** The evaluation's percent (score / max × 100), as scoring computed it on submit. */
  percent: number;
  score: number;
  passed: boolean | null;
  autoFailed: boolean;
}

export interface Dispersion {
  /** Number of evaluators who gave a value (N/A and blank answers are left out). */
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** max − min. */
  spread: number | null;
  variance: number | null;
  stdDev: number | null;
}

export interface EvaluatorValue {
  userId: string;
  /** What they answered (Answer.value; 'na' for N/A, null when left blank). */
  answer: string | number | null;
  /** The question's points they gave as a percentage of its maximum (null when N/A or blank). */
  value: number | null;
  /** value − baseline (the reference's value, else the mean); null when either is missing. */
  deviation: number | null;
}

export interface QuestionResult extends Dispersion {
  questionId: string;
  sectionId: string;
  text: string;
  /** Share (0–1) of the evaluators who answered that chose the most common answer. */
  agreement: number | null;
  evaluators: EvaluatorValue[];
}

export interface CalibrationResult {
  /** Whose values deviations are measured from. */
  baseline: 'reference' | 'mean';
  referenceUserId: string | null;
  total: Dispersion & { evaluators: Array<EvaluatorValue & { score: number; passed: boolean | null; autoFailed: boolean }> };
  questions: QuestionResult[];
  /** Per evaluator: the mean absolute deviation over the questions they and the baseline both answered. */
  evaluators: Array<{ userId: string; name: string; meanAbsDeviation: number | null; totalDeviation: number | null }>;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The points an answer earns as a percentage of the question's maximum; null for N/A, blank or an unusable value. */
export function answerPercent(q: Question, a: Answer | undefined): number | null {
  if (!a || a.na || a.value === null || a.value === undefined) return null;
  switch (q.type) {
    case 'yes_no':
      return a.value === 'yes' ? 100 : a.value === 'no' ? 0 : null;
    case 'choice': {
      const best = Math.max(0, ...q.options.map((o) => o.points));
      const opt = q.options.find((o) => o.id === a.value);
      if (!opt) return null;
      return best > 0 ? (opt.points / best) * 100 : 0;
    }
    case 'scale': {
      const v = Number(a.value);
      if (!Number.isFinite(v) || q.max <= q.min) return null;
      return ((Math.min(q.max, Math.max(q.min, v)) - q.min) / (q.max - q.min)) * 100;
    }
  }
}

export function dispersion(values: Array<number | null>): Dispersion {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return { n: 0, mean: null, min: null, max: null, spread: null, variance: null, stdDev: null };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return {
    n: xs.length,
    mean: round(mean),
    min: round(min),
    max: round(max),
    spread: round(max - min),
    variance: round(variance),
    stdDev: round(Math.sqrt(variance)),
  };
}

function agreementOf(answers: Array<string | number | null>): number | null {
  const given = answers.filter((a): a is string | number => a !== null);
  if (!given.length) return null;
  const counts = new Map<string, number>();
  for (const a of given) counts.set(String(a), (counts.get(String(a)) ?? 0) + 1);
  return round(Math.max(...counts.values()) / given.length);
}

/** Results over the submitted evaluations of a session (entries of evaluators who have not submitted are not passed). */
export function calibrationResult(def: ScorecardDefinition, entries: readonly CalibrationEntry[], referenceUserId: string | null): CalibrationResult {
  const reference = referenceUserId ? entries.find((e) => e.userId === referenceUserId) : undefined;
  const baseline: CalibrationResult['baseline'] = reference ? 'reference' : 'mean';
  const dev = (value: number | null, base: number | null) => (value === null || base === null ? null : round(value - base));

  const questions: QuestionResult[] = questionsOf(def).map(({ section, question }) => {
    const vals = entries.map((e) => answerPercent(question, e.answers[question.id]));
    const d = dispersion(vals);
    const base = reference ? answerPercent(question, reference.answers[question.id]) : d.mean;
    const raw = entries.map((e) => {
      const a = e.answers[question.id];
      return a?.na ? 'na' : (a?.value ?? null);
    });
    return {
      questionId: question.id,
      sectionId: section.id,
      text: question.text,
      ...d,
      agreement: agreementOf(raw),
      evaluators: entries.map((e, i) => ({
        userId: e.userId,
        answer: raw[i]!,
        value: vals[i] === null ? null : round(vals[i]!),
        deviation: dev(vals[i]!, base),
      })),
    };
  });

  const totals = dispersion(entries.map((e) => e.percent));
  const totalBase = reference ? reference.percent : totals.mean;
  const total = {
    ...totals,
    evaluators: entries.map((e) => ({
      userId: e.userId,
      answer: e.percent,
      value: e.percent,
      deviation: dev(e.percent, totalBase),
      score: e.score,
      passed: e.passed,
      autoFailed: e.autoFailed,
    })),
  };

  const evaluators = entries.map((e, i) => {
    const devs = questions.map((q) => q.evaluators[i]!.deviation).filter((x): x is number => x !== null);
    return {
      userId: e.userId,
      name: e.name,
      meanAbsDeviation: devs.length ? round(devs.reduce((s, x) => s + Math.abs(x), 0) / devs.length) : null,
      totalDeviation: total.evaluators[i]!.deviation,
    };
  });
  return { baseline, referenceUserId: reference ? reference.userId : null, total, questions, evaluators };
}
