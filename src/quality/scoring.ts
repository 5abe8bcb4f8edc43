// Scoring an evaluation against its scorecard version (issue 11): one pure function used by the submit, the form's live
// score, the builder's preview, calibrations and reports, so a score never depends on who computed it. No I/O: the
// web client imports it too.
//
// Choices a QA team would otherwise argue about, fixed here once:
// - N/A and unanswered questions leave the maximum (an agent is neither credited nor penalised for them). A submit
//   cannot leave a required question blank (checkAnswers), so "unanswered" only concerns optional questions and drafts.
// - A section whose maximum is 0 (no questions, all N/A or blank, or only 0-point questions) has no percentage and is
//   left out of the weighted mean; if no section is left, nothing was lost: 100 %.
// - An automatic failure keeps the computed score (reports still see how the rest went) but the evaluation fails.
// - Pass marks compare with the score as shown, rounded to 2 decimals (79.995 shows as 80 and passes a mark of 80).
import {
  questionsOf,
  type Answer,
  type Answers,
  type AnswerProblem,
  type Question,
  type ScorecardDefinition,
  type ScoreResult,
  type SectionScore,
} from './model.ts';

/** Rounds to 2 decimals the way a person would (1.005 → 1.01), not the way binary floating point does (1.00). */
export function round2(x: number): number {
  return Math.round(Number((x * 100).toPrecision(12))) / 100;
}

/** The most a question can earn. */
export function questionMaximum(q: Question): number {
  if (q.type === 'choice') return Math.max(0, ...q.options.map((o) => o.points));
  return q.points;
}

/** A blank answer: absent, or no value without N/A. */
export const isBlank = (a: Answer | undefined): boolean => !a || (!a.na && (a.value === null || a.value === undefined || a.value === ''));

/** Own properties only: a question id such as "constructor" must not find Object.prototype's. */
const answerOf = (answers: Answers, id: string): Answer | undefined => (Object.hasOwn(answers, id) ? answers[id] : undefined);

/** The points an answer earns (0 for a value the question does not know: checkAnswers reports it). */
function earned(q: Question, value: string | number | null): number {
  switch (q.type) {
    case 'yes_no':
      return value === 'yes' ? q.points : 0;
    case 'choice':
      return q.options.find((o) => o.id === value)?.points ?? 0;
    case 'scale': {
      if (typeof value !== 'number' || !Number.isFinite(value) || q.max <= q.min) return 0;
      const clamped = Math.min(q.max, Math.max(q.min, value));
      return (q.points * (clamped - q.min)) / (q.max - q.min);
    }
  }
}

/** Whether an answer fails the whole evaluation: only on a question marked autoFail. A scale without `failAtOrBelow`
 * fails at its lowest rating. */
export function isFailingAnswer(q: Question, a: Answer | undefined): boolean {
  if (!q.autoFail || !a || a.na || isBlank(a)) return false;
  switch (q.type) {
    case 'yes_no':
      return a.value === 'no';
    case 'choice':
      return q.options.find((o) => o.id === a.value)?.fails === true;
    case 'scale':
      return typeof a.value === 'number' && a.value <= (q.failAtOrBelow ?? q.min);
  }
}

