// What makes a scorecard definition usable, beyond its JSON shape (schemas.ts): unique ids, at least one question,
// sensible points, scales and pass marks, auto rules that can propose an answer. Pure: the builder screen shows the
// same problems before saving that the API answers with 400.
import type { AutoRule, Question, ScorecardDefinition } from '../model.ts';
import { definitionMaximum, round2 } from '../scoring.ts';

export interface DefinitionProblem {
  /** Where: "sections[1].questions[0].options[2].label"; "" for the definition as a whole. */
  path: string;
  /** Stable, for the UI to translate or highlight. */
  code:
    | 'NO_QUESTIONS'
    | 'DUPLICATE_ID'
    | 'EMPTY_ID'
    | 'TITLE_REQUIRED'
    | 'TEXT_REQUIRED'
    | 'WEIGHT_INVALID'
    | 'POINTS_INVALID'
    | 'OPTIONS_TOO_FEW'
    | 'OPTION_LABEL_REQUIRED'
    | 'NO_FAILING_OPTION'
    | 'SCALE_INVALID'
    | 'FAIL_THRESHOLD_INVALID'
    | 'PASS_MARK_INVALID'
    | 'AUTO_RULE_INVALID';
  message: string;
}

export const LIMITS = {
  sections: 50,
  questions: 300,
  options: 20,
  /** A rating scale's number of steps (max − min). */
  scaleSteps: 100,
  points: 10_000,
} as const;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';

/** Every problem of a definition; empty when it may be saved. */
export function validateDefinition(def: ScorecardDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: DefinitionProblem['code'], message: string) => problems.push({ path, code, message });
  const ids = new Map<string, string>();
  const uniqueId = (id: string, path: string) => {
    if (blank(id)) return add(`${path}.id`, 'EMPTY_ID', 'Every section, question and option needs an id');
    const seen = ids.get(id);
    if (seen) return add(`${path}.id`, 'DUPLICATE_ID', `The id ${id} is used twice (${seen} and ${path})`);
    ids.set(id, path);
  };

  if (def.sections.length > LIMITS.sections) add('sections', 'NO_QUESTIONS', `A scorecard may have at most ${LIMITS.sections} sections`);
  let questions = 0;
  def.sections.forEach((s, si) => {
    const sp = `sections[${si}]`;
    uniqueId(s.id, sp);
    if (blank(s.title)) add(`${sp}.title`, 'TITLE_REQUIRED', `Section ${si + 1} needs a title`);
    if (!finite(s.weight) || s.weight <= 0 || s.weight > LIMITS.points)
      add(`${sp}.weight`, 'WEIGHT_INVALID', `The weight of section "${s.title}" must be a number above 0 (up to ${LIMITS.points})`);
    s.questions.forEach((q, qi) => {
      questions += 1;
      checkQuestion(q, `${sp}.questions[${qi}]`, `${si + 1}.${qi + 1}`, add, uniqueId);
    });
  });
  if (questions === 0) add('sections', 'NO_QUESTIONS', 'A scorecard needs at least one question');
  if (questions > LIMITS.questions) add('sections', 'NO_QUESTIONS', `A scorecard may have at most ${LIMITS.questions} questions; this one has ${questions}`);

  if (def.passMark !== null) {
    const max = def.scoring === 'percentage' ? 100 : definitionMaximum(def).total;
    if (!finite(def.passMark) || def.passMark < 0 || def.passMark > max)
      add(
        'passMark',
        'PASS_MARK_INVALID',
        def.scoring === 'percentage'
          ? 'The pass mark is a percentage from 0 to 100'
          : `The pass mark must be from 0 to the scorecard's maximum, ${round2(max)} points`,
      );
  }
  return problems;
}

type Add = (path: string, code: DefinitionProblem['code'], message: string) => void;

function checkQuestion(q: Question, path: string, number: string, add: Add, uniqueId: (id: string, path: string) => void) {
  uniqueId(q.id, path);
  const name = blank(q.text) ? `Question ${number}` : `"${q.text}"`;
  if (blank(q.text)) add(`${path}.text`, 'TEXT_REQUIRED', `Question ${number} needs its text`);
  const points = (value: unknown, at: string, what: string) => {
    if (!finite(value) || value < 0 || value > LIMITS.points) add(at, 'POINTS_INVALID', `${what} must be from 0 to ${LIMITS.points} points`);
  };
  switch (q.type) {
    case 'yes_no':
      points(q.points, `${path}.points`, `${name}`);
      break;
    case 'choice': {
      if (q.options.length < 2 || q.options.length > LIMITS.options)
        add(`${path}.options`, 'OPTIONS_TOO_FEW', `${name} needs from 2 to ${LIMITS.options} options`);
      q.options.forEach((o, oi) => {
        const op = `${path}.options[${oi}]`;
        uniqueId(o.id, op);
        if (blank(o.label)) add(`${op}.label`, 'OPTION_LABEL_REQUIRED', `Option ${oi + 1} of ${name} needs a label`);
        points(o.points, `${op}.points`, `Option ${oi + 1} of ${name}`);
      });
      if (q.autoFail && !q.options.some((o) => o.fails))
        add(`${path}.options`, 'NO_FAILING_OPTION', `${name} fails the evaluation automatically: mark the option(s) that fail it`);
      break;
    }
    case 'scale': {
      points(q.points, `${path}.points`, `${name}`);
      if (!Number.isInteger(q.min) || !Number.isInteger(q.max) || q.max <= q.min || q.max - q.min > LIMITS.scaleSteps)
        add(`${path}.max`, 'SCALE_INVALID', `The scale of ${name} must go from a whole number to a greater one (at most ${LIMITS.scaleSteps} steps)`);
      else if (q.failAtOrBelow !== undefined && (!Number.isInteger(q.failAtOrBelow) || q.failAtOrBelow < q.min || q.failAtOrBelow >= q.max))
        add(`${path}.failAtOrBelow`, 'FAIL_THRESHOLD_INVALID', `${name} can fail at or below a rating from ${q.min} to ${q.max - 1}`);
      break;
    }
  }
  if (q.autoRule) {
    const why = autoRuleProblem(q.autoRule);
    if (why) add(`${path}.autoRule`, 'AUTO_RULE_INVALID', `The automatic rule of ${name}: ${why}`);
  }
}

/** The rule's own figures (what it proposes per question type is the pre-fill's: best answer when met, worst when not). */
function autoRuleProblem(r: AutoRule): string | null {
  switch (r.kind) {
    case 'phrase':
      if (blank(r.indicatorId) === blank(r.phrase)) return 'give either an indicator or a phrase';
      if (r.within && (!finite(r.within.seconds) || r.within.seconds <= 0)) return 'the first / last seconds must be a number above 0';
      return null;
    case 'silence_count':
    case 'hold_count':
      return Number.isInteger(r.max) && r.max >= 0 ? null : 'the most allowed must be a whole number, 0 or more';
    case 'talk_listen':
      return finite(r.min) && finite(r.max) && r.min >= 0 && r.min <= r.max ? null : 'the range must go from a number ≥ 0 to one at least as large';
    case 'sentiment_end':
      return finite(r.min) && r.min >= 0 && r.min <= 100 ? null : 'the sentiment must be from 0 to 100';
  }
}

/** JSON with keys in sorted order: PostgreSQL's jsonb hands objects back with its own key order, so two equal
 * definitions are compared by this, never by plain JSON.stringify. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
