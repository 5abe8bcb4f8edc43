// The scorecard builder's editing helpers: new sections, questions and options with fresh ids, type changes that keep
// what the types share, moves, and where a problem of validateDefinition sits (to show it beside its field).
import type { AutoRule, ChoiceQuestion, Question, ScaleQuestion, ScorecardDefinition, Section, YesNoQuestion } from '../../../../../src/quality/model.ts';

/** A random id for sections, questions and options. Not crypto.randomUUID(): that exists only on https pages, and a
 * self-hosted Earshot may be served over plain http on a LAN. */
export function uid(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export type QuestionType = Question['type'];

export function newQuestion(type: QuestionType = 'yes_no', base?: Question): Question {
  const shared = {
    id: base?.id ?? uid(),
    text: base?.text ?? '',
    required: base?.required ?? true,
    naAllowed: base?.naAllowed ?? false,
    autoFail: base?.autoFail ?? false,
    commentAllowed: base?.commentAllowed ?? true,
    ...(base?.helpText ? { helpText: base.helpText } : {}),
    ...(base?.autoRule ? { autoRule: base.autoRule } : {}),
  };
  const points = base && base.type !== 'choice' ? base.points : 10;
  switch (type) {
    case 'yes_no':
      return { ...shared, type, points } satisfies YesNoQuestion;
    case 'choice':
      return {
        ...shared,
        type,
        options: [
          { id: uid(), label: '', points },
          { id: uid(), label: '', points: 0 },
        ],
      } satisfies ChoiceQuestion;
    case 'scale':
      return { ...shared, type, min: 1, max: 5, points } satisfies ScaleQuestion;
  }
}

export const newSection = (): Section => ({ id: uid(), title: '', weight: 1, questions: [newQuestion()] });

export const emptyDefinition = (): ScorecardDefinition => ({ scoring: 'points', passMark: null, sections: [newSection()] });

/** A copy of a question with new ids (its options' too), placed after it. */
export function copyQuestion(q: Question): Question {
  return q.type === 'choice' ? { ...q, id: uid(), options: q.options.map((o) => ({ ...o, id: uid() })) } : { ...q, id: uid() };
}

/** The list with item `from` moved by `by` places (unchanged at the ends). */
export function move<T>(list: readonly T[], from: number, by: -1 | 1): T[] {
  const to = from + by;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  [out[from], out[to]] = [out[to]!, out[from]!];
  return out;
}

export function newRule(kind: AutoRule['kind']): AutoRule {
  switch (kind) {
    case 'phrase':
      return { kind, phrase: '', expect: 'said', by: 'agent' };
    case 'silence_count':
    case 'hold_count':
      return { kind, max: 1 };
    case 'talk_listen':
      return { kind, min: 0.5, max: 1.5 };
    case 'sentiment_end':
      return { kind, min: 50 };
  }
}

/** Where a problem path ("sections[1].questions[0].options[2].label") points: indexes, for showing it in place. */
export function problemPlace(path: string): { section: number | null; question: number | null } {
  const s = /^sections\[(\d+)\]/.exec(path);
  const q = /\.questions\[(\d+)\]/.exec(path);
  return { section: s ? Number(s[1]) : null, question: q ? Number(q[1]) : null };
}

/** A NumberInput's value as a number (it gives '' when emptied). */
export const num = (v: number | string, fallback = 0): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : v === '' ? fallback : Number(v) || fallback;