/** The score of a set of answers (complete or not: a draft's running score uses it too). */
export function scoreEvaluation(def: ScorecardDefinition, answers: Answers): ScoreResult {
  const sections: SectionScore[] = [];
  const autoFailQuestionIds: string[] = [];
  let totalPoints = 0;
  let totalMax = 0;
  let weighted = 0;
  let weights = 0;
  for (const section of def.sections) {
    let points = 0;
    let maxPoints = 0;
    for (const q of section.questions) {
      const a = answerOf(answers, q.id);
      if (isFailingAnswer(q, a)) autoFailQuestionIds.push(q.id);
      if (isBlank(a) || a!.na) continue;
      points += earned(q, a!.value);
      maxPoints += questionMaximum(q);
    }
    const percent = maxPoints > 0 ? (points / maxPoints) * 100 : null;
    sections.push({ sectionId: section.id, points: round2(points), maxPoints: round2(maxPoints), percent: percent === null ? null : round2(percent) });
    totalPoints += points;
    totalMax += maxPoints;
    if (percent !== null) {
      weighted += percent * section.weight;
      weights += section.weight;
    }
  }

  let score: number;
  let maxScore: number;
  let percent: number;
  if (def.scoring === 'percentage') {
    score = weights > 0 ? round2(weighted / weights) : 100;
    maxScore = 100;
    percent = score;
  } else {
    score = round2(totalPoints);
    maxScore = round2(totalMax);
    percent = totalMax > 0 ? round2((totalPoints / totalMax) * 100) : 100;
  }
  const autoFailed = autoFailQuestionIds.length > 0;
  const nothingScored = def.scoring === 'percentage' ? weights === 0 : totalMax === 0;
  // With nothing scorable a points pass mark cannot be judged; nothing was lost, so it passes.
  const passed = def.passMark === null ? null : autoFailed ? false : nothingScored || score >= def.passMark;
  return { score, maxScore, percent, sections, passed, autoFailed, autoFailQuestionIds };
}

/** The maximum of a definition with every question answered (the builder's live preview): per section and in total. */
export function definitionMaximum(def: ScorecardDefinition): { total: number; sections: Array<{ sectionId: string; maxPoints: number }> } {
  const sections = def.sections.map((s) => ({ sectionId: s.id, maxPoints: round2(s.questions.reduce((sum, q) => sum + questionMaximum(q), 0)) }));
  return { total: round2(sections.reduce((sum, s) => sum + s.maxPoints, 0)), sections };
}

/** What is wrong with a set of answers for this definition. `draft`: only what could never be right (unknown question,
 * a value the question does not offer, N/A where not allowed, a comment where none is allowed); `submit` also names
 * every required question left blank. Empty when the answers may be saved / submitted. */
export function checkAnswers(def: ScorecardDefinition, answers: Answers, mode: 'draft' | 'submit'): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const all = questionsOf(def);
  const known = new Set(all.map(({ question }) => question.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) problems.push({ questionId: id, code: 'UNKNOWN_QUESTION', message: `Question ${id} is not on this version of the scorecard` });
  }
  for (const { question: q } of all) {
    const a = answerOf(answers, q.id);
    const name = `"${q.text}"`;
    if (a?.comment && a.comment.trim() !== '' && !q.commentAllowed) {
      problems.push({ questionId: q.id, code: 'COMMENT_NOT_ALLOWED', message: `${name} does not take a comment` });
    }
    if (a?.na) {
      if (!q.naAllowed) problems.push({ questionId: q.id, code: 'NA_NOT_ALLOWED', message: `${name} cannot be answered N/A` });
      else if (a.value !== null && a.value !== undefined)
        problems.push({ questionId: q.id, code: 'INVALID_VALUE', message: `${name} is N/A and cannot also have an answer` });
      continue;
    }
    if (isBlank(a)) {
      if (mode === 'submit' && q.required) problems.push({ questionId: q.id, code: 'REQUIRED', message: `${name} must be answered` });
      continue;
    }
    const invalid = invalidValue(q, a!.value);
    if (invalid) problems.push({ questionId: q.id, code: 'INVALID_VALUE', message: `${name}: ${invalid}` });
  }
  return problems;
}

function invalidValue(q: Question, value: string | number | null): string | null {
  switch (q.type) {
    case 'yes_no':
      return value === 'yes' || value === 'no' ? null : `the answer must be "yes" or "no", not ${JSON.stringify(value)}`;
    case 'choice':
      return q.options.some((o) => o.id === value) ? null : `${JSON.stringify(value)} is not one of its options`;
    case 'scale':
      return typeof value === 'number' && Number.isInteger(value) && value >= q.min && value <= q.max
        ? null
        : `the rating must be a whole number from ${q.min} to ${q.max}, not ${JSON.stringify(value)}`;
  }
}
