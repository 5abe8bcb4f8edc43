// The quality-management model shared by scorecards, evaluations, calibrations, automated scoring and reports
// (issue 11). Plain types and small pure helpers only: no I/O, so every quality folder and the web client can rely on it.

/** A scorecard version's content: frozen once an evaluation uses it (editing then makes a new version). */
export interface ScorecardDefinition {
  /** `points`: the total is the sum of points (133/150). `percentage`: each section scores its points over its
   * maximum, and the total is the mean of the sections weighted by `Section.weight`. */
  scoring: 'points' | 'percentage';
  /** Pass when the total reaches this mark: points in `points` mode, 0–100 in `percentage` mode. Null: no pass mark. */
  passMark: number | null;
  sections: Section[];
}

export interface Section {
  /** Stable across versions (a uuid made by the builder), so reports can follow a question over versions. */
  id: string;
  title: string;
  /** Relative weight in `percentage` mode (ignored in `points` mode). > 0. */
  weight: number;
  questions: Question[];
}

export type Question = YesNoQuestion | ChoiceQuestion | ScaleQuestion;

interface QuestionBase {
  id: string;
  text: string;
  helpText?: string;
  /** Submitting without an answer (or N/A when allowed) is refused. */
  required: boolean;
  /** Answering N/A excludes the question from the maximum. */
  naAllowed: boolean;
  /** A failing answer fails the whole evaluation whatever its score (see `isFailingAnswer`). */
  autoFail: boolean;
  commentAllowed: boolean;
  /** Optional automated-scoring rule (see AutoRule); the pre-fill proposes an answer, the evaluator decides. */
  autoRule?: AutoRule;
}

/** Yes earns `points`, No earns 0. With autoFail, "No" fails the evaluation. */
export interface YesNoQuestion extends QuestionBase {
  type: 'yes_no';
  points: number;
}

/** One option chosen; each option has its own points. The question's maximum is its best option. With autoFail,
 * an option marked `fails` fails the evaluation. */
export interface ChoiceQuestion extends QuestionBase {
  type: 'choice';
  options: Array<{ id: string; label: string; points: number; fails?: boolean }>;
}

/** A rating from `min` to `max` (e.g. 1–5), worth `points` at `max` and proportionally less below:
 * points × (value − min) / (max − min). With autoFail, a value ≤ `failAtOrBelow` fails the evaluation. */
export interface ScaleQuestion extends QuestionBase {
  type: 'scale';
  min: number;
  max: number;
  points: number;
  failAtOrBelow?: number;
}

/** What an evaluator answered to one question. `value`: yes_no → 'yes' | 'no'; choice → the option id; scale → the
 * number. `na: true` with value null when N/A. A question left blank is absent from the answers map. */
export interface Answer {
  value: string | number | null;
  na?: boolean;
  comment?: string;
  /** Set when the answer was proposed by an auto rule: whether the evaluator kept the proposal (reports count overrides). */
  auto?: { proposed: string | number | null; overridden: boolean };
}

export type Answers = Record<string /* question id */, Answer>;

export interface SectionScore {
  sectionId: string;
  points: number;
  maxPoints: number;
  /** points / maxPoints × 100, null when the section's maximum is 0 (all N/A or empty): then it is left out of the
   * weighted mean. */
  percent: number | null;
}

export interface ScoreResult {
  /** points mode: total points; percentage mode: the weighted percentage. Rounded to 2 decimals. */
  score: number;
  /** points mode: the maximum points; percentage mode: 100. */
  maxScore: number;
  /** score / maxScore × 100, rounded to 2 decimals (what lists and reports compare across scorecards). */
  percent: number;
  sections: SectionScore[];
  /** Null when the scorecard has no pass mark. False whenever autoFailed. */
  passed: boolean | null;
  autoFailed: boolean;
  /** The questions whose answer failed the evaluation, in scorecard order. */
  autoFailQuestionIds: string[];
}

/** Automated-scoring rules a question may carry. A rule needing data the conversation lacks (no transcript, no
 * insights, no media analysis) is "not available": the pre-fill proposes nothing and says why, never guesses. */
export type AutoRule =
  | {
      kind: 'phrase';
      /** Either an indicator or a literal phrase (analysed with the tenant's search analyzer). */
      indicatorId?: string;
      phrase?: string;
      expect: 'said' | 'not_said';
      by: 'agent' | 'customer' | 'anyone';
      /** Only within the first / last N seconds of the conversation. */
      within?: { edge: 'first' | 'last'; seconds: number };
    }
  | { kind: 'silence_count'; max: number }
  | { kind: 'hold_count'; max: number }
  | { kind: 'talk_listen'; min: number; max: number }
  | { kind: 'sentiment_end'; min: number };

/** An evaluation's life: planned (assigned, not started) → draft (started, saved) → submitted. Responses follow. */
export type EvaluationStatus = 'planned' | 'draft' | 'submitted';
/** The agent's response to a submitted evaluation. `reaffirmed` / `reevaluated` close a dispute. */
export type ResponseStatus = 'none' | 'acknowledged' | 'disputed' | 'reaffirmed' | 'reevaluated';
/** Why an evaluation exists: an ordinary review, or one evaluator's scoring in a calibration session. */
export type EvaluationKind = 'review' | 'calibration';

/** Every question of a definition in order, with its section. */
export function questionsOf(def: ScorecardDefinition): Array<{ section: Section; question: Question }> {
  return def.sections.flatMap((section) => section.questions.map((question) => ({ section, question })));
}

/** What the automated pre-fill proposes for one question with an auto rule (src/quality/auto/). */
export interface Proposal {
  questionId: string;
  /** False when the rule needs data the conversation lacks; `reason` says which ("No transcript yet"). */
  available: boolean;
  reason?: string;
  /** The same as a stable code the UI translates (src/quality/auto/rules.ts UnavailableCode). */
  reasonCode?: string;
  /** What the rule measured when available: matches found, silences, holds, the talk-to-listen ratio, the end
   * sentiment (0–100). */
  measured?: number;
  /** The answer the rule proposes (same encoding as Answer.value); null when not available. */
  proposed: string | number | null;
  /** What the rule saw: utterances or events with their place, for play links. */
  evidence: Array<{ startMs: number; endMs: number; party: 'agent' | 'customer' | 'unknown' | null; text: string }>;
}

/** The pre-fill of one evaluation, stored on it (evaluations.prefill) when the review is opened. */
export interface Prefill {
  computedAt: string;
  proposals: Proposal[];
}

/** One problem with submitted answers (see the scoring module's checkAnswers). */
export interface AnswerProblem {
  questionId: string;
  code: 'UNKNOWN_QUESTION' | 'INVALID_VALUE' | 'NA_NOT_ALLOWED' | 'REQUIRED' | 'COMMENT_NOT_ALLOWED';
  message: string;
}
